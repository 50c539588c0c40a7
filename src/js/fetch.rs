//! Sending requests with `fetch`: one attempt with its own timer, and what to do after
//! it, from the core's pure policy (`wire::retry`). The loop that awaits is `run` in
//! runtime.js, which `fly` starts (see `flight.rs`).
//!
//! The JS side of an attempt and of a backoff sleep is in runtime.js (`attempt`, `pause`):
//! one promise each. Rules: `fetch` is called with no
//! `this` (a bound `fetch` throws "Illegal invocation" on Workers) and with a plain
//! `RequestInit` holding only method, headers, body, signal and `redirect: "manual"`
//! (workerd rejects fields such as `cache`; a redirect is reported, not followed). Every
//! attempt gets a fresh timer; the call's signals (the caller's, and for `listAll` the
//! walk's own) abort both the attempt and any backoff sleep at once. Listeners live only
//! while an attempt or a sleep runs, so nothing stays attached to a caller's long-lived
//! signal.

use crate::prelude::*;
use crate::js::runtime::{decode_text, js_attempt, log_event};
use crate::error::{Error, ErrorKind};
use crate::wire::errors::Envelope;
use crate::wire::redact::{quoted, redact_secrets, Secrets};
use crate::wire::request::shown_header_value;
use crate::client::{Client, Exchange};
use crate::wire::retry::{Attempt, RetryPolicy};
use crate::wire::response::{success_headers, REQUEST_ID_HEADERS};
use crate::wire::{Body, HttpRequest, HttpResponse};
use core::cell::RefCell;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// A `response` event not yet logged ([`Transport::response_event`]).
pub struct ResponseEvent {
    status: u16,
    request_id: Option<String>,
}

/// How to send: the `fetch` to call and where to log.
#[derive(Clone)]
pub struct Transport {
    pub fetch: Function,
    pub logger: Option<Function>,
    /// Header sets already made into JS objects (see [`Transport::headers_object`]).
    pub headers_made: RefCell<Vec<(Headers, Object)>>,
    /// The headers JS reads from a 2xx response ([`success_headers`]), as a JS array.
    pub success_headers: Array,
}

/// A request's headers: lower-case name and value.
type Headers = Vec<(String, String)>;

/// How many header sets a transport keeps as JS objects: a client's GETs share one, its
/// requests with a body another.
const HEADER_SETS_KEPT: usize = 4;

/// Per-call settings: the signals that abort it, the per-attempt timeout, the retry policy,
/// and the client its exchanges begin on (with the call's own headers, if it has any).
#[derive(Clone)]
pub struct CallSettings {
    pub client: Client,
    /// The caller's signal, if any, and for `listAll` the walk's own (its `cancel()`).
    pub signals: Vec<AbortSignal>,
    pub timeout_ms: f64,
    pub retry: RetryPolicy,
}

/// How one attempt ended without a response.
pub enum Failure {
    TimedOut,
    /// The caller's signal fired; `in_flight`: after the request was handed to `fetch`.
    Aborted { in_flight: bool },
    /// What the runtime said (the messages of the error and of its causes), and its
    /// system error code when it had one (`ECONNREFUSED`, `UND_ERR_SOCKET`, …); `sent`: after
    /// the request was handed to `fetch` (before, the runtime refused to start it: a Worker's
    /// module scope refuses timers).
    Network { message: String, code: Option<String>, sent: bool },
}

/// What one attempt came to, as the retry policy sees it.
pub enum Outcome {
    /// A response, and its body bytes as JS has them (a `Uint8Array`), from which list
    /// pages take their items' `raw`.
    Response(HttpResponse, JsValue),
    Failed(Failure),
}

/// The wait before trying `request` again after `outcome`, or the error to end with.
/// A non-2xx response that is not retried comes back as `Ok(None)`, for the core to
/// turn into its typed error. Each retry is logged when `log` (one made now, not deferred).
pub fn retry_delay(transport: &Transport, exchange: &mut Exchange, settings: &CallSettings, retry: u32, outcome: &Outcome, body: &Envelope, log: bool) -> Result<Option<f64>, Error> {
    let now = js_sys::Date::now();
    let random = js_sys::Math::random();
    let (attempt, cause) = match outcome {
        Outcome::Response(response, _) => (Attempt::Response { response, body }, Ok(response)),
        Outcome::Failed(Failure::Aborted { in_flight }) => return Err(exchange.aborted(*in_flight)),
        Outcome::Failed(Failure::TimedOut) => (Attempt::TimedOut, Err(timed_out(settings.timeout_ms))),
        Outcome::Failed(Failure::Network { message, code, sent }) => {
            let attempt = if *sent { Attempt::failed_with(code.as_deref()) } else { Attempt::NotSent };
            (attempt, Err(network(message, code.as_deref(), *sent, &exchange.secrets())))
        }
    };
    let delay = exchange.retry_delay_ms(&settings.retry, retry, attempt, now, random);
    match (delay, cause) {
        (Some(delay), _) => {
            if log {
                transport.log_retry(retry + 1, delay, retry_reason(outcome));
            }
            Ok(Some(delay))
        }
        (None, Ok(_)) => Ok(None),
        (None, Err(error)) => Err(exchange.ended_by(error, attempt)),
    }
}

/// A failed attempt's `reason` as a `retry` event writes it (see `Transport::log_retry`).
pub fn retry_reason(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Response(response, _) => text!("HTTP ", response.status),
        Outcome::Failed(Failure::TimedOut) => ErrorKind::Timeout.class_name().to_string(),
        Outcome::Failed(_) => ErrorKind::Network.class_name().to_string(),
    }
}

impl Transport {
    /// A transport whose attempts `logger` (if any) logs; `request_id_header` is the provider's
    /// own (see [`success_headers`]).
    pub fn new(fetch: Function, logger: Option<Function>, request_id_header: Option<&'static str>) -> Transport {
        let success_headers = success_headers(request_id_header, logger.is_some()).into_iter().map(JsValue::from_str).collect();
        Transport { fetch, logger, headers_made: RefCell::default(), success_headers }
    }

    /// Sends `request` once, with its own timer (`attempt` in runtime.js). The promise
    /// resolves to what [`read_response`] takes and rejects with what [`read_failure`] reads.
    pub fn attempt(&self, exchange: &Exchange, settings: &CallSettings, retry: u32) -> Promise {
        let request = exchange.request();
        // An aborted call sends nothing (the JS side rejects at once), so logs nothing.
        if !settings.signals.iter().any(is_aborted) {
            self.log_request(request, retry, exchange);
        }
        let body = request.body.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
        let headers = self.headers_object(&request.headers);
        let timeout_ms = settings.timeout_ms.max(0.0);
        js_attempt(&self.fetch, request.method.as_str(), &request.url, &headers, &body, &settings.signal_array(), timeout_ms, &self.success_headers)
    }

    /// `headers` as a JS object, made once per distinct set: a client sends the same few
    /// sets again and again (JS copies the object for each request).
    fn headers_object(&self, headers: &[(String, String)]) -> Object {
        let mut made = self.headers_made.borrow_mut();
        if let Some((_, object)) = made.iter().find(|(set, _)| set == headers) {
            return object.clone();
        }
        let object = Object::new();
        for (name, value) in headers {
            set(&object, name, &JsValue::from_str(value));
        }
        if made.len() == HEADER_SETS_KEPT {
            made.remove(0);
        }
        made.push((headers.to_vec(), object.clone()));
        object
    }
}

/// Whether `signal` has fired, read through `Reflect.get`, which catches: a getter the
/// caller put on the signal must not throw through the wasm (JS reads the built-in one).
fn is_aborted(signal: &AbortSignal) -> bool {
    Reflect::get(signal, &JsValue::from_str("aborted")).is_ok_and(|aborted| aborted.is_truthy())
}

impl CallSettings {
    /// The signals that abort the call, as a JS array.
    pub fn signal_array(&self) -> Array {
        self.signals.iter().collect()
    }
}

/// What a settled attempt brought: its status, header lines ("name\nvalue\n…") and body, as
/// the response and its bytes.
pub fn read_response(status: f64, header_lines: &str, bytes: Uint8Array) -> (HttpResponse, JsValue) {
    let mut at = 0;
    let mut headers = Vec::new();
    while let (Some(name), Some(value)) = (next_line(header_lines, &mut at), next_line(header_lines, &mut at)) {
        headers.push((name.to_string(), value.to_string()));
    }
    // Valid UTF-8 (nearly always) is read in place; JS decodes the rest as `text()` would.
    let body = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => Body::from_text(text),
        Err(_) => Body::from_text(decode_text(&bytes)),
    };
    (HttpResponse { status: status as u16, headers, body }, bytes.into())
}

/// The line of `text` from `at` to its `\n`, moving `at` past it. By bytes: a `str`
/// pattern search would pull its own searcher into the wasm.
fn next_line<'a>(text: &'a str, at: &mut usize) -> Option<&'a str> {
    let rest = text.get(*at..)?;
    let end = rest.bytes().position(|b| b == b'\n')?;
    *at += end + 1;
    rest.get(..end)
}

/// How an attempt failed, from runtime.js's `Failed`; `code` is empty when it had none.
pub fn read_failure(kind: &str, message: &str, code: &str) -> Outcome {
    Outcome::Failed(match kind {
        "timeout" => Failure::TimedOut,
        "abort" => Failure::Aborted { in_flight: false },
        "abort-in-flight" => Failure::Aborted { in_flight: true },
        _ => Failure::Network { message: message.to_string(), code: system_code(code).map(str::to_string), sent: kind != "unsent" },
    })
}

/// `code` if it looks like a system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`): upper-case
/// ASCII letters, digits and `_`, at most 64, starting with a letter.
fn system_code(code: &str) -> Option<&str> {
    let shaped = code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    (shaped && code.len() <= 64 && code.as_bytes().first()?.is_ascii_uppercase()).then_some(code)
}

fn timed_out(timeout_ms: f64) -> Error {
    Error::new(ErrorKind::Timeout, text!("no response within timeoutMs (", crate::json::number_text(timeout_ms), " ms)"))
}

fn network(message: &str, code: Option<&str>, sent: bool, secrets: &Secrets) -> Error {
    let what = if sent { "no complete response arrived: " } else { "the runtime refused to send the request: " };
    let mut error = Error::new(ErrorKind::Network, text!(what, quoted(message, secrets)));
    error.code = code.map(str::to_string);
    error
}

fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

impl Transport {
    /// Logs an event of `kind` with `members` (through `logEvent`, which ignores a
    /// logger's throw or rejected promise).
    fn log(&self, kind: &str, members: &[(&str, JsValue)]) {
        let Some(logger) = &self.logger else { return };
        let entry = Object::new();
        for (name, value) in members {
            set(&entry, name, value);
        }
        log_event(logger, kind, &entry);
    }

    fn log_request(&self, request: &HttpRequest, retry: u32, exchange: &Exchange) {
        if self.logger.is_none() {
            return;
        }
        let secrets = exchange.secrets();
        let headers = Object::new();
        for (name, value) in &request.headers {
            set(&headers, name, &JsValue::from_str(&shown_header_value(name, value, &secrets)));
        }
        self.log(
            "request",
            &[
                ("method", request.method.as_str().into()),
                ("url", JsValue::from_str(&redact_secrets(&request.url, &secrets))),
                ("headers", headers.into()),
                ("attempt", JsValue::from(retry + 1)),
            ],
        );
    }

    /// What a `response` event will show, or `None` when nothing is logged: taken before
    /// the response is read, logged by [`Transport::log_response`].
    pub fn response_event(&self, response: &HttpResponse) -> Option<ResponseEvent> {
        self.logger.as_ref()?;
        let request_id = REQUEST_ID_HEADERS.iter().find_map(|h| response.read_header(h)).map(str::to_string);
        Some(ResponseEvent { status: response.status, request_id })
    }

    /// Logs `event`, its request id redacted (then cut) of the client's secrets and of
    /// `secret`, a new key's secret read from that response (empty for others).
    pub fn log_response(&self, event: ResponseEvent, secret: &str, exchange: &Exchange) {
        let quote = |id: String| quoted(&redact_secrets(&id, &Secrets::key(secret)), &exchange.secrets());
        let request_id = event.request_id.map_or(JsValue::NULL, |id| JsValue::from_str(&quote(id)));
        self.log("response", &[("status", JsValue::from(event.status)), ("requestId", request_id)]);
    }

    /// A `retry` event, its cause written as its `reason` ([`retry_reason`]).
    pub fn log_retry(&self, retry: u32, delay_ms: f64, reason: String) {
        self.log(
            "retry",
            &[
                ("retry", JsValue::from(retry)),
                ("delayMs", JsValue::from_f64(crate::json::float::round(delay_ms))),
                ("reason", reason.into()),
            ],
        );
    }
}
