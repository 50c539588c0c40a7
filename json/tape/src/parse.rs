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
use super::{text_between, MAX_DEPTH};
use core::cell::Cell;

/// Why a text is not JSON, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub reason: &'static str,
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
    use crate::Node;

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "tru", "nul", "\"abc", "\"a\u{1}b\"",
            "\"\\x\"", "\"\\u12\"", "{a:1}", "[1 2]", "1 2", "<html>", "NaN", "Infinity", "{\"a\" 1}",
        ] {
            assert!(Doc::parse(text.into()).is_err(), "{text:?} should be refused");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(Doc::parse(deep).unwrap_err().reason, "nested too deeply");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Doc::parse(ok).is_ok());
    }

    #[test]
    fn a_repeated_name_reads_as_its_last_value_and_docs_compare_as_trees() {
        let doc = Doc::parse(r#"{"a":1,"b":[true,"x\u00e9"],"a":2}"#.into()).unwrap();
        assert_eq!(doc.root().get("a").and_then(Node::as_f64), Some(2.0));
        assert_eq!(doc, Doc::parse(r#" {"a" : 2, "b":[true,"xé"]}"#.into()).unwrap());
        assert_ne!(doc, Doc::parse(r#"{"b":[true,"xé"],"a":2}"#.into()).unwrap(), "member order counts");
        assert_ne!(doc, Doc::parse(r#"{"a":1,"b":[true,"xé"]}"#.into()).unwrap(), "the last value counts");
    }
}
