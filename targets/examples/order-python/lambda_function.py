"""order-python is the Python twin of coldbench's built-in Lambda function.

It is the order application of targets/order as targets/function serves it
behind a Function URL (payload format 2.0), written as a user would deploy it
on Lambda's managed Python runtime (Python 3.9 or later, standard library
only, handler lambda_function.lambda_handler). It serves the same routes with
the same answers and does the same calibrated work:

- POST /order with a JSON object body answers 201 "Order created!"; /order
  with another method 405 "Method Not Allowed" (and Allow: POST); /order with
  a body that is not a JSON object 400 "Bad Request: body must be a JSON
  object"; any other path 404 "Not Found", all as text/plain; charset=utf-8.
- Any method on /echo or below it answers 200 application/json with the
  request as the event carried it: {"method","path","query","params",
  "headers","body"}, written byte for byte as Go's encoding/json writes
  targets/order's Echo (keys sorted, <, > and & escaped, each byte that is
  not UTF-8 as \\ufffd).
- COLDBENCH_INIT_WORK is CPU work done once at import (INIT),
  COLDBENCH_REQUEST_WORK CPU work for every routed request (POST /order, and
  /echo), COLDBENCH_REQUEST_WAIT time spent waiting, not computing, per
  routed request; all Go durations such as 50ms or 1.5s. CPU work is done by
  spinning until this thread's CPU time has advanced by the duration, so it
  costs what the Go function's calibrated spin costs; COLDBENCH_WORK_RATE,
  the Go spin's calibration, is not used.
- X-Coldbench-Function-Cold is "true" on the first invocation this process
  serves, "false" after.

Unlike the Go function it has no fault injection (X-Coldbench-Fault,
COLDBENCH_INIT_FAILURE_RATE) and does not report its INIT itself
(X-Coldbench-Init-Us): the router measures it from the runtime.
"""

import base64
import json
import os
import re
import time

ORDER_PATH = "/order"
ECHO_PATH = "/echo"
TEXT_PLAIN = "text/plain; charset=utf-8"
APPLICATION_JSON = "application/json"
HEADER_FUNCTION_COLD = "X-Coldbench-Function-Cold"

# ---- Work -------------------------------------------------------------------

_UNITS = {
    "ns": 1,
    "us": 1000,
    "\u00b5s": 1000,  # micro sign
    "\u03bcs": 1000,  # Greek mu
    "ms": 1000000,
    "s": 1000000000,
    "m": 60000000000,
    "h": 3600000000000,
}
_MAX = 1 << 63
_DIGITS = "0123456789"


def parse_go_duration(orig):
    """Go's time.ParseDuration: nanoseconds, or None where Go answers an error."""
    s = orig
    neg = False
    if s[:1] in ("-", "+"):
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        return None
    d = 0
    while s:
        if not (s[0] == "." or s[0] in _DIGITS):
            return None
        i = 0
        v = 0
        while i < len(s) and s[i] in _DIGITS:
            v = v * 10 + ord(s[i]) - 48
            if v > _MAX:
                return None
            i += 1
        pre = i > 0
        s = s[i:]
        f, scale, post = 0, 1.0, False
        if s[:1] == ".":
            i, overflow = 1, False
            while i < len(s) and s[i] in _DIGITS:
                if not overflow:
                    y = f * 10 + ord(s[i]) - 48
                    if y > _MAX:
                        overflow = True
                    else:
                        f, scale = y, scale * 10
                i += 1
            post = i > 1
            s = s[i:]
        if not pre and not post:
            return None
        i = 0
        while i < len(s) and not (s[i] == "." or s[i] in _DIGITS):
            i += 1
        unit = _UNITS.get(s[:i])  # none for a missing or unknown unit
        if unit is None:
            return None
        s = s[i:]
        if v > _MAX // unit:
            return None
        v *= unit
        if f > 0:
            # As Go: in float64, exact to the nanosecond for fractions of hours.
            v += int(float(f) * (float(unit) / scale))
            if v > _MAX:
                return None
        d += v
        if d > _MAX:
            return None
    if neg:
        return -d
    return None if d > _MAX - 1 else d


def _duration_from_env(name):
    """A work knob in nanoseconds, 0 if unset."""
    s = os.environ.get(name, "")
    if s == "":
        return 0
    d = parse_go_duration(s)
    if d is None or d < 0:
        raise ValueError("%s=%s: want a non-negative Go duration such as 50ms" % (name, json.dumps(s, ensure_ascii=False)))
    return d


# This thread's CPU clock, else the process's.
_cpu_ns = getattr(time, "thread_time_ns", time.process_time_ns)
try:
    _cpu_ns()
except OSError:
    _cpu_ns = time.process_time_ns

_sink = 0  # the spin's result, kept


def spin(ns):
    """Computes until the CPU clock has advanced by ns nanoseconds, reading it
    every 128 rounds of a multiply-xorshift chain (some 20 microseconds), so it
    overshoots by less than that and a clock read."""
    global _sink
    if ns <= 0:
        return
    until = _cpu_ns() + ns
    x = _sink | 1
    while _cpu_ns() < until:
        for i in range(128):
            x = ((x ^ (x >> 15)) * 0x2C1B3C6D ^ i) & 0xFFFFFFFF
    _sink = x


_INIT_WORK = _duration_from_env("COLDBENCH_INIT_WORK")
_REQUEST_WORK = _duration_from_env("COLDBENCH_REQUEST_WORK")
_REQUEST_WAIT = _duration_from_env("COLDBENCH_REQUEST_WAIT")

spin(_INIT_WORK)  # the init work, in INIT

# ---- Faults, as the Go function does them (targets/fault) -------------------

# COLDBENCH_INIT_FAILURE_RATE fails that share of INITs: only under a
# Runtime API, so that coldbench's check of the handler before the load,
# which has none, passes.
_INIT_FAILURE_RATE = float(os.environ.get("COLDBENCH_INIT_FAILURE_RATE") or 0)
if os.environ.get("AWS_LAMBDA_RUNTIME_API") and _INIT_FAILURE_RATE > 0:
    import random  # only here: it costs INIT time

    if random.random() < _INIT_FAILURE_RATE:
        raise RuntimeError("coldbench fault: INIT failure (COLDBENCH_INIT_FAILURE_RATE)")


def _fault(value):
    """Does what the X-Coldbench-Fault header asks, in the Go function's
    order: alloc=MB, sleep=DURATION, exit, panic (a raised error)."""
    if not value:
        return None
    items = dict((i.strip().split("=", 1) + [""])[:2] for i in value.split(","))
    kept = None
    if "alloc" in items:
        kept = bytearray(b"\x01" * (int(items["alloc"]) << 20))
    if "sleep" in items:
        time.sleep(parse_go_duration(items["sleep"]) / 1e9)
    if "exit" in items:
        os._exit(1)
    if "panic" in items:
        raise RuntimeError("coldbench fault: panic")
    return kept

# ---- The event --------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def _str(v):
    """A string of the event as Go decodes it: lone surrogates (from \\u
    escapes) become U+FFFD, and None nothing."""
    if v is None:
        return ""
    return _SURROGATE.sub("\ufffd", v if isinstance(v, str) else str(v))


def _go_lower(s):
    """Go's strings.ToLower: each character's simple lower case."""
    if s.isascii():
        return s.lower()
    return "".join("i" if c == "\u0130" else c.lower() for c in s)


_BASE64 = re.compile("[A-Za-z0-9+/]*={0,2}")


def _decode_base64(s):
    """Go's base64.StdEncoding.DecodeString: padded standard base64, line
    breaks ignored; None if it is not that."""
    s = s.replace("\r", "").replace("\n", "")
    if len(s) % 4 != 0 or not _BASE64.fullmatch(s):
        return None
    return base64.b64decode(s)


def from_event(event):
    """What the application reads of a Function URL event (payload 2.0), as
    targets/function's fromEvent: the method, the raw path (else
    requestContext.http.path), raw query, query parameters, headers
    lower-cased with the cookies joined back into a cookie header, and the
    body as bytes, base64-decoded if it is so encoded (nothing if that
    fails)."""
    ev = event if isinstance(event, dict) else {}
    http = (ev.get("requestContext") or {}).get("http") or {}
    header = {}
    for k, v in (ev.get("headers") or {}).items():
        header[_go_lower(_str(k))] = _str(v)
    cookies = ev.get("cookies") or []
    if cookies:
        header["cookie"] = "; ".join(_str(c) for c in cookies)
    params = ev.get("queryStringParameters")
    if params is not None:
        params = {_str(k): _str(v) for k, v in params.items()}
    body = _str(ev.get("body"))
    if ev.get("isBase64Encoded") is True:
        body = _decode_base64(body) or b""
    else:
        body = body.encode("utf-8")
    return {
        "method": _str(http.get("method")),
        "path": _str(ev.get("rawPath")) or _str(http.get("path")),
        "query": _str(ev.get("rawQueryString")),
        "params": params,
        "header": header,
        "body": body,
    }


# ---- The application (targets/order) ----------------------------------------


def _is_echo(path):
    return path == ECHO_PATH or path.startswith(ECHO_PATH + "/")


def routed(r):
    """Whether the application serves r on one of its routes, which do the
    request work, rather than refusing it."""
    return (r["path"] == ORDER_PATH and r["method"] == "POST") or _is_echo(r["path"])


def handle(r):
    if _is_echo(r["path"]):
        return 200, APPLICATION_JSON, echo(r)
    if r["path"] != ORDER_PATH:
        return 404, TEXT_PLAIN, "Not Found"
    if r["method"] != "POST":
        return 405, TEXT_PLAIN, "Method Not Allowed"
    if not is_json_object(r["body"]):
        return 400, TEXT_PLAIN, "Bad Request: body must be a JSON object"
    return 201, TEXT_PLAIN, "Order created!"


_SPACE = b" \t\r\n"
_HEX = frozenset(b"0123456789abcdefABCDEF")
_ESCAPABLE = frozenset(b'"\\/bfnrt')  # what may follow a backslash, u apart
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def is_json_object(b):
    """Whether the bytes b are a JSON text whose value is an object, as Go's
    json.Valid judges it: strict JSON, bytes that are not UTF-8 allowed in
    strings, nesting at most 10000 deep."""
    n = len(b)
    i = len(b) - len(b.lstrip(_SPACE))
    if b[i : i + 1] != b"{":
        return False

    def ws(i):
        while i < n and b[i] in _SPACE:
            i += 1
        return i

    def string(i):  # the index after the string at i, or -1
        if b[i : i + 1] != b'"':
            return -1
        i += 1
        while i < n:
            c = b[i]
            i += 1
            if c == 0x22:
                return i
            if c < 0x20:
                return -1
            if c == 0x5C:
                e = b[i] if i < n else 0
                i += 1
                if e == 0x75:
                    if len(b[i : i + 4]) != 4 or not all(h in _HEX for h in b[i : i + 4]):
                        return -1
                    i += 4
                elif e not in _ESCAPABLE:
                    return -1
        return -1

    def key(i):  # the index after `"key":` at i, or -1
        i = string(ws(i))
        if i < 0:
            return -1
        i = ws(i)
        return i + 1 if b[i : i + 1] == b":" else -1

    stack = []  # the closer of each open object or array
    while True:
        # A value.
        i = ws(i)
        c = b[i : i + 1]
        if c in (b"{", b"["):
            if len(stack) >= 10000:
                return False
            closer = b"}" if c == b"{" else b"]"
            i = ws(i + 1)
            if b[i : i + 1] == closer:
                i += 1  # {} or []
            else:
                stack.append(closer)
                if c == b"{":
                    i = key(i)
                    if i < 0:
                        return False
                continue
        elif c == b'"':
            i = string(i)
            if i < 0:
                return False
        elif c == b"-" or c.isdigit():
            m = _NUMBER.match(b, i)
            if not m:
                return False
            i = m.end()
        else:
            for word in (b"true", b"false", b"null"):
                if b.startswith(word, i):
                    i += len(word)
                    break
            else:
                return False
        # What follows it: closers, then a comma before the next value.
        while True:
            i = ws(i)
            if not stack:
                return i == n
            d = b[i : i + 1]
            i += 1
            if d == stack[-1]:
                stack.pop()
                continue
            if d != b",":
                return False
            if stack[-1] == b"}":
                i = key(i)
                if i < 0:
                    return False
            break


def _rune_length(b, i):
    """The length of the UTF-8 sequence at b[i], a byte >= 0x80, or 0 if it is
    not one, as Go's utf8.DecodeRune tells."""
    c = b[i]
    lo, hi = 0x80, 0xBF
    if 0xC2 <= c <= 0xDF:
        n = 2
    elif 0xE0 <= c <= 0xEF:
        n = 3
        if c == 0xE0:
            lo = 0xA0
        elif c == 0xED:
            hi = 0x9F
    elif 0xF0 <= c <= 0xF4:
        n = 4
        if c == 0xF0:
            lo = 0x90
        elif c == 0xF4:
            hi = 0x8F
    else:
        return 0
    if i + n > len(b) or not lo <= b[i + 1] <= hi:
        return 0
    if any(not 0x80 <= x <= 0xBF for x in b[i + 2 : i + n]):
        return 0
    return n


_ESCAPES = {0x22: '\\"', 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def quote(b):
    """The JSON string of the bytes b as Go's encoding/json writes it."""
    out = ['"']
    start = 0
    i = 0
    n = len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            if c >= 0x20 and c not in (0x22, 0x5C, 0x3C, 0x3E, 0x26):
                i += 1
                continue
            out.append(b[start:i].decode("utf-8"))
            out.append(_ESCAPES.get(c) or "\\u%04x" % c)
            i += 1
            start = i
            continue
        size = _rune_length(b, i)
        if size == 0:
            out.append(b[start:i].decode("utf-8"))
            out.append("\\ufffd")
            i += 1
            start = i
        elif c == 0xE2 and b[i + 1] == 0x80 and b[i + 2] in (0xA8, 0xA9):
            out.append(b[start:i].decode("utf-8"))
            out.append("\\u2028" if b[i + 2] == 0xA8 else "\\u2029")
            i += 3
            start = i
        else:
            i += size
    out.append(b[start:].decode("utf-8"))
    out.append('"')
    return "".join(out)


def _quote_str(s):
    return quote(s.encode("utf-8"))


def _quote_map(m):
    """The JSON object of a dict of strings as Go writes it, its keys sorted
    (by code point, which is by their UTF-8 bytes); null for None."""
    if m is None:
        return "null"
    return "{" + ",".join(_quote_str(k) + ":" + _quote_str(m[k]) for k in sorted(m)) + "}"


def echo(r):
    """The echo route's answer: targets/order's Echo as JSON."""
    return '{"method":%s,"path":%s,"query":%s,"params":%s,"headers":%s,"body":%s}' % (
        _quote_str(r["method"]),
        _quote_str(r["path"]),
        _quote_str(r["query"]),
        _quote_map(r["params"]),
        _quote_map(r["header"]),
        quote(r["body"]),
    )


# ---- The handler ------------------------------------------------------------

_served = False  # whether this process has served an invocation


def lambda_handler(event, context):
    global _served
    cold = "false" if _served else "true"
    _served = True
    _fault((event.get("headers") or {}).get("x-coldbench-fault"))
    r = from_event(event)
    if routed(r):
        spin(_REQUEST_WORK)
        if _REQUEST_WAIT > 0:
            time.sleep(_REQUEST_WAIT / 1e9)
    status, content_type, body = handle(r)
    headers = {"Content-Type": content_type, HEADER_FUNCTION_COLD: cold}
    if status == 405:
        headers["Allow"] = "POST"
    return {"statusCode": status, "headers": headers, "body": body}
