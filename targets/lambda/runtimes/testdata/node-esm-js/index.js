// A Node.js function as an ES module (.js under a package.json of "type": "module"): see ../README.md.
class OrderError extends Error {
  constructor(message) {
    super(message);
    this.name = 'OrderError';
  }
}

export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    method: event.requestContext?.http?.method,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    xTest: event.headers?.['x-test'],
    body: event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body,
    requestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    remainingPositive: context.getRemainingTimeInMillis() > 0,
    traceId: process.env._X_AMZN_TRACE_ID,
  }),
});

export const plain = async () => ({ ok: true });

export const fail = async () => {
  throw new OrderError('no stock');
};

export const nested = { fn: async () => ({ nested: true }) };

export const notAFunction = 42;
