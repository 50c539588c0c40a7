//! An HTTP response as a value, with its body already decoded by the shell.

use crate::json::Json;

/// A response body. The shell decodes text with JS's `JSON.parse`; the core never sees bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No body (e.g. 204), or only whitespace.
    Empty,
    Json(Json),
    /// The body was not JSON. Only its size is kept: it might echo a secret.
    NotJson { bytes: usize },
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
