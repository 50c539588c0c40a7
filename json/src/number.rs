//! Numbers to decimal text without Rust's float formatting machinery, which is about a
//! sixth of the wasm and slow at opt-level "z" (reading them is in apikeys-json-tape).
//!
//! Exact on the fast path (a mantissa below 2^53 times or divided by a power of ten up
//! to 10^22 is correctly rounded); the rare rest goes to the platform: JS's `String(n)`
//! in the wasm, Rust's std natively.

use crate::prelude::*;
use apikeys_json_tape::number::{EXACT_INTEGERS, POWERS_OF_TEN};

/// Writes `n` as the shortest JSON text that reads back as `n`; non-finite as `null`.
pub fn write_number(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n == 0.0 {
        out.push_str("0");
    } else {
        if n < 0.0 {
            out.push_str("-");
        }
        let x = n.abs();
        // Whole numbers below 2^53 are exact; above, JS (and Rust) write the shortest digits
        // and pad with zeros: 2^60 is 1152921504606847000. The platform does those.
        if x < EXACT_INTEGERS && apikeys_json_tape::float::is_whole(x) {
            push_digits(x as u64, 0, out);
        } else if let Some((digits, decimals)) = shortest_fixed(x) {
            push_digits(digits, decimals, out);
        } else {
            out.push_str(&platform::format(x));
        }
    }
}

/// Writes an integer in decimal (core's integer formatting would link its own tables).
pub fn write_integer(negative: bool, magnitude: u64, out: &mut String) {
    if negative {
        out.push('-');
    }
    push_digits(magnitude, 0, out);
}

/// `n` as text, for messages and query strings.
pub fn number_text(n: f64) -> String {
    let mut out = String::new();
    write_number(n, &mut out);
    out
}

/// The fewest decimals `k` and the integer `y` with `y / 10^k == x` exactly.
fn shortest_fixed(x: f64) -> Option<(u64, usize)> {
    for (decimals, scale) in POWERS_OF_TEN.iter().enumerate().skip(1) {
        let scaled = x * scale;
        if scaled >= EXACT_INTEGERS {
            return None;
        }
        let guess = apikeys_json_tape::float::round(scaled);
        for digits in [guess - 1.0, guess, guess + 1.0] {
            if digits > 0.0 && digits / scale == x {
                return Some((digits as u64, decimals));
            }
        }
    }
    None
}

/// `digits` with a decimal point `decimals` places from the right.
fn push_digits(digits: u64, decimals: usize, out: &mut String) {
    let mut buffer = [0u8; 20];
    let text = decimal_digits(digits, &mut buffer);
    let whole = text.len().saturating_sub(decimals);
    if whole == 0 {
        out.push('0');
    }
    for (at, &digit) in text.iter().enumerate() {
        if at == whole && decimals > 0 {
            out.push('.');
            out.extend(core::iter::repeat_n('0', decimals.saturating_sub(text.len())));
        }
        out.push(char::from(digit));
    }
}

/// The decimal digits of `n` (ASCII), written at the end of `buffer`.
pub fn decimal_digits(n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len(); // u64::MAX has 20 digits
    let mut rest = n;
    loop {
        at -= 1;
        buffer[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            return &buffer[at..];
        }
    }
}

/// The slow path: correctly rounded formatting of the platform.
#[cfg(target_arch = "wasm32")]
mod platform {
    use crate::prelude::*;

    pub fn format(x: f64) -> String {
        js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_else(|_| "null".into())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    /// Like JS's `String(x)`: plain digits from 1e-7 up to 1e21, an exponent outside.
    pub fn format(x: f64) -> String {
        if (1e-7..1e21).contains(&x) {
            format!("{}", x)
        } else {
            format!("{:e}", x).replace('e', "e+").replace("e+-", "e-")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apikeys_json_tape::parse_decimal;

    #[test]
    fn writes_the_shortest_text_that_reads_back() {
        for (n, text) in [
            (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-12.5, "-12.5"), (0.1, "0.1"), (0.3, "0.3"),
            (0.1 + 0.2, "0.30000000000000004"), (1e20, "100000000000000000000"), (123.456, "123.456"),
            (1152921504606846976.0, "1152921504606847000"), (18446744073709551616.0, "18446744073709552000"),
            (0.0000001, "0.0000001"), (9007199254740993.0, "9007199254740992"), (f64::NAN, "null"),
            (f64::INFINITY, "null"),
        ] {
            assert_eq!(number_text(n), text, "{n}");
        }
    }

    #[test]
    fn extreme_numbers_use_exponents_and_read_back() {
        for n in [1e21, 1.5e300, 5e-324, 1.2345678901234567e-200, f64::MAX, f64::MIN_POSITIVE] {
            let text = number_text(n);
            assert_eq!(text.parse::<f64>().unwrap(), n, "{text}");
            assert!(parse_decimal(&text).is_some(), "{text} is JSON number syntax");
        }
    }

    #[test]
    fn every_written_number_reads_back_exactly() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = f64::from_bits(x);
            if n.is_finite() {
                let text = number_text(n);
                assert_eq!(parse_decimal(&text).map(f64::to_bits), Some(if n == 0.0 { 0 } else { n.to_bits() }), "{text}");
            }
            let money = (x % 10_000_000) as f64 / 100.0;
            assert_eq!(parse_decimal(&number_text(money)), Some(money));
            assert_eq!(number_text(money), format!("{}", money));
        }
    }
}
