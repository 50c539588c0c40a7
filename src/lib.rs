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

pub mod client;
pub mod config;
pub mod error;
// The wasm's allocator (tested natively).
#[cfg(any(test, target_arch = "wasm32"))]
mod heap;
/// The JSON value, reader and writer (the `apikeys-json` crate, see its `Cargo.toml`).
pub use apikeys_json as json;
pub mod model;
pub mod operation;
pub mod providers;
pub mod time;
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
