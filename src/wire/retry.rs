//! Retry decisions, as pure functions: given what happened on an attempt, wait how
//! long before the next one, or stop.
//!
//! Rules: a request that is not idempotent (create, rotate) is retried only after a
//! 429 (the provider did nothing), a 408 (it never had the whole request) or when no
//! connection was made (nothing was sent).
//! Server hints (`retry-after-ms`, `Retry-After` in seconds or as an HTTP date, body
//! hints) are used when they are sane: negative, non-numeric or over `max_delay_ms` hints
//! fall back to exponential backoff.

use crate::json::parse_decimal;
use crate::wire::errors::Envelope;
use crate::time::parse_http_date;
use crate::wire::response::HttpResponse;

/// How the client retries.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    /// The longest wait accepted from a server hint.
    pub max_delay_ms: f64,
    /// The first backoff step.
    pub initial_delay_ms: f64,
    /// The longest computed backoff.
    pub max_backoff_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy { max_retries: 2, max_delay_ms: 60_000.0, initial_delay_ms: 500.0, max_backoff_ms: 8_000.0 }
    }
}

/// What an attempt ended with.
#[derive(Clone, Copy, Debug)]
pub enum Attempt<'a> {
    /// A response arrived; `body` is what its provider's error envelope says (a wait, a
    /// missing key), empty for a success.
    Response { response: &'a HttpResponse, body: &'a Envelope },
    /// The connection failed or dropped: the server may or may not have acted.
    ConnectionLost,
    /// No connection was made (refused, the host not found): nothing reached the server.
    NotSent,
    /// The attempt timed out: the server may or may not have acted.
    TimedOut,
}

impl Attempt<'_> {
    /// Whether the server may have carried the request out: no answer came, or a 5xx
    /// did (a 429, a 408 or another 4xx says it did nothing).
    pub fn may_have_acted(&self) -> bool {
        match self {
            Attempt::Response { response, body } => response.status >= 500 && !body.says_not_found(response.status),
            Attempt::ConnectionLost | Attempt::TimedOut => true,
            Attempt::NotSent => false,
        }
    }

    /// A failed attempt by the runtime's system error `code`: one made before any connection
    /// (Node's codes) sent nothing; any other may have.
    pub fn failed_with(code: Option<&str>) -> Attempt<'static> {
        match code {
            Some("ECONNREFUSED" | "ENOTFOUND" | "EAI_AGAIN" | "EHOSTUNREACH" | "ENETUNREACH" | "UND_ERR_CONNECT_TIMEOUT") => Attempt::NotSent,
            _ => Attempt::ConnectionLost,
        }
    }
}

/// The wait before retry number `retry` (0-based), or `None` to stop.
/// `random` is a number in `[0, 1)` used for jitter.
pub fn next_delay_ms(policy: &RetryPolicy, retry: u32, idempotent: bool, attempt: Attempt<'_>, now_ms: f64, random: f64) -> Option<f64> {
    if retry >= policy.max_retries {
        return None;
    }
    let hint = match attempt {
        Attempt::Response { response, body } => {
            if body.says_not_found(response.status) || !should_retry_response(response, idempotent) {
                return None;
            }
            server_delay_hint_ms(response, now_ms).or(body.retry_after_ms.and_then(usable_wait_ms))
        }
        Attempt::ConnectionLost | Attempt::TimedOut if idempotent => None,
        Attempt::ConnectionLost | Attempt::TimedOut => return None,
        // Nothing was sent: safe to send again, even a create.
        Attempt::NotSent => None,
    };
    let sane_hint = hint.filter(|ms| *ms <= policy.max_delay_ms);
    Some(sane_hint.unwrap_or_else(|| backoff_ms(policy, retry, random)))
}

/// Whether a response status is worth another attempt.
fn should_retry_response(response: &HttpResponse, idempotent: bool) -> bool {
    let status = response.status;
    if response.is_success() {
        return false;
    }
    // Neither was carried out: a 429 refused the request, and a 408 says the server never
    // had all of it (RFC 9110 lets a client repeat it). So even a create may go again.
    if status == 429 || status == 408 {
        return true;
    }
    if !idempotent {
        return false;
    }
    match response.read_header("x-should-retry") {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status, 500..=599)
}

/// Exponential backoff with jitter: `initial * 2^retry`, capped, less up to 25 %.
pub fn backoff_ms(policy: &RetryPolicy, retry: u32, random: f64) -> f64 {
    let exp = policy.initial_delay_ms * (1u64 << retry.min(30)) as f64;
    let capped = exp.min(policy.max_backoff_ms);
    capped * (1.0 - 0.25 * random.clamp(0.0, 1.0))
}

/// The wait a response's headers ask for: `retry-after-ms`, then `retry-after`
/// (seconds or HTTP date), the first that is a wait at all (finite, not negative: an
/// unusable one does not hide the next). The caller decides whether it is too long.
pub fn server_delay_hint_ms(response: &HttpResponse, now_ms: f64) -> Option<f64> {
    let number = |name, scale| Some(parse_decimal(crate::text::trimmed(response.read_header(name)?))? * scale).and_then(usable_wait_ms);
    number("retry-after-ms", 1.0).or_else(|| number("retry-after", 1000.0)).or_else(|| {
        let at = parse_http_date(crate::text::trimmed(response.read_header("retry-after")?))?;
        usable_wait_ms((at - now_ms).max(0.0))
    })
}

/// `ms` if it is a wait: finite and not negative.
pub fn usable_wait_ms(ms: f64) -> Option<f64> {
    (ms.is_finite() && ms >= 0.0).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::response::Body;

    fn status(code: u16) -> HttpResponse {
        HttpResponse::new(code, Body::Empty)
    }

    fn decide(retry: u32, idempotent: bool, response: &HttpResponse) -> Option<f64> {
        let attempt = Attempt::Response { response, body: &Envelope::default() };
        next_delay_ms(&RetryPolicy::default(), retry, idempotent, attempt, 0.0, 0.0)
    }

    #[test]
    fn create_is_retried_only_after_429_or_408() {
        assert_eq!(decide(0, false, &status(429)), Some(500.0));
        assert_eq!(decide(0, false, &status(408)), Some(500.0));
        assert_eq!(decide(0, false, &status(409)), None);
        assert_eq!(decide(0, false, &status(503)), None);
        assert_eq!(decide(0, false, &status(500)), None);
        let p = RetryPolicy::default();
        assert_eq!(next_delay_ms(&p, 0, false, Attempt::ConnectionLost, 0.0, 0.0), None);
        assert_eq!(next_delay_ms(&p, 0, false, Attempt::TimedOut, 0.0, 0.0), None);
    }

    /// A connection never made sent nothing: a create is tried again, and nothing is unsure.
    #[test]
    fn a_connection_never_made_is_retried_even_for_a_create() {
        let p = RetryPolicy::default();
        for code in ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"] {
            let attempt = Attempt::failed_with(Some(code));
            assert_eq!(next_delay_ms(&p, 0, false, attempt, 0.0, 0.0), Some(500.0), "{code}");
            assert!(!attempt.may_have_acted(), "{code}");
        }
        for code in [Some("UND_ERR_SOCKET"), Some("ECONNRESET"), None] {
            let attempt = Attempt::failed_with(code);
            assert_eq!(next_delay_ms(&p, 0, false, attempt, 0.0, 0.0), None, "{code:?}: the request may have arrived");
            assert!(attempt.may_have_acted(), "{code:?}");
        }
        let missing = Envelope { not_found: true, ..Envelope::default() };
        assert!(!Attempt::Response { response: &status(500), body: &missing }.may_have_acted(), "a 500 that says the key is missing did nothing");
    }

    #[test]
    fn idempotent_requests_retry_on_server_errors_and_lost_connections() {
        for code in [408, 500, 502, 503, 504, 529] {
            assert_eq!(decide(0, true, &status(code)), Some(500.0), "{code}");
        }
        for code in [400, 401, 403, 404, 409, 422] {
            assert_eq!(decide(0, true, &status(code)), None, "{code}");
        }
        let p = RetryPolicy::default();
        assert_eq!(next_delay_ms(&p, 1, true, Attempt::ConnectionLost, 0.0, 0.0), Some(1000.0));
        assert_eq!(decide(2, true, &status(503)), None, "max_retries reached");
    }

    #[test]
    fn provider_can_mark_a_conflict_retryable() {
        let r = status(409).with_header("x-should-retry", "true");
        assert_eq!(decide(0, true, &r), Some(500.0));
    }

    #[test]
    fn sane_hints_are_honoured_and_others_ignored() {
        let at = |h: &str, v: &str| decide(0, true, &status(503).with_header(h, v));
        assert_eq!(at("retry-after", "2"), Some(2000.0));
        assert_eq!(at("retry-after-ms", "150"), Some(150.0));
        assert_eq!(at("retry-after", "Thu, 01 Jan 1970 00:00:03 GMT"), Some(3000.0));
        assert_eq!(at("retry-after", "-5"), Some(500.0));
        assert_eq!(at("retry-after", "soon"), Some(500.0));
        assert_eq!(at("retry-after", "3600"), Some(500.0));
        let both = |ms: &str| server_delay_hint_ms(&status(503).with_header("retry-after-ms", ms).with_header("retry-after", "2"), 0.0);
        assert_eq!(both("-1"), Some(2000.0), "an unusable hint does not hide the next");
        assert_eq!(both("1e400"), Some(2000.0));
        assert_eq!(server_delay_hint_ms(&status(503).with_header("retry-after", "1e306"), 0.0), None, "not finite in ms");
        let hint = Envelope { retry_after_ms: Some(7000.0), ..Envelope::default() };
        let body = Attempt::Response { response: &status(429), body: &hint };
        assert_eq!(next_delay_ms(&RetryPolicy::default(), 0, false, body, 0.0, 0.0), Some(7000.0));
    }

    #[test]
    fn a_body_saying_the_key_is_missing_is_not_retried() {
        let missing = Envelope { not_found: true, ..Envelope::default() };
        let attempt = Attempt::Response { response: &status(500), body: &missing };
        assert_eq!(next_delay_ms(&RetryPolicy::default(), 0, true, attempt, 0.0, 0.0), None);
    }

    #[test]
    fn backoff_grows_caps_and_jitters_down() {
        let p = RetryPolicy::default();
        assert_eq!(backoff_ms(&p, 0, 0.0), 500.0);
        assert_eq!(backoff_ms(&p, 3, 0.0), 4000.0);
        assert_eq!(backoff_ms(&p, 10, 0.0), 8000.0);
        assert_eq!(backoff_ms(&p, 0, 1.0), 375.0);
    }
}
