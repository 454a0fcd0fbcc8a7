"""coldbench's own AWS Lambda Runtime API client for Python (stdlib only,
Python 3.9 and later), written from AWS's documented Runtime API and from
reading how AWS's runtime interface client (awslambdaric, the bootstrap of
the python3.x runtimes) behaves: it is not AWS's code.

Started as `python3 python.py <handler>` with the working directory the task
root, it imports the function's module, resolves the handler and serves
invokes from AWS_LAMBDA_RUNTIME_API forever. `python3 python.py --check
<handler>` only imports and resolves, as at INIT, without a Runtime API: it
exits 0 printing nothing, or exits 1 printing one JSON line
{"errorType":"...","errorMessage":"..."} on stdout.

As AWS's: the handler is "module.function", the module may be in a subfolder
("sub/module.fn" or "sub.module.fn"), the task root comes first on sys.path,
errors are posted as {"errorMessage","errorType","requestId","stackTrace"},
INIT errors are Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
Runtime.HandlerNotFound, Runtime.MalformedHandlerName,
Runtime.BuiltInModuleConflict or, for an exception raised by the module's
own code, the exception's class name; after posting one the process exits 1.
context.memory_limit_in_mb is a string, as awslambdaric sets it.

It does not do: response streaming, extensions, X-Ray (no
Lambda-Runtime-Function-XRay-Error-Cause; _X_AMZN_TRACE_ID is set),
SnapStart hooks, Lambda Managed Instances (several invokes at once), tenant
ids, or Lambda's log formatting: print() goes to stdout unchanged (made
unbuffered, as AWS does), the root logger gets no Lambda handler, and only
errors are logged as "[ERROR] type: message". Decimal results are sent as
numbers through float/int (awslambdaric uses simplejson).
"""

import os
import sys

HERE = __file__
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"


class Fault(Exception):
    """An error of the runtime itself, with AWS's Runtime.* type."""

    def __init__(self, error_type, msg, trace=None):
        Exception.__init__(self, msg)
        self.error_type, self.msg, self.trace = error_type, msg, trace


def load_handler(handler):
    """Resolves handler as AWS's bootstrap does, raising Fault, or whatever
    the module's own code raises."""
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    if modname.split(".")[0] in sys.builtin_module_names:
        raise Fault(
            "Runtime.BuiltInModuleConflict",
            "Cannot use built-in module {} as a handler module".format(modname),
        )
    import importlib

    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, e))
    except SyntaxError as e:
        raise Fault(
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module '{}': {}".format(modname, e),
            ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)],
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))


def error_result(exc, request_id=""):
    """The body AWS posts for an error raised by user code (or a Fault)."""
    if isinstance(exc, Fault):
        return make_error(exc.msg, exc.error_type, exc.trace, request_id)
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    # Leave out this client's own frames, above the user's code.
    while frames and frames[0].filename == HERE:
        frames = frames[1:]
    return make_error(str(exc), type(exc).__name__, traceback.format_list(frames), request_id)


def make_error(message, error_type, stack_trace, request_id=""):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id or "",
        "stackTrace": stack_trace or [],
    }


def log_error(result):
    # As AWS's text log format: one record, its lines joined by "\r".
    lines = ["[ERROR] {}: {}".format(result["errorType"], result["errorMessage"])]
    if result["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(line for frame in result["stackTrace"] for line in frame.splitlines())
    sys.stdout.write("\r".join(lines) + "\n")


def check(handler):
    # The user's module may print at import: keep stdout for our one line.
    out = sys.stdout
    sys.stdout = sys.stderr
    try:
        load_handler(handler)
    except Exception as e:
        import json

        result = error_result(e)
        out.write(json.dumps({"errorType": result["errorType"], "errorMessage": result["errorMessage"]}, separators=(",", ":")) + "\n")
        out.flush()
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # whatever threads the module started


class Unbuffered:
    def __init__(self, stream):
        self.stream = stream

    def write(self, msg):
        n = self.stream.write(msg)
        self.stream.flush()
        return n

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


class Identity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")


class ClientContext:
    __slots__ = ("custom", "env", "client")


def from_dict(cls, d):
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, d.get(field))
    return obj


class LambdaContext:
    def __init__(self, request_id, arn, deadline_ms, client_context, identity):
        env = os.environ
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = None
        if client_context is not None:
            self.client_context = from_dict(ClientContext, client_context)
            self.client_context.client = from_dict(Client, self.client_context.client or {})
        self.identity = from_dict(Identity, {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        import time

        return max(0, self._deadline_ms - int(time.time() * 1000))


class RuntimeAPI:
    """The Runtime API over one persistent HTTP/1.1 connection."""

    def __init__(self, address):
        import http.client

        host, _, port = address.rpartition(":")
        self.address = address
        self.conn = http.client.HTTPConnection(host.strip("[]"), int(port))

    def call(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body, headers or {})
                resp = self.conn.getresponse()
                return resp.status, resp.headers, resp.read()
            except (ConnectionError, OSError) as e:
                self.conn.close()  # the next request connects again
                if attempt:
                    # The RIE is gone: nothing left to serve.
                    sys.stderr.write("coldbench python client: Runtime API {}: {}\n".format(self.address, e))
                    os._exit(1)

    def post_error(self, path, result):
        body = to_json(result).encode()
        error_type = result["errorType"].encode("ascii", "replace").decode()
        headers = {"Content-Type": "application/json", ERROR_TYPE_HEADER: error_type}
        self.call("POST", path, body, headers)


def to_json(obj):
    import json

    def default(o):
        if type(o).__name__ == "Decimal":
            return int(o) if o == o.to_integral_value() else float(o)
        raise TypeError("Object of type {} is not JSON serializable".format(type(o).__name__))

    return json.dumps(obj, ensure_ascii=ENSURE_ASCII, allow_nan=True, default=default)


def serve(api, handler):
    import json

    while True:
        _, headers, body = api.call("GET", "/2018-06-01/runtime/invocation/next")
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        path = "/2018-06-01/runtime/invocation/{}/".format(request_id)
        try:
            try:
                client_context = headers.get("Lambda-Runtime-Client-Context")
                identity = headers.get("Lambda-Runtime-Cognito-Identity")
                context = LambdaContext(
                    request_id,
                    headers.get("Lambda-Runtime-Invoked-Function-Arn"),
                    int(headers.get("Lambda-Runtime-Deadline-Ms") or 0),
                    json.loads(client_context) if client_context else None,
                    json.loads(identity) if identity else None,
                )
            except Exception as e:
                raise Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse context JSON: {}".format(e))
            if headers.get("Content-Type", "application/json") == "application/json":
                try:
                    event = json.loads(body)
                except Exception as e:
                    raise Fault("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(e))
            else:
                event = body
            response = handler(event, context)
            if isinstance(response, bytes):
                payload, content_type = response, "application/unknown"
            else:
                try:
                    payload, content_type = to_json(response).encode(), "application/json"
                except Exception as e:
                    raise Fault("Runtime.MarshalError", "Unable to marshal response: {}".format(e))
        except Exception as e:
            result = error_result(e, request_id)
            log_error(result)
            api.post_error(path + "error", result)
            continue
        api.call("POST", path + "response", payload, {"Content-Type": content_type})


def main(argv):
    args = argv[1:]
    check_only = bool(args) and args[0] == "--check"
    if check_only:
        args = args[1:]
    handler = args[0] if args else os.environ.get("_HANDLER", "")
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # The task root, not this client's folder, first on sys.path.
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(HERE)):
        sys.path[0] = task_root
    else:
        sys.path.insert(0, task_root)
    if check_only:
        check(handler)

    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        sys.stderr.write("AWS_LAMBDA_RUNTIME_API is not set\n")
        sys.exit(1)
    env = os.environ
    env.setdefault("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + env.get("AWS_LAMBDA_FUNCTION_NAME", ""))
    if not env.get("AWS_LAMBDA_LOG_STREAM_NAME"):
        import time

        env["AWS_LAMBDA_LOG_STREAM_NAME"] = "{}/[{}]{}".format(
            time.strftime("%Y/%m/%d", time.gmtime()), env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"), os.urandom(16).hex()
        )
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)

    try:
        request_handler = load_handler(handler)
    except Exception as e:
        result = error_result(e)
        log_error(result)
        RuntimeAPI(address).post_error("/2018-06-01/runtime/init/error", result)
        sys.exit(1)
    serve(RuntimeAPI(address), request_handler)


# awslambdaric sends non-ASCII characters as they are on python3.12 and later.
_runtime = os.environ.get("COLDBENCH_LAMBDA_RUNTIME", "")
if _runtime.startswith("python3."):
    ENSURE_ASCII = int(_runtime[len("python3."):].split(".")[0] or 0) < 12
else:
    ENSURE_ASCII = sys.version_info < (3, 12)

if __name__ == "__main__":
    main(sys.argv)
