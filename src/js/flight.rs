//! One call in flight. Every step here is synchronous; the loop that awaits is `run` in
//! runtime.js, which `fly` starts: it asks for an attempt, hands back what came of it, and waits when told
//! to. So no Rust future crosses into JS, and a call costs one promise per attempt.

use crate::js::runtime::fly;
use crate::client::Exchange;
use crate::error::Error;
use crate::js::api_keys::{output_to_js, Shared};
use crate::js::fetch::{read_failure, read_response, retry_delay, retry_reason, CallSettings, Outcome};
use crate::js::pager::{finish_page, page_arrived, Walk};
use crate::operation::Operation;
use crate::providers::{Output, Step};
use crate::wire::errors::Envelope;
use js_sys::{Array, Promise, Uint8Array};
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;

/// How a flight starts (see `fly` in runtime.js).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Launch {
    /// A caller's call (or a page the caller asked for): first attempt a microtask later.
    Called,
    /// A page requested ahead from inside the caller's `next()`: a microtask later too.
    Ahead,
    /// A page requested ahead as the previous page arrives (no caller's method running): at once.
    AheadNow,
}

/// What `after` returns for a page requested ahead whose attempt failed in a way that is
/// retried, while the caller has not asked for it yet: it is not retried now, and JS gets
/// `false` for it (see `Walk::unasked`).
const PARKED: f64 = -1.0;

/// What JS gets for `after`'s wait: the number, or `false` for [`PARKED`].
fn wait_to_js(wait: f64) -> JsValue {
    if wait == PARKED { JsValue::FALSE } else { JsValue::from_f64(wait) }
}

/// A call between its first request and its result.
#[wasm_bindgen]
pub struct Flight {
    shared: Rc<Shared>,
    exchange: Exchange,
    settings: CallSettings,
    /// Retries of the current request so far.
    retry: u32,
    operation: &'static str,
    /// Set for a page of `listAll`: its walk takes the page when it arrives.
    walk: Option<Walk>,
    /// Once the walk has moved past this flight's page (see [`page_arrived`]): whether
    /// the next page was asked for then.
    arrived: Option<bool>,
    /// The output and the last body's bytes, once the call is done.
    done: Option<(Output, JsValue)>,
}

impl Flight {
    /// Starts `exchange` and returns the promise of its result (through `fly`).
    /// A page parked before (see [`PARKED`]) goes on with its retries: the retry is logged
    /// now, and the first attempt waits what is left of the wait its failure asked for.
    pub(crate) fn start(shared: Rc<Shared>, exchange: Exchange, settings: CallSettings, walk: Option<Walk>, launch: Launch) -> Promise {
        let operation = if walk.is_some() { "listAll" } else { exchange.operation().name() };
        let (retry, first_wait) = match walk.as_ref().and_then(Walk::take_parked) {
            Some((retry, at, reason)) => {
                let wait = (at - js_sys::Date::now()).max(0.0);
                shared.transport.log_retry(retry, wait, reason);
                (retry, wait)
            }
            None => (0, 0.0),
        };
        let flight = Flight { shared, exchange, settings, retry, operation, walk, arrived: None, done: None };
        fly(flight, launch != Launch::Called, launch == Launch::AheadNow, first_wait)
    }

    /// The wait in ms before the next attempt, or `None` when the call is done.
    fn after(&mut self, outcome: Outcome) -> Result<Option<f64>, Error> {
        let succeeded = matches!(&outcome, Outcome::Response(response, _) if response.is_success());
        if !succeeded {
            let envelope = match &outcome {
                Outcome::Response(response, _) => self.exchange.envelope(response),
                Outcome::Failed(_) => Envelope::default(),
            };
            let unasked = self.walk.as_ref().filter(|walk| walk.unasked());
            if let Some(delay) = retry_delay(&self.shared.transport, &mut self.exchange, &self.settings, self.retry, &outcome, &envelope, unasked.is_none())? {
                if let Some(walk) = unasked {
                    walk.park(self.retry + 1, js_sys::Date::now() + delay, retry_reason(&outcome));
                    return Ok(Some(PARKED));
                }
                self.retry += 1;
                return Ok(Some(delay));
            }
        }
        let Outcome::Response(response, body) = outcome else { return Err(Error::format("an attempt ended without an outcome")) };
        if let (Some(walk), true) = (&self.walk, response.is_success()) {
            self.arrived = Some(page_arrived(walk, &self.shared, self.exchange.next_cursor(&response))?);
        }
        match self.exchange.receive_leaving_raw(&response, js_sys::Date::now())? {
            Step::Done(output) => {
                self.done = Some((output, body));
                Ok(None)
            }
            Step::Send(_) => {
                self.retry = 0;
                Ok(Some(0.0))
            }
        }
    }

    /// The error as JS gets it; a walk learns that its page will not come.
    fn fail(&self, error: Error) -> JsValue {
        match (&self.walk, self.arrived) {
            (Some(walk), Some(asked_next)) => walk.stop(asked_next),
            (Some(walk), None) => walk.page_failed(),
            (None, _) => {}
        }
        self.shared.js_error(error, self.operation)
    }

    /// The call's result as JS gets it, once `after` said it is done.
    fn output(&mut self) -> Result<JsValue, JsValue> {
        let Some((output, body)) = self.done.take() else { return Err(self.fail(Error::format("the call has no result yet"))) };
        let result = match (&self.walk, output) {
            (Some(walk), Output::Page(page)) => finish_page(walk, page, &body, self.arrived == Some(true)),
            (Some(_), _) => Err(Error::format("list did not return a page")),
            (None, output) => output_to_js(output, &body),
        };
        result.map_err(|e| self.fail(e))
    }
}

#[wasm_bindgen]
impl Flight {
    /// Sends the current request once.
    pub fn attempt(&self) -> Promise {
        self.shared.transport.attempt(&self.exchange, &self.settings, self.retry)
    }

    /// A response came (what `attempt` resolved to): the wait in ms before the next
    /// attempt (a number), or the call's result when it is done (never a number). Throws
    /// the call's error.
    pub fn received(&mut self, status: f64, header_lines: &str, bytes: Uint8Array) -> Result<JsValue, JsValue> {
        let (response, body) = read_response(status, header_lines, bytes);
        let event = self.shared.transport.response_event(&response);
        // A new key's answer is logged once read, so that its request id is cleared of the new
        // secret too; any other at once (a retry, or the next page asked for ahead, logs
        // while it is read).
        let brings_secret = response.is_success() && matches!(self.exchange.operation(), Operation::Create | Operation::Rotate);
        let (now, later) = if brings_secret { (None, event) } else { (event, None) };
        if let Some(event) = now {
            self.shared.transport.log_response(event, "", &self.exchange);
        }
        let step = self.after(Outcome::Response(response, body));
        if let Some(event) = later {
            let secret = match &self.done {
                Some((Output::CreatedAt(created, _), _)) => created.secret.0.as_str(),
                _ => "",
            };
            self.shared.transport.log_response(event, secret, &self.exchange);
        }
        match step.map_err(|e| self.fail(e))? {
            Some(wait) => Ok(wait_to_js(wait)),
            None => self.output(),
        }
    }

    /// The attempt failed (`kind`, `message` and `code` of runtime.js's `Failed`): the wait
    /// in ms before the next one (or `false`, see [`PARKED`]), or throws.
    pub fn failed(&mut self, kind: &str, message: &str, code: &str) -> Result<JsValue, JsValue> {
        let wait = self.after(read_failure(kind, message, code)).and_then(|wait| wait.ok_or_else(|| Error::format("a failed attempt finished the call")));
        wait.map(wait_to_js).map_err(|e| self.fail(e))
    }

    /// The signals that abort the call (a backoff wait ends early when one fires).
    pub fn signals(&self) -> Array {
        self.settings.signal_array()
    }
}
