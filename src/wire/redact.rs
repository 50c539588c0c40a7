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

fn redact_prefixed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, prefix)) = find_prefix(rest) {
        out.push_str(&rest[..start]);
        let after = &rest[start + prefix.len()..];
        let token_len = after.find(|c: char| !is_token_char(c)).unwrap_or(after.len());
        if token_len >= 6 {
            out.push_str(prefix);
            out.push_str(REDACTED);
        } else {
            out.push_str(&rest[start..start + prefix.len() + token_len]);
        }
        rest = &after[token_len..];
    }
    out.push_str(rest);
    out
}

fn find_prefix(text: &str) -> Option<(usize, &'static str)> {
    SECRET_PREFIXES
        .iter()
        .filter_map(|p| text.find(p).map(|i| (i, *p)))
        .min_by_key(|(i, p)| (*i, usize::MAX - p.len()))
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
