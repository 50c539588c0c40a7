//! One error type for every provider: a stable `kind` for programs, a plain sentence for people.
//!
//! Rule: no message built here or kept from a provider may carry a secret; provider
//! messages pass through [`crate::wire::redact::redact_secrets`] before they are stored.

use crate::prelude::*;
use serde::Serialize;
use core::fmt;

/// What went wrong, and so which JS class the error becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Occurs when an input is refused before any request is sent.
    Validation,
    /// Occurs when the provider does not offer the operation; nothing is sent.
    UnsupportedOperation,
    /// 400 or 422: the provider refused the request.
    BadRequest,
    /// 401: the management key is missing or wrong.
    Authentication,
    /// 403: the key may not do this.
    Permission,
    /// 404: no such key or route.
    NotFound,
    /// 409: the key's state does not allow this.
    Conflict,
    /// 429: too many requests; see `retry_after_ms`.
    RateLimit,
    /// 5xx: the provider failed.
    Server,
    /// Any other HTTP status.
    Api,
    /// The request took longer than `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Abort,
    /// No complete response arrived: the connection failed or dropped, or the body was too large.
    Network,
    /// The response was not what the provider documents (not JSON, a missing field, …).
    ResponseFormat,
}

impl ErrorKind {
    /// The JS class name this kind becomes.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "ValidationError",
            ErrorKind::UnsupportedOperation => "UnsupportedOperationError",
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::Permission => "PermissionError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::Conflict => "ConflictError",
            ErrorKind::RateLimit => "RateLimitError",
            ErrorKind::Server => "ServerError",
            ErrorKind::Api => "ApiKeysError",
            ErrorKind::Timeout => "TimeoutError",
            ErrorKind::Abort => "AbortError",
            ErrorKind::Network => "NetworkError",
            ErrorKind::ResponseFormat => "ResponseFormatError",
        }
    }

    /// The kind an HTTP error status maps to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 | 422 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::Permission,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Api,
        }
    }
}

/// One refused input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's path as the caller wrote it, e.g. `budget.limit`.
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// An error from any operation: its details live behind one pointer, so `Result<T, Error>` stays small
/// and every `?` moves a word instead of the whole record (measured: smaller, faster wasm).
#[derive(Clone, PartialEq)]
pub struct Error(Box<ErrorDetails>);

/// What an [`Error`] says; its fields are read and set through the `Error` itself.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    pub message: String,
    pub provider: Option<&'static str>,
    pub operation: Option<&'static str>,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The provider's error code or type (e.g. `not_found_error`).
    pub code: Option<String>,
    /// The provider's request id, when it sends one.
    pub request_id: Option<String>,
    /// How long the provider asked us to wait, when it said.
    pub retry_after_ms: Option<f64>,
    /// Every refused field (validation errors only).
    pub fields: Vec<FieldError>,
    /// The provider's error body as JSON text, redacted of secrets (see `wire::errors`).
    pub raw: Option<String>,
    /// The message already says what the provider did with a write it answered 2xx (it said
    /// it did not, or what to do about the key it made): nothing more is added to it.
    pub outcome_told: bool,
}

impl core::ops::Deref for Error {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl core::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Error {
    /// The refused fields, taken out of the error.
    pub fn into_fields(self) -> Vec<FieldError> {
        self.0.fields
    }

    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(ErrorDetails {
            kind,
            message: message.into(),
            provider: None,
            operation: None,
            status: None,
            code: None,
            request_id: None,
            retry_after_ms: None,
            fields: Vec::new(),
            raw: None,
            outcome_told: false,
        }))
    }

    /// A validation error listing every bad field ("invalid input: …").
    pub fn validation(fields: Vec<FieldError>) -> Error {
        Error::invalid("input", fields)
    }

    /// A validation error about `subject` ("invalid {subject}: field: message; …").
    /// The message tells the first [`MESSAGE_FIELDS`]; `fields` holds them all.
    pub fn invalid(subject: &str, fields: Vec<FieldError>) -> Error {
        let mut message = text!("invalid ", subject, ": ");
        for (i, f) in fields.iter().enumerate() {
            if i == MESSAGE_FIELDS {
                message.push_str(&text!("; and ", fields.len() - i, " more (see fields)"));
                break;
            }
            if i > 0 {
                message.push_str("; ");
            }
            message.push_str(&f.field);
            message.push_str(": ");
            message.push_str(&f.message);
        }
        let mut error = Error::new(ErrorKind::Validation, message);
        error.fields = fields;
        error
    }

    /// This error and `other` as one, so that every argument's problems are reported at
    /// once: two validation errors list both's fields, in order; otherwise this one stands.
    /// Two results are joined with [`both!`].
    pub fn joined(mut self, other: Option<Error>) -> Error {
        match other {
            Some(other) if self.kind == ErrorKind::Validation && other.kind == ErrorKind::Validation => {
                self.message = text!(self.message, "; ", other.message);
                self.fields.extend(other.into_fields());
            }
            _ => {}
        }
        self
    }

    /// The caller's `AbortSignal` ended the call.
    pub fn aborted() -> Error {
        Error::new(ErrorKind::Abort, "the request was aborted by the caller's AbortSignal")
    }

    /// A response that does not have the documented shape.
    pub fn format(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::ResponseFormat, message)
    }

    /// A 2xx whose body says what became of the write (see [`ErrorDetails::outcome_told`]).
    pub fn format_telling_outcome(message: impl Into<String>) -> Error {
        let mut error = Error::format(message);
        error.outcome_told = true;
        error
    }

    pub fn with_status(mut self, status: u16) -> Error {
        self.status = Some(status);
        self
    }

    pub fn with_context(mut self, provider: &'static str, operation: &'static str) -> Error {
        self.provider.get_or_insert(provider);
        self.operation.get_or_insert(operation);
        self
    }

    /// A validation error with `secrets` and anything shaped like a secret redacted from its
    /// field paths and message: a caller may type a key into a member's name (a header's,
    /// say) or give it where another value belongs. Other errors are left as they are (what
    /// a server wrote is redacted as it is read).
    pub fn without_secrets(mut self, secrets: &crate::wire::redact::Secrets) -> Error {
        if self.kind == ErrorKind::Validation {
            self.message = crate::wire::redact::redact_secrets(&self.message, secrets);
            for field in &mut self.fields {
                field.field = crate::wire::redact::redact_secrets(&field.field, secrets);
            }
        }
        self
    }
}

/// Both values of two `Result`s with `Error`s, or their errors [joined](Error::joined):
/// `both!(a, b)` is a `Result<(A, B), Error>`. A macro, written out where it is used: a
/// generic function was an instance per pair of types, 0.2–0.3 KB of wasm each. (Only the
/// wasm shell reads several arguments.)
#[cfg(target_arch = "wasm32")]
macro_rules! both {
    ($a:expr, $b:expr) => {
        match ($a, $b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (Err(a), b) => Err(a.joined(b.err())),
            (Ok(_), Err(b)) => Err(b),
        }
    };
}
#[cfg(target_arch = "wasm32")]
pub(crate) use both;

/// How many problems a validation error's message tells (an array of 5 000 bad items
/// would make a message of hundreds of kilobytes).
pub const MESSAGE_FIELDS: usize = 20;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message tells the first 20 problems and counts the rest; `fields` has them all.
    #[test]
    fn a_validation_message_stays_short_however_many_fields() {
        let field = |i: usize| FieldError { field: text!("scopes[", i, "]"), message: "must be a string".into() };
        let error = Error::validation((0..5000).map(field).collect());
        assert_eq!(error.fields.len(), 5000);
        assert!(error.message.ends_with("scopes[19]: must be a string; and 4980 more (see fields)"), "{}", error.message);
        assert!(error.message.len() < 1000);
        let few = Error::validation((0..20).map(field).collect());
        assert!(few.message.ends_with("scopes[19]: must be a string"), "{}", few.message);
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(ErrorKind::from_status(401), ErrorKind::Authentication);
        assert_eq!(ErrorKind::from_status(403), ErrorKind::Permission);
        assert_eq!(ErrorKind::from_status(404), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_status(409), ErrorKind::Conflict);
        assert_eq!(ErrorKind::from_status(429), ErrorKind::RateLimit);
        assert_eq!(ErrorKind::from_status(503), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(529), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(418), ErrorKind::Api);
    }

    #[test]
    fn validation_message_names_every_field() {
        let e = Error::validation(vec![
            FieldError { field: "name".into(), message: "must not be empty".into() },
            FieldError { field: "budget.limit".into(), message: "must be 0 or more".into() },
        ]);
        assert_eq!(e.message, "invalid input: name: must not be empty; budget.limit: must be 0 or more");
        assert_eq!(e.fields.len(), 2);
    }
}
