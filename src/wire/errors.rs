//! Turning an HTTP error response into an [`Error`], the same way for every provider.
//! Each dialect only says where its envelope keeps the code and message.

use crate::prelude::*;
use crate::error::{Error, ErrorKind};
use crate::wire::redact::{quoted, redact_secrets, Secrets};
use crate::wire::response::{Body, HttpResponse};
use crate::wire::retry::{server_delay_hint_ms, usable_wait_ms};

/// What a provider's error envelope says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Envelope {
    pub code: Option<String>,
    pub message: Option<String>,
    /// A wait asked for in the body (GPT Core `meta.retry_after`, Fluxbase `retry_after`), in ms.
    pub retry_after_ms: Option<f64>,
    /// A request id found in the body (Anthropic `request_id`).
    pub request_id: Option<String>,
    /// The body says the key does not exist (Fluxbase answers a write to a missing key with
    /// 500): a `NotFoundError`, not retried. Read only with a 404 or 500 ([`Envelope::says_not_found`]).
    pub not_found: bool,
}

impl Envelope {
    /// Whether the body's "not found" holds: with a 404, or the 500 of a write to a missing
    /// key. A 401 or 503 saying "key not found" (a proxy's own key, say) keeps its status's kind.
    pub fn says_not_found(&self, status: u16) -> bool {
        self.not_found && matches!(status, 404 | 500)
    }
}

/// The error for a non-2xx `response`.
///
/// `request_id_header` names the provider's request-id header, if it has one.
/// Provider messages are redacted of `secrets` and any prefixed secret.
pub fn http_error(
    response: &HttpResponse,
    envelope: Envelope,
    request_id_header: Option<&str>,
    secrets: &Secrets,
    now_ms: f64,
) -> Error {
    let status = response.status;
    let kind = if envelope.says_not_found(status) { ErrorKind::NotFound } else { ErrorKind::from_status(status) };
    let message = match envelope.message.filter(|m| !crate::text::is_blank(m)) {
        _ if is_redirect(status) => redirect_message(response, secrets),
        Some(m) => text!(quoted(&m, secrets), " (HTTP ", status, ")"),
        None => fallback_message(response),
    };
    let mut error = Error::new(kind, message).with_status(status);
    error.code = envelope.code.map(|c| quoted(&c, secrets));
    // A request id is the server's text too.
    error.request_id = request_id_header
        .and_then(|h| response.read_header(h))
        .map(str::to_string)
        .or(envelope.request_id)
        .map(|id| quoted(&id, secrets));
    error.retry_after_ms = server_delay_hint_ms(response, now_ms).or(envelope.retry_after_ms.and_then(usable_wait_ms));
    error.raw = raw_body(response, secrets);
    error
}

/// The longest error body kept whole as the error's `raw`.
pub const MAX_RAW_ERROR: usize = 16 * 1024;

/// A JSON error body of at most [`MAX_RAW_ERROR`] bytes, redacted, for the error's `raw`: the
/// provider's details the envelope does not map (Anthropic's `details`, OpenRouter's
/// `metadata`). Redacting the text misses a secret written with escapes (`sk-\u006fr-…`),
/// which a reader of the JSON would see whole: a body whose escaped strings are not clean
/// once unescaped is not kept.
fn raw_body(response: &HttpResponse, secrets: &Secrets) -> Option<String> {
    let Body::Json(doc) = &response.body else { return None };
    if doc.text().len() > MAX_RAW_ERROR {
        return None; // before any scan: a body may be 64 MiB of escapes
    }
    let escaped = doc.unescaped_strings();
    (redact_secrets(escaped, secrets) == escaped).then(|| redact_secrets(doc.text(), secrets))
}

/// A redirecting 3xx, or the 0 of a browser's opaque redirect (`redirect: "manual"` hides
/// it). Redirects are not followed: the key's header would go wherever the server points (Node drops only
/// `Authorization` on a cross-origin redirect, not `x-api-key`), even over plain http.
fn is_redirect(status: u16) -> bool {
    matches!(status, 0 | 301 | 302 | 303 | 307 | 308)
}

fn redirect_message(response: &HttpResponse, secrets: &Secrets) -> String {
    let to = match (response.status, response.read_header("location")) {
        (0, _) => String::from(" (the browser hides where to)"),
        (status, Some(to)) => text!(" (HTTP ", status, ") to ", quoted(to, secrets)),
        (status, None) => text!(" (HTTP ", status, ")"),
    };
    text!("the server redirects", to, ", which is not followed, since the request would carry the key there: check baseUrl")
}

fn fallback_message(response: &HttpResponse) -> String {
    let what = match response.body {
        Body::Empty => "an empty body",
        Body::Json(_) => "no error message",
        Body::NotJson { .. } => "a body that is not JSON",
    };
    text!("HTTP ", response.status, " with ", what)
}

/// Seconds (a number or numeric text) as milliseconds.
pub fn seconds_to_ms(value: Option<crate::json::Node<'_>>) -> Option<f64> {
    crate::wire::fields::as_number(value?).map(|seconds| seconds * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_typed_error_with_request_id_and_hint() {
        let response = HttpResponse::new(429, Body::Empty)
            .with_header("Request-Id", "req_1")
            .with_header("Retry-After", "3");
        let envelope = Envelope {
            code: Some("rate_limit_error".into()),
            message: Some("slow down, key mgmt-secret".into()),
            ..Envelope::default()
        };
        let error = http_error(&response, envelope, Some("request-id"), &Secrets::key("mgmt-secret"), 0.0);
        assert_eq!(error.kind, ErrorKind::RateLimit);
        assert_eq!(error.status, Some(429));
        assert_eq!(error.request_id.as_deref(), Some("req_1"));
        assert_eq!(error.retry_after_ms, Some(3000.0));
        assert_eq!(error.message, "slow down, key [redacted] (HTTP 429)");
    }

    #[test]
    fn raw_keeps_the_json_body_redacted_or_nothing() {
        let error_of = |body: &str| {
            let response = HttpResponse::new(400, Body::from_text(body.to_string()));
            http_error(&response, Envelope::default(), None, &Secrets::key("mgmt-secret"), 0.0).raw.clone()
        };
        let body = r#"{"type":"error","error":{"type":"invalid_request_error","message":"limit","details":{"error_code":"workspace_api_key_limit_exceeded","key":"mgmt-secret","other":"sk-ant-api03-AAAAAAAAAAAAAAAAAAAA"}}}"#;
        assert_eq!(
            error_of(body).as_deref(),
            Some(r#"{"type":"error","error":{"type":"invalid_request_error","message":"limit","details":{"error_code":"workspace_api_key_limit_exceeded","key":"[redacted]","other":"sk-ant-[redacted]"}}}"#)
        );
        // Escapes a scan of the text cannot see through: the body is not kept at all.
        assert_eq!(error_of(r#"{"error":{"message":"sk-ant-api03-\u0041AAAAAAAAAAAAAAAAAAA"}}"#), None);
        assert_eq!(error_of(r#"{"error":{"message":"mgmt\u002dsecret"}}"#), None);
        // Escapes that hide nothing are kept as they are.
        assert_eq!(error_of(r#"{"error":{"message":"caf\u00e9 \"quoted\""}}"#).as_deref(), Some(r#"{"error":{"message":"caf\u00e9 \"quoted\""}}"#));
        assert_eq!(error_of("<html>Bad gateway</html>"), None, "not JSON");
        assert_eq!(error_of(""), None, "no body");
        let big = text!(r#"{"error":""#, "x".repeat(MAX_RAW_ERROR), r#""}"#);
        assert_eq!(error_of(&big), None, "over the limit");
    }

    #[test]
    fn a_hint_that_is_no_wait_is_not_passed_on() {
        for hint in [-5000.0, f64::INFINITY, f64::NAN] {
            let envelope = Envelope { retry_after_ms: Some(hint), ..Envelope::default() };
            let error = http_error(&HttpResponse::new(429, Body::Empty), envelope, None, &Secrets::key(""), 0.0);
            assert_eq!(error.retry_after_ms, None, "{hint}");
        }
    }

    #[test]
    fn a_redirect_is_reported_not_followed_and_its_target_redacted() {
        let response = HttpResponse::new(301, Body::Empty).with_header("Location", "http://elsewhere.test/k?key=mgmt%2Bsecret");
        let envelope = Envelope { message: Some("Moved".into()), ..Envelope::default() };
        let error = http_error(&response, envelope, None, &Secrets::key("mgmt+secret"), 0.0);
        assert_eq!(error.kind, ErrorKind::Api);
        assert_eq!(
            error.message,
            "the server redirects (HTTP 301) to http://elsewhere.test/k?key=[redacted], which is not followed, since the request would carry the key there: check baseUrl"
        );
        let opaque = http_error(&HttpResponse::new(0, Body::Empty), Envelope::default(), None, &Secrets::key(""), 0.0);
        assert!(opaque.message.starts_with("the server redirects (the browser hides where to), which is not followed"), "{}", opaque.message);
        let unplaced = http_error(&HttpResponse::new(307, Body::Empty), Envelope::default(), None, &Secrets::key(""), 0.0);
        assert!(unplaced.message.starts_with("the server redirects (HTTP 307), which"), "{}", unplaced.message);
    }

    #[test]
    fn explains_a_response_without_a_message() {
        let response = HttpResponse::new(502, Body::NotJson { bytes: 120 });
        let error = http_error(&response, Envelope::default(), None, &Secrets::key(""), 0.0);
        assert_eq!(error.kind, ErrorKind::Server);
        assert_eq!(error.message, "HTTP 502 with a body that is not JSON");
    }
}
