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
    """The Runtime API over one persistent HTTP/1.1 connection. A few lines
    over socket rather than http.client, whose imports (email.parser and
    more) would add some 20 ms to every INIT; AWS's client uses a C
    extension there."""

    def __init__(self, address):
        import socket

        host, _, port = address.rpartition(":")
        self.address, self.host = address, host.strip("[]")
        self.port, self.socket, self.sock = int(port), socket, None

    def connect(self):
        socket = self.socket
        self.sock = socket.create_connection((self.host, self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")

    def close(self):
        if self.sock is not None:
            self.rfile.close()
            self.sock.close()
            self.sock = None

    def call(self, method, path, body=b"", headers=()):
        """Returns the headers (lower-case names) and body of a 2xx answer."""
        for attempt in (0, 1):
            try:
                if self.sock is None:
                    self.connect()
                status, answer, data = self.exchange(method, path, body, headers)
                break
            except OSError as e:
                self.close()  # the next request connects again
                if attempt:
                    # The RIE is gone: nothing left to serve.
                    sys.stderr.write("coldbench python client: Runtime API {}: {}\n".format(self.address, e))
                    os._exit(1)
        if not 200 <= status <= 299:
            # As AWS's client: a refused call ends the runtime.
            raise RuntimeError("Runtime API {} {}: {} {!r}".format(method, path, status, data))
        return answer, data

    def exchange(self, method, path, body, headers):
        head = ["{} {} HTTP/1.1".format(method, path), "Host: " + self.address]
        head.extend("{}: {}".format(k, v) for k, v in headers)
        if method != "GET":
            head.append("Content-Length: {}".format(len(body)))
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        read = self.rfile
        line = read.readline(65537)
        if not line:
            raise ConnectionResetError("connection closed")
        status = int(line.split(None, 2)[1])
        answer = {}
        while True:
            line = read.readline(65537)
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            answer[name.strip().lower()] = value.strip()
        if answer.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(read.readline(65537).split(b";")[0], 16)
                if size == 0:
                    while read.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(read.read(size))
                read.readline(65537)
            data = b"".join(chunks)
        elif "content-length" in answer:
            data = read.read(int(answer["content-length"]))
        elif status in (204, 304) or status < 200:
            data = b""
        else:
            data = read.read()  # until the server closes
            answer["connection"] = "close"
        if answer.get("connection", "").lower() == "close":
            self.close()
        return status, answer, data

    def post_error(self, path, result):
        body = to_json(result).encode()
        error_type = result["errorType"].encode("ascii", "replace").decode()
        self.call("POST", path, body, (("Content-Type", "application/json"), (ERROR_TYPE_HEADER, error_type)))


# The characters a request id keeps in a path; others are %-escaped.
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def quote(s):
    return "".join(c if c in UNRESERVED else "".join("%{:02X}".format(b) for b in c.encode()) for c in s)


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
        headers, body = api.call("GET", "/2018-06-01/runtime/invocation/next")
        request_id = headers.get("lambda-runtime-aws-request-id")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        path = "/2018-06-01/runtime/invocation/{}/".format(quote(request_id or ""))
        try:
            try:
                client_context = headers.get("lambda-runtime-client-context")
                identity = headers.get("lambda-runtime-cognito-identity")
                context = LambdaContext(
                    request_id,
                    headers.get("lambda-runtime-invoked-function-arn"),
                    int(headers.get("lambda-runtime-deadline-ms") or 0),
                    json.loads(client_context) if client_context else None,
                    json.loads(identity) if identity else None,
                )
            except Exception as e:
                raise Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse context JSON: {}".format(e))
            if headers.get("content-type", "application/json") == "application/json":
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
        api.call("POST", path + "response", payload, (("Content-Type", content_type),))


def main(argv):
    args = argv[1:]
    check_only = bool(args) and args[0] == "--check"
    if check_only:
        args = args[1:]
    handler = args[0] if args else os.environ.get("_HANDLER", "")
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # What the client itself needs, imported before the task root goes on
    # sys.path, so that a function's own json.py or socket.py cannot stand
    # in for them (AWS's client imports them before the function too); the
    # first request for work needs both anyway.
    import json  # noqa: F401
    import socket  # noqa: F401

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
# The runtime: COLDBENCH_LAMBDA_RUNTIME, else AWS_EXECUTION_ENV as Lambda sets
# it (AWS_Lambda_python3.12), else this interpreter's version.
_runtime = os.environ.get("COLDBENCH_LAMBDA_RUNTIME") or os.environ.get("AWS_EXECUTION_ENV", "").replace("AWS_Lambda_", "", 1)
if _runtime.startswith("python3."):
    ENSURE_ASCII = int(_runtime[len("python3."):].split(".")[0] or 0) < 12
else:
    ENSURE_ASCII = sys.version_info < (3, 12)

if __name__ == "__main__":
    main(sys.argv)
