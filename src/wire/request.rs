//! An HTTP request as a value. The shell sends it; nothing here does I/O.

use crate::prelude::*;
use crate::json::Json;
use crate::wire::redact::{redact_secrets, Secrets};
use core::fmt;

/// The HTTP methods the providers' key APIs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready to send. `idempotent` says whether sending it twice is harmless,
/// which is what the retry policy reads (a `create` is never idempotent).
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub idempotent: bool,
}

/// The headers whose values logs and `Debug` show: the library's own that hold no
/// credential. Any other (the provider's auth, and every header a caller adds, which may
/// be a proxy's or an access gateway's credential under any name) shows as `[redacted]`.
const SHOWN_HEADERS: [&str; 3] = ["accept", "content-type", "anthropic-version"];

impl HttpRequest {
    /// A request with no headers and no body; GET, PATCH and DELETE count as idempotent.
    pub fn new(method: Method, url: String) -> HttpRequest {
        HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: None,
            idempotent: method != Method::Post,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> HttpRequest {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets a JSON body and its content type.
    pub fn json(self, body: &Json, content_type: &str) -> HttpRequest {
        let mut request = self.header("content-type", content_type);
        request.body = Some(body.to_string());
        request
    }

    /// Marks the request as safe (or unsafe) to send twice.
    pub fn idempotent(mut self, idempotent: bool) -> HttpRequest {
        self.idempotent = idempotent;
        self
    }

    /// The value of header `name` (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Prints method, URL and header names; credential values are redacted.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                (k.as_str(), shown_header_value(k, v, &Secrets::default()))
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_bytes", &self.body.as_ref().map(String::len))
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// A header's value as logs and `Debug` show it (`name` lower-case): `[redacted]` unless
/// it is one of [`SHOWN_HEADERS`], and even then without the client's `secrets` or anything
/// shaped like a provider's secret.
pub fn shown_header_value(name: &str, value: &str, secrets: &Secrets) -> String {
    if SHOWN_HEADERS.contains(&name) { redact_secrets(value, secrets) } else { "[redacted]".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_credentials() {
        let r = HttpRequest::new(Method::Get, "https://x/keys".into())
            .header("Authorization", "Bearer sk-or-v1-secret")
            .header("X-Api-Key", "qai_k_secret")
            .header("anthropic-version", "2023-06-01");
        let shown = format!("{:?}", r);
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("2023-06-01"));
    }

    #[test]
    fn only_the_librarys_own_plain_headers_are_shown() {
        for name in ["authorization", "proxy-authorization", "x-api-key", "cookie", "dpop", "x-pat", "x-hub-signature-256", "x-trace"] {
            assert_eq!(shown_header_value(name, "Basic cHJveHk6c2VjcmV0", &Secrets::key("k")), "[redacted]", "{name}");
        }
        assert_eq!(shown_header_value("anthropic-version", "2023-06-01", &Secrets::key("k")), "2023-06-01");
        let shown = shown_header_value("accept", "sk-or-v1-TOPSECRET and mgmt-key-1234", &Secrets::key("mgmt-key-1234"));
        assert_eq!(shown, "sk-or-v1-[redacted] and [redacted]");
    }

    #[test]
    fn post_is_not_idempotent_by_default() {
        assert!(!HttpRequest::new(Method::Post, "u".into()).idempotent);
        assert!(HttpRequest::new(Method::Delete, "u".into()).idempotent);
    }
}
