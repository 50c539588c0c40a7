//! `apikeys-sandbox`: a stateful loopback HTTP/1.1 server emulating the key-management APIs of
//! OpenRouter, GPT Core, Quantum AI, Anthropic Admin and Fluxbase, with a control API for tests
//! (`/_sandbox/…`), fault injection and optional JSON persistence. See `README.md`.

// `ApiError` is large (it carries every envelope hint); errors are rare, so size does not matter here.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod control;
pub mod error;
pub mod faults;
pub mod http;
pub mod ids;
pub mod providers;
pub mod static_files;
pub mod store;
pub mod time;

#[cfg(test)]
mod testutil;

pub use app::{start, App, Config, Running};
pub use error::ApiError;
pub use providers::ProviderId;
