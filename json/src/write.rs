//! Writes any `serde::Serialize` value as compact JSON text (the model's outputs, for
//! native callers and the tests; the wasm writes its results as `Json` trees instead).
//! Non-finite numbers become `null`; `None` and unit become `null`; enum unit variants
//! become their (renamed) name.

use crate::prelude::*;
use super::{write_number, write_string};
use core::fmt;
use serde::ser::{self, Serialize};

/// `value` as compact JSON text.
pub fn to_json_text<T: Serialize + ?Sized>(value: &T) -> Result<String, WriteError> {
    let mut writer = Writer { out: String::new() };
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

struct Writer {
    out: String,
}

/// An array or object being written: whether a comma is due.
struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.writer.out.push_str(",");
        }
        self.first = false;
    }

    fn member<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), WriteError> {
        self.comma();
        write_string(name, &mut self.writer.out);
        self.writer.out.push_str(":");
        value.serialize(&mut *self.writer)
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    fn finish(self) -> Result<(), WriteError> {
        self.writer.out.push_str(self.close);
        Ok(())
    }
}

impl<'a> Writer {
    fn open(&'a mut self, open: &'static str, close: &'static str) -> Compound<'a> {
        self.out.push_str(open);
        Compound { writer: self, first: true, close }
    }
}

macro_rules! write_integers {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), WriteError> {
            #[allow(unused_comparisons)]
            let negative = v < 0;
            let magnitude = if negative { (v as i64).unsigned_abs() } else { v as u64 };
            crate::number::write_integer(negative, magnitude, &mut self.out);
            Ok(())
        })*
    };
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    // A char is a string, `None` and unit structs are unit, `Some` and newtype structs
    // are their value, an enum's unit variant is its name.
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

    write_integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        write_number(v, &mut self.out);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        write_string(v, &mut self.out);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        let mut seq = self.open("[", "]");
        for byte in v {
            seq.item(byte)?;
        }
        seq.finish()
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        let mut object = self.open("{", "}");
        object.member(variant, value)?;
        object.finish()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Err(WriteError::new("tuple variants are not written".into()))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Err(WriteError::new("struct variants are not written".into()))
    }
}

/// Arrays: every sequence-like shape writes its elements in order.
macro_rules! sequence {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
                self.item(value)
            }
            fn end(self) -> Result<(), WriteError> {
                self.finish()
            }
        })*
    };
}

sequence!(SerializeSeq::serialize_element, SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    /// Keys must write as JSON strings.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        self.comma();
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        if self.writer.out.as_bytes().get(start) != Some(&b'"') {
            return Err(WriteError::new("map keys must be strings".into()));
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.writer.out.push_str(":");
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

/// Objects: struct fields (and the refused struct variants) write as members.
macro_rules! members {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), WriteError> {
                self.member(name, value)
            }
            fn end(self) -> Result<(), WriteError> {
                self.finish()
            }
        })*
    };
}

members!(SerializeStruct, SerializeStructVariant);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;
    use crate::Json;

    #[test]
    fn writes_what_serde_json_writes() {
        let raw = Json::parse(r#"[{"a":"q\"\n","b":[null,true,-1.5]}]"#).unwrap();
        let ours = to_json_text(&sample(raw)).unwrap();
        let expected = r#"{"keyId":"k\"","missing":null,"count":3,"ratio":null,"flag":true,"nested":{"a":-2.5},"absent":null,"tags":["é🔑",""],"state":"allGood","raw":[{"a":"q\"\n","b":[null,true,-1.5]}]}"#;
        assert_eq!(ours, expected);
        assert_eq!(Json::parse(&ours).unwrap().get("count"), Some(&Json::Number(3.0)));
    }

    #[test]
    fn writes_every_integer_width_as_serde_json_does() {
        let values = (i64::MIN, i64::MAX, u64::MAX, -1i8, 0u8, i32::MIN, u32::MAX, i16::MIN, u16::MAX);
        assert_eq!(to_json_text(&values).unwrap(), serde_json::to_string(&values).unwrap());
    }
}
