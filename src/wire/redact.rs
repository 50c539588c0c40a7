//! Removes secrets from text that may reach an error message or a log.
//!
//! Two nets: the client's own management key wherever it appears, and any token
//! that starts with a provider's secret prefix (so created secrets are caught
//! without the client having to remember them).

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
    let text = if management_key.len() >= 4 {
        text.replace(management_key, REDACTED)
    } else {
        text.to_string()
    };
    redact_prefixed(&text)
}

/// One pass from left to right: at each position the longest prefix that starts
/// there (a search of the whole rest per prefix per match was quadratic).
fn redact_prefixed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < text.len() {
        let Some(prefix) = text.is_char_boundary(at).then(|| prefix_at(&text[at..])).flatten() else {
            at += 1;
            continue;
        };
        let after = &text[at + prefix.len()..];
        let token_len = after.find(|c: char| !is_token_char(c)).unwrap_or(after.len());
        if token_len >= 6 {
            out.push_str(&text[copied..at]);
            out.push_str(prefix);
            out.push_str(REDACTED);
            copied = at + prefix.len() + token_len;
        }
        at += prefix.len() + token_len;
    }
    out.push_str(&text[copied..]);
    out
}

/// The longest secret prefix `text` starts with.
fn prefix_at(text: &str) -> Option<&'static str> {
    SECRET_PREFIXES.iter().copied().filter(|p| text.starts_with(p)).max_by_key(|p| p.len())
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=' | '+' | '/' | '.')
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
    }
}
