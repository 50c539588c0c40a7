//! An HTTP response as a value, with its body already decoded by the shell.

use crate::prelude::*;
use crate::json::Json;

/// A response body, decoded by [`Body::from_bytes`].
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No body (e.g. 204), or only whitespace.
    Empty,
    Json(Json),
    /// The body was not JSON. Only its size is kept: it might echo a secret.
    NotJson { bytes: usize },
}

impl Body {
    /// Reads a body's bytes as `fetch`'s `text()` would (invalid UTF-8 replaced, a
    /// leading byte-order mark dropped), then as JSON. Anything else keeps only its size:
    /// it might echo a secret.
    pub fn from_bytes(bytes: &[u8]) -> Body {
        Body::from_text(&String::from_utf8_lossy(bytes))
    }

    /// Reads a body already decoded, as `fetch`'s `text()` gives it.
    pub fn from_text(text: &str) -> Body {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Body::Empty;
        }
        match Json::parse(text) {
            Ok(json) => Body::Json(json),
            Err(_) => Body::NotJson { bytes: text.len() },
        }
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

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The JSON body, or `None` when there is none or it is not JSON.
    pub fn json(&self) -> Option<&Json> {
        match &self.body {
            Body::Json(json) => Some(json),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_read_like_fetch_text_then_json() {
        assert_eq!(Body::from_bytes(b" \n"), Body::Empty);
        assert_eq!(Body::from_bytes(b"\xef\xbb\xbf{\"a\":1}"), Body::Json(Json::parse(r#"{"a":1}"#).unwrap()));
        assert_eq!(Body::from_bytes(b"[\"\xff\"]"), Body::Json(Json::parse("[\"\u{FFFD}\"]").unwrap()));
        assert_eq!(Body::from_bytes(b"<html>sk-secret</html>"), Body::NotJson { bytes: 22 });
    }
}
