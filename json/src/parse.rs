//! A small, strict JSON reader (RFC 8259) for response bodies.
//!
//! Why not JS's `JSON.parse`: the parsed value would then cross the wasm boundary
//! field by field, which the benchmark showed costs more than parsing here. Rules:
//! nesting deeper than [`MAX_DEPTH`] is an error (never a stack overflow); a duplicate
//! member keeps the last value, as `JSON.parse` does; anything after the value but
//! whitespace is an error.

use crate::prelude::*;
use super::{text_between, Json, MemberStack, ObjectBuilder, Text, MAX_DEPTH};
use core::cell::Cell;

/// Why a text is not JSON, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub reason: &'static str,
}

impl Json {
    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<Json, ParseError> {
        let unset = ParseError { offset: 0, reason: "" };
        let mut reader = Reader { bytes: text.as_bytes(), text, at: 0, members: Vec::new(), items: Vec::new(), failure: Cell::new(unset) };
        let read = reader.value(0).and_then(|value| {
            reader.skip_space();
            match reader.at == reader.bytes.len() {
                true => Ok(value),
                false => Err(reader.error("unexpected text after the value")),
            }
        });
        read.map_err(|Fail| reader.failure.get())
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    /// Members and items of the objects and arrays being read: each is moved into one
    /// exact allocation when its object or array ends, instead of growing its own vector.
    members: MemberStack,
    items: Vec<Json>,
    /// Why reading stopped, once it has.
    failure: Cell<ParseError>,
}

/// A step of the reader failed; why is in [`Reader::failure`].
struct Fail;

type Read<T> = Result<T, Fail>;

impl Reader<'_> {
    /// Records why reading stopped; the error itself stays here, so a failed step returns
    /// only [`Fail`] and every `Result` the reader passes along is as small as its value.
    fn error(&self, reason: &'static str) -> Fail {
        self.failure.set(ParseError { offset: self.at, reason });
        Fail
    }

    #[inline(always)]
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn value(&mut self, depth: usize) -> Read<Json> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of text")),
        }
    }

    fn word(&mut self, word: &'static str, value: Json) -> Read<Json> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn object(&mut self, depth: usize) -> Read<Json> {
        self.at += 1;
        let mut object = ObjectBuilder::new(&self.members);
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(object.finish(&mut self.members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.at += 1;
            let value = self.value(depth + 1)?;
            object.insert(&mut self.members, name, value);
            if !self.list_continues(b'}')? {
                return Ok(object.finish(&mut self.members));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Read<Json> {
        self.at += 1;
        let start = self.items.len();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(Vec::new()));
        }
        loop {
            let item = self.value(depth + 1)?;
            self.items.push(item);
            if !self.list_continues(b']')? {
                return Ok(Json::Array(self.items.drain(start..).collect()));
            }
        }
    }

    /// After an item: `,` means another follows, `close` ends the list.
    fn list_continues(&mut self, close: u8) -> Read<bool> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(self.error("expected ',' or the end of the list")),
        }
    }

    fn number(&mut self) -> Read<Json> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.required_digits()?;
        }
        super::parse_decimal(text_between(self.text, start, self.at))
            .map(Json::Number)
            .ok_or_else(|| {
                self.failure.set(ParseError { offset: start, reason: "invalid number" });
                Fail
            })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Read<()> {
        let start = self.at;
        self.digits();
        if self.at == start {
            return Err(self.error("expected a digit"));
        }
        Ok(())
    }

    /// A string starting at the opening quote. Without escapes (the usual case) it is
    /// one copy of the text between the quotes.
    fn string(&mut self) -> Read<Text> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            self.at = self.plain_run(start);
            match self.peek() {
                Some(b'"') if out.is_empty() => {
                    self.at += 1;
                    return Ok(Text::from_window(self.text, start, self.at - 1));
                }
                Some(b'"') => {
                    out.push_str(text_between(self.text, start, self.at));
                    self.at += 1;
                    return Ok(Text::new(&out));
                }
                Some(b'\\') => {
                    out.push_str(text_between(self.text, start, self.at));
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// Where the run of bytes needing no attention in a string, starting at `from`, ends.
    #[inline(always)]
    fn plain_run(&self, from: usize) -> usize {
        super::scan::next_special(self.bytes, from, None)
    }

    fn escape(&mut self, out: &mut String) -> Read<()> {
        let Some(code) = self.peek() else { return Err(self.error("unterminated string")) };
        self.at += 1;
        let c = match code {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode()?,
            _ => return Err(self.error("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    /// `\uXXXX`, joining surrogate pairs; a lone surrogate becomes U+FFFD (as in JS strings).
    fn unicode(&mut self) -> Read<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u") {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.at = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Read<u32> {
        let digits = self.text.get(self.at..self.at + 4).ok_or_else(|| self.error("invalid \\u escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("invalid \\u escape"));
        }
        self.at += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_serde_json(text: &str) {
        let ours = Json::parse(text).unwrap();
        let theirs: Json = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs, "{text}");
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a":[1,-2.5e3,0.125,true,false,null],"b":{"c":"x\"y\\z\/\b\f\n\r\t"}}"#,
            r#" [ ] "#,
            r#"{}"#,
            r#""\u00e9\ud83d\ude00""#,
            r#"-0"#,
            r#"1E+2"#,
            r#"{"k":1,"k":2}"#,
        ] {
            same_as_serde_json(text);
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "tru", "nul", "\"abc", "\"a\u{1}b\"",
            "\"\\x\"", "\"\\u12\"", "{a:1}", "[1 2]", "1 2", "<html>", "NaN", "Infinity", "{\"a\" 1}",
        ] {
            assert!(Json::parse(text).is_err(), "{text:?} should be refused");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(Json::parse(&deep).unwrap_err().reason, "nested too deeply");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Json::parse(&ok).is_ok());
    }

    #[test]
    fn many_names_and_repeats_stay_fast_and_keep_the_last_value() {
        let members: Vec<String> = (0..200_000).map(|i| format!("\"k{}\":{}", i % 100_000, i)).collect();
        let value = Json::parse(&format!("{{{}}}", members.join(","))).unwrap();
        assert_eq!(value.as_object().unwrap().len(), 100_000);
        assert_eq!(value.get("k5"), Some(&Json::Number(100_005.0)));
    }

    #[test]
    fn a_repeated_name_keeps_its_first_place_and_its_last_value_in_small_and_large_objects() {
        for size in [3, 31, 32, 33, 100] {
            let mut members: Vec<String> = (0..size).map(|i| format!("\"k{}\":{}", i, i)).collect();
            members.push("\"k1\":\"last\"".into());
            members.push("\"k0\":\"end\"".into());
            let value = Json::parse(&format!("{{{}}}", members.join(","))).unwrap();
            let object = value.as_object().unwrap();
            let names: Vec<&str> = object.iter().map(|(k, _)| k.as_str()).collect();
            let expected: Vec<String> = (0..size).map(|i| format!("k{}", i)).collect();
            assert_eq!(names, expected, "{size} members");
            assert_eq!(value.get("k1"), Some(&Json::String("last".into())));
            assert_eq!(value.get("k0"), Some(&Json::String("end".into())));
            assert_eq!(value.get("k2"), Some(&Json::Number(2.0)));
        }
    }

    #[test]
    fn a_million_repeats_of_a_name_stay_one_member_and_do_not_pile_up() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str(&"\"a\":0,".repeat(1_000_000));
        text.push_str("\"a\":1}");
        let mut reader = Reader { bytes: text.as_bytes(), text: &text, at: 0, members: Vec::new(), items: Vec::new(), failure: Cell::new(ParseError { offset: 0, reason: "" }) };
        let Ok(value) = reader.value(0) else { panic!("valid JSON") };
        assert_eq!(value.as_object().unwrap().len(), 41);
        assert_eq!(value.get("a"), Some(&Json::Number(1.0)));
        assert!(reader.members.capacity() < 1_000, "the member stack grew to {}", reader.members.capacity());
    }

    #[test]
    fn objects_of_many_members_nested_in_one_keep_every_member() {
        let inner: Vec<String> = (0..40).map(|i| format!("\"m{i}\":{i}")).collect();
        let inner = format!("{{{}}}", inner.join(","));
        let outer: Vec<String> = (0..20_000).map(|i| format!("\"o{i}\":{inner}")).collect();
        let value = Json::parse(&format!("{{{}}}", outer.join(","))).unwrap();
        assert_eq!(value.as_object().unwrap().len(), 20_000);
        assert_eq!(value.get("o19999").and_then(|o| o.get("m39")), Some(&Json::Number(39.0)));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(Json::parse(r#""\ud800x""#).unwrap(), Json::String("\u{FFFD}x".into()));
    }
}
