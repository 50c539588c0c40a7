//! JSON for the core: a small value tree, its writer, and (re-exported) the tape reader.
//!
//! How values cross the wasm boundary, chosen by measurement (`docs/design.md`):
//! response bodies arrive as bytes and are read into a [`Doc`], whose fields the dialects
//! read in place through [`Node`]; keys leave as [`Columns`]. That hot path is its own
//! crate, `apikeys-json-tape` (`tape/`), built for speed; this one is built for size like
//! the rest of the wasm. Everything else leaves as one string written by `Json::write`
//! (`write.rs`) and parsed once by JS's `JSON.parse`. [`Json`] is the tree for request
//! bodies, results other than keys, natively a key's `raw` (`Json::from(node)`; the wasm
//! takes `raw` from JS's own parse of the body) and caller inputs (small, cold),
//! which `js/convert.rs` reads value by value, keeping `NaN`/`Infinity` visible to
//! validation. `Deserialize` below serves native users and the tests (serde_json into
//! `Json`). Request bodies are written with [`Json::to_string`]. Objects keep insertion
//! order so request bodies are deterministic.

// `push_str("x")` rather than `push('x')`: at opt-level "z" the char path (UTF-8
// encoding) is not inlined, and writing result text is hot.
#![allow(clippy::single_char_add_str)]
// Without the `std` feature (the release wasm) the crate is `no_std`: see `Cargo.toml` of apikeys.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

/// What std's prelude would give, for the `no_std` build.
mod prelude {
    pub use alloc::{borrow::ToOwned, string::String, string::ToString, vec, vec::Vec};
}
use prelude::*;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use core::fmt;
use alloc::sync::Arc;

mod number;
#[cfg(test)]
mod read_tests;
#[cfg(test)]
mod sample;
mod text;
mod write;

pub use apikeys_json_tape::{float, parse_decimal, text_between, to_columns, Columns, Doc, Items, Members, Node, ParseError, WriteColumns, MAX_DEPTH};
pub use number::{decimal_digits, number_text, write_integer, write_number};
pub use text::Text;
pub use write::{to_json_text, WriteError};

/// A JSON value with ordered object members.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(Text),
    Array(Vec<Json>),
    /// Shared: copying an object (a key's `raw`, say) costs a reference count, not a deep copy.
    Object(Arc<[(Text, Json)]>),
}

impl Json {
    /// An empty object.
    pub fn object() -> Json {
        Json::Object(Arc::new([]))
    }

    /// Builds an object from `(name, value)` pairs, dropping `None` values.
    pub fn object_from<I, K>(members: I) -> Json
    where
        I: IntoIterator<Item = (K, Option<Json>)>,
        K: Into<Text>,
    {
        let mut kept = Vec::new();
        for (name, value) in members {
            if let Some(value) = value {
                kept.push((name.into(), value));
            }
        }
        Json::Object(kept.into())
    }

    /// Member `name` of an object; `None` for other values or a missing member.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Like [`Json::get`], but a `null` member counts as missing.
    pub fn get_present(&self, name: &str) -> Option<&Json> {
        self.get(name).filter(|v| !v.is_null())
    }

    /// Sets (or replaces) member `name` of an object. No effect on other values.
    pub fn set(&mut self, name: &str, value: Json) {
        if let Json::Object(members) = self {
            let mut changed = members.to_vec();
            match changed.iter_mut().find(|(k, _)| k == name) {
                Some(slot) => slot.1 = value,
                None => changed.push((Text::new(name), value)),
            }
            *members = changed.into();
        }
    }

    /// A copy without member `name` (objects only; other values are copied as they are).
    pub fn without(&self, name: &str) -> Json {
        match self {
            Json::Object(members) => Json::Object(members.iter().filter(|(k, _)| k != name).cloned().collect()),
            other => other.clone(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Text, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Compact JSON text.
    #[allow(clippy::inherent_to_string_shadow_display)]
    pub fn to_string(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => write_number(*n, out),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push_str("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",");
                    }
                    item.write(out);
                }
                out.push_str("]");
            }
            Json::Object(members) => {
                out.push_str("{");
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",");
                    }
                    write_string(k, out);
                    out.push_str(":");
                    v.write(out);
                }
                out.push_str("}");
            }
        }
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Json::to_string(self))
    }
}

impl Json {
    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<Json, ParseError> {
        Doc::parse(text.to_owned()).map(|doc| Json::from(doc.root()))
    }
}

/// The value as a tree (a repeated name keeps its first place and its last value).
impl From<Node<'_>> for Json {
    fn from(node: Node<'_>) -> Json {
        build(node, &mut MemberStack::new())
    }
}

/// Builds the tree of `node`; objects' members wait on `stack` (shared by the nested objects).
fn build(node: Node<'_>, stack: &mut MemberStack) -> Json {
    if let Some(members) = node.members() {
        let mut object = ObjectBuilder::new(stack);
        for (name, value) in members {
            let value = build(value, stack);
            object.insert(stack, Text::new(name), value);
        }
        return object.finish(stack);
    }
    if let Some(items) = node.items() {
        return Json::Array(items.map(|item| build(item, stack)).collect());
    }
    match (node.as_str(), node.as_f64(), node.as_bool()) {
        (Some(text), _, _) => Json::String(Text::new(text)),
        (_, Some(number), _) => Json::Number(number),
        (_, _, Some(flag)) => Json::Bool(flag),
        _ => Json::Null,
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(Text::new(s))
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(Text::new(&s))
    }
}

impl From<f64> for Json {
    fn from(n: f64) -> Json {
        Json::Number(n)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Json {
        Json::Array(items.into_iter().map(Into::into).collect())
    }
}

/// Writes `s` as a JSON string. Runs of plain bytes are copied whole; only `"`, `\\`,
/// control characters and U+2028/U+2029 (which older JS engines refuse raw) are escaped.
fn write_string(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push_str("\"");
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        at = apikeys_json_tape::scan::next_special(bytes, at, Some(0xe2));
        let Some(&b) = bytes.get(at) else { break };
        let escape_len = match b {
            b'"' | b'\\' | 0..=0x1f => 1,
            0xe2 if bytes.get(at + 1) == Some(&0x80) && matches!(bytes.get(at + 2), Some(0xa8 | 0xa9)) => 3,
            _ => 0,
        };
        if escape_len == 0 {
            at += 1;
            continue;
        }
        out.push_str(text_between(s, plain_from, at));
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => push_unicode_escape(text_between(s, at, s.len()).chars().next().unwrap_or('\u{FFFD}'), out),
        }
        at += escape_len;
        plain_from = at;
    }
    out.push_str(text_between(s, plain_from, s.len()));
    out.push_str("\"");
}

/// `\uXXXX` for a character JSON text must not hold raw.
fn push_unicode_escape(c: char, out: &mut String) {
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        let digit = (c as u32 >> shift) & 0xf;
        out.push(char::from_digit(digit, 16).unwrap_or('0'));
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => s.serialize_f64(*n),
            Json::String(v) => s.serialize_str(v),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members.iter() {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        Depth(0).deserialize(d)
    }
}

/// Collects an object's members in order; a repeated name replaces its value (as
/// `JSON.parse` does). The members wait on a stack shared by all objects being read (the
/// reader's), so each object costs one exact allocation when it is finished. Repeats are
/// found by comparing names while the object is small; past [`ObjectBuilder::SORT_FROM`]
/// members they are found by sorting (`dedupe`): when the object ends, and whenever its
/// members have doubled since the last sort, so the stack holds at most twice the distinct
/// names (a million repeats of one name stay a few dozen members) and an object of a million
/// names costs O(n log n) compares, whatever the names (a hash map could be flooded with
/// crafted collisions: wasm32 has no random seed).
pub(crate) struct ObjectBuilder {
    start: usize,
    /// Members pushed without looking for an earlier one of the same name.
    unchecked: bool,
    /// How many members the last sort left (all distinct).
    sorted: usize,
    /// The fingerprints of the names so far, a bit each: a name whose bit is clear is new,
    /// without comparing it to each earlier one.
    seen: u64,
}

/// Members of the objects being read, innermost last.
pub(crate) type MemberStack = Vec<(Text, Json)>;

impl ObjectBuilder {
    const SORT_FROM: usize = 32;

    /// An object whose members will follow on top of `stack`.
    pub(crate) fn new(stack: &MemberStack) -> ObjectBuilder {
        ObjectBuilder { start: stack.len(), unchecked: false, sorted: 0, seen: 0 }
    }

    pub(crate) fn insert(&mut self, stack: &mut MemberStack, name: Text, value: Json) {
        let members = &stack[self.start..];
        if members.len() >= Self::SORT_FROM {
            if members.len() >= 2 * self.sorted.max(Self::SORT_FROM) {
                dedupe(stack, self.start);
                self.sorted = stack.len() - self.start;
            }
            self.unchecked = true; // also after a sort that left fewer: `seen` misses those names
        } else {
            let bit = 1u64 << name.fingerprint();
            if self.seen & bit != 0 {
                if let Some(at) = members.iter().position(|(k, _)| *k == name) {
                    stack[self.start + at].1 = value;
                    return;
                }
            }
            self.seen |= bit;
        }
        stack.push((name, value));
    }

    pub(crate) fn finish(self, stack: &mut MemberStack) -> Json {
        if self.unchecked {
            dedupe(stack, self.start);
        }
        Json::Object(stack.drain(self.start..).collect())
    }
}

/// Leaves one member per name in `stack[start..]`: at the place of the first, with the
/// value of the last. Heapsort of the positions by name: n log n, no extra code for a
/// library sort.
fn dedupe(stack: &mut MemberStack, start: usize) {
    let members = &mut stack[start..];
    let mut order: Vec<usize> = (0..members.len()).collect();
    let before = |a: usize, b: usize| (members[a].0.as_str(), a) < (members[b].0.as_str(), b);
    heapsort(&mut order, before);
    let mut keep = vec![true; members.len()];
    let mut run = 0;
    while run < order.len() {
        let first = order[run];
        let mut last = first;
        while run + 1 < order.len() && members[order[run + 1]].0 == members[first].0 {
            run += 1;
            last = order[run];
            keep[last] = false;
        }
        if last != first {
            members[first].1 = core::mem::take(&mut members[last].1);
        }
        run += 1;
    }
    // Kept members move down in order; only this object's part of the stack is touched.
    let mut kept = start;
    for (at, keep) in keep.into_iter().enumerate() {
        if keep {
            stack.swap(kept, start + at);
            kept += 1;
        }
    }
    stack.truncate(kept);
}

fn heapsort(items: &mut [usize], before: impl Fn(usize, usize) -> bool) {
    let sift_down = |items: &mut [usize], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && before(items[child], items[child + 1]) {
            child += 1;
        }
        if !before(items[root], items[child]) {
            return;
        }
        items.swap(root, child);
        root = child;
    };
    for root in (0..items.len() / 2).rev() {
        sift_down(items, root, items.len());
    }
    for end in (1..items.len()).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

/// Deserializes one value at a nesting depth, refusing to go past [`MAX_DEPTH`].
struct Depth(usize);

impl<'de> DeserializeSeed<'de> for Depth {
    type Value = Json;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        if self.0 > MAX_DEPTH {
            return Err(de::Error::custom("JSON nested too deeply"));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Depth {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        Ok(Json::Number(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(Text::new(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Depth(self.0 + 1))? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut stack = MemberStack::new();
        let mut object = ObjectBuilder::new(&stack);
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Depth(self.0 + 1))?;
            object.insert(&mut stack, Text::new(&key), value);
        }
        Ok(object.finish(&mut stack))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn round_trips_through_text() {
        let text = r#"{"a":[1,2.5,-3],"b":{"c":null,"d":true},"e":"q\"\\\n\u0001"}"#;
        let value = parse(text);
        assert_eq!(parse(&value.to_string()), value);
        assert_eq!(value.get("a").unwrap().as_array().unwrap()[1], Json::Number(2.5));
    }

    #[test]
    fn writes_integers_without_fraction_and_non_finite_as_null() {
        assert_eq!(Json::Number(100.0).to_string(), "100");
        assert_eq!(Json::Number(f64::NAN).to_string(), "null");
        assert_eq!(Json::Number(0.1).to_string(), "0.1");
    }

    #[test]
    fn refuses_deep_nesting_instead_of_overflowing() {
        let deep = "[".repeat(MAX_DEPTH + 5) + &"]".repeat(MAX_DEPTH + 5);
        assert!(serde_json::from_str::<Json>(&deep).is_err());
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(serde_json::from_str::<Json>(&ok).is_ok());
    }

    #[test]
    fn object_from_drops_missing_members() {
        let v = Json::object_from([("a", Some(Json::from(1.0))), ("b", None)]);
        assert_eq!(v.to_string(), r#"{"a":1}"#);
    }
}
