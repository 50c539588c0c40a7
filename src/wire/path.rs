//! Path segments and query strings are encoded here and nowhere else.
//!
//! Rule: an id becomes exactly one path segment. Every byte outside the URL
//! "unreserved" set is percent-encoded, so `/`, `?`, `#` and `%` cannot start a new
//! segment, query or fragment; `.` and `..` are refused by validation before we get here.

use crate::prelude::*;
/// Percent-encodes `text` so it is one path segment or one query component.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text);
    out
}

/// Appends `text` to `out` percent-encoded, as one path segment or one query component.
/// Runs of unreserved bytes (ASCII, so every run starts and ends on a character boundary)
/// are copied whole.
fn encode_into(out: &mut String, text: &str) {
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            continue;
        }
        out.push_str(text.get(plain_from..at).unwrap_or_default());
        out.push('%');
        out.push(hex_digit(byte >> 4));
        out.push(hex_digit(byte & 0xf));
        plain_from = at + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or_default());
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789ABCDEF"[usize::from(nibble & 0xf)])
}

/// `text` without the slashes it ends with. By bytes: `trim_end_matches` would pull a
/// pattern searcher into the wasm.
pub fn without_trailing_slashes(text: &str) -> &str {
    let mut end = text.len();
    while end > 0 && text.as_bytes().get(end - 1) == Some(&b'/') {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

/// Joins a base URL (no trailing slash) with literal path parts and encoded ids.
///
/// `parts` are written as given: only pass literals there; ids go through [`Segment::Id`].
pub fn join(base: &str, parts: &[Segment<'_>]) -> String {
    let mut url = without_trailing_slashes(base).to_string();
    for part in parts {
        url.push('/');
        match part {
            Segment::Lit(text) => url.push_str(text),
            Segment::Id(id) => encode_into(&mut url, id),
        }
    }
    url
}

/// Joins `base`, a literal route `prefix` (e.g. `qai/v1/keys`) and `rest`.
pub fn join_under(base: &str, prefix: &str, rest: &[Segment<'_>]) -> String {
    let mut parts = vec![Segment::Lit(prefix)];
    parts.extend_from_slice(rest);
    join(base, &parts)
}

/// One piece of a path.
#[derive(Clone, Copy, Debug)]
pub enum Segment<'a> {
    /// A literal route part such as `keys` or `v1/organizations/api_keys`.
    Lit(&'a str),
    /// A caller-supplied id, encoded as a single segment.
    Id(&'a str),
}

/// A query string built pair by pair, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn new() -> Query {
        Query::default()
    }

    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_string(), value.into()));
    }

    /// Adds the pair only when `value` is present.
    pub fn push_opt(&mut self, name: &str, value: Option<impl Into<String>>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    /// Appends `?a=b&…` to `url`, or nothing when empty.
    pub fn append_to(&self, mut url: String) -> String {
        for (i, (k, v)) in self.0.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            encode_into(&mut url, k);
            url.push('=');
            encode_into(&mut url, v);
        }
        url
    }
}

/// Formats a whole number for a query (no `.0`).
pub fn number(n: f64) -> String {
    crate::json::number_text(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slashes_go_and_nothing_else() {
        for (text, expected) in [("https://a/v1//", "https://a/v1"), ("https://a/v1", "https://a/v1"), ("///", ""), ("", ""), ("/a/", "/a")] {
            assert_eq!(without_trailing_slashes(text), expected, "{text}");
        }
    }

    #[test]
    fn ids_cannot_leave_their_segment() {
        let base = "https://api.example/v1";
        for (id, expected) in [
            ("../x", "https://api.example/v1/keys/..%2Fx"),
            ("a/b?c", "https://api.example/v1/keys/a%2Fb%3Fc"),
            ("a#b", "https://api.example/v1/keys/a%23b"),
            ("%2e%2e", "https://api.example/v1/keys/%252e%252e"),
            ("ключ", "https://api.example/v1/keys/%D0%BA%D0%BB%D1%8E%D1%87"),
        ] {
            assert_eq!(join(base, &[Segment::Lit("keys"), Segment::Id(id)]), expected);
        }
    }

    #[test]
    fn query_is_encoded_in_order() {
        let mut q = Query::new();
        q.push("page[limit]", "20");
        q.push("q", "a b&c");
        q.push_opt("none", None::<String>);
        assert_eq!(q.append_to("u".into()), "u?page%5Blimit%5D=20&q=a%20b%26c");
        assert_eq!(Query::new().append_to("u".into()), "u");
    }

    /// Byte by byte, as RFC 3986 says: the reference the run-by-run encoder must match.
    #[cfg(not(target_arch = "wasm32"))]
    fn encoded_byte_by_byte(text: &str) -> String {
        text.bytes()
            .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect()
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn runs_encode_as_bytes_do(text in "(\\PC|[a-z0-9/%?#~. -]){0,24}") {
            let mut out = String::from("x");
            encode_into(&mut out, &text);
            proptest::prop_assert_eq!(out, format!("x{}", encoded_byte_by_byte(&text)));
        }
    }
}
