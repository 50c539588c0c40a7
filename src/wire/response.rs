//! An HTTP response as a value, with its body already decoded by the shell.

use crate::prelude::*;
use crate::json::{Doc, Node};

/// A response body, decoded by [`Body::from_bytes`].
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No body (e.g. 204), or only whitespace.
    Empty,
    /// Read into a tape: fields are read from the text in place.
    Json(Doc),
    /// The body was not JSON. Only its size is kept: it might echo a secret.
    NotJson { bytes: usize },
}

impl Body {
    /// Reads a body's bytes as `fetch`'s `text()` would (invalid UTF-8 replaced, a
    /// leading byte-order mark dropped), then as JSON. Anything else keeps only its size:
    /// it might echo a secret.
    pub fn from_bytes(bytes: &[u8]) -> Body {
        Body::from_text(String::from_utf8_lossy(bytes).into_owned())
    }

    /// Reads a body already decoded, as `fetch`'s `text()` gives it.
    pub fn from_text(mut text: String) -> Body {
        if let Some(rest) = text.strip_prefix('\u{feff}') {
            text = rest.to_string(); // a copy, rarely: `remove` or `drain` link a panic path each
        }
        if crate::text::is_blank(&text) {
            return Body::Empty;
        }
        let bytes = text.len();
        match Doc::parse(text) {
            Ok(doc) => Body::Json(doc),
            Err(_) => Body::NotJson { bytes },
        }
    }
}

/// The response headers the library reads: request ids first, then retry hints, which only
/// error responses need (a 2xx is never retried, `wire::retry`, and only a non-2xx becomes
/// an HTTP error, `wire::errors`). They are the only ones the wasm shell passes in
/// (runtime.js keeps a copy, checked by a test; of a 2xx response only
/// [`success_headers`]), so a response's other headers never cross. The core reads
/// headers through `HttpResponse::read_header`, which checks in debug builds that a name
/// is listed.
pub const READ_HEADERS: &[&str] = &["request-id", "x-qai-request-id", "x-request-id", "retry-after", "retry-after-ms", "x-should-retry", "location"];

/// The request-id headers of [`READ_HEADERS`] (its first three): what a logged 2xx passes in.
pub const REQUEST_ID_HEADERS: &[&str] = READ_HEADERS.split_at(3).0;

/// The headers read from a 2xx response (of others, all of [`READ_HEADERS`]): the
/// provider's request-id header, which an error about the body carries, or every request-id
/// header when responses are logged. Each header read costs a JS runtime about a microsecond.
pub fn success_headers(provider_header: Option<&'static str>, logged: bool) -> Vec<&'static str> {
    match (logged, provider_header) {
        (true, _) => REQUEST_ID_HEADERS.to_vec(),
        (false, Some(header)) => vec![header],
        (false, None) => Vec::new(),
    }
}

/// A response: status, lower-case header names, decoded body.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl HttpResponse {
    pub fn new(status: u16, body: Body) -> HttpResponse {
        HttpResponse { status, headers: Vec::new(), body }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> HttpResponse {
        self.headers.push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// [`HttpResponse::header`] for the core's own reads, which must name a header of
    /// [`READ_HEADERS`] (the only ones the wasm shell passes in): checked in debug builds.
    pub(crate) fn read_header(&self, name: &str) -> Option<&str> {
        debug_assert!(READ_HEADERS.contains(&name), "{name} is not in READ_HEADERS");
        self.header(name)
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The JSON body, or `None` when there is none or it is not JSON.
    pub fn json(&self) -> Option<Node<'_>> {
        match &self.body {
            Body::Json(doc) => Some(doc.root()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn json_body(text: &str) -> Body {
        Body::Json(Doc::parse(text.into()).unwrap())
    }

    #[test]
    fn bodies_read_like_fetch_text_then_json() {
        assert_eq!(Body::from_bytes(b" \n"), Body::Empty);
        assert_eq!(Body::from_bytes(b"\xef\xbb\xbf{\"a\":1}"), json_body(r#"{"a":1}"#));
        assert_eq!(Body::from_bytes(b"[\"\xff\"]"), json_body("[\"\u{FFFD}\"]"));
        let Body::Json(doc) = Body::from_bytes(b"{\"a\":1}") else { panic!("JSON") };
        assert_eq!(Json::from(doc.root()), Json::parse(r#"{"a":1}"#).unwrap());
        assert_eq!(Body::from_bytes(b"<html>sk-secret</html>"), Body::NotJson { bytes: 22 });
        let shown = format!("{:?}", Body::from_bytes(br#"{"key":"sk-secret"}"#));
        assert_eq!(shown, "Json(Doc { bytes: 19 })", "a body's Debug shows no content: it may hold a secret");
    }

    /// runtime.js passes only the response headers of its copy of `READ_HEADERS`.
    #[test]
    fn runtime_js_copy_of_read_headers_matches() {
        let runtime = include_str!("../js/runtime.js");
        let start = runtime.find("const READ_HEADERS = ").expect("runtime.js defines READ_HEADERS");
        let line = runtime[start..].lines().next().unwrap();
        let copy = line.trim_start_matches("const READ_HEADERS = ").trim_end_matches(';');
        let names: Vec<String> = serde_json::from_str(copy).expect("READ_HEADERS is a JSON array of strings");
        assert_eq!(names, READ_HEADERS, "update READ_HEADERS in src/js/runtime.js");
        assert!(REQUEST_ID_HEADERS.iter().all(|h| h.ends_with("request-id")), "the request ids come first");
    }

    /// What errors and logs read from a 2xx response is among what the shell passes in.
    #[test]
    fn success_headers_hold_what_errors_and_logs_read() {
        for provider in crate::providers::Provider::ALL {
            let header = provider.dialect().request_id_header();
            assert!(header.is_none_or(|h| REQUEST_ID_HEADERS.contains(&h)), "{provider:?}");
            assert_eq!(success_headers(header, false), Vec::from_iter(header), "{provider:?}: only its own id");
            assert_eq!(success_headers(header, true), REQUEST_ID_HEADERS, "{provider:?}: logs read every id");
        }
    }
}
