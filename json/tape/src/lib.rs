//! The hot path of apikeys' JSON, built for speed (`opt-level = 3`) while the rest of the
//! wasm is built for size: every response body is read into a [`Doc`] (`parse.rs`,
//! `doc.rs`), whose fields the dialects read in place through [`Node`], and keys leave
//! the wasm as [`Columns`] (`columns.rs`). The value tree, the JSON writer and
//! everything else cold live in `apikeys-json`, which re-exports this crate.

// `push_str("x")` rather than `push('x')`: at opt-level "z" the char path (UTF-8
// encoding) is not inlined.
#![allow(clippy::single_char_add_str)]
// Without the `std` feature (the release wasm) the crate is `no_std`: see `Cargo.toml` of apikeys.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

/// What std's prelude would give, for the `no_std` build.
mod prelude {
    pub use alloc::{string::String, string::ToString, vec::Vec};
}

mod columns;
mod doc;
pub mod float;
pub mod number;
mod parse;
pub mod scan;

pub use columns::{to_columns, Columns, WriteColumns};
pub use doc::{Doc, Items, Members, Node};
pub use number::parse_decimal;
pub use parse::ParseError;

/// Deepest nesting accepted when reading a value; deeper input is an error, not a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// `text[from..to]`, or "" where that is not a slice of it. Callers cut at ASCII bytes
/// they found; this keeps the panic path (and its formatting code) out of the wasm.
#[inline(always)]
pub fn text_between(text: &str, from: usize, to: usize) -> &str {
    text.get(from..to).unwrap_or_default()
}
