//! [`Text`]: the text of a JSON string or member name.
//!
//! Measured on a page of 100 keys, allocation was the largest single cost of reading a
//! body in the wasm (dlmalloc): every member name and string value was its own `String`.
//! Text up to [`INLINE`] bytes (every member name the providers use, most values) is
//! stored inline; longer text is an `Arc<str>`, so copying a value never allocates.

use crate::prelude::*;
use core::fmt;
use core::ops::Deref;
use alloc::sync::Arc;

/// The longest text stored inline.
pub const INLINE: usize = 22;

/// Equality is derived: text is inline exactly when it is short (and the unused inline
/// bytes are zero), so equal text has equal parts, compared without decoding.
#[derive(Clone, PartialEq)]
pub enum Text {
    Inline(u8, [u8; INLINE]),
    Shared(Arc<str>),
}

impl Text {
    pub fn new(text: &str) -> Text {
        let bytes = text.as_bytes();
        if bytes.len() > INLINE {
            return Text::Shared(Arc::from(text));
        }
        let mut inline = [0; INLINE];
        inline[..bytes.len()].copy_from_slice(bytes);
        Text::Inline(bytes.len() as u8, inline)
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            // Always valid: only `new` fills it, from text.
            Text::Inline(len, bytes) => core::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Text::Shared(text) => text,
        }
    }

    #[inline(always)]
    fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Inline(len, bytes) => &bytes[..usize::from(*len)],
            Text::Shared(text) => text.as_bytes(),
        }
    }

    /// One of 64 buckets, from the length and the first and last bytes: equal text has
    /// equal fingerprints, so different fingerprints prove texts different.
    #[inline(always)]
    pub(crate) fn fingerprint(&self) -> u32 {
        let bytes = self.as_bytes();
        let (first, last) = match bytes {
            [] => (0, 0),
            [first, .., last] => (*first, *last),
            [only] => (*only, *only),
        };
        let mixed = (bytes.len() as u32) ^ (u32::from(first) << 8) ^ (u32::from(last) << 16);
        mixed.wrapping_mul(0x9E37_79B1) >> 26
    }

    /// The text as a `String` (without `Display`'s formatting machinery).
    #[allow(clippy::inherent_to_string_shadow_display)]
    #[inline]
    pub fn to_string(&self) -> String {
        self.as_str().to_owned()
    }
}

impl Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Text {
    /// Lengths, then first bytes, before the whole: most names that differ differ there.
    #[inline(always)]
    fn eq(&self, other: &str) -> bool {
        let (bytes, other) = (self.as_bytes(), other.as_bytes());
        bytes.len() == other.len() && bytes.first() == other.first() && bytes == other
    }
}

impl PartialEq<&str> for Text {
    #[inline(always)]
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::new(&text)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_inline_and_long_text_is_shared_on_clone() {
        let short = Text::new("include_byok_in_limit");
        assert!(matches!(short, Text::Inline(21, _)));
        assert_eq!(short.as_str(), "include_byok_in_limit");
        let long = Text::new("2026-01-01T00:00:00.000Z");
        let copy = long.clone();
        match (&long, &copy) {
            (Text::Shared(a), Text::Shared(b)) => assert!(Arc::ptr_eq(a, b)),
            _ => panic!("24 bytes are shared"),
        }
        assert_eq!(copy, long);
        assert_eq!(Text::new("ключ-🔑"), *"ключ-🔑");
        assert_eq!(Text::new("").as_str(), "");
    }
}
