// JS-side pieces of the wasm shell: the error classes of apikeys-wasm and the listAll
// iterator. Every error is an `ApiKeysError` (and an `Error`) with status, code, requestId,
// provider, operation, retryAfterMs and fields. No secret is ever put on an error.

export class ApiKeysError extends Error {
  constructor(message, details) {
    super(message);
    const info = details || {};
    this.status = info.status ?? null;
    this.code = info.code ?? null;
    this.requestId = info.requestId ?? null;
    this.provider = info.provider ?? null;
    this.operation = info.operation ?? null;
    if (info.retryAfterMs !== undefined && info.retryAfterMs !== null) this.retryAfterMs = info.retryAfterMs;
    if (info.fields) this.fields = info.fields;
  }
  toJSON() {
    const out = { name: this.name, message: this.message };
    for (const k of ["status", "code", "requestId", "provider", "operation", "retryAfterMs", "fields"]) {
      if (this[k] !== undefined && this[k] !== null) out[k] = this[k];
    }
    return out;
  }
}

function define(name, Base) {
  const C = class extends Base {};
  Object.defineProperty(C, "name", { value: name });
  C.prototype.name = name;
  return C;
}
ApiKeysError.prototype.name = "ApiKeysError";

export const ValidationError = define("ValidationError", ApiKeysError);
export const UnsupportedOperationError = define("UnsupportedOperationError", ApiKeysError);
export const BadRequestError = define("BadRequestError", ApiKeysError);
export const AuthenticationError = define("AuthenticationError", ApiKeysError);
export const PermissionError = define("PermissionError", ApiKeysError);
export const NotFoundError = define("NotFoundError", ApiKeysError);
export const ConflictError = define("ConflictError", ApiKeysError);
export const RateLimitError = define("RateLimitError", ApiKeysError);
export const ServerError = define("ServerError", ApiKeysError);
export const TimeoutError = define("TimeoutError", ApiKeysError);
export const AbortError = define("AbortError", ApiKeysError);
export const NetworkError = define("NetworkError", ApiKeysError);
export const ResponseFormatError = define("ResponseFormatError", ApiKeysError);

const classes = {
  ApiKeysError, ValidationError, UnsupportedOperationError, BadRequestError, AuthenticationError,
  PermissionError, NotFoundError, ConflictError, RateLimitError, ServerError, TimeoutError,
  AbortError, NetworkError, ResponseFormatError,
};

/** Used by the wasm shell: builds the error of class `className`. */
export function makeError(className, message, details) {
  const C = classes[className] || ApiKeysError;
  return new C(message, details);
}

let utf8;
let keyFieldsText = null;
let keyFields = null;

/**
 * Used by the wasm shell: sets `page.items` from rows (arrays of field values, in the
 * order `keyFieldsJson` names them: a name per plain field, `[name, fields]` per nested
 * struct). With `bodyBytes`, each key's `raw` comes from JS's own parse of the response
 * body (`member` of it, or the body itself when null) at `indices`, decoded as `fetch`'s
 * `text()` does; otherwise the rows carry `raw`.
 */
export function buildKeys(page, rowsText, keyFieldsJson, bodyBytes, member, indices) {
  if (keyFieldsJson !== keyFieldsText) {
    keyFields = JSON.parse(keyFieldsJson);
    keyFieldsText = keyFieldsJson;
  }
  const rows = JSON.parse(rowsText);
  let raws = null;
  if (bodyBytes !== undefined) {
    utf8 ??= new TextDecoder();
    const body = JSON.parse(utf8.decode(bodyBytes));
    raws = member === null ? body : body[member];
  }
  const items = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const key = fromRow(keyFields, rows[i]);
    if (raws !== null) key.raw = raws[indices[i]];
    items[i] = key;
  }
  page.items = items;
}

function fromRow(fields, row) {
  const out = {};
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (typeof field === "string") out[field] = row[i];
    else out[field[0]] = row[i] === null ? null : fromRow(field[1], row[i]);
  }
  return out;
}

/** Used by the wasm shell: a page requested ahead may never be awaited, so its rejection is handled here. */
export function quiet(promise) {
  promise.catch(() => {});
  return promise;
}

/**
 * Used by the wasm shell: wraps a pager in an async iterator of keys with `toArray()`.
 * When the caller stops early, `cancel()` aborts a page the pager requested ahead.
 */
export function keyIterator(pager, onPage) {
  const iterator = (async function* () {
    try {
      for (;;) {
        const page = await pager.nextPage();
        if (page === null || page === undefined) return;
        if (onPage) onPage(page.progress);
        yield* page.items;
      }
    } finally {
      pager.cancel();
      pager.free();
    }
  })();
  iterator.toArray = async () => {
    const all = [];
    for await (const key of iterator) all.push(key);
    return all;
  };
  return iterator;
}
