//! # apikeys
//!
//! Manage API keys on GPT Core, Quantum AI, OpenRouter, Anthropic Admin and Fluxbase,
//! from one canonical model. Compiled to WebAssembly it is the npm package
//! `apikeys-wasm` (the `ApiKeys` class in [`js`]); natively it is a sans-IO library.
//!
//! ## The sans-IO contract
//! The core does no I/O and reads no clock. [`Client::begin`] turns an operation and
//! its input into an [`HttpRequest`] value (or a `ValidationError` listing every bad
//! field, with nothing sent); [`Exchange::receive`] turns an [`HttpResponse`] value
//! into a result. Retry decisions ([`wire::retry`]) and paging ([`wire::paging`]) are
//! pure functions too. The shell in [`js`] performs `fetch`, timers and conversions.

// Outputs (a page, a key) are moved once per call; boxing them would only add an allocation.
#![allow(clippy::large_enum_variant)]
// Without the `std` feature (the release wasm, see `Cargo.toml`) the crate is `no_std`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

/// What std's prelude would give, for the `no_std` build.
#[allow(unused_imports)]
mod prelude {
    pub use alloc::{borrow::ToOwned, boxed::Box, string::String, string::ToString, vec, vec::Vec};
    pub(crate) use crate::text::text;
}

/// A panic ends the wasm instance, as `panic = "abort"` does with std; the message is not
/// formatted, so none of the formatting machinery is linked. (The library does not panic
/// by design: see the fuzz and hostile-input tests.)
#[cfg(all(not(feature = "std"), target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

pub mod client;
pub mod config;
pub mod error;
// The wasm's allocator (tested natively).
#[cfg(any(test, target_arch = "wasm32"))]
mod heap;
/// The JSON value, reader and writer (the `apikeys-json` crate and its hot path,
/// `apikeys-json-tape`: see their `Cargo.toml`).
pub use apikeys_json as json;
pub mod model;
pub mod operation;
pub mod providers;
pub mod time;
mod text;
pub mod validate;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod js;

#[cfg(test)]
mod testing;
// Lets code shared with the integration tests name the crate as they do.
#[cfg(test)]
extern crate self as apikeys;

pub use client::{Client, Exchange};
pub use config::Config;
pub use error::{Error, ErrorKind, FieldError};
pub use json::Json;
pub use model::{ApiKey, Budget, BudgetPeriod, CreatedKey, KeyPatch, KeyStatus, NewKey, Page, Usage};
pub use operation::{Call, Operation};
pub use providers::{Output, Provider, Step};
pub use wire::{Body, HttpRequest, HttpResponse, Method};
