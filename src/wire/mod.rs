//! Sans-IO mechanics shared by every provider: requests and responses as values,
//! path and query encoding, paging, retry decisions, secret redaction.

pub mod errors;
pub mod fields;
pub mod paging;
pub mod path;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;

pub use request::{HttpRequest, Method};
pub use response::{Body, HttpResponse};
