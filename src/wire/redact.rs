//! Removes secrets from text that may reach an error message or a log.
//!
//! Two nets: the client's own management key wherever it appears, and any token
//! that starts with a provider's secret prefix (so created secrets are caught
//! without the client having to remember them).

use crate::prelude::*;
use crate::json::text_between;
use crate::text::at_most;

/// Prefixes of secrets issued by the five providers. A prefix that starts another comes
/// after it ("sk-" last), so the first that matches is the longest.
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

/// What a client's errors and log never show: its management key, and the values of the
/// caller's own `headers`, which may be credentials too (a gateway's, say: the log shows
/// none of them either). Each is redacted wherever a server's text repeats it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Secrets<'a>(Vec<&'a str>);

/// The shortest header value (in bytes) taken for a secret: a shorter one ("true", "v2")
/// would blank out ordinary words in a message, and is no credential.
pub const MIN_HEADER_SECRET: usize = 8;

/// Headers whose values are no secret: a trace or request id a server may adopt and echo
/// as its own (an error's `requestId`), an app's name. Others may be credentials.
pub const PLAIN_HEADERS: [&str; 11] = [
    "traceparent", "tracestate", "baggage", "x-request-id", "request-id", "x-correlation-id",
    "x-client-request-id", "user-agent", "x-title", "http-referer", "referer",
];

impl<'a> Secrets<'a> {
    /// The management key alone (at least 4 bytes, as before any client exists).
    pub fn key(management_key: &'a str) -> Secrets<'a> {
        let mut secrets = Secrets(Vec::new());
        secrets.add(management_key, 4);
        secrets
    }

    /// The management key and the values of `headers` ([`Secrets::add_headers`]).
    pub fn of_client(management_key: &'a str, headers: &'a [(String, String)]) -> Secrets<'a> {
        let mut secrets = Secrets::key(management_key);
        secrets.add_headers(headers);
        secrets
    }

    /// Each header value, but those of [`PLAIN_HEADERS`]; of one, also its token after
    /// `Bearer `, `Basic ` or `Token ` (what a server echoes of it).
    pub fn add_headers(&mut self, headers: &'a [(String, String)]) {
        for (name, value) in headers {
            if PLAIN_HEADERS.contains(&name.as_str()) {
                continue;
            }
            self.add(value, MIN_HEADER_SECRET);
            self.add(after_scheme(value).unwrap_or_default(), MIN_HEADER_SECRET);
        }
    }

    /// Keeps `text` if it has at least `min` bytes.
    fn add(&mut self, text: &'a str, min: usize) {
        if text.len() >= min {
            self.0.push(text);
        }
    }
}

/// The credential of an `Authorization`-style value: what follows a `Bearer `, `Basic ` or
/// `Token ` scheme.
fn after_scheme(value: &str) -> Option<&str> {
    let space = value.bytes().position(|b| b == b' ')?;
    let scheme = value.get(..space)?;
    let known = ["bearer", "basic", "token"].iter().any(|name| scheme.eq_ignore_ascii_case(name));
    known.then(|| crate::text::trimmed(value.get(space..).unwrap_or_default()))
}

/// `text` with every one of `secrets` (also percent-encoded or JSON-escaped) and every
/// prefixed secret replaced by `[redacted]`.
#[inline(never)]
pub fn redact_secrets(text: &str, secrets: &Secrets) -> String {
    redact_prefixed(&replace_secrets(text, &secrets.0, usize::MAX))
}

/// The most bytes of a server's (or a runtime's) text an error message quotes.
pub const MAX_QUOTED: usize = 2000;

/// `text` redacted, then cut to [`MAX_QUOTED`] bytes: cut after redacting, since a secret
/// cut in two could no longer be recognised. Only about the part kept is redacted, so a
/// server's 60 MiB message costs no more than a short one.
#[inline(never)]
pub fn quoted(text: &str, secrets: &Secrets) -> String {
    at_most(redact_prefixed(&replace_secrets(text, &secrets.0, MAX_QUOTED + 64)), MAX_QUOTED)
}

/// `text` with each stretch that spells one of `secrets` replaced by `[redacted]`, as a byte
/// scan: the secret also in the forms a server may echo it, percent-encoded (a URL it sent
/// back: a cursor, an id) or JSON-escaped (a JSON text quoted inside a message), byte by byte
/// in any mix ([`key_at`]). Secrets that overlap are one stretch, so none leaves a part
/// behind. A `&str` pattern would pull in the large two-way searcher. Every match starts
/// and ends on a char boundary: a secret's byte matches itself or an ASCII escape, and a
/// secret is whole UTF-8. The scan stops, outside any stretch, once the text it gives
/// reaches `limit` bytes ([`without_partial_token`]).
#[inline(never)]
fn replace_secrets(text: &str, secrets: &[&str], limit: usize) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    // `copied`: where the text not yet copied (or covered by a stretch) starts.
    let mut copied = 0;
    for at in 0..bytes.len() {
        if at >= copied && out.len() + (at - copied) >= limit && text.is_char_boundary(at) {
            out.push_str(text_between(text, copied, at));
            return without_partial_token(out);
        }
        let Some(end) = secrets.iter().filter_map(|secret| spelled_at(&bytes[at..], secret)).max().map(|len| at + len) else { continue };
        if at >= copied {
            out.push_str(text_between(text, copied, at));
            out.push_str(REDACTED);
        }
        copied = copied.max(end);
    }
    out.push_str(text_between(text, copied, text.len()));
    out
}

/// `text`, cut short, without a prefixed secret its last word may begin: the prefix pass
/// would no longer see enough of it to know it.
fn without_partial_token(text: String) -> String {
    let bytes = text.as_bytes();
    let mut word = bytes.len();
    while word > 0 && (is_token_byte(bytes[word - 1]) || matches!(bytes[word - 1], b'%' | b'\\')) {
        word -= 1;
    }
    for at in word..bytes.len() {
        if prefix_at(&bytes[at..]).is_some_and(|p| !inside_word(bytes, at, p)) {
            return text_between(&text, 0, at).to_string();
        }
    }
    text
}

/// How many bytes at the start of `text` spell `secret`.
fn spelled_at(text: &[u8], secret: &str) -> Option<usize> {
    // As it is first: a secret's own `%25` or `\\` would otherwise be read as an escape.
    if text.starts_with(secret.as_bytes()) { Some(secret.len()) } else { key_at(text, secret.as_bytes()) }
}

/// The length of `key` spelled at the start of `text`, each byte as itself or escaped.
fn key_at(text: &[u8], key: &[u8]) -> Option<usize> {
    let mut at = 0;
    for &byte in key {
        at += byte_at(text.get(at..)?, byte)?;
    }
    Some(at)
}

/// How many bytes at the start of `text` spell `byte`: itself, `%HH`, `\u00HH`, or `\`
/// before `/`, `"` or `\` (JSON's escapes; a key is ASCII, so `\u00HH` covers it).
fn byte_at(text: &[u8], byte: u8) -> Option<usize> {
    // Escapes first: `\\` is a backslash escaped, not one followed by another.
    match *text {
        [b'%', high, low, ..] if hex_pair(high, low) == Some(byte) => Some(3),
        [b'\\', b'u', b'0', b'0', high, low, ..] if hex_pair(high, low) == Some(byte) => Some(6),
        [b'\\', escaped, ..] if escaped == byte && matches!(byte, b'/' | b'"' | b'\\') => Some(2),
        [first, ..] if first == byte => Some(1),
        _ => None,
    }
}

/// The byte two hex digits (either case) spell.
fn hex_pair(high: u8, low: u8) -> Option<u8> {
    Some(hex_value(high)? << 4 | hex_value(low)?)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// One pass from left to right: at each position the longest prefix that starts
/// there (a search of the whole rest per prefix per match was quadratic).
/// Works on bytes: prefixes and token characters are ASCII, so every match starts
/// and ends on a char boundary.
#[inline(never)]
fn redact_prefixed(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let Some(prefix) = prefix_at(&bytes[at..]).filter(|&p| !inside_word(bytes, at, p)) else {
            at += 1;
            continue;
        };
        let token_len = token_len(bytes, at + prefix.len());
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

/// The bare `sk-` at `at` ends a word ("task-queue-full", "risk-…"), so it starts no secret.
fn inside_word(bytes: &[u8], at: usize, prefix: &str) -> bool {
    prefix == "sk-" && at > 0 && bytes[at - 1].is_ascii_alphanumeric()
}

/// The longest secret prefix `bytes` starts with.
fn prefix_at(bytes: &[u8]) -> Option<&'static str> {
    SECRET_PREFIXES.into_iter().find(|prefix| bytes.starts_with(prefix.as_bytes()))
}

/// How many bytes of a token follow `from`: token bytes, also percent-encoded, and `\/`
/// (a `/` as JSON may escape it).
fn token_len(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    loop {
        end += match *bytes.get(end..).unwrap_or_default() {
            [b, ..] if is_token_byte(b) => 1,
            [b'%', high, low, ..] if hex_pair(high, low).is_some_and(is_token_byte) => 3,
            [b'\\', b'/', ..] => 2,
            _ => return end - from,
        };
    }
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
        let out = redact_secrets(text, &Secrets::key("mgmt-123456"));
        assert_eq!(out, "bad key [redacted] and sk-or-v1-[redacted], also fbk_[redacted] end");
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    #[test]
    fn the_callers_header_values_are_secrets_as_the_key_is() {
        let headers = owned(&[("cf-aig-authorization", "Bearer gw-Token/0123+abc"), ("x-title", "Demo")]);
        let secrets = Secrets::of_client("mgmt-key-0123", &headers);
        let echoed = r#"gateway refused "Bearer gw-Token\/0123+abc"; token gw-Token%2F0123%2Babc; key mgmt-key-0123; app Demo"#;
        assert_eq!(redact_secrets(echoed, &secrets), r#"gateway refused "[redacted]"; token [redacted]; key [redacted]; app Demo"#);
    }

    #[test]
    fn trace_ids_and_app_names_are_no_secret() {
        let headers = owned(&[("x-request-id", "req-trace-0123456789"), ("x-title", "My Application"), ("x-gw", "gw-secret-0123456789")]);
        let secrets = Secrets::of_client("mgmt-key-0123", &headers);
        let echoed = "request req-trace-0123456789 of My Application: gw-secret-0123456789";
        assert_eq!(redact_secrets(echoed, &secrets), "request req-trace-0123456789 of My Application: [redacted]");
    }

    #[test]
    fn quoted_scans_only_what_it_keeps_and_drops_a_secret_cut_short() {
        // Cut short at 2 064 bytes, 3 bytes into the 80th token: too few to know it by, so
        // it goes; the tokens before it shrink to `sk-ant-[redacted]`, which brought it inside.
        let text = format!("sk-ant-{} ", "b".repeat(18)).repeat(200);
        let kept = quoted(&text, &Secrets::default());
        assert!(!kept.contains("bbb") && kept.ends_with("sk-ant-[redacted] "), "{}", &kept[kept.len() - 30..]);
        assert_eq!(without_partial_token("x sk-ant-ab%2".to_string()), "x ");
        assert_eq!(without_partial_token("x task-queue".to_string()), "x task-queue");
        let long = "y".repeat(10 * MAX_QUOTED);
        assert_eq!(quoted(&long, &Secrets::key("mgmt-key-0123")), format!("{}…", &long[..MAX_QUOTED]));
    }

    #[test]
    fn a_short_header_value_is_no_secret() {
        let headers = owned(&[("x-flag", "1234567"), ("x-trace", "Bearer abc")]);
        let secrets = Secrets::of_client("k", &headers);
        assert_eq!(redact_secrets("ids 1234567, abc; k; sent Bearer abc", &secrets), "ids 1234567, abc; k; sent [redacted]", "a key under 4 bytes, a value or token under 8");
    }

    #[test]
    fn secrets_that_overlap_are_redacted_as_one_stretch() {
        let headers = owned(&[("x-a", "AAAA1111BBBB"), ("x-b", "1111BBBBCCCC2222")]);
        let secrets = Secrets::of_client("mgmt-key-0123", &headers);
        assert_eq!(redact_secrets("<AAAA1111BBBBCCCC2222> AAAA1111BBBB", &secrets), "<[redacted]> [redacted]", "no tail of the second is left");
    }

    #[test]
    fn a_word_ending_in_sk_is_no_secret() {
        let text = "task-queue-full, risk-assessment; key sk-abcdef012345 and (sk-proj-abcdef0123)";
        assert_eq!(redact_secrets(text, &Secrets::key("mgmt-123456")), "task-queue-full, risk-assessment; key sk-[redacted] and (sk-[redacted])");
    }

    #[test]
    fn a_url_is_redacted_of_the_key_as_it_carries_it() {
        let key = "mgmt+key/with=0123";
        let url = "https://x.test/v1/keys?after_id=mgmt%2Bkey%2Fwith%3D0123&b=sk-ant-api03-abcdefgh&c=mgmt+key/with=0123&d=mgmt%2bkey/with%3d0123";
        assert_eq!(redact_secrets(url, &Secrets::key(key)), "https://x.test/v1/keys?after_id=[redacted]&b=sk-ant-[redacted]&c=[redacted]&d=[redacted]");
        assert_eq!(redact_secrets("https://x.test/v1/keys/abc", &Secrets::key("plain-key-1234")), "https://x.test/v1/keys/abc");
    }

    #[test]
    fn the_key_is_redacted_as_json_escapes_it_inside_a_message() {
        let key = "mgmt/key\\0123";
        let echoed = r#"upstream said {"error":"bad key mgmt\/key\\0123"} and \u006dgmt\u002Fkey\\0123"#;
        assert_eq!(redact_secrets(echoed, &Secrets::key(key)), r#"upstream said {"error":"bad key [redacted]"} and [redacted]"#);
    }

    #[test]
    fn a_key_whose_own_text_looks_like_an_escape_is_redacted_as_it_is() {
        for key in [r"Mgmt%25Key0123", r"Mgmt\\Key0123", r"Mgmt\u005cKey0123"] {
            assert_eq!(redact_secrets(&format!("bad key {key} (HTTP 401)"), &Secrets::key(key)), "bad key [redacted] (HTTP 401)", "{key}");
        }
    }

    #[test]
    fn a_prefixed_secret_is_redacted_whole_when_its_bytes_are_escaped() {
        // The prefix pass ended a token at `%` or `\`, and left the rest of it.
        for text in ["?after_id=sk-ant-AuditKey%2Fxyz%2BQRS%3Dtuv&x=1", r#""sk-ant-AuditKey\/xyz+QRS=tuv" x=1"#] {
            let redacted = redact_secrets(text, &Secrets::key(""));
            assert!(redacted.contains("sk-ant-[redacted]") && !redacted.contains("xyz") && redacted.contains("x=1"), "{redacted}");
        }
        // The key itself, prefixed: matched whole by the key pass, before the prefix pass.
        let key = "sk-ant-AuditKey/xyz+QRS=tuv";
        assert_eq!(redact_secrets("?after_id=sk-ant-AuditKey%2Fxyz%2BQRS%3Dtuv", &Secrets::key(key)), "?after_id=[redacted]");
    }

    #[test]
    fn quoted_text_is_cut_after_it_is_redacted() {
        // Cut first, the secret would keep three characters, too few to be recognised.
        let text = format!("{}sk-or-v1-abcdefgh and more", "x".repeat(MAX_QUOTED - 12));
        let quoted = quoted(&text, &Secrets::default());
        assert!(quoted.ends_with("sk-or-v1-[re…") && !quoted.contains("abc"), "{}", &quoted[MAX_QUOTED - 20..]);
        assert_eq!(quoted.len(), MAX_QUOTED + "…".len());
    }

    #[test]
    fn a_prefix_that_starts_another_comes_after_it() {
        for (i, earlier) in SECRET_PREFIXES.iter().enumerate() {
            for later in &SECRET_PREFIXES[i + 1..] {
                assert!(!later.starts_with(earlier), "{later} must come before {earlier}");
            }
        }
        assert_eq!(redact_secrets("sk-ant-abcdefgh sk-or-v1-abcdefgh sk-abcdefgh", &Secrets::key("")), "sk-ant-[redacted] sk-or-v1-[redacted] sk-[redacted]");
    }

    #[test]
    fn leaves_ordinary_words_alone() {
        assert_eq!(redact_secrets("ask-me sk-ab", &Secrets::key("")), "ask-me sk-ab");
        assert_eq!(redact_secrets("é sk-abcdefé sk-ab€cdefgh", &Secrets::key("abcdé")), "é sk-[redacted]é sk-ab€cdefgh");
    }
}
