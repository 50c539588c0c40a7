//! Numbers from decimal text without Rust's float parsing machinery, which is large and
//! slow at opt-level "z" (writing them is apikeys-json's `number.rs`).
//!
//! Exact on the fast path (the classic Clinger bounds: a mantissa below 2^53 and a power
//! of ten up to 10^22 are exact doubles, and one IEEE multiplication or division of exact
//! operands is correctly rounded). The rare rest (more than 15 significant digits,
//! extreme exponents) goes to the platform: JS's `parseFloat` in the wasm, Rust's std
//! natively. Both are correctly rounded, so results agree everywhere.

/// 2^53: every integer below it is an exact double.
pub const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// The powers of ten that are exact doubles.
pub static POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Mantissas at or above this are not tracked (any digit more would still fit a u64).
const MANTISSA_LIMIT: u64 = 1_000_000_000_000_000_000;

/// Written exponents are capped here: far past any double's range, and no overflow.
const EXPONENT_LIMIT: i64 = 1_000_000_000;

/// Reads text in JSON number syntax (`-`, digits, optional fraction and exponent).
/// `None` for anything else, including text that only starts like a number.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let parts = split_number(text.as_bytes())?;
    Some(parts.value().unwrap_or_else(|| platform::parse(text)))
}

/// A number's parts: its significant digits as an integer (when they fit) and the power of ten.
struct Parts {
    negative: bool,
    mantissa: Option<u64>,
    exponent: i64,
}

impl Parts {
    /// The exact value, when the fast path applies.
    fn value(&self) -> Option<f64> {
        let mantissa = self.mantissa?;
        let sign = if self.negative { -1.0 } else { 1.0 };
        if mantissa == 0 {
            return Some(sign * 0.0);
        }
        let m = mantissa as f64;
        if m >= EXACT_INTEGERS {
            return None;
        }
        let power = |e: i64| POWERS_OF_TEN.get(usize::try_from(e).ok()?).copied();
        let value = if self.exponent >= 0 { m * power(self.exponent)? } else { m / power(-self.exponent)? };
        Some(sign * value)
    }
}

/// Checks JSON number syntax and splits the text into [`Parts`].
fn split_number(bytes: &[u8]) -> Option<Parts> {
    let mut at = 0;
    let negative = bytes.first() == Some(&b'-');
    at += usize::from(negative);
    // Past MANTISSA_LIMIT the fast path cannot apply (2^53 is far lower): the mantissa is
    // dropped. A bound instead of `checked_mul`, whose u64 overflow test is a 128-bit
    // multiplication call per digit on wasm32.
    let mut mantissa = Some(0u64);
    let mut add = |digit: u8| mantissa = mantissa.filter(|&m| m < MANTISSA_LIMIT).map(|m| m * 10 + u64::from(digit - b'0'));
    let int_start = at;
    while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
        add(b);
        at += 1;
    }
    let int_len = at - int_start;
    if int_len == 0 || (int_len > 1 && bytes[int_start] == b'0') {
        return None;
    }
    let mut exponent: i64 = 0;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
            add(b);
            exponent -= 1;
            at += 1;
        }
        if at == start {
            return None;
        }
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        let sign = match bytes.get(at) {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        at += usize::from(sign != 0);
        let start = at;
        let mut written: i64 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
            written = (written * 10 + i64::from(b - b'0')).min(EXPONENT_LIMIT);
            at += 1;
        }
        if at == start {
            return None;
        }
        exponent = exponent.saturating_add(if sign < 0 { -written } else { written });
    }
    (at == bytes.len()).then_some(Parts { negative, mantissa, exponent })
}

/// The slow path: correctly rounded parsing of the platform.
#[cfg(target_arch = "wasm32")]
mod platform {
    pub fn parse(text: &str) -> f64 {
        js_sys::Number::parse_float(text)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    pub fn parse(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_the_standard_library() {
        for text in [
            "0", "-0", "1", "12.5", "0.1", "-2.5e3", "1E+2", "1e-7", "123456789012345678901234567890",
            "0.30000000000000004", "1.7976931348623157e308", "1e400", "4.9e-324", "2.2250738585072014e-308",
            "9007199254740993", "0.000000000000000000000000000001", "1.000000000000000000000",
            "999999999999999999", "1000000000000000000", "12345678901234567890", "18446744073709551616",
            "1e99999999999999999999", "1e-99999999999999999999", "0.5e00000000000000000001",
        ] {
            let ours = parse_decimal(text).unwrap();
            let std: f64 = text.parse().unwrap();
            assert_eq!(ours.to_bits(), std.to_bits(), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_json_number_syntax() {
        for text in ["", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "1 ", " 1", "NaN", "Infinity", "1_000"] {
            assert_eq!(parse_decimal(text), None, "{text:?}");
        }
    }
}
