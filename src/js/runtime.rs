//! Everything the wasm imports from `runtime.js`. At most one of these may be a "direct"
//! import (externrefs and numbers only, no glue): wasm-bindgen 0.2.130 gives each direct
//! import its own entry for the module in the import object, and bundlers then warn of
//! duplicate keys; `scripts/shorten-imports.mjs` fails the build on a second. `keyIterator` is
//! the one.

use crate::prelude::*;
use crate::js::flight::Flight;
use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// The `ApiKeysError` subclass `class_name`.
    #[wasm_bindgen(js_name = makeError)]
    pub fn make_error(class_name: &str, message: &str, details: &JsValue) -> JsValue;

    /// One attempt of a request: resolves to `[status, headerLines, bodyBytes]`, rejects with
    /// a `Failed` (its `kind`, `message`, `code` and, for an abort, `cause`).
    #[wasm_bindgen(js_name = attempt)]
    pub fn js_attempt(fetch: &Function, method: &str, url: &str, headers: &Object, body: &JsValue, signals: &Array, timeout_ms: f64, success_headers: &Array) -> Promise;

    /// Runs a flight to its end; the promise settles with its result or its error. With
    /// `ahead` (a page requested ahead may never be asked for) its rejection counts as handled.
    /// With `at_once` the first attempt starts now, not a microtask later (see `run`);
    /// `first_wait` ms (a parked page's backoff) are waited before it.
    pub fn fly(flight: Flight, ahead: bool, at_once: bool, first_wait: f64) -> Promise;

    /// `globalThis[name]` (a string argument keeps this a glue import, see above).
    #[wasm_bindgen(js_name = globalValue)]
    pub fn global_value(name: &str) -> JsValue;

    /// Bytes as `fetch`'s `text()` decodes them: invalid UTF-8 replaced, a BOM dropped.
    #[wasm_bindgen(js_name = utf8Text)]
    pub fn decode_text(bytes: &Uint8Array) -> String;

    /// What is wrong with `value` as a signal, or `None` for a working `AbortSignal`; never
    /// throws (a Proxy's traps, an object made from `AbortSignal.prototype`). A string
    /// result, so not a direct import (see above).
    #[wasm_bindgen(js_name = signalProblem)]
    pub fn signal_problem(value: &JsValue) -> Option<String>;

    /// Calls a caller's `logger` with `entry`, its `type` set to `kind`; never throws, and
    /// a promise the logger returns that rejects is ignored.
    #[wasm_bindgen(js_name = logEvent)]
    pub fn log_event(logger: &Function, kind: &str, entry: &Object);

    /// Reads one level of caller data, never throwing (a getter's, a Proxy trap's or a lone
    /// surrogate's exception would cross into the wasm, and wasm-bindgen's `catch` imports that
    /// return a value leak a slot of its externref table each time one throws). For a plain
    /// object: `None`, its members pushed onto `into` (name, value, …); an array of at most
    /// `max_items`: "array", its items pushed; a string: "string", or "surrogate" for a lone
    /// one. Else what it is: "too long", "promise", "date", "signal", "class" or "threw". A string
    /// result, so not a direct import (see above).
    #[wasm_bindgen(js_name = readLevel)]
    pub fn read_level(value: &JsValue, max_items: u32, into: &Array) -> Option<String>;

    /// Wraps a pager in an async iterator of keys.
    #[wasm_bindgen(js_name = keyIterator)]
    pub fn key_iterator(pager: JsValue, on_page: &JsValue) -> JsValue;

    /// Keys from columns, taking `raw` from the body bytes (none: `null`), less what
    /// `hide_kind` and `hide_path` hide ([`crate::model::Hide::code`]): an array, or with
    /// `one` the first key; `null` if JS could not parse the body.
    #[wasm_bindgen(js_name = buildKeys)]
    pub fn build_keys(text: &str, slots: &[f64], body: &JsValue, member: &JsValue, indices: &[u32], hide_kind: u8, hide_path: &str, one: bool) -> JsValue;

    /// The body's `member` (the body itself when `null`) as JS parses the body bytes, less
    /// what `hide_kind` and `hide_path` hide; `undefined` if JS could not parse the body.
    #[wasm_bindgen(js_name = rawAt)]
    pub fn raw_at(body: &JsValue, member: &JsValue, hide_kind: u8, hide_path: &str) -> JsValue;

    /// `key` (its fields, `raw`'s values and member names) rid of `secret` wherever a server
    /// repeated it; never throws.
    #[wasm_bindgen(js_name = withoutSecret)]
    pub fn without_secret(key: JsValue, secret: &str) -> JsValue;
}
