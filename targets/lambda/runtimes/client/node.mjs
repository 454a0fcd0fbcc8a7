// coldbench's own AWS Lambda Runtime API client for Node.js (an ES module, no
// dependencies, Node 20 and later), written from AWS's documented Runtime API
// and from reading how AWS's runtime interface client behaves (its v3 for
// nodejs22.x and earlier, its v4 for nodejs24.x): it is not AWS's code.
//
// Started as `node node.mjs <handler>` with the working directory the task
// root, it loads the function's module, resolves the handler and serves
// invokes from AWS_LAMBDA_RUNTIME_API forever. `node node.mjs --check
// <handler>` only loads and resolves, as at INIT, without a Runtime API: it
// exits 0 printing nothing, or exits 1 printing one JSON line
// {"errorType":"...","errorMessage":"..."} on stdout.
//
// It behaves like the runtime named in COLDBENCH_LAMBDA_RUNTIME, else in
// AWS_EXECUTION_ENV (AWS_Lambda_nodejs24.x, as Lambda sets it), else like
// nodejs22.x, where AWS's runtimes differ:
//   - nodejs22.x and earlier: a .js file is required unless the nearest
//     package.json says "type": "module"; .mjs is imported, .cjs required.
//     Handlers may be async (return a promise) or take a callback; with
//     context.callbackWaitsForEmptyEventLoop (true by default) the result of
//     the callback is sent once the event loop is empty, as AWS does, and a
//     non-async handler that never calls back answers null then. A value
//     returned by a non-async handler is ignored, as AWS ignores it.
//   - nodejs24.x and later: every file is imported with import(), the
//     handler may be found on the module's default export, a handler
//     declaring three or more parameters is refused at INIT with
//     Runtime.CallbackHandlerDeprecated (AWS removed callback handlers in
//     Node.js 24), and whatever the handler returns is awaited and sent.
//
// It does not do: response streaming (awslambda.streamifyResponse is defined
// only to refuse such a handler at INIT with a clear message), extensions,
// X-Ray (no Lambda-Runtime-Function-XRay-Error-Cause; _X_AMZN_TRACE_ID is
// set), SnapStart, Lambda Managed Instances (several invokes at once),
// tenant ids, or Lambda's log formatting: console output goes to stdout and
// stderr unchanged, without the timestamp/request id/level prefixes.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const checkOnly = args[0] === '--check';
if (checkOnly) args.shift();
const handlerString = args[0] ?? process.env._HANDLER ?? '';
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const runtimeName =
  process.env.COLDBENCH_LAMBDA_RUNTIME || process.env.AWS_EXECUTION_ENV?.replace(/^AWS_Lambda_/, '') || 'nodejs22.x';
const nodeMajor = Number(/^nodejs(\d+)/.exec(runtimeName)?.[1] ?? 22);
const v4 = nodeMajor >= 24; // the behaviour of AWS's client for Node.js 24+

// Errors of the runtime itself, named as AWS names them.
const runtimeError = (type) => {
  const C = class extends Error {};
  C.prototype.name = `Runtime.${type}`;
  return C;
};
const ImportModuleError = runtimeError('ImportModuleError');
const HandlerNotFound = runtimeError('HandlerNotFound');
const MalformedHandlerName = runtimeError('MalformedHandlerName');
const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
const CallbackHandlerDeprecated = runtimeError('CallbackHandlerDeprecated');
const UnhandledPromiseRejection = runtimeError('UnhandledPromiseRejection');
const NodeJsExit = runtimeError('NodeJsExit');

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
if (!globalThis.awslambda) {
  globalThis.awslambda = {
    streamifyResponse(handler) {
      handler[STREAMING] = 'response';
      return handler;
    },
  };
}

// ---- Loading the handler, as AWS's UserFunction does ----

// nodejs22.x and earlier: .js is ESM if the nearest package.json (not past
// a node_modules folder) says "type": "module".
function packageTypeModule(folder) {
  for (;;) {
    if (folder.endsWith('/node_modules')) return false;
    const pj = join(folder, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8'))?.type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    const parent = dirname(folder);
    if (parent === folder) return false;
    folder = parent;
  }
}

const importFile = (file) => import(pathToFileURL(file).href);

async function loadModuleV3(moduleRoot, moduleName) {
  const file = resolve(taskRoot, moduleRoot, moduleName);
  if (existsSync(file)) return require(file);
  const esm = existsSync(file + '.js') && packageTypeModule(dirname(file + '.js'));
  if (!esm && existsSync(file + '.js')) return require(file + '.js');
  if (esm) return importFile(file + '.js');
  if (existsSync(file + '.mjs')) return importFile(file + '.mjs');
  if (existsSync(file + '.cjs')) return require(file + '.cjs');
  // Not a file of the task root: a package, resolved as Node resolves it.
  return require(require.resolve(moduleName, { paths: [taskRoot, moduleRoot] }));
}

async function loadModuleV4(moduleRoot, moduleName) {
  const file = resolve(taskRoot, moduleRoot, moduleName);
  for (const ext of ['', '.js', '.mjs', '.cjs']) {
    if (existsSync(file + ext)) return importFile(file + ext);
  }
  return require(require.resolve(moduleName, { paths: [taskRoot, join(taskRoot, moduleRoot)] }));
}

function lookup(object, path) {
  return path.split('.').reduce(
    (o, key) => (v4 ? (o && typeof o === 'object' ? o[key] : undefined) : o && o[key]),
    object,
  );
}

// loadHandler resolves handlerString to the user's function, throwing the
// Runtime.* errors AWS throws, or whatever the module's own code throws.
async function loadHandler() {
  if (handlerString.includes('..')) {
    throw new MalformedHandlerName(
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  // "src/app.main" → module root "src/", module "app", property path "main".
  const base = basename(handlerString);
  const moduleRoot = handlerString.substring(0, handlerString.indexOf(base));
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, path] = match;

  let mod;
  try {
    mod = await (v4 ? loadModuleV4 : loadModuleV3)(moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(String(e));
    if (e?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(String(e));
    throw e;
  }
  let fn = lookup(mod, path);
  if (!fn && v4 && mod && typeof mod === 'object' && 'default' in mod) fn = lookup(mod.default, path);
  if (!fn) throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  if (typeof fn !== 'function') throw new HandlerNotFound(`${handlerString} is not a function`);
  if (fn[STREAMING]) {
    const e = new Error('coldbench runs no response-streaming handlers (awslambda.streamifyResponse)');
    e.name = 'Runtime.MalformedStreamingHandler';
    throw e;
  }
  if (v4 && fn.length >= 3) {
    throw new CallbackHandlerDeprecated(
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
    );
  }
  return fn;
}

// The body AWS posts for an error: {errorType, errorMessage, trace}.
function errorBody(err) {
  const esc = (s) => String(s).replaceAll('\x7F', '%7F');
  try {
    if (err instanceof Error || (typeof err?.name === 'string' && typeof err?.message === 'string' && typeof err?.stack === 'string')) {
      return { errorType: esc(err.name), errorMessage: esc(err.message), trace: esc(err.stack ?? '').split('\n') };
    }
    return { errorType: typeof err, errorMessage: String(err), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

if (checkOnly) {
  // The user's module may log at load: keep stdout for our one line.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  try {
    await loadHandler();
    process.exit(0);
  } catch (e) {
    const { errorType, errorMessage } = errorBody(e);
    write(JSON.stringify({ errorType, errorMessage }) + '\n');
    process.exit(1);
  }
}

// ---- The Runtime API ----

const api = process.env.AWS_LAMBDA_RUNTIME_API;
if (!api) {
  console.error('AWS_LAMBDA_RUNTIME_API is not set');
  process.exit(1);
}
const colon = api.lastIndexOf(':');
const apiHost = api.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
const apiPort = Number(api.slice(colon + 1));
const env = process.env;
env.AWS_LAMBDA_LOG_GROUP_NAME ||= `/aws/lambda/${env.AWS_LAMBDA_FUNCTION_NAME}`;
if (!env.AWS_LAMBDA_LOG_STREAM_NAME) {
  const hex = Array.from({ length: 32 }, () => ((Math.random() * 16) | 0).toString(16)).join('');
  env.AWS_LAMBDA_LOG_STREAM_NAME = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[${env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST'}]${hex}`;
}

let http, agent; // loaded after the user's code, which often loads node:http too

async function connect() {
  if (http) return;
  http = await import('node:http');
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
}

// call makes one HTTP request on the one kept-alive socket, retrying once if
// the server had closed that socket meanwhile.
function call(method, path, body, headers = {}, retry = true) {
  return new Promise((resolveCall, reject) => {
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: apiHost, port: apiPort, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const answer = { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
        // As AWS's client, a refused post is logged, not fatal.
        if (method === 'POST' && (answer.status < 200 || answer.status > 299)) {
          console.error(`coldbench node client: POST ${path}: ${answer.status} ${answer.body}`);
        }
        resolveCall(answer);
      });
      res.on('error', reject);
    });
    req.on('error', (e) => {
      if (retry && req.reusedSocket && e.code === 'ECONNRESET') {
        call(method, path, body, headers, false).then(resolveCall, reject);
      } else reject(e);
    });
    req.end(body);
  });
}

// A failed Runtime API call means the RIE is gone: nothing left to serve.
function fatal(e) {
  console.error(`coldbench node client: Runtime API ${api}: ${e?.stack ?? e}`);
  process.exit(1);
}

const typeHeader = (type) => ({ 'Lambda-Runtime-Function-Error-Type': String(type).replace(/[^\x20-\x7e]/g, '?') });

function postError(path, err) {
  const body = errorBody(err);
  console.error(path.endsWith('/init/error') ? 'Init Error' : 'Invoke Error', JSON.stringify(body));
  return call('POST', path, JSON.stringify(body), typeHeader(body.errorType));
}

function postResult(id, result) {
  let json;
  try {
    json = JSON.stringify(result === undefined ? null : result) ?? 'null'; // a function, a symbol
  } catch {
    const e = new Error('Unable to stringify response body');
    if (v4) e.name = 'Runtime.JSONStringifyError';
    return postError(`/2018-06-01/runtime/invocation/${encodeURIComponent(id)}/error`, e);
  }
  return call('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(id)}/response`, json);
}

const parseHeader = (value, name) => {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new Error(`Cannot parse ${name} as json: ${e}`);
  }
};

let current = null; // the invoke being served: {id, onEmptyLoop}
let serving = false; // false during INIT

// As AWS's client does: an error nobody catches fails the invoke being served
// (or INIT) and ends the process.
async function die(err, code) {
  try {
    await connect();
    if (serving && current) await postError(`/2018-06-01/runtime/invocation/${encodeURIComponent(current.id)}/error`, err);
    else if (!serving) await postError('/2018-06-01/runtime/init/error', err);
  } finally {
    process.exit(code);
  }
}
process.on('uncaughtException', (e) => die(e, 129));
process.on('unhandledRejection', (reason) => die(new UnhandledPromiseRejection(String(reason)), 128));
process.on('beforeExit', () => current?.onEmptyLoop());

// invoke runs the handler on one event and posts its outcome; it resolves
// once the outcome is posted.
function invoke(handler, id, event, context) {
  return new Promise((done) => {
    const path = `/2018-06-01/runtime/invocation/${encodeURIComponent(id)}`;
    let completed = false;
    const complete = (failed, value) => {
      if (completed) return;
      completed = true;
      if (current === state) current = null;
      (failed ? postError(`${path}/error`, value) : postResult(id, value)).then(done, fatal);
    };
    const neverSettled = () =>
      complete(true, new NodeJsExit('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled.'));
    // onEmptyLoop runs when nothing is left to run and no answer was sent.
    const state = { id, onEmptyLoop: neverSettled };
    current = state;
    if (v4) {
      Promise.resolve()
        .then(() => handler(event, context))
        .then((r) => complete(false, r), (e) => complete(true, e));
      return;
    }
    // nodejs22.x and earlier: the first of callback, succeed, fail, done and
    // the returned promise decides; a non-async handler that does not call
    // back answers null once the event loop is empty.
    if (handler.constructor?.name !== 'AsyncFunction') state.onEmptyLoop = () => complete(false, null);
    let settled = false;
    let waitsForEmptyLoop = true;
    const once = (f) => (...a) => {
      if (!settled) {
        settled = true;
        f(...a);
      }
    };
    const fail = (err) => complete(true, err == null ? 'handled' : err);
    const callback = once((err, result) => {
      if (err != null) complete(true, err);
      else if (!waitsForEmptyLoop) complete(false, result);
      else state.onEmptyLoop = () => setImmediate(() => complete(false, result));
    });
    Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
      get: () => waitsForEmptyLoop,
      set: (v) => (waitsForEmptyLoop = v),
      enumerable: true,
    });
    context.succeed = once((r) => complete(false, r));
    context.fail = once(fail);
    context.done = once((e, r) => (e != null ? complete(true, e) : complete(false, r)));
    try {
      const r = handler(event, context, callback);
      if (r && typeof r.then === 'function') r.then(once((v) => complete(false, v)), once(fail));
    } catch (e) {
      callback(e);
    }
  });
}

async function serve(handler) {
  for (;;) {
    const next = await call('GET', '/2018-06-01/runtime/invocation/next').catch(fatal);
    if (next.status !== 200) fatal(`GET next: ${next.status} ${next.body}`);
    const h = next.headers;
    const id = h['lambda-runtime-aws-request-id'];
    if (h['lambda-runtime-trace-id']) env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'];
    else delete env._X_AMZN_TRACE_ID;
    let event, context;
    try {
      const deadline = Number(h['lambda-runtime-deadline-ms']);
      context = {
        awsRequestId: id,
        invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
        functionName: env.AWS_LAMBDA_FUNCTION_NAME,
        functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
        memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
        logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
        clientContext: parseHeader(h['lambda-runtime-client-context'], 'ClientContext'),
        identity: parseHeader(h['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
        getRemainingTimeInMillis: () => deadline - Date.now(),
      };
      event = JSON.parse(next.body);
    } catch (e) {
      await postError(`/2018-06-01/runtime/invocation/${encodeURIComponent(id)}/error`, e).catch(fatal);
      continue;
    }
    await invoke(handler, id, event, context);
  }
}

let handler;
try {
  handler = await loadHandler();
} catch (e) {
  await die(e, 129);
}
await connect();
serving = true;
serve(handler);
