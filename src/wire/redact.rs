//! Removes secrets from text that may reach an error message or a log.
//!
//! Two nets: the client's own management key wherever it appears, and any token
//! that starts with a provider's secret prefix (so created secrets are caught
//! without the client having to remember them).

use crate::prelude::*;
use crate::json::text_between;

/// Prefixes of secrets issued by the five providers.
pub const SECRET_PREFIXES: [&str; 9] = [
    "sk-or-v1-",
    "sk-ant-",
    "qai_k_",
    "fbk_",
    "sk_tenant_",
    "sk_live_",
    "sk_app_",
    "sk_test_",
    "sk-",
];

const REDACTED: &str = "[redacted]";

/// `text` with `management_key` and every prefixed secret replaced by `[redacted]`.
pub fn redact_secrets(text: &str, management_key: &str) -> String {
    if management_key.len() >= 4 {
        redact_prefixed(&replace_key(text, management_key))
    } else {
        redact_prefixed(text)
    }
}

/// `text.replace(key, REDACTED)` as a byte scan: a `&str` pattern would pull in the
/// large two-way searcher. Matches of a whole UTF-8 `key` start and end on char boundaries.
fn replace_key(text: &str, key: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < text.len() {
        if text.as_bytes()[at..].starts_with(key.as_bytes()) {
            out.push_str(text_between(text, copied, at));
            out.push_str(REDACTED);
            at += key.len();
            copied = at;
        } else {
            at += 1;
        }
    }
    out.push_str(text_between(text, copied, text.len()));
    out
}

/// One pass from left to right: at each position the longest prefix that starts
/// there (a search of the whole rest per prefix per match was quadratic).
/// Works on bytes: prefixes and token characters are ASCII, so every match starts
/// and ends on a char boundary.
fn redact_prefixed(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let Some(prefix) = prefix_at(&bytes[at..]) else {
            at += 1;
            continue;
        };
        let token_len = bytes[at + prefix.len()..].iter().take_while(|&&b| is_token_byte(b)).count();
        if token_len >= 6 {
            out.push_str(text_between(text, copied, at));
            out.push_str(prefix);
            out.push_str(REDACTED);
            copied = at + prefix.len() + token_len;
        }
        at += prefix.len() + token_len;
    }
    out.push_str(text_between(text, copied, text.len()));
    out
}

/// The longest secret prefix `bytes` starts with.
fn prefix_at(bytes: &[u8]) -> Option<&'static str> {
    SECRET_PREFIXES.iter().copied().filter(|p| bytes.starts_with(p.as_bytes())).max_by_key(|p| p.len())
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=' | b'+' | b'/' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_management_key_and_prefixed_secrets() {
        let text = "bad key mgmt-123456 and sk-or-v1-abcdef0123456789, also fbk_AbCdEf012345== end";
        let out = redact_secrets(text, "mgmt-123456");
        assert_eq!(out, "bad key [redacted] and sk-or-v1-[redacted], also fbk_[redacted] end");
    }

    #[test]
    fn leaves_ordinary_words_alone() {
        assert_eq!(redact_secrets("ask-me sk-ab", ""), "ask-me sk-ab");
        assert_eq!(redact_secrets("é sk-abcdefé sk-ab€cdefgh", "abcdé"), "é sk-[redacted]é sk-ab€cdefgh");
    }
}
