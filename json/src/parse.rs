//! A small, strict JSON reader (RFC 8259) for response bodies.
//!
//! Why not JS's `JSON.parse`: the parsed value would then cross the wasm boundary
//! field by field, which the benchmark showed costs more than parsing here. The reader
//! writes a tape (`doc.rs`): one entry per value and member name, pointing into the text,
//! so reading a body allocates no value of its own. Rules: nesting deeper than
//! [`MAX_DEPTH`] is an error (never a stack overflow); anything after the value but
//! whitespace is an error; a repeated member name keeps its last value, as `JSON.parse`
//! does (see [`crate::Node::get`]).

use crate::prelude::*;
use super::doc::{Doc, Entry, Kind, NONE};
use super::{text_between, Json, MAX_DEPTH};
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
        Doc::parse(text.to_owned()).map(|doc| doc.root().to_json())
    }
}

impl Doc {
    /// Reads JSON text into a tape over it.
    pub fn parse(text: String) -> Result<Doc, ParseError> {
        if u32::try_from(text.len()).is_err() {
            return Err(ParseError { offset: 0, reason: "text too long" });
        }
        let read = {
            let unset = ParseError { offset: 0, reason: "" };
            let tape = Vec::with_capacity(text.len() / 8);
            let mut reader = Reader { bytes: text.as_bytes(), text: &text, at: 0, tape, unescaped: String::new(), failure: Cell::new(unset) };
            let read = reader.value(0).and_then(|()| {
                reader.skip_space();
                match reader.at == reader.bytes.len() {
                    true => Ok(()),
                    false => Err(reader.error("unexpected text after the value")),
                }
            });
            read.map(|()| (reader.tape, reader.unescaped)).map_err(|Fail| reader.failure.get())
        };
        let (tape, unescaped) = read?;
        Ok(Doc::new(text, tape, unescaped))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    tape: Vec<Entry>,
    /// Strings that had escapes, unescaped (the tape points here for them).
    unescaped: String,
    /// Why reading stopped, once it has.
    failure: Cell<ParseError>,
}

/// A step of the reader failed; why is in [`Reader::failure`].
struct Fail;

type Read<T> = Result<T, Fail>;

/// A position the reader has checked (texts are shorter than 4 GiB: `Doc::parse`).
fn at32(at: usize) -> u32 {
    at as u32
}

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

    #[inline(always)]
    fn push(&mut self, kind: Kind, a: u32, b: u32) {
        self.tape.push(Entry { kind, a, b, c: NONE });
    }

    fn value(&mut self, depth: usize) -> Read<()> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string(NONE),
            Some(b't') => self.word("true", Kind::True),
            Some(b'f') => self.word("false", Kind::False),
            Some(b'n') => self.word("null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of text")),
        }
    }

    fn word(&mut self, word: &'static str, kind: Kind) -> Read<()> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            self.push(kind, 0, 0);
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// An object's entry holds where its tape ends, its member count and its last member
    /// name; each name holds the one before it, so lookups walk from the last.
    fn object(&mut self, depth: usize) -> Read<()> {
        self.at += 1;
        let at = self.tape.len();
        self.push(Kind::Object, 0, 0);
        let (mut count, mut last) = (0, NONE);
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                if self.peek() != Some(b'"') {
                    return Err(self.error("expected a member name"));
                }
                let name = at32(self.tape.len());
                self.string(last)?;
                last = name;
                self.skip_space();
                if self.peek() != Some(b':') {
                    return Err(self.error("expected ':'"));
                }
                self.at += 1;
                self.value(depth + 1)?;
                count += 1;
                if !self.list_continues(b'}')? {
                    break;
                }
            }
        }
        self.tape[at] = Entry { kind: Kind::Object, a: at32(self.tape.len()), b: count, c: last };
        Ok(())
    }

    /// An array's entry holds where its tape ends and its item count.
    fn array(&mut self, depth: usize) -> Read<()> {
        self.at += 1;
        let at = self.tape.len();
        self.push(Kind::Array, 0, 0);
        let mut count = 0;
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
        } else {
            loop {
                self.value(depth + 1)?;
                count += 1;
                if !self.list_continues(b']')? {
                    break;
                }
            }
        }
        self.tape[at] = Entry { kind: Kind::Array, a: at32(self.tape.len()), b: count, c: NONE };
        Ok(())
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

    fn number(&mut self) -> Read<()> {
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
        let Some(n) = super::parse_decimal(text_between(self.text, start, self.at)) else {
            self.failure.set(ParseError { offset: start, reason: "invalid number" });
            return Err(Fail);
        };
        let bits = n.to_bits();
        self.push(Kind::Number, bits as u32, (bits >> 32) as u32);
        Ok(())
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

    /// A string starting at the opening quote; `link` goes in its entry (the previous
    /// member name, for a name). Without escapes (the usual case) the entry points into
    /// the text; with escapes the string is unescaped once, into `unescaped`.
    fn string(&mut self, link: u32) -> Read<()> {
        self.at += 1;
        let begin = self.at;
        let mut out: Option<usize> = None;
        loop {
            let start = self.at;
            self.at = self.plain_run(start);
            match (self.peek(), out) {
                (Some(b'"'), None) => {
                    self.at += 1;
                    self.tape.push(Entry { kind: Kind::Plain, a: at32(begin), b: at32(self.at - 1), c: link });
                    return Ok(());
                }
                (Some(b'"'), Some(from)) => {
                    self.unescaped.push_str(text_between(self.text, start, self.at));
                    self.at += 1;
                    let end = at32(self.unescaped.len());
                    self.tape.push(Entry { kind: Kind::Escaped, a: at32(from), b: end, c: link });
                    return Ok(());
                }
                (Some(b'\\'), _) => {
                    out.get_or_insert(self.unescaped.len());
                    self.unescaped.push_str(text_between(self.text, start, self.at));
                    self.at += 1;
                    self.escape()?;
                }
                (Some(_), _) => return Err(self.error("control character in a string")),
                (None, _) => return Err(self.error("unterminated string")),
            }
        }
    }

    /// Where the run of bytes needing no attention in a string, starting at `from`, ends.
    #[inline(always)]
    fn plain_run(&self, from: usize) -> usize {
        super::scan::next_special(self.bytes, from, None)
    }

    fn escape(&mut self) -> Read<()> {
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
        self.unescaped.push(c);
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
    use crate::MemberStack;

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
        let doc = Doc::parse(text).unwrap();
        let mut stack = MemberStack::new();
        let value = doc.root().build(&mut stack);
        assert_eq!(value.as_object().unwrap().len(), 41);
        assert_eq!(value.get("a"), Some(&Json::Number(1.0)));
        assert_eq!(doc.root().get("a").and_then(|a| a.as_f64()), Some(1.0));
        assert!(stack.capacity() < 1_000, "the member stack grew to {}", stack.capacity());
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
