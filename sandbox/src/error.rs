//! [`ApiError`]: one provider-neutral error that each provider renders in its own envelope.

use serde_json::{Map, Value};

/// An error answer before rendering. `status` is the HTTP status; the rest are hints that a
/// provider's envelope may use (GPT Core: `pointer`/`parameter`; Quantum: `code`, `flat`; all:
/// `retry_after` on 429).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    /// Provider-specific machine code (Quantum `code`, Anthropic `error.type` override).
    pub code: Option<String>,
    /// JSON pointer into the request body at fault.
    pub pointer: Option<String>,
    /// Query parameter at fault.
    pub parameter: Option<String>,
    /// Seconds to wait, for 429 bodies that carry a hint.
    pub retry_after: Option<u64>,
    /// Render in the provider's flat variant where it has one (Quantum `{"error":code,"message"}`).
    pub flat: bool,
    /// Extra top-level fields for flat envelopes (Fluxbase `required_scope`, `path`).
    pub extra: Map<String, Value>,
    /// The methods a 405's `Allow` header names, where a provider sends one.
    pub allow: Option<&'static str>,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            code: None,
            pointer: None,
            parameter: None,
            retry_after: None,
            flat: false,
            extra: Map::new(),
            allow: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(405, "Method not allowed")
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, message)
    }

    pub fn too_large() -> Self {
        Self::new(413, "Request body exceeds the 1 MiB limit")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, message)
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn at_parameter(mut self, parameter: impl Into<String>) -> Self {
        self.parameter = Some(parameter.into());
        self
    }

    pub fn flat(mut self) -> Self {
        self.flat = true;
        self
    }

    pub fn with_extra(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_string(), value.into());
        self
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::internal(format!("State could not be saved: {e}"))
    }
}
