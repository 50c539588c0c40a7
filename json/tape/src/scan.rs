//! Finding the next byte of a string that needs attention, eight bytes at a time: most
//! string bytes need none, and a word of eight plain bytes is skipped with a few integer
//! operations instead of eight compares (wasm has 64-bit integers).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `word` is zero.
#[inline(always)]
fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether some byte of `word` equals `byte`.
#[inline(always)]
fn has_byte(word: u64, byte: u8) -> bool {
    has_zero_byte(word ^ (ONES * u64::from(byte)))
}

/// Whether some byte of `word` is a control character (below 0x20).
#[inline(always)]
fn has_control(word: u64) -> bool {
    word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0
}

/// The index, from `from`, of the first byte that is a quote, a backslash, a control
/// character or one of `extra`; `bytes.len()` if there is none.
#[inline(always)]
pub fn next_special(bytes: &[u8], from: usize, extra: Option<u8>) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let extra_found = extra.is_some_and(|byte| has_byte(word, byte));
        if has_byte(word, b'"') || has_byte(word, b'\\') || has_control(word) || extra_found {
            break;
        }
        at += 8;
    }
    let special = |b: &u8| *b == b'"' || *b == b'\\' || *b < 0x20 || Some(*b) == extra;
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(special).unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::next_special;

    fn slow(bytes: &[u8], from: usize, extra: Option<u8>) -> usize {
        (from..bytes.len()).find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..=0x1f) || Some(bytes[i]) == extra).unwrap_or(bytes.len())
    }

    #[test]
    fn finds_the_same_byte_as_a_plain_scan_at_every_position() {
        let specials = [b'"', b'\\', 0, 0x1f, 0x20, 0x7f, 0x80, 0xe2, 0xff, b'a'];
        for len in 0..40 {
            for at in 0..len {
                for &special in &specials {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = special;
                    for from in 0..=len {
                        for extra in [None, Some(0xe2)] {
                            assert_eq!(next_special(&bytes, from, extra), slow(&bytes, from, extra), "{bytes:?} from {from} extra {extra:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_byte_value_in_every_lane() {
        for byte in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'q'; 16];
                bytes[lane] = byte;
                bytes[lane + 8] = byte;
                for extra in [None, Some(0xe2)] {
                    assert_eq!(next_special(&bytes, 0, extra), slow(&bytes, 0, extra), "byte {byte:#x} lane {lane}");
                }
            }
        }
    }
}
