// order-node is the Node.js twin of coldbench's built-in Lambda function:
// the order application of targets/order as targets/function serves it
// behind a Function URL (payload format 2.0), written as a user would deploy
// it on Lambda's managed Node.js runtime (Node 20 or later, no
// dependencies, handler index.handler). It serves the same routes with the
// same answers and does the same calibrated work:
//
//   - POST /order with a JSON object body answers 201 "Order created!";
//     /order with another method 405 "Method Not Allowed" (and Allow: POST);
//     /order with a body that is not a JSON object 400 "Bad Request: body
//     must be a JSON object"; any other path 404 "Not Found", all as
//     text/plain; charset=utf-8.
//   - Any method on /echo or below it answers 200 application/json with the
//     request as the event carried it: {"method","path","query","params",
//     "headers","body"}, written byte for byte as Go's encoding/json writes
//     targets/order's Echo (keys sorted, <, > and & escaped, each byte that
//     is not UTF-8 as \ufffd).
//   - COLDBENCH_INIT_WORK is CPU work done once at module load (INIT),
//     COLDBENCH_REQUEST_WORK CPU work for every routed request (POST /order,
//     and /echo), COLDBENCH_REQUEST_WAIT time spent waiting, not computing,
//     per routed request; all Go durations such as 50ms or 1.5s. CPU work is
//     done by spinning until this thread's (else this process's) CPU time has
//     advanced by the duration, so it costs what the Go function's calibrated
//     spin costs; COLDBENCH_WORK_RATE, the Go spin's calibration, is not used.
//   - X-Coldbench-Function-Cold is "true" on the first invocation this
//     process serves, "false" after.
//
// Unlike the Go function it has no fault injection (X-Coldbench-Fault,
// COLDBENCH_INIT_FAILURE_RATE) and does not report its INIT itself
// (X-Coldbench-Init-Us): the router measures it from the runtime.

const ORDER_PATH = "/order";
const ECHO_PATH = "/echo";
const TEXT_PLAIN = "text/plain; charset=utf-8";
const APPLICATION_JSON = "application/json";
const HEADER_FUNCTION_COLD = "X-Coldbench-Function-Cold";

// ---- Work ------------------------------------------------------------------

const UNITS = new Map([
  ["ns", 1n],
  ["us", 1000n],
  ["\u00b5s", 1000n], // micro sign
  ["\u03bcs", 1000n], // Greek mu
  ["ms", 1000000n],
  ["s", 1000000000n],
  ["m", 60000000000n],
  ["h", 3600000000000n],
]);
const MAX = 1n << 63n;

// parseGoDuration is Go's time.ParseDuration: nanoseconds as a BigInt, or
// null where Go answers an error.
function parseGoDuration(orig) {
  let s = orig;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return null;
  const isDigit = (c) => c >= "0" && c <= "9";
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) return null;
    let i = 0;
    let v = 0n;
    for (; i < s.length && isDigit(s[i]); i++) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > MAX) return null;
    }
    const pre = i > 0;
    s = s.slice(i);
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === ".") {
      let overflow = false;
      for (i = 1; i < s.length && isDigit(s[i]); i++) {
        if (overflow) continue;
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (y > MAX) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > 1;
      s = s.slice(i);
    }
    if (!pre && !post) return null;
    for (i = 0; i < s.length && !(s[i] === "." || isDigit(s[i])); i++);
    if (i === 0) return null; // missing unit
    const unit = UNITS.get(s.slice(0, i));
    if (unit === undefined) return null;
    s = s.slice(i);
    if (v > MAX / unit) return null;
    v *= unit;
    if (f > 0n) {
      // As Go: in float64, exact to the nanosecond for fractions of hours.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX) return null;
    }
    d += v;
    if (d > MAX) return null;
  }
  if (neg) return -d;
  return d > MAX - 1n ? null : d;
}

// durationFromEnv reads a work knob: nanoseconds as a Number, 0 if unset.
function durationFromEnv(name) {
  const s = process.env[name] ?? "";
  if (s === "") return 0;
  const d = parseGoDuration(s);
  if (d === null || d < 0n) {
    throw new Error(`${name}=${JSON.stringify(s)}: want a non-negative Go duration such as 50ms`);
  }
  return Number(d);
}

// cpuMicros is this thread's CPU time in microseconds, or the process's
// where Node cannot tell a thread's (before Node 23.9).
const cpuMicros =
  typeof process.threadCpuUsage === "function"
    ? () => {
        const u = process.threadCpuUsage();
        return u.user + u.system;
      }
    : () => {
        const u = process.cpuUsage();
        return u.user + u.system;
      };

let sink = 0; // the spin's result, kept so that it is not optimised away

// spin computes until the CPU clock has advanced by ns nanoseconds,
// reading it every 4096 rounds of a multiply-xorshift chain (some
// 10 microseconds), so it overshoots by less than that and a clock read.
function spin(ns) {
  if (ns <= 0) return;
  const until = cpuMicros() + ns / 1000;
  let x = sink | 1;
  do {
    for (let i = 0; i < 4096; i++) {
      x ^= x >>> 15;
      x = Math.imul(x, 0x2c1b3c6d) ^ i;
    }
  } while (cpuMicros() < until);
  sink = x;
}

// wait waits at least ns nanoseconds without computing, as Go's time.Sleep
// does; timers have a resolution of a millisecond.
async function wait(ns) {
  if (ns <= 0) return;
  const until = performance.now() + ns / 1e6;
  for (let left = ns / 1e6; left > 0; left = until - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(left, 1), 2 ** 31 - 1)));
  }
}

const work = {
  init: durationFromEnv("COLDBENCH_INIT_WORK"),
  request: durationFromEnv("COLDBENCH_REQUEST_WORK"),
  wait: durationFromEnv("COLDBENCH_REQUEST_WAIT"),
};

spin(work.init); // the init work, in INIT

// ---- Faults, as the Go function does them (targets/fault) -------------------

// COLDBENCH_INIT_FAILURE_RATE fails that share of INITs: only under a
// Runtime API, so that coldbench's check of the handler before the load,
// which has none, passes.
const initFailureRate = Number(process.env.COLDBENCH_INIT_FAILURE_RATE || 0);
if (process.env.AWS_LAMBDA_RUNTIME_API && Math.random() < initFailureRate) {
  throw new Error("coldbench fault: INIT failure (COLDBENCH_INIT_FAILURE_RATE)");
}

// fault does what the X-Coldbench-Fault header asks, in the Go function's
// order: alloc=MB, sleep=DURATION, exit, panic (a thrown error).
async function fault(value) {
  if (!value) return;
  const items = new Map(value.split(",").map((i) => i.trim().split("=")));
  let kept;
  if (items.has("alloc")) kept = Buffer.alloc(Number(items.get("alloc")) << 20, 1);
  if (items.has("sleep")) await wait(parseGoDuration(items.get("sleep")));
  if (items.has("exit")) process.exit(1);
  if (items.has("panic")) throw new Error("coldbench fault: panic");
  return kept;
}

// ---- The event -------------------------------------------------------------

// str is a string of the event as Go decodes it: lone surrogates (from \u
// escapes) become U+FFFD, and null nothing.
function str(v) {
  if (v === undefined || v === null) return "";
  const s = String(v);
  return s.toWellFormed ? s.toWellFormed() : s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

// goLower is Go's strings.ToLower: each character's simple lower case.
function goLower(s) {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  let out = "";
  for (const c of s) out += c === "\u0130" ? "i" : c.toLowerCase();
  return out;
}

// decodeBase64 is Go's base64.StdEncoding.DecodeString: padded standard
// base64, line breaks ignored; null if it is not that.
function decodeBase64(s) {
  s = s.replace(/[\r\n]/g, "");
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, "base64");
}

// fromEvent is what the application reads of a Function URL event (payload
// 2.0), as targets/function's fromEvent: the method, the raw path (else
// requestContext.http.path), raw query, query parameters, headers
// lower-cased with the cookies joined back into a cookie header, and the
// body as bytes, base64-decoded if it is so encoded (nothing if that
// fails).
function fromEvent(event) {
  const ev = event ?? {};
  const http = ev.requestContext?.http ?? {};
  const header = new Map();
  for (const [k, v] of Object.entries(ev.headers ?? {})) header.set(goLower(str(k)), str(v));
  if (Array.isArray(ev.cookies) && ev.cookies.length > 0) header.set("cookie", ev.cookies.map(str).join("; "));
  let params = null;
  if (ev.queryStringParameters != null) {
    params = new Map();
    for (const [k, v] of Object.entries(ev.queryStringParameters)) params.set(str(k), str(v));
  }
  let body = Buffer.from(str(ev.body), "utf8");
  if (ev.isBase64Encoded === true) body = decodeBase64(str(ev.body)) ?? Buffer.alloc(0);
  return {
    method: str(http.method),
    path: str(ev.rawPath) || str(http.path),
    query: str(ev.rawQueryString),
    params,
    header,
    body,
  };
}

// ---- The application (targets/order) ---------------------------------------

const isEcho = (path) => path === ECHO_PATH || path.startsWith(ECHO_PATH + "/");

// routed reports whether the application serves r on one of its routes,
// which do the request work, rather than refusing it.
const routed = (r) => (r.path === ORDER_PATH && r.method === "POST") || isEcho(r.path);

function handle(r) {
  if (isEcho(r.path)) return [200, APPLICATION_JSON, echo(r)];
  if (r.path !== ORDER_PATH) return [404, TEXT_PLAIN, "Not Found"];
  if (r.method !== "POST") return [405, TEXT_PLAIN, "Method Not Allowed"];
  if (!isJSONObject(r.body)) return [400, TEXT_PLAIN, "Bad Request: body must be a JSON object"];
  return [201, TEXT_PLAIN, "Order created!"];
}

const isSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isHex = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const ESCAPABLE = new Set([...'"\\/bfnrt'].map((c) => c.charCodeAt(0))); // what may follow a backslash, u apart

// isJSONObject reports whether the bytes b are a JSON text whose value is
// an object, as Go's json.Valid judges it: strict JSON, bytes that are not
// UTF-8 allowed in strings, nesting at most 10000 deep.
function isJSONObject(b) {
  const n = b.length;
  let i = 0;
  while (i < n && isSpace(b[i])) i++;
  if (b[i] !== 0x7b) return false;
  const ws = () => {
    while (i < n && isSpace(b[i])) i++;
  };
  const digits = () => {
    const start = i;
    while (b[i] >= 0x30 && b[i] <= 0x39) i++;
    return i > start;
  };
  const string = () => {
    if (b[i] !== 0x22) return false;
    for (i++; i < n; ) {
      const c = b[i++];
      if (c === 0x22) return true;
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = b[i++];
        if (e === 0x75) {
          for (let k = 0; k < 4; k++, i++) if (!isHex(b[i])) return false;
        } else if (!ESCAPABLE.has(e)) return false;
      }
    }
    return false;
  };
  const number = () => {
    if (b[i] === 0x2d) i++;
    if (b[i] === 0x30) i++;
    else if (!(b[i] >= 0x31 && b[i] <= 0x39) || !digits()) return false;
    if (b[i] === 0x2e) {
      i++;
      if (!digits()) return false;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (!digits()) return false;
    }
    return true;
  };
  const literal = (word) => {
    for (let k = 0; k < word.length; k++, i++) if (b[i] !== word.charCodeAt(k)) return false;
    return true;
  };
  const key = () => {
    ws();
    if (!string()) return false;
    ws();
    return b[i++] === 0x3a;
  };
  const stack = []; // 0x7d for an object, 0x5d for an array: its closer
  for (;;) {
    // A value.
    ws();
    const c = b[i];
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= 10000) return false;
      i++;
      ws();
      if (b[i] === c + 2) {
        i++; // {} or []
      } else {
        stack.push(c + 2);
        if (c === 0x7b && !key()) return false;
        continue;
      }
    } else if (c === 0x22) {
      if (!string()) return false;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!number()) return false;
    } else if (!(literal(c === 0x74 ? "true" : c === 0x66 ? "false" : "null"))) {
      return false;
    }
    // What follows it: closers, then a comma before the next value.
    for (;;) {
      ws();
      if (stack.length === 0) return i === n;
      const d = b[i++];
      if (d === stack[stack.length - 1]) {
        stack.pop();
        continue;
      }
      if (d !== 0x2c) return false;
      if (stack[stack.length - 1] === 0x7d && !key()) return false;
      break;
    }
  }
}

// runeLength is the length of the UTF-8 sequence at b[i], a byte ≥ 0x80,
// or 0 if it is not one, as Go's utf8.DecodeRune tells.
function runeLength(b, i) {
  const c = b[i];
  let n;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > b.length || b[i + 1] < lo || b[i + 1] > hi) return 0;
  for (let k = 2; k < n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return 0;
  return n;
}

const ESCAPES = { 0x22: '\\"', 0x5c: "\\\\", 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t" };

// quote is the JSON string of the bytes b as Go's encoding/json writes it.
function quote(b) {
  let out = '"';
  let start = 0;
  const flush = (i) => {
    if (i > start) out += b.toString("utf8", start, i);
  };
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) {
        i++;
        continue;
      }
      flush(i);
      out += ESCAPES[c] ?? "\\u00" + c.toString(16).padStart(2, "0");
      start = ++i;
      continue;
    }
    const size = runeLength(b, i);
    if (size === 0) {
      flush(i);
      out += "\\ufffd";
      start = ++i;
    } else if (c === 0xe2 && b[i + 1] === 0x80 && (b[i + 2] === 0xa8 || b[i + 2] === 0xa9)) {
      flush(i);
      out += b[i + 2] === 0xa8 ? "\\u2028" : "\\u2029";
      start = i += 3;
    } else {
      i += size;
    }
  }
  flush(b.length);
  return out + '"';
}

const quoteString = (s) => quote(Buffer.from(s, "utf8"));

// quoteMap is the JSON object of a map of strings as Go writes it, its
// keys sorted by their bytes; null for none.
function quoteMap(m) {
  if (m === null) return "null";
  const keys = [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return "{" + keys.map((k) => quoteString(k) + ":" + quoteString(m.get(k))).join(",") + "}";
}

// echo is the echo route's answer: targets/order's Echo as JSON.
function echo(r) {
  return (
    `{"method":${quoteString(r.method)},"path":${quoteString(r.path)},"query":${quoteString(r.query)},` +
    `"params":${quoteMap(r.params)},"headers":${quoteMap(r.header)},"body":${quote(r.body)}}`
  );
}

// ---- The handler -----------------------------------------------------------

let served = false; // whether this process has served an invocation

export const handler = async (event, context) => {
  const cold = served ? "false" : "true";
  served = true;
  await fault(event.headers?.["x-coldbench-fault"]);
  const r = fromEvent(event);
  if (routed(r)) {
    spin(work.request);
    await wait(work.wait);
  }
  const [status, contentType, body] = handle(r);
  const headers = { "Content-Type": contentType, [HEADER_FUNCTION_COLD]: cold };
  if (status === 405) headers.Allow = "POST";
  return { statusCode: status, headers, body };
};
