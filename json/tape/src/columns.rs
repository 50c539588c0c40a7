//! Writes a `serde::Serialize` value as [`Columns`]: its strings joined into one text and
//! everything else as numbers. A page of keys leaves the wasm this way: JS slices the
//! strings out of one decoded text and reads numbers from a `Float64Array` view, which
//! (measured: docs/design.md) costs a third of parsing the same keys as JSON rows.
//!
//! The reader must know the shape (`keyFromColumns` in `src/js/runtime.js` knows
//! `model::KEY_FIELDS`). Slots, in serialization order:
//! - a string: its length in UTF-16 units (what JS's `slice` counts); its text is appended;
//! - a number: itself, `-0` as `0` (as JSON text writes it), a non-finite one `NaN`; a
//!   boolean: 1 or 0;
//! - `None` and unit: `NaN`;
//! - a struct: 1, then its fields; a sequence: its length, then its items;
//! - an enum's unit variant: its (renamed) name, as a string.
//!
//! Maps and other enum variants are refused: nothing in a page's keys is written that way.

use crate::prelude::*;
use super::WriteError;
use serde::ser::{self, Serialize};

/// A value as strings and number slots (see the module's documentation).
#[derive(Debug, Default, PartialEq)]
pub struct Columns {
    pub text: String,
    pub slots: Vec<f64>,
}

/// `value` as [`Columns`].
pub fn to_columns<T: Serialize + ?Sized>(value: &T) -> Result<Columns, WriteError> {
    let mut columns = Columns::default();
    value.serialize(&mut columns)?;
    Ok(columns)
}

fn refused(what: &str) -> WriteError {
    WriteError::new(String::from(what) + " are not written as columns")
}

macro_rules! write_numbers {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), WriteError> {
            self.slots.push(v as f64);
            Ok(())
        })*
    };
}

impl<'a> ser::Serializer for &'a mut Columns {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = &'a mut Columns;
    type SerializeTuple = &'a mut Columns;
    type SerializeTupleStruct = &'a mut Columns;
    type SerializeTupleVariant = ser::Impossible<(), WriteError>;
    type SerializeMap = ser::Impossible<(), WriteError>;
    type SerializeStruct = &'a mut Columns;
    type SerializeStructVariant = ser::Impossible<(), WriteError>;

    forward_to_basics!();

    write_numbers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.slots.push(if v { 1.0 } else { 0.0 });
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        // `+ 0.0` turns `-0` into `0`: JSON text writes it `0`, so JS never saw `-0` before.
        self.slots.push(if v.is_finite() { v + 0.0 } else { f64::NAN });
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        let units = if v.is_ascii() { v.len() } else { v.encode_utf16().count() };
        self.slots.push(units as f64);
        self.text.push_str(v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), WriteError> {
        Err(refused("bytes"))
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.slots.push(f64::NAN);
        Ok(())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _name: &'static str, _index: u32, _variant: &'static str, _value: &T) -> Result<(), WriteError> {
        Err(refused("enum variants with data"))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, WriteError> {
        let len = len.ok_or_else(|| refused("sequences of unknown length"))?;
        self.slots.push(len as f64);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(refused("enum variants with data"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(refused("maps"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, WriteError> {
        self.slots.push(1.0);
        Ok(self)
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(refused("enum variants with data"))
    }
}

/// Sequences and structs: their items or fields in order, nothing around them.
macro_rules! in_order {
    ($($trait:ident :: $method:ident ($($name:ident: $ty:ty)?)),*) => {
        $(impl ser::$trait for &mut Columns {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: Serialize + ?Sized>(&mut self, $($name: $ty,)? value: &T) -> Result<(), WriteError> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), WriteError> {
                Ok(())
            }
        })*
    };
}

in_order!(SerializeSeq::serialize_element(), SerializeTuple::serialize_element(),
    SerializeTupleStruct::serialize_field(), SerializeStruct::serialize_field(_name: &'static str));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_zero_is_written_as_zero_as_json_text_writes_it() {
        let columns = to_columns(&[-0.0, 0.0, -1.5]).unwrap();
        assert_eq!(columns.slots.iter().map(|n| n.to_bits()).collect::<Vec<_>>(), [3.0f64, 0.0, 0.0, -1.5].map(f64::to_bits));
    }

    #[test]
    fn utf16_lengths_are_what_js_slices_by() {
        for text in ["plain", "é", "🔑", "a🔑é\u{2028}z", ""] {
            let columns = to_columns(text).unwrap();
            assert_eq!(columns.slots, [text.encode_utf16().count() as f64], "{text}");
        }
    }
}
