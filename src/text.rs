//! [`text!`](crate::text!): messages joined from parts without `format!`. `format!` links
//! core's formatting machinery (padding, `Display` for every integer width, `fmt::write`)
//! into the wasm, several KB for messages that only ever join words and whole numbers.

use crate::prelude::*;

/// A piece of a message. The `&str`, `String` and `&T` impls are inlined into each `text!`:
/// a literal part then goes to `push_str` as its address and length, where a call of
/// `<&str as Part>::push_to` needed the `&str` itself in memory, 8 bytes of data for every
/// literal of every message (measured: each wasm 0.3–0.5 KB smaller gzipped).
pub trait Part {
    fn push_to(&self, out: &mut String);
}

impl Part for str {
    #[inline(always)]
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Part for String {
    #[inline(always)]
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Part + ?Sized> Part for &T {
    #[inline(always)]
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// As compact JSON text.
impl Part for crate::json::Json {
    fn push_to(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl Part for crate::json::Text {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

macro_rules! whole_number_parts {
    ($($t:ty),*) => {$(
        impl Part for $t {
            fn push_to(&self, out: &mut String) {
                push_whole(u64::from(*self), out);
            }
        }
    )*};
}
whole_number_parts!(u8, u16, u32, u64);

impl Part for usize {
    fn push_to(&self, out: &mut String) {
        push_whole(*self as u64, out);
    }
}

/// `n` in decimal digits.
pub fn push_whole(n: u64, out: &mut String) {
    crate::json::write_integer(false, n, out);
}

/// Joins its arguments (`&str`, `String`, `Text`, unsigned integers) into a `String`.
macro_rules! text {
    ($($part:expr),+ $(,)?) => {{
        let mut out = alloc::string::String::new();
        $( $crate::text::Part::push_to(&$part, &mut out); )+
        out
    }};
}
pub(crate) use text;

/// Characters (code points) in `text`: its bytes that do not continue a UTF-8 sequence.
/// core's `chars().count()` is a 0.8 KB word-at-a-time counter; names are short.
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// `text` cut to at most `max` bytes at a character boundary, "…" marking a cut (for text
/// from elsewhere that may be long: a caller's fetch may throw with a whole body as its message).
pub fn at_most(mut text: String, max: usize) -> String {
    if text.len() > max {
        let end = (0..=max).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.truncate(end);
        text.push('…');
    }
    text
}

/// Whether `text` is empty or only whitespace (Unicode's, as `str::trim` sees it). Not
/// `trim().is_empty()`, which links trimming from both ends.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// `text` without the whitespace around it, as `str::trim` (Unicode's whitespace), in one
/// forward pass: `trim` links a reverse character decoder and a pattern walker besides.
pub fn trimmed(text: &str) -> &str {
    let mut kept: Option<(usize, usize)> = None;
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            let start = kept.map_or(at, |(start, _)| start);
            kept = Some((start, at + c.len_utf8()));
        }
    }
    kept.and_then(|(start, end)| text.get(start..end)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_is_str_trim() {
        for text in ["", " ", "a", " a ", "\u{a0}key\u{3000}", "\t a b \n", "\u{b}é😀\u{85}", "x\u{2028}"] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn blank_is_whitespace_only_as_trim_sees_it() {
        for text in ["", " ", "\t\r\n", "\u{a0}\u{3000}\u{2028}"] {
            assert!(is_blank(text), "{text:?}");
            assert!(text.trim().is_empty());
        }
        for text in ["a", " a ", "\u{3000}x", "\u{200b}"] {
            assert!(!is_blank(text), "{text:?}");
            assert!(!text.trim().is_empty());
        }
    }

    #[test]
    fn joins_words_and_whole_numbers_as_format_would() {
        let name = String::from("budget");
        assert_eq!(text!("HTTP ", 404u16, " for ", name, " at [", 12usize, "]"), "HTTP 404 for budget at [12]");
        for n in [0u64, 7, 10, 99, 1_000_000, u64::MAX] {
            assert_eq!(text!(n), n.to_string());
        }
    }
}
