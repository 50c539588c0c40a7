// JS-side pieces of the wasm shell: the error classes of apikeys-wasm and the listAll
// iterator. Every error is an `ApiKeysError` (and an `Error`) with status, code, requestId,
// provider, operation, retryAfterMs and fields. No secret is ever put on an error.

export class ApiKeysError extends Error {
  constructor(message, details) {
    const info = details || {};
    // `cause` as Error's own option (a caller's `new NotFoundError(message, { cause })`).
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.status = info.status ?? null;
    this.code = info.code ?? null;
    this.requestId = info.requestId ?? null;
    this.provider = info.provider ?? null;
    this.operation = info.operation ?? null;
    if (info.retryAfterMs !== undefined && info.retryAfterMs !== null) this.retryAfterMs = info.retryAfterMs;
    this.raw = info.raw ?? null;
    if (info.fields) this.fields = info.fields;
    else if (this.name === "ValidationError") this.fields = [];
  }
  toJSON() {
    const out = { name: this.name, message: this.message };
    for (const k of ["status", "code", "requestId", "provider", "operation", "retryAfterMs", "fields", "raw"]) {
      if (this[k] !== undefined && this[k] !== null) out[k] = this[k];
    }
    return out;
  }
}

/** The error classes by name, for `makeError`; `define` adds each. */
const classes = { ApiKeysError };

function define(name) {
  const C = class extends ApiKeysError {};
  Object.defineProperty(C, "name", { value: name });
  C.prototype.name = name;
  classes[name] = C;
  return C;
}
ApiKeysError.prototype.name = "ApiKeysError";

export const ValidationError = define("ValidationError");
export const UnsupportedOperationError = define("UnsupportedOperationError");
export const BadRequestError = define("BadRequestError");
export const AuthenticationError = define("AuthenticationError");
export const PermissionError = define("PermissionError");
export const NotFoundError = define("NotFoundError");
export const ConflictError = define("ConflictError");
export const RateLimitError = define("RateLimitError");
export const ServerError = define("ServerError");
export const TimeoutError = define("TimeoutError");
export const AbortError = define("AbortError");
export const NetworkError = define("NetworkError");
export const ResponseFormatError = define("ResponseFormatError");

/** Used by the wasm shell: builds the error of class `className`. */
export function makeError(className, message, details) {
  const C = classes[className] || ApiKeysError;
  // The provider's error body (redacted JSON text): parsed here, as a key's `raw` is; an
  // import must not throw into the wasm.
  if (details.raw !== undefined) details.raw = parsedOrNull(details.raw);
  return new C(message, details);
}

function parsedOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

let utf8;

/**
 * Used by the wasm shell: keys from columns (`json::to_columns`: every string of the keys
 * joined in `text`, every other value a slot of `slots`, in the order of
 * `KEY_FIELDS_JSON`). `raw` comes from JS's own parse of the response `bodyBytes`
 * (`member` of it, or the body itself when null) at `indices` (none: one key, that value
 * itself), decoded as `fetch`'s `text()` does, less what `hideKind` and `hidePath` hide
 * (see `hide`); without `bodyBytes`, `raw` is null. `slots` is a view of wasm memory: it
 * is read here and not kept. Returns the keys, or with `one` the first key itself; `null`
 * if `JSON.parse` refused the body. It never throws, so its import needs no `catch`
 * wrapper (a closure and an `arguments` per call).
 */
export function buildKeys(text, slots, bodyBytes, member, indices, hideKind, hidePath, one) {
  try {
    const keys = keysFromColumns(text, slots, bodyBytes, member, indices, hideKind, hidePath);
    return one ? keys[0] : keys;
  } catch {
    return null;
  }
}

function keysFromColumns(text, slots, bodyBytes, member, indices, hideKind, hidePath) {
  const reader = { text, slots, at: 0, slot: 0 };
  const count = slots[reader.slot++];
  const raws = bodyBytes === undefined ? null : memberOf(bodyBytes, member);
  const keys = new Array(count);
  for (let i = 0; i < count; i++) {
    const key = keyFromColumns(reader);
    if (raws !== null) key.raw = hide(indices.length === 0 ? raws : raws[indices[i]], hideKind, hidePath);
    keys[i] = key;
  }
  return keys;
}

/**
 * Used by the wasm shell: `member` of JS's own parse of `bodyBytes` (the body itself when
 * null; `null` when it is not there), less what `hideKind` and `hidePath` hide;
 * `undefined` if `JSON.parse` refused the body. It never throws.
 */
export function rawAt(bodyBytes, member, hideKind, hidePath) {
  try {
    return hide(memberOf(bodyBytes, member) ?? null, hideKind, hidePath);
  } catch {
    return undefined;
  }
}

/**
 * Used by the wasm shell: a created key with `secret` wherever a server repeated it, in
 * `raw` (`hide` clears only where a provider documents it) or in the key's own fields
 * (a name or hint that echoes it): null, or "[redacted]" within text or a member's name.
 * Never throws (`raw` is null if it cannot be walked).
 */
export function withoutSecret(key, secret) {
  if (secret.length < 4) return key; // as `redact_secrets`
  try {
    scrubbed(key, secret);
  } catch {
    key.raw = null;
  }
  return key;
}

function scrubbed(value, secret) {
  if (typeof value === "string") return value === secret ? null : value.split(secret).join("[redacted]");
  if (typeof value !== "object" || value === null) return value;
  for (const name of Object.keys(value)) {
    const clean = scrubbed(value[name], secret);
    if (!name.includes(secret)) value[name] = clean;
    else {
      delete value[name];
      value[name.split(secret).join("[redacted]")] = clean;
    }
  }
  return value;
}

/** `member` of the body's parse (decoded as `fetch`'s `text()` does), or the body when null. */
function memberOf(bodyBytes, member) {
  const body = JSON.parse(utf8Text(bodyBytes));
  return member === null ? body : body[member];
}

/**
 * `raw` less what the core hides in it (`model::Hide::code`, where a provider puts a
 * secret): with `kind` 0 nothing, 1 the member `path` removed, 2 the member at the dotted
 * `path` set to `null` where it is there and not `null`, an array on the way standing for
 * each of its items.
 */
function hide(raw, kind, path) {
  if (kind === 1 && isObject(raw)) delete raw[path];
  else if (kind === 2) nullAt(raw, path.split("."), 0);
  return raw;
}

function nullAt(value, path, at) {
  if (Array.isArray(value)) {
    for (const item of value) nullAt(item, path, at);
    return;
  }
  const name = path[at];
  if (!isObject(value) || !Object.hasOwn(value, name) || value[name] === null) return;
  if (at === path.length - 1) value[name] = null;
  else nullAt(value[name], path, at + 1);
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `model::KEY_FIELDS`: the order `keyFromColumns` reads (a unit test in src/model.rs
 * checks this copy against the Rust one; the Node tests check the values).
 */
const KEY_FIELDS_JSON =
  '["provider","id","name","hint","status","createdAt","updatedAt","lastUsedAt","expiresAt",' +
  '["budget",["limit","period","used","remaining","unit","resetsAt"]],' +
  '["usage",["total","daily","weekly","monthly","requests","unit"]],' +
  '["rateLimit",["requests","periodSeconds"]],"scopes","workspaceId","raw"]';

/** The next string slot: its text, or null. */
function str(r) {
  const units = r.slots[r.slot++];
  if (units !== units) return null;
  const value = r.text.slice(r.at, r.at + units);
  r.at += units;
  return value;
}

/** The next number slot, or null. */
function num(r) {
  const value = r.slots[r.slot++];
  return value !== value ? null : value;
}

/** Whether the next struct is there (1) or null (NaN). */
function has(r) {
  return r.slots[r.slot++] === 1;
}

function strings(r) {
  const count = r.slots[r.slot++];
  if (count !== count) return null;
  const out = new Array(count);
  for (let i = 0; i < count; i++) out[i] = str(r);
  return out;
}

/** One key; object literals give V8 one fixed shape per kind of object. */
function keyFromColumns(r) {
  r.slot++; // the key's own struct mark
  const key = {
    provider: str(r),
    id: str(r),
    name: str(r),
    hint: str(r),
    status: str(r),
    createdAt: str(r),
    updatedAt: str(r),
    lastUsedAt: str(r),
    expiresAt: str(r),
    budget: has(r) ? { limit: num(r), period: str(r), used: num(r), remaining: num(r), unit: str(r), resetsAt: str(r) } : null,
    usage: has(r) ? { total: num(r), daily: num(r), weekly: num(r), monthly: num(r), requests: num(r), unit: str(r) } : null,
    rateLimit: has(r) ? { requests: num(r), periodSeconds: num(r) } : null,
    scopes: strings(r),
    workspaceId: str(r),
    raw: null,
  };
  r.slot++; // `raw`, always null here
  return key;
}

/**
 * Used by the wasm shell: one attempt of a request, with its own deadline (`headers`: an
 * object of strings, copied). Resolves to `[status, headerLines, bodyBytes]`, the lines
 * ("name\nvalue\n…") holding only the response headers the core reads (`READ_HEADERS`),
 * and of a 2xx response only `successHeaders` (`wire::response::success_headers`);
 * rejects with a `Failed` (`kind`: "timeout", "abort", "abort-in-flight" (after `fetch` was
 * called) or "network"). Listeners on the caller's
 * `signals` live only while the attempt runs.
 *
 * Every request carries a signal of its own, which the timer and the caller's `signals`
 * abort: a request that times out is torn down on the wire (else Node kept the process
 * running until the server answered, and each retry after a timeout left one more request
 * open on a slow server). The body being read is cancelled too.
 */
export function attempt(fetch, method, url, headers, body, signals, timeoutMs, successHeaders) {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const state = { done: false, reader: null, sent: false };
    let stopWatching = null;
    const end = (failure, value) => {
      if (state.done) return;
      state.done = true;
      stopWatching?.();
      if (!failure) return resolve(value);
      reject(new Failed(failure === "abort" && state.sent ? "abort-in-flight" : failure, value)); // never throws: `describe` does not
      // Settled first: a caller's abort listener or body reader may throw.
      try {
        controller.abort();
      } catch {}
      try {
        state.reader?.cancel().catch(() => {});
      } catch {}
    };
    try {
      stopWatching = watch(signals, timeoutMs, end);
    } catch (refused) {
      // A Worker's module scope refuses timers; a signal that had fired still says abort.
      return signals.some(abortedOf) ? end("abort", abortReason(signals)) : end("unsent", refused);
    }
    if (state.done) return; // a signal had already aborted
    // A copy: the wasm keeps `headers` for the client's next requests, and a fetch may change what it gets.
    // "manual": a redirect is reported, not followed (it would carry the key's header
    // wherever it points, over plain http too); wire/errors.rs says so.
    const init = { method, headers: { ...headers }, redirect: "manual" };
    if (body !== undefined) init.body = body;
    init.signal = controller.signal;
    state.sent = true;
    exchange(fetch, url, init, state, successHeaders).then((value) => end(null, value), (error) => end("network", error));
  });
}

/**
 * How an attempt failed; `run` hands only these to the flight (a caller's fetch may throw
 * anything). `thrown` is what fetch threw ("network"), what the runtime threw when the
 * attempt asked for its timer ("unsent": nothing was sent), or the reason of the signal that
 * fired ("abort", "abort-in-flight"), which becomes the `AbortError`'s `cause`.
 */
class Failed {
  constructor(kind, thrown) {
    this.kind = kind;
    [this.message, this.code] = kind === "network" || kind === "unsent" ? describe(thrown) : ["", ""];
    this.cause = kind.startsWith("abort") ? thrown : undefined;
  }
}

/** The fetch and its body; a response arriving after the attempt ended is cancelled. */
async function exchange(fetch, url, init, state, successHeaders) {
  const response = await fetch(url, init);
  if (!(response instanceof Response)) throw new TypeError("the fetch function did not return a Response");
  // `Response.error()`, as a test's fetch may give: a NetworkError. (Status 0 is otherwise
  // a browser's opaque redirect.)
  if (response.type === "error") throw new TypeError("the fetch function returned Response.error()");
  if (state.done) {
    response.body?.cancel().catch(() => {});
    return null;
  }
  let headerLines = "";
  for (const name of response.ok ? successHeaders : READ_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headerLines += `${name}\n${value}\n`;
  }
  // A Response subclass's `status` may be anything: only 0 (an opaque redirect) or 200–599
  // is a status (a throw here is a NetworkError).
  const status = Number(response.status);
  if (status !== 0 && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new TypeError("the fetch function returned a Response whose status is not an HTTP status");
  }
  return [status, headerLines, await readBytes(response, state)];
}

/**
 * `wire::response::READ_HEADERS`: the response headers the core reads (a unit test checks
 * this copy); of a 2xx response only `successHeaders` (retry hints matter only for errors).
 */
const READ_HEADERS = ["request-id", "x-qai-request-id", "x-request-id", "retry-after", "retry-after-ms", "x-should-retry", "location"];

/**
 * The body's bytes, through a reader kept on `state`, so that a timeout can cancel a body
 * still coming. Bytes, not text: wasm-bindgen copies a string into the wasm one character
 * at a time (about 130 µs for a page of 100 keys), bytes in one `set`.
 */
async function readBytes(response, state) {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  state.reader = reader;
  const chunks = [];
  let length = 0;
  while (!state.done) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = ownBytes(value);
    chunks.push(chunk);
    length += chunk.length;
    if (length > MAX_BODY_BYTES) throw new RangeError("the response body is larger than 64 MiB");
  }
  // Always a copy of our own: a caller's fetch could detach or change the buffers it gave.
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/*
 * A caller's objects are read through the built-in getters and methods, which use the
 * objects' internal slots: an own property or a Proxy can neither lie to them nor throw
 * from inside the wasm (a throw unwinding through it leaks its stack; see docs/design.md).
 */
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
const builtIn = (prototype, name) => Object.getOwnPropertyDescriptor(prototype, name)?.get;
const [bufferOf, byteOffsetOf, byteLengthOf] = ["buffer", "byteOffset", "byteLength"].map((name) => builtIn(TypedArray, name));
const abortedGetter = builtIn(AbortSignal.prototype, "aborted");
/**
 * Whether `signal` has fired; throws for anything but an AbortSignal. Workers with a
 * compatibility date before 2022-01-31 keep `aborted` on each signal, not as a getter.
 */
const abortedOf = (signal) => {
  if (abortedGetter) return abortedGetter.call(signal);
  if (!(signal instanceof AbortSignal)) throw new TypeError("not an AbortSignal");
  return Boolean(signal.aborted);
};
const { addEventListener, removeEventListener } = EventTarget.prototype;

/** More than any key list a provider sends; a body beyond it fails the attempt (a NetworkError). */
const MAX_BODY_BYTES = 64 * 2 ** 20;

/** A body chunk's bytes as a Uint8Array of our own (a view, no copy); throws for anything but a typed array. */
function ownBytes(chunk) {
  return new Uint8Array(bufferOf.call(chunk), byteOffsetOf.call(chunk), byteLengthOf.call(chunk));
}

/**
 * Used by the wasm shell: calls a caller's `logger` with `{ type: kind, ...entry }`. A
 * logger that throws, or returns a promise that rejects, is ignored (a rejection left
 * unhandled would end a Node process).
 */
export function logEvent(logger, kind, entry) {
  try {
    ignoreRejection(logger.call(undefined, { type: kind, ...entry }));
  } catch {}
}

/** Marks a caller's callback's result, if a promise, as handled: we do not wait for it. */
function ignoreRejection(result) {
  if (result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function") {
    result.then(undefined, () => {});
  }
}

/** Used by the wasm shell: `globalThis[name]` (e.g. the runtime's own `fetch`). */
export function globalValue(name) {
  return globalThis[name];
}

/** Used by the wasm shell: bytes as `fetch`'s `text()` decodes them (invalid UTF-8 replaced, a BOM dropped). */
export function utf8Text(bytes) {
  utf8 ??= new TextDecoder();
  return utf8.decode(bytes);
}

/**
 * Used by the wasm shell to read caller data one level at a time, never throwing (a `catch`
 * import that throws leaks a slot of wasm-bindgen's table). See `read_level` in runtime.rs.
 */
export function readLevel(value, maxItems, into) {
  try {
    if (typeof value === "string") return wellFormed(value) ? "string" : "surrogate";
    if (Array.isArray(value)) {
      const length = value.length;
      if (!(length <= maxItems)) return "too long";
      for (let i = 0; i < length; i++) into.push(value[i]);
      return "array";
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
      if (typeof value.then === "function") return "promise";
      if (typeof value.toISOString === "function") return "date";
      return typeof AbortSignal === "function" && value instanceof AbortSignal ? "signal" : "class";
    }
    for (const [name, member] of Object.entries(value)) into.push(name, member);
    return undefined;
  } catch {
    return "threw";
  }
}

/** Whether `text` has no lone surrogate (`isWellFormed`, where the runtime has it). */
function wellFormed(text) {
  if (text.isWellFormed) return text.isWellFormed();
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Used by the wasm shell: what is wrong with `value` as a signal, or undefined (never throws). */
export function signalProblem(value) {
  try {
    abortedOf(value);
    return undefined;
  } catch {
    return "must be an AbortSignal";
  }
}

/**
 * A thrown value as text, and its system error code ("" when none): the messages of an
 * Error and of its causes ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"), the innermost
 * string `code`. Never throws (a caller's fetch may throw anything).
 */
function describe(error) {
  try {
    const messages = [];
    let code = "";
    for (let depth = 0; depth < 4; depth++) {
      if (typeof error === "string") messages.push(error);
      if (!(error instanceof Error)) break;
      // Each member read once: a getter may answer differently each time.
      const [message, errorCode, cause] = [error.message, error.code, error.cause];
      if (typeof message === "string" && message !== "") messages.push(message);
      if (typeof errorCode === "string") code = errorCode.slice(0, 100);
      error = cause;
    }
    return [messages.length > 0 ? wholeWords(messages.join(": "), 1 << 20) : "unknown error", code];
  } catch {
    return ["unknown error", ""];
  }
}

/**
 * `text` cut to at most `max` characters at a space, so that no word (a secret among them)
 * is cut in two where the wasm could no longer recognise it to redact it.
 */
function wholeWords(text, max) {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(" ", max);
  return space > 0 ? `${text.slice(0, space)} …` : "(a message too long to show)";
}

const reasonGetter = builtIn(AbortSignal.prototype, "reason");
/** The reason of the first of `signals` that fired (undefined where signals have none). Never throws. */
function abortReason(signals) {
  try {
    return reasonGetter?.call(signals.find(abortedOf));
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or less if one of `signals` aborts. */
function pause(ms, signals) {
  return new Promise((resolve) => {
    try {
      watch(signals, ms, () => resolve());
    } catch {
      resolve(); // a runtime that refuses timers refuses the next attempt too, at once
    }
  });
}

/**
 * Calls `onEnd("timeout")` after `ms`, or `onEnd("abort")` when one of `signals` fires (at
 * once if one already has), whichever comes first, once. The deadline and the listeners go
 * when it fires or when the returned `stop()` is called, so nothing stays attached to a
 * caller's long-lived signal.
 */
function watch(signals, ms, onEnd) {
  const stop = () => {
    endWait(deadline);
    for (const stopListening of listening) stopListening();
  };
  const fire = (kind, reason) => {
    stop();
    onEnd(kind, reason);
  };
  const onAbort = () => fire("abort", abortReason(signals));
  const deadline = startWait(ms, () => fire("timeout"));
  const listening = signals.map((signal) => whenAborted(signal, onAbort));
  if (signals.some(abortedOf)) onAbort();
  return stop;
}

/**
 * Per signal, the calls waiting for it: one listener on a signal however many calls share
 * it (Node warns of a leak from the 11th listener on one signal), gone with the last call.
 */
const waitingFor = new WeakMap();

/** Calls `onAbort` when `signal` fires, until the returned function is called. */
function whenAborted(signal, onAbort) {
  let waiting = waitingFor.get(signal);
  if (waiting === undefined) {
    const callbacks = new Set();
    const fire = () => {
      for (const callback of [...callbacks]) {
        try {
          callback();
        } catch {}
      }
    };
    waiting = { callbacks, fire };
    waitingFor.set(signal, waiting);
    addEventListener.call(signal, "abort", fire);
  }
  waiting.callbacks.add(onAbort);
  return () => {
    waiting.callbacks.delete(onAbort);
    if (waiting.callbacks.size === 0 && waitingFor.get(signal) === waiting) {
      waitingFor.delete(signal);
      removeEventListener.call(signal, "abort", waiting.fire);
    }
  };
}

/*
 * In Node and Deno, deadlines share one timer, armed for the earliest: a timer per attempt
 * cost 2–4 % of a get on loopback. While no deadline waits, the timer stays armed but does
 * not keep the process running (unref), so a script ends as soon as its calls have.
 * Elsewhere each deadline has its own timer: in Cloudflare Workers a timer belongs to the
 * request that set it (a later request could not rely on it), and browsers were not measured
 * to gain.
 */
const shareTimers = globalThis.navigator?.userAgent !== "Cloudflare-Workers" &&
  (typeof Deno === "object" || globalThis.process?.release?.name === "node");
/** The longest wait `setTimeout` takes (2^31 - 1 ms; `config.rs` refuses longer options). */
const MAX_TIMER_MS = 2147483647;
const deadlines = new Set();
let timer = null;
let timerAt = Infinity;
/** A monotonic clock where there is one (a wall clock may jump). */
const now = typeof performance === "object" ? () => performance.now() : () => Date.now();

function startWait(ms, fire) {
  // Longer waits are refused by the options' checks: they would fire at once.
  if (!shareTimers) return { own: setTimeout(fire, Math.min(ms, MAX_TIMER_MS)) };
  const deadline = { at: now() + ms, fire };
  const sooner = deadline.at < timerAt;
  if (sooner) arm(deadline.at); // first: a runtime that refuses the timer changes nothing
  deadlines.add(deadline);
  if (!sooner && deadlines.size === 1) keepAlive(true);
  return deadline;
}

function endWait(deadline) {
  if (deadline.own !== undefined) return clearTimeout(deadline.own);
  if (deadlines.delete(deadline) && deadlines.size === 0) keepAlive(false);
}

function arm(at) {
  // A later deadline is re-armed when the longest wait passes.
  const next = setTimeout(expire, Math.min(Math.max(at - now(), 0), MAX_TIMER_MS));
  if (timer !== null) clearTimeout(timer);
  timer = next;
  timerAt = at;
}

function expire() {
  timer = null;
  timerAt = Infinity;
  const at = now();
  let next = Infinity;
  for (const deadline of deadlines) {
    if (deadline.at > at) next = Math.min(next, deadline.at);
    else {
      try {
        deadline.fire(); // never throws (`end` settles first); one that did must not stop the rest
      } catch {}
    }
  }
  if (next !== Infinity) arm(next);
}

/** Whether the armed timer keeps the process running (Node: `ref`/`unref`; Deno: `refTimer`). */
function keepAlive(yes) {
  if (timer === null) return;
  if (typeof timer === "object") yes ? timer.ref?.() : timer.unref?.();
  else if (typeof Deno === "object") yes ? Deno.refTimer?.(timer) : Deno.unrefTimer?.(timer);
}

/**
 * Used by the wasm shell: wraps a pager in an async iterator of keys with `toArray()`.
 * Hand-written rather than an async generator: a key already in hand is handed out in
 * one resolved promise, without the generator's extra turns (3× cheaper per key).
 * When the caller stops early, `cancel()` aborts a page the pager requested ahead.
 */
export function keyIterator(pager, onPage) {
  let items = [];
  let index = 0;
  let finished = false;
  let filling = null;
  let errorTaken = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    items = [];
    pager.cancel();
    // Freed a microtask later: finish() may run inside a call that still holds the pager.
    queueMicrotask(() => pager.free());
  };
  const fill = async () => {
    try {
      while (!finished && index >= items.length) {
        const page = await pager.nextPage();
        if (finished) return; // return() came while the page was on its way
        if (page === null || page === undefined) return finish();
        if (page === false) continue; // requested ahead, it failed before we got to it: requested again now
        if (onPage) ignoreRejection(onPage(page.progress));
        items = page.items;
        index = 0;
      }
    } catch (error) {
      if (finished) return; // stopped by return() while the page was coming
      finish();
      throw error;
    }
  };
  const take = () => (finished ? { value: undefined, done: true } : index < items.length ? { value: items[index++], done: false } : null);
  // A caller's signal that fires ends the walk at the next key, not after the page in hand.
  const callerSignals = pager.callerSignals();
  const aborted = () => !finished && callerSignals.length > 0 && callerSignals.some(abortedOf);
  const iterator = {
    next() {
      if (aborted()) {
        const error = withCause(pager.abortError(), abortReason(callerSignals));
        finish();
        errorTaken = true;
        return Promise.reject(error);
      }
      const now = filling === null ? take() : null;
      if (now !== null) return Promise.resolve(now);
      filling ??= fill().finally(() => (filling = null));
      // A failed page rejects one waiting call, as an async generator would; the rest are done.
      const afterError = (error) => {
        if (errorTaken) return { value: undefined, done: true };
        errorTaken = true;
        throw error;
      };
      return filling.then(() => take() ?? iterator.next(), afterError);
    },
    async return(value) {
      finish();
      return { value: await value, done: true }; // a promise given is awaited, as by an async generator
    },
    throw(error) {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async toArray() {
      const all = [];
      for await (const key of iterator) all.push(key);
      return all;
    },
  };
  // `await using walk = keys.listAll()` stops the walk at the end of the block, as an async generator would.
  if (Symbol.asyncDispose) iterator[Symbol.asyncDispose] = async () => finish();
  return iterator;
}

/**
 * Used by the wasm shell: runs a call to its end. The flight (Rust) decides everything;
 * this loop only awaits: an attempt, then, as the flight says, the result, another
 * attempt at once, or a wait first. A flight's methods throw the call's error. A page
 * requested `ahead` may never be asked for, so its rejection is marked as handled.
 */
export function fly(flight, ahead, atOnce, firstWait) {
  const result = run(flight, atOnce, firstWait);
  if (ahead) result.catch(() => {});
  return result;
}

/** The flight's answer to a failed attempt (a wait); the error it throws keeps the abort's reason as its `cause`. */
function failedAttempt(flight, failure) {
  try {
    return flight.failed(failure.kind, failure.message, failure.code);
  } catch (error) {
    throw withCause(error, failure.cause);
  }
}

/** `error` with `cause` (unless undefined) set as `Error`'s own option sets it. */
function withCause(error, cause) {
  if (cause !== undefined && error instanceof ApiKeysError) {
    Object.defineProperty(error, "cause", { value: cause, writable: true, configurable: true });
  }
  return error;
}

async function run(flight, atOnce, firstWait) {
  try {
    // A call waits one microtask before its first attempt: `fetch` and `logger` never run
    // inside a method of ours, so a `fetch` that calls the library again cannot nest. Only
    // a page requested ahead as the previous page arrives starts `atOnce`, to overlap the
    // reading of that page: no caller is inside a method of ours then.
    if (!atOnce) await undefined;
    // A page requested ahead that failed before the loop got to it: what is left of its backoff.
    if (firstWait > 0) await pause(firstWait, flight.signals());
    for (;;) {
      let next;
      try {
        const [status, headerLines, bodyBytes] = await flight.attempt();
        next = flight.received(status, headerLines, bodyBytes);
      } catch (failure) {
        if (!(failure instanceof Failed)) throw failure;
        next = failedAttempt(flight, failure);
      }
      if (typeof next !== "number") return next; // the result
      if (next > 0) await pause(next, flight.signals());
    }
  } finally {
    flight.free();
  }
}
