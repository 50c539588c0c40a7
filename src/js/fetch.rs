//! Sending requests with `fetch`: one attempt with its own timer, and the retry loop
//! that asks the core's pure policy (`wire::retry`) whether and when to try again.
//!
//! Rules: `fetch` is called with no `this` (a bound `fetch` throws "Illegal invocation"
//! on Workers) and with a plain `RequestInit` holding only method, headers, body and
//! signal (workerd rejects fields such as `cache`). Every attempt gets a fresh timer;
//! the call's signals (the caller's, and for `listAll` the walk's own) abort both the
//! attempt and any backoff sleep at once. Listeners live only while an attempt or a
//! sleep runs, so nothing stays attached to a caller's long-lived signal.

use crate::error::{Error, ErrorKind};
use crate::wire::redact::redact_secrets;
use crate::wire::request::is_secret_header;
use crate::wire::retry::{next_delay_ms, Attempt, RetryPolicy};
use crate::wire::{Body, HttpRequest, HttpResponse};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// How to send: the `fetch` to call and where to log.
#[derive(Clone)]
pub struct Transport {
    pub fetch: Function,
    pub logger: Option<Function>,
    /// Only used to redact log lines and network error messages.
    pub management_key: String,
}

/// Per-call settings: the signals that abort it, the per-attempt timeout, the retry policy.
#[derive(Clone)]
pub struct CallSettings {
    /// The caller's signal, if any, and for `listAll` the walk's own (its `cancel()`).
    pub signals: Vec<AbortSignal>,
    pub timeout_ms: f64,
    pub retry: RetryPolicy,
}

/// How one attempt ended without a response.
enum Failure {
    TimedOut,
    Aborted,
    Network(String),
}

/// A response as the core reads it, and its body bytes as JS has them (a `Uint8Array`;
/// `undefined` for error responses), from which list pages take their items' `raw`.
pub struct Received {
    pub response: HttpResponse,
    pub body: JsValue,
}

/// Sends `request` until it gets a response worth keeping. A non-2xx response that
/// the policy does not retry is returned as `Ok`, for the core to turn into an error.
pub async fn send(
    transport: &Transport,
    request: &HttpRequest,
    settings: &CallSettings,
    body_hint_ms: impl Fn(&HttpResponse) -> Option<f64>,
) -> Result<Received, Error> {
    let mut retry = 0;
    loop {
        if is_aborted(&settings.signals) {
            return Err(aborted());
        }
        transport.log_request(request, retry);
        let outcome = attempt(transport, request, settings).await;
        let now = js_sys::Date::now();
        let random = js_sys::Math::random();
        let (delay, result) = match outcome {
            Ok((response, body)) => {
                transport.log_response(&response);
                if response.is_success() {
                    return Ok(Received { response, body });
                }
                let what = Attempt::Response { response: &response, body_hint_ms: body_hint_ms(&response) };
                let delay = next_delay_ms(&settings.retry, retry, request.idempotent, what, now, random);
                (delay, Ok(response))
            }
            Err(Failure::Aborted) => return Err(aborted()),
            Err(Failure::TimedOut) => {
                let delay = next_delay_ms(&settings.retry, retry, request.idempotent, Attempt::TimedOut, now, random);
                (delay, Err(timed_out(settings.timeout_ms)))
            }
            Err(Failure::Network(message)) => {
                let delay = next_delay_ms(&settings.retry, retry, request.idempotent, Attempt::ConnectionLost, now, random);
                (delay, Err(network(&message, &transport.management_key)))
            }
        };
        let Some(delay) = delay else { return result.map(|response| Received { response, body: JsValue::UNDEFINED }) };
        transport.log_retry(retry + 1, delay, &result);
        sleep(delay, &settings.signals).await?;
        retry += 1;
    }
}

/// One fetch, with its own timer that aborts it after `timeout_ms`.
async fn attempt(transport: &Transport, request: &HttpRequest, settings: &CallSettings) -> Result<(HttpResponse, JsValue), Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Network("AbortController is not available".into()))?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Timer::start(settings.timeout_ms, Box::new(move || {
            timed_out.set(true);
            controller.abort();
        }))
    };
    let _links = on_abort(&settings.signals, &|| {
        let controller = controller.clone();
        Box::new(move || controller.abort())
    });
    let result = fetch_and_read(transport, request, &controller.signal()).await;
    result.map_err(|message| {
        if timed_out.get() {
            Failure::TimedOut
        } else if is_aborted(&settings.signals) {
            Failure::Aborted
        } else {
            Failure::Network(message)
        }
    })
}

async fn fetch_and_read(transport: &Transport, request: &HttpRequest, signal: &AbortSignal) -> Result<(HttpResponse, JsValue), String> {
    let init = request_init(request, signal);
    let url = JsValue::from_str(&request.url);
    let returned = transport.fetch.call2(&JsValue::UNDEFINED, &url, &init).map_err(describe)?;
    let value = JsFuture::from(Promise::resolve(&returned)).await.map_err(describe)?;
    let response: Response = value
        .dyn_into()
        .map_err(|_| "the fetch function did not return a Response".to_string())?;
    let headers = read_headers(&response);
    let read = response.array_buffer().map_err(describe)?;
    let bytes = Uint8Array::new(&JsFuture::from(read).await.map_err(describe)?);
    let body = Body::from_bytes(&bytes.to_vec());
    Ok((HttpResponse { status: response.status(), headers, body }, bytes.into()))
}

fn request_init(request: &HttpRequest, signal: &AbortSignal) -> Object {
    let init = Object::new();
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    set(&init, "method", &JsValue::from_str(request.method.as_str()));
    set(&init, "headers", &headers);
    if let Some(body) = &request.body {
        set(&init, "body", &JsValue::from_str(body));
    }
    set(&init, "signal", signal);
    init
}

fn read_headers(response: &Response) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    // `Array.from` walks the headers' iterator in JS: one call instead of one per entry.
    for entry in Array::from(&response.headers()).iter() {
        let Ok(pair) = entry.dyn_into::<Array>() else { continue };
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            headers.push((name.to_ascii_lowercase(), value));
        }
    }
    headers
}

/// Waits `ms`, or less if one of `signals` fires (then an `AbortError`).
async fn sleep(ms: f64, signals: &[AbortSignal]) -> Result<(), Error> {
    let mut resolve_slot = None;
    let promise = Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
    let Some(resolve) = resolve_slot else { return Ok(()) };
    let _timer = {
        let resolve = resolve.clone();
        Timer::start(ms, Box::new(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }))
    };
    let _links = on_abort(signals, &|| {
        let resolve = resolve.clone();
        Box::new(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        })
    });
    let _ = JsFuture::from(promise).await;
    if is_aborted(signals) {
        return Err(aborted());
    }
    Ok(())
}

/// A `setTimeout` that is cleared when dropped.
struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(ms: f64, callback: Box<dyn FnMut()>) -> Timer {
        let callback = Closure::wrap(callback);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms.max(0.0));
        Timer { id, _callback: callback }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An "abort" listener on a signal, removed when dropped.
struct Listener {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl Listener {
    fn add(signal: &AbortSignal, callback: Box<dyn FnMut()>) -> Listener {
        let callback = Closure::wrap(callback);
        let _ = signal.add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref());
        Listener { signal: signal.clone(), callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

/// Calls a fresh `callback()` when any of `signals` fires, until the listeners are dropped.
fn on_abort(signals: &[AbortSignal], callback: &dyn Fn() -> Box<dyn FnMut()>) -> Vec<Listener> {
    signals.iter().map(|signal| Listener::add(signal, callback())).collect()
}

fn is_aborted(signals: &[AbortSignal]) -> bool {
    signals.iter().any(AbortSignal::aborted)
}

fn aborted() -> Error {
    Error::new(ErrorKind::Abort, "the request was aborted by the caller's AbortSignal")
}

fn timed_out(timeout_ms: f64) -> Error {
    Error::new(ErrorKind::Timeout, format!("no response within timeoutMs ({} ms)", crate::json::number_text(timeout_ms)))
}

fn network(message: &str, management_key: &str) -> Error {
    let message = redact_secrets(message, management_key);
    Error::new(ErrorKind::Network, format!("the request failed before a response arrived: {}", message))
}

/// A thrown JS value as text (its `message` when it is an Error).
fn describe(value: JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| "unknown error".to_string())
}

fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

impl Transport {
    fn log(&self, event: &[(&str, JsValue)]) {
        let Some(logger) = &self.logger else { return };
        let entry = Object::new();
        for (name, value) in event {
            set(&entry, name, value);
        }
        let _ = logger.call1(&JsValue::UNDEFINED, &entry);
    }

    fn log_request(&self, request: &HttpRequest, retry: u32) {
        if self.logger.is_none() {
            return;
        }
        let headers = Object::new();
        for (name, value) in &request.headers {
            let shown = if is_secret_header(name) { "[redacted]" } else { value.as_str() };
            set(&headers, name, &JsValue::from_str(shown));
        }
        self.log(&[
            ("type", "request".into()),
            ("method", request.method.as_str().into()),
            ("url", request.url.as_str().into()),
            ("headers", headers.into()),
            ("attempt", JsValue::from(retry + 1)),
        ]);
    }

    fn log_response(&self, response: &HttpResponse) {
        let request_id = ["request-id", "x-qai-request-id", "x-request-id"]
            .iter()
            .find_map(|h| response.header(h))
            .map_or(JsValue::NULL, JsValue::from_str);
        self.log(&[
            ("type", "response".into()),
            ("status", JsValue::from(response.status)),
            ("requestId", request_id),
        ]);
    }

    fn log_retry(&self, retry: u32, delay_ms: f64, cause: &Result<HttpResponse, Error>) {
        let reason = match cause {
            Ok(response) => format!("HTTP {}", response.status),
            Err(error) => error.kind.class_name().to_string(),
        };
        self.log(&[
            ("type", "retry".into()),
            ("retry", JsValue::from(retry)),
            ("delayMs", JsValue::from_f64(delay_ms.round())),
            ("reason", reason.into()),
        ]);
    }
}
