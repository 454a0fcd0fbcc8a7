// A Node.js function as CommonJS (.js, no package.json): see ../README.md.
class OrderError extends Error {
  constructor(message) {
    super(message);
    this.name = 'OrderError';
  }
}

exports.handler = async (event, context) => ({
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

exports.plain = async () => ({ ok: true });

exports.fail = async () => {
  throw new OrderError('no stock');
};

// A callback handler (nodejs22.x and earlier). The result is serialized
// when it is sent: once the event loop is empty, so after the timer has
// set timerRan, unless context.callbackWaitsForEmptyEventLoop is false.
const callbackHandler = (wait) => (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = wait;
  const result = { style: 'callback', requestId: context.awsRequestId, rawPath: event.rawPath, timerRan: false };
  setTimeout(() => {
    result.timerRan = true;
  }, 1);
  callback(null, result);
};
exports.cb = callbackHandler(true);
exports.cbNoWait = callbackHandler(false);

// A callback handler failing through the callback.
exports.cbFail = (event, context, callback) => callback(new OrderError('no stock'));

// A non-async handler returning a value without calling back: nodejs22.x
// ignores the value (answers null), nodejs24.x sends it.
exports.sync = () => ({ ok: true });
