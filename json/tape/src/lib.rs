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
use prelude::*;

use core::fmt;

/// The `serde::Serializer` methods that both serializers (`columns.rs` here, `write.rs` of
/// apikeys-json) reduce to others the same way: a char is a string, `None` and unit
/// structs are unit, `Some` and newtype structs are their value, an enum's unit variant
/// is its name. The caller has `Serialize` and `WriteError` in scope.
#[macro_export]
macro_rules! forward_to_basics {
    () => {
        fn serialize_char(self, v: char) -> Result<(), WriteError> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }
        fn serialize_none(self) -> Result<(), WriteError> {
            self.serialize_unit()
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
            value.serialize(self)
        }
        fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WriteError> {
            self.serialize_unit()
        }
        fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), WriteError> {
            self.serialize_str(variant)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), WriteError> {
            value.serialize(self)
        }
    };
}

mod columns;
mod doc;
pub mod float;
pub mod number;
mod parse;
pub mod scan;

pub use columns::{to_columns, Columns};
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

/// A value serde could not write (e.g. a map key that is not a string).
#[derive(Debug)]
pub struct WriteError(String);

impl WriteError {
    pub fn new(message: String) -> WriteError {
        WriteError(message)
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for WriteError {}

impl serde::ser::Error for WriteError {
    fn custom<T: fmt::Display>(message: T) -> WriteError {
        WriteError(message.to_string())
    }
}
