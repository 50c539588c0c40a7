//! The sans-IO client: operations in, requests out, responses in, results out.
//!
//! Call protocol:
//! 1. [`Client::begin`] checks the call's input (every bad field at once) and the
//!    provider's support for it, and returns an [`Exchange`] holding the first request.
//!    Nothing has been sent yet; an error here means nothing will be.
//! 2. Send [`Exchange::request`] (the shell performs the fetch and the retries).
//! 3. Pass the response to [`Exchange::receive`]: it yields `Step::Done(output)`, or
//!    `Step::Send(next)` when the operation takes another request (the new request is
//!    also available from `request()`), or an error.

use crate::prelude::*;
use crate::config::Config;
use crate::error::{Error, ErrorKind};
use crate::json::Json;
use crate::operation::{Call, Operation};
use crate::providers::{unsupported_operation, Context, Output, Provider, Step};
use crate::validate::Problems;
use crate::wire::errors::{http_error, Envelope};
use crate::wire::redact::{quoted, Secrets};
use crate::wire::retry::{next_delay_ms, Attempt, RetryPolicy};
use crate::wire::{HttpRequest, HttpResponse, Method};

/// A configured client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    config: alloc::rc::Rc<Config>,
}

impl Client {
    pub fn new(config: Config) -> Client {
        Client { config: alloc::rc::Rc::new(config) }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// This client for one call that sends `headers` of its own ([`Config::with_call_headers`]).
    pub fn with_call_headers(&self, headers: &[(String, String)]) -> Client {
        Client::new(self.config.with_call_headers(headers))
    }

    pub fn provider(&self) -> Provider {
        self.config.provider
    }

    pub fn supports(&self, op: Operation) -> bool {
        self.provider().supports(op)
    }

    /// Reads `op`'s arguments from JSON, checks them, and builds the first request.
    pub fn begin(&self, op: Operation, id: Option<&Json>, input: Option<&Json>, now_ms: f64) -> Result<Exchange, Error> {
        self.refuse_unsupported(op)?;
        let mut problems = Problems::new();
        let Some(call) = Call::read(op, id, input, &mut problems) else { return Err(self.unsupported(op)) };
        self.begin_checked(call, problems, op, now_ms)
    }

    /// Like [`Client::begin`] for an already typed call; its errors name `op` (a `listAll`
    /// page is a `list` call, and its errors say `listAll`).
    pub fn begin_call(&self, call: Call, op: Operation, now_ms: f64) -> Result<Exchange, Error> {
        self.refuse_unsupported(op)?;
        self.begin_checked(call, Problems::new(), op, now_ms)
    }

    fn begin_checked(&self, call: Call, mut problems: Problems, op: Operation, now_ms: f64) -> Result<Exchange, Error> {
        let dialect = self.provider().dialect();
        let cx = Context { config: &self.config, now_ms };
        dialect.check(&call, &cx, &mut problems);
        problems.into_result(()).map_err(|e| self.context(e, op))?;
        let request = dialect.request(&call, 0, &cx).map_err(|e| self.context(e, op))?;
        Ok(Exchange { client: self.clone(), call, op, stage: 0, request, may_have_acted: false })
    }

    fn refuse_unsupported(&self, op: Operation) -> Result<(), Error> {
        if self.supports(op) {
            return Ok(());
        }
        Err(self.unsupported(op))
    }

    fn unsupported(&self, op: Operation) -> Error {
        self.context(unsupported_operation(self.provider(), op), op)
    }

    fn context(&self, error: Error, op: Operation) -> Error {
        error.with_context(self.provider().name(), op.name())
    }
}

/// One operation in flight: the request to send now and how to read its answer.
#[derive(Clone, Debug)]
pub struct Exchange {
    client: Client,
    call: Call,
    op: Operation,
    stage: u8,
    request: HttpRequest,
    /// Whether an earlier attempt of `request` may have been carried out (see
    /// [`Attempt::may_have_acted`]).
    may_have_acted: bool,
}

impl Exchange {
    /// The request to send now.
    pub fn request(&self) -> &HttpRequest {
        &self.request
    }

    pub fn operation(&self) -> Operation {
        self.op
    }

    pub fn call(&self) -> &Call {
        &self.call
    }

    /// Reads the response to [`Exchange::request`], each key with its `raw`.
    pub fn receive(&mut self, response: &HttpResponse, now_ms: f64) -> Result<Step, Error> {
        match (self.receive_leaving_raw(response, now_ms), response.json()) {
            (Ok(Step::Done(output)), Some(body)) => Ok(Step::Done(output.fill_raw(body))),
            (step, _) => step,
        }
    }

    /// Like [`Exchange::receive`], but keys whose `raw` sits in the body as the provider sent
    /// it are left without it: the output says where it is ([`Output::KeyAt`](crate::providers::Output::KeyAt),
    /// [`crate::model::Page::raw_source`]), for a caller that parses the body anyway (the
    /// wasm shell). A build that calls only this one has no code to copy `raw` from a body.
    pub fn receive_leaving_raw(&mut self, response: &HttpResponse, now_ms: f64) -> Result<Step, Error> {
        let config = &self.client.config;
        let dialect = config.provider.dialect();
        let cx = Context { config, now_ms };
        let result = if response.is_success() {
            dialect.response(&self.call, self.stage, response, &cx).map_err(|e| self.noting_accepted(e))
        } else {
            let error = self.error_from(response, now_ms);
            if self.deleted_by_an_earlier_attempt(&error) { Ok(Step::Done(Output::Deleted)) } else { Err(error) }
        };
        let request_id = dialect.request_id_header().and_then(|h| response.read_header(h));
        let result = result.map_err(|e| self.client.context(with_response(e, response.status, request_id, &config.secrets()), self.op));
        if let Ok(Step::Send(next)) = &result {
            self.stage += 1;
            self.request = next.clone();
            self.may_have_acted = false;
        }
        result
    }

    /// The wait before retry number `retry` of [`Exchange::request`] after `attempt`
    /// ([`next_delay_ms`]), or `None` to stop. The exchange remembers a retry after an
    /// attempt the server may have carried out.
    pub fn retry_delay_ms(&mut self, policy: &RetryPolicy, retry: u32, attempt: Attempt<'_>, now_ms: f64, random: f64) -> Option<f64> {
        let delay = next_delay_ms(policy, retry, self.request.idempotent, attempt, now_ms, random)?;
        self.may_have_acted |= attempt.may_have_acted();
        Some(delay)
    }

    /// A `delete` retried after an attempt that may have gone through, answered "not
    /// found" (`error`, the answer's): the key is gone, as asked, most likely by that attempt.
    fn deleted_by_an_earlier_attempt(&self, error: &Error) -> bool {
        self.may_have_acted && matches!(self.call, Call::Delete(_)) && error.kind == ErrorKind::NotFound
    }

    /// The cursor of the page after the list page `response` brings, read from its body
    /// alone ([`crate::providers::Dialect::next_cursor`]): `listAll` asks for that page
    /// before reading this one. `None` for the last page and for other responses.
    pub fn next_cursor(&self, response: &HttpResponse) -> Option<String> {
        let body = response.json().filter(|_| response.is_success())?;
        self.client.config.provider.dialect().next_cursor(&self.call, body)
    }

    /// What this call's errors and log never show ([`Config::secrets`]).
    pub fn secrets(&self) -> Secrets<'_> {
        self.client.config.secrets()
    }

    /// The typed error for a non-2xx response, with the provider's code, message and hints.
    pub fn error_from(&self, response: &HttpResponse, now_ms: f64) -> Error {
        let config = &self.client.config;
        let envelope = self.envelope(response);
        let unsure = Attempt::Response { response, body: &envelope }.may_have_acted();
        let error = http_error(response, envelope, config.provider.dialect().request_id_header(), &config.secrets(), now_ms);
        self.noting_unsure(error, unsure)
    }

    /// `error`, which ends this call after `attempt`: see [`Exchange::noting_unsure`].
    pub fn ended_by(&self, error: Error, attempt: Attempt<'_>) -> Error {
        self.noting_unsure(error, attempt.may_have_acted())
    }

    /// The caller's abort, which ends this call; `in_flight`: it stopped an attempt already
    /// sent. A request that is not idempotent may then have been carried out, and the
    /// message says so, as [`Exchange::noting_unsure`] does.
    pub fn aborted(&self, in_flight: bool) -> Error {
        let mut error = self.noting_written(Error::aborted());
        if in_flight && !self.request.idempotent {
            error.message.push_str("; the server may have carried it out before the abort");
            error.message.push_str(LIST_TO_CHECK);
        }
        error
    }

    /// When the request is not idempotent and the server may have carried it out (`unsure`),
    /// the message says so and how to find out.
    fn noting_unsure(&self, error: Error, unsure: bool) -> Error {
        let mut error = self.noting_written(error);
        if unsure && !self.request.idempotent {
            error.message.push_str("; it was not retried, since the server may have carried it out");
            error.message.push_str(LIST_TO_CHECK);
        }
        error
    }

    /// An error after the first stage (Fluxbase's read of the key after an update or a
    /// revoke): the write itself was carried out, and the message says so.
    fn noting_written(&self, mut error: Error) -> Error {
        if self.stage > 0 {
            error.message.push_str("; the ");
            error.message.push_str(self.op.name());
            error.message.push_str(" itself was carried out, and only reading the key back after it failed: get the key to see it");
        }
        error
    }

    /// A write the provider accepted (a 2xx) whose answer could not be read was carried out
    /// all the same: the message says so, and for a new key that its secret is lost.
    fn noting_accepted(&self, mut error: Error) -> Error {
        if error.outcome_told {
            return error;
        }
        if self.stage > 0 {
            return self.noting_written(error);
        }
        if self.request.method == Method::Get {
            return error;
        }
        error.message.push_str("; the provider accepted the request, so it was most likely carried out");
        error.message.push_str(match self.op {
            Operation::Create => ", and the new key's secret, which only this answer held, is lost: list the keys to check and revoke a key whose secret you never saw",
            Operation::Rotate => ", and the new secret, which only this answer held, is lost: list the keys to check, and rotate again (or revoke the new key, where the rotation made one)",
            _ => LIST_TO_CHECK,
        });
        error
    }

    /// What an error response's body says in the provider's envelope (the retry policy
    /// reads its wait and whether the key is missing); empty when the body is not JSON.
    pub fn envelope(&self, response: &HttpResponse) -> Envelope {
        let dialect = self.client.config.provider.dialect();
        response.json().map(|body| dialect.envelope(body)).unwrap_or_default()
    }
}

/// How a message on a write that may have been carried out ends.
const LIST_TO_CHECK: &str = ": list the keys to check";

/// Adds the response's status and request id (the server's text, so redacted) to an
/// error about that response.
fn with_response(mut error: Error, status: u16, request_id: Option<&str>, secrets: &Secrets) -> Error {
    error.status.get_or_insert(status);
    if error.request_id.is_none() {
        error.request_id = request_id.map(|id| quoted(id, secrets));
    }
    error
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::operation::{Call, Operation};
    use crate::providers::{Context, Provider, BUILT};
    use crate::client::Exchange;
    use crate::providers::{Output, Step};
    use crate::testing::{begin, client, respond, NOW};
    use crate::validate::Problems;
    use crate::wire::errors::Envelope;
    use crate::wire::retry::{Attempt, RetryPolicy};
    use crate::wire::{Body, HttpResponse};

    #[test]
    fn format_errors_carry_the_status_and_request_id() {
        let c = client(r#"{"provider":"anthropic","apiKey":"sk-ant-admin01-x"}"#);
        let mut exchange = begin(&c, Operation::Get, Some("apikey_1"), None);
        let response = HttpResponse::new(200, Body::NotJson { bytes: 40 }).with_header("request-id", "req_42");
        let error = exchange.receive(&response, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ResponseFormat);
        assert_eq!((error.status, error.request_id.as_deref()), (Some(200), Some("req_42")));
        assert_eq!((error.provider, error.operation), (Some("anthropic"), Some("get")));
    }

    #[test]
    fn a_request_id_that_echoes_a_secret_is_redacted() {
        let c = client(r#"{"provider":"anthropic","apiKey":"sk-ant-admin01-mgmtkey"}"#);
        for status in [200, 404] {
            let mut exchange = begin(&c, Operation::Get, Some("apikey_1"), None);
            let response = HttpResponse::new(status, Body::NotJson { bytes: 40 }).with_header("request-id", "req_sk-ant-admin01-mgmtkey");
            let error = exchange.receive(&response, NOW).unwrap_err();
            assert_eq!(error.request_id.as_deref(), Some("req_[redacted]"), "HTTP {status}");
        }
    }

    #[test]
    fn a_gateway_credential_in_headers_never_reaches_an_error() {
        let c = client(r#"{"provider":"openrouter","apiKey":"sk-or-v1-mgmt","headers":{"cf-aig-authorization":"Bearer gw_0123456789"}}"#);
        let mut exchange = begin(&c, Operation::Get, Some("abc"), None);
        let body = r#"{"error":{"code":401,"message":"gateway token gw_0123456789 is expired","metadata":{"sent":"Bearer gw_0123456789"}}}"#;
        let response = HttpResponse::new(401, Body::from_text(body.to_string())).with_header("x-request-id", "gw_0123456789-1");
        let error = exchange.receive(&response, NOW).unwrap_err();
        assert_eq!(error.message, "gateway token [redacted] is expired (sent: [redacted]) (HTTP 401)");
        assert_eq!(error.raw.as_deref(), Some(r#"{"error":{"code":401,"message":"gateway token [redacted] is expired","metadata":{"sent":"[redacted]"}}}"#));
    }

    #[test]
    fn nothing_is_built_for_an_unsupported_operation_or_bad_input() {
        let c = client(r#"{"provider":"anthropic","apiKey":"sk-ant-admin01-x"}"#);
        let error = c.begin(Operation::Create, None, None, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnsupportedOperation);
        assert!(error.message.contains("Console"), "says what to do instead: {}", error.message);
        let error = c.begin(Operation::Update, Some(&"".into()), None, NOW).unwrap_err();
        let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["id", "input"]);
    }

    fn retry_after(exchange: &mut Exchange, attempt: Attempt<'_>) {
        assert!(exchange.retry_delay_ms(&RetryPolicy::default(), 0, attempt, NOW, 0.0).is_some(), "retried");
    }

    /// A `delete` whose first attempt may have gone through (no answer, or a 5xx) and whose
    /// retry finds no key is done: the key is gone, as asked. Fluxbase says "not found" in a 500.
    #[test]
    fn a_delete_retried_after_an_attempt_that_may_have_gone_through_finds_the_key_gone() {
        let missing = [
            ("openrouter", respond(404, r#"{"error":{"code":404,"message":"Not found"}}"#)),
            ("gptcore", respond(404, r#"{"errors":[{"status":"404","title":"Not Found"}]}"#)),
            ("fluxbase", respond(500, r#"{"error":"Failed to delete client key: client key not found"}"#)),
        ];
        let server_error = respond(503, "");
        let attempts = [Attempt::ConnectionLost, Attempt::TimedOut, Attempt::Response { response: &server_error, body: &Envelope::default() }];
        for (provider, response) in &missing {
            let c = client(&format!(r#"{{"provider":"{provider}","apiKey":"k","baseUrl":"https://example.com"}}"#));
            for attempt in attempts {
                let mut exchange = begin(&c, Operation::Delete, Some("3f1c9a52-8d7e-4b21-9c55-0a6e2f4b7d10"), None);
                retry_after(&mut exchange, attempt);
                assert!(matches!(exchange.receive(response, NOW), Ok(Step::Done(Output::Deleted))), "{provider} after {attempt:?}");
            }
        }
    }

    /// A first answer "not found", a retry after a 429 (the server did nothing) or a missing
    /// key for another operation stays a `NotFoundError`.
    #[test]
    fn not_found_stays_an_error_unless_a_delete_may_already_have_happened() {
        let c = client(r#"{"provider":"openrouter","apiKey":"k"}"#);
        let not_found = respond(404, r#"{"error":{"code":404,"message":"Not found"}}"#);
        let error_after = |op, attempt: Option<Attempt<'_>>| {
            let mut exchange = begin(&c, op, Some("abc"), (op == Operation::Update).then_some(r#"{"name":"n"}"#));
            if let Some(attempt) = attempt {
                retry_after(&mut exchange, attempt);
            }
            exchange.receive(&not_found, NOW).map(|_| ()).unwrap_err().kind
        };
        let too_many = respond(429, "");
        let rate_limited = Attempt::Response { response: &too_many, body: &Envelope::default() };
        assert_eq!(error_after(Operation::Delete, None), ErrorKind::NotFound);
        assert_eq!(error_after(Operation::Delete, Some(rate_limited)), ErrorKind::NotFound);
        assert_eq!(error_after(Operation::Get, Some(Attempt::ConnectionLost)), ErrorKind::NotFound);
        assert_eq!(error_after(Operation::Update, Some(Attempt::TimedOut)), ErrorKind::NotFound);
    }

    /// An abort that stops a create already sent says the key may have been minted; one
    /// before anything was sent, or of an idempotent request, says only that it was aborted.
    #[test]
    fn an_abort_in_flight_of_a_request_that_is_not_idempotent_says_it_may_have_been_carried_out() {
        let c = client(r#"{"provider":"openrouter","apiKey":"k"}"#);
        let note = "the server may have carried it out before the abort: list the keys to check";
        let create = begin(&c, Operation::Create, None, Some(r#"{"name":"n"}"#));
        let get = begin(&c, Operation::Get, Some("abc"), None);
        for (exchange, in_flight, noted) in [(&create, true, true), (&create, false, false), (&get, true, false)] {
            let error = exchange.aborted(in_flight);
            assert_eq!(error.kind, ErrorKind::Abort);
            assert_eq!(error.message.ends_with(note), noted, "{:?} in flight {in_flight}: {}", exchange.operation(), error.message);
        }
    }

    /// A write answered 2xx with a body that cannot be read says it was most likely carried
    /// out (a create: that the secret is lost); a read says only what is wrong with the body.
    #[test]
    fn an_unreadable_answer_to_an_accepted_write_says_it_was_most_likely_carried_out() {
        let c = client(r#"{"provider":"openrouter","apiKey":"k"}"#);
        let unreadable = respond(201, r#"{"data":{"name":1}}"#);
        let cases = [
            (Operation::Create, None, Some(r#"{"name":"n"}"#), Some("revoke a key whose secret you never saw")),
            (Operation::Update, Some("abc"), Some(r#"{"name":"n"}"#), Some("most likely carried out: list the keys to check")),
            (Operation::Get, Some("abc"), None, None),
        ];
        for (op, id, input, note) in cases {
            let error = begin(&c, op, id, input).receive(&unreadable, NOW).map(|_| ()).unwrap_err();
            assert_eq!(error.kind, ErrorKind::ResponseFormat, "{op:?}");
            assert_eq!(note.map(|n| error.message.contains(n)), note.map(|_| true), "{op:?}: {}", error.message);
            assert_eq!(error.message.contains("carried out"), note.is_some(), "{op:?}: {}", error.message);
        }
        // A 2xx in which the provider says it did not do it gets no such note.
        let refused = begin(&c, Operation::Delete, Some("abc"), None).receive(&respond(200, r#"{"deleted":false}"#), NOW).map(|_| ()).unwrap_err();
        assert_eq!(refused.message, "OpenRouter answered that the key was not deleted");
    }

    /// The full build (the main entry) reads every operation's input, and what a provider
    /// leaves out of its `OFFERS` its dialect refuses too.
    #[test]
    fn the_full_build_reads_every_operation_and_offers_match_the_dialects() {
        for op in Operation::ALL {
            assert!(BUILT.has(op), "{op:?} is left out of the full build");
        }
        for provider in Provider::ALL {
            let options = format!(r#"{{"provider":"{}","apiKey":"k","baseUrl":"https://example.com"}}"#, provider.name());
            let c = client(&options);
            let cx = Context { config: c.config(), now_ms: NOW };
            for op in Operation::ALL.into_iter().filter(|op| !provider.supports(*op)) {
                let call = Call::read(op, Some(&"k".into()), None, &mut Problems::new()).expect("read");
                let error = provider.dialect().request(&call, 0, &cx).unwrap_err();
                assert_eq!(error.kind, ErrorKind::UnsupportedOperation, "{provider:?} {op:?}");
            }
        }
    }
}
