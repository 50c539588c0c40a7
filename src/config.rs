//! Client options, read and checked once when the client is made.

use crate::prelude::*;
use crate::error::{Error, FieldError};
use crate::json::Json;
use crate::providers::{Provider, PROVIDER_NAMES};
use crate::validate::{check_one_of, dotted, Problems, Reader};
use crate::wire::path::without_trailing_slashes;
use crate::wire::redact::Secrets;
#[cfg(test)]
use crate::wire::redact::redact_secrets;
use crate::wire::retry::RetryPolicy;
use core::fmt;

/// Everything a client needs to build requests. Its `Debug` never prints the key.
#[derive(Clone, PartialEq)]
pub struct Config {
    pub provider: Provider,
    api_key: String,
    /// Without a trailing slash.
    pub base_url: String,
    /// Extra headers sent with every request (credential headers are the SDK's own).
    pub headers: Vec<(String, String)>,
    /// The client's headers a call's own replaced ([`Config::with_call_headers`]): not
    /// sent, and still secret.
    replaced_headers: Vec<(String, String)>,
    /// The provider's API version header (GPT Core `Accept` version, `anthropic-version`).
    pub api_version: String,
    /// How the management key is sent (see [`Provider::auth_styles`]).
    pub auth_style: String,
    /// Fluxbase route family: `client-keys` or `api-keys`.
    pub routes: String,
    pub resilience: Resilience,
}

/// What each call may set for itself: its retries and each attempt's timeout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resilience {
    pub retry: RetryPolicy,
    pub timeout_ms: f64,
}

/// Options that are handled by the JS shell and only tolerated here.
pub const SHELL_OPTIONS: [&str; 2] = ["fetch", "logger"];

impl Config {
    /// A config with the provider's defaults.
    pub fn new(provider: Provider, api_key: &str) -> Config {
        Config {
            provider,
            api_key: api_key.to_string(),
            base_url: without_trailing_slashes(provider.default_base_url()).to_string(),
            headers: Vec::new(),
            replaced_headers: Vec::new(),
            api_version: provider.default_api_version().to_string(),
            auth_style: provider.auth_styles().first().copied().unwrap_or("").to_string(),
            routes: "client-keys".to_string(),
            resilience: Resilience { retry: RetryPolicy::default(), timeout_ms: 60_000.0 },
        }
    }

    /// The management key, for building auth headers only.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// What this client's errors and log never show: the key and the caller's header values.
    pub fn secrets(&self) -> Secrets<'_> {
        let mut secrets = Secrets::of_client(&self.api_key, &self.headers);
        secrets.add_headers(&self.replaced_headers);
        secrets
    }

    /// This config with a call's own `headers` over the client's: a name both give (they
    /// are lower-case) takes the call's value.
    pub fn with_call_headers(&self, call: &[(String, String)]) -> Config {
        let mut config = self.clone();
        for (name, value) in call {
            match config.headers.iter_mut().find(|(given, _)| given == name) {
                Some(given) => {
                    let replaced = core::mem::replace(&mut given.1, value.clone());
                    config.replaced_headers.push((name.clone(), replaced));
                }
                None => config.headers.push((name.clone(), value.clone())),
            }
        }
        config
    }

    /// Reads the options object passed to `new ApiKeys(options)`.
    pub fn from_json(options: &Json) -> Result<Config, Error> {
        let mut problems = Problems::new();
        let mut r = Reader::options(options, &mut problems);
        let provider_name = r.string("provider", &mut problems);
        let provider = provider_name.as_deref().and_then(Provider::parse);
        if provider.is_none() {
            problems.add("provider", provider_problem(provider_name.as_deref()));
        }
        // Surrounding whitespace (a key read from a file, or copied from a page with a no-break space) is dropped.
        let api_key = r.string("apiKey", &mut problems).map(|k| crate::text::trimmed(&k).to_string());
        if api_key.as_deref().is_none_or(str::is_empty) {
            problems.add("apiKey", "is required: the provider's management (admin) key");
        } else if api_key.as_deref().is_some_and(|k| k.chars().any(char::is_control)) {
            problems.add("apiKey", "must not contain line breaks or other control characters");
        } else if api_key.as_deref().is_some_and(|k| !k.bytes().all(|b| b.is_ascii_graphic())) {
            // It is sent in a header, where fetch refuses characters past U+00FF only when sending.
            problems.add("apiKey", "must be printable ASCII without spaces (a key copied from a page may carry an invisible character such as U+200B)");
        }
        let api_key = api_key.unwrap_or_default();
        let mut config = Config::new(provider.unwrap_or(Provider::ALL[0]), &api_key);
        read_base_url(&mut r, provider, &mut config, &mut problems);
        config.headers = read_headers(&mut r, &mut problems);
        read_provider_options(&mut r, provider, &mut config, &mut problems);
        read_resilience(&mut r, &mut config.resilience, &mut problems);
        for name in SHELL_OPTIONS {
            r.value(name);
        }
        if r.has_key("signal") {
            r.value("signal");
            problems.add("signal", "is a per-call option: pass { signal } as the last argument of a method");
        }
        r.finish(&mut problems);
        let checked = problems.into_result(()).map_err(|e| options_error(e.into_fields()).without_secrets(&config.secrets()));
        checked.map(|()| config)
    }
}

/// Reads per-call request options (`timeoutMs`, `maxRetries`, `maxRetryDelayMs` over the
/// client's own settings, `headers`, and `signal`, which the shell handles).
pub fn read_request_options(options: &Json, client: Resilience) -> Result<CallOptions, Error> {
    let mut problems = Problems::new();
    let mut resilience = client;
    let mut r = Reader::options(options, &mut problems);
    read_resilience(&mut r, &mut resilience, &mut problems);
    let headers = read_headers(&mut r, &mut problems);
    r.value("signal");
    r.finish(&mut problems);
    problems.into_result(CallOptions { resilience, headers }).map_err(|e| options_error(e.into_fields()))
}

/// What a call's request options set besides its signal.
#[derive(Debug)]
pub struct CallOptions {
    pub resilience: Resilience,
    /// Headers of this call's own, checked as the client's are ([`Config::with_call_headers`]).
    pub headers: Vec<(String, String)>,
}

/// A `ValidationError` about client options ("invalid options: …").
pub fn options_error(fields: Vec<FieldError>) -> Error {
    Error::invalid("options", fields)
}

fn read_base_url<'a>(r: &mut Reader<'a>, provider: Option<Provider>, config: &mut Config, problems: &mut Problems) {
    let insecure_ok = r.bool("allowInsecureHttp", problems).unwrap_or(false);
    match r.string("baseUrl", problems) {
        Some(url) => match check_base_url(&url, insecure_ok) {
            Ok(url) => config.base_url = url,
            Err(message) => problems.add("baseUrl", message),
        },
        None if provider.is_some_and(|p| p.default_base_url().is_empty()) => {
            problems.add("baseUrl", "is required for fluxbase (it is self-hosted), e.g. https://fluxbase.example.com")
        }
        None => {}
    }
}

/// A base URL without a trailing slash, or why it is refused.
///
/// Works on bytes: `&str` patterns and slicing would pull in searchers and panic paths.
pub fn check_base_url(url: &str, allow_insecure_http: bool) -> Result<String, &'static str> {
    let bytes = url.as_bytes();
    let at = (0..bytes.len())
        .find(|&i| bytes[i..].starts_with(b"://"))
        .ok_or("must be an absolute URL such as https://api.example.com")?;
    let (scheme, rest) = (&bytes[..at], &bytes[at + 3..]);
    let authority = before(rest, b'/');
    if authority.is_empty() {
        return Err("must name a host");
    }
    if !bytes.iter().all(u8::is_ascii_graphic) {
        return Err("must be plain ASCII without spaces (punycode or percent-encode other characters)");
    }
    if has_byte(authority, b"@") {
        return Err("must not contain credentials; pass the key as apiKey");
    }
    if has_byte(rest, b"?#") {
        return Err("must not contain a query or fragment");
    }
    if let Some(problem) = authority_problem(authority) {
        return Err(problem);
    }
    // A scheme is case-insensitive (RFC 3986); it is sent lower-case.
    let secure = match scheme.to_ascii_lowercase().as_slice() {
        b"https" => true,
        b"http" if allow_insecure_http || is_loopback(authority) => false,
        b"http" => {
            return Err("must use https (plain http is allowed only for loopback hosts, or with allowInsecureHttp: true)")
        }
        _ => return Err("must use https"),
    };
    let url = without_trailing_slashes(url);
    let rest = url.get(at..).unwrap_or_default();
    Ok(text!(if secure { "https" } else { "http" }, rest))
}

/// Why `host[:port]` is not one a URL parser takes, if it is not (refused here, it would
/// fail every request instead).
fn authority_problem(authority: &[u8]) -> Option<&'static str> {
    let (host, port) = match authority.strip_prefix(b"[") {
        Some(bracketed) => {
            let mut parts = bracketed.splitn(2, |&b| b == b']');
            let (address, after) = (parts.next().unwrap_or_default(), parts.next());
            let is_address = has_byte(address, b":") && address.iter().all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
            // After `]`: nothing, or `:` and the port.
            let port = after.and_then(|after| if after.is_empty() { Some(after) } else { after.strip_prefix(b":") });
            match port {
                Some(port) if is_address => (address, port),
                _ => return Some("must hold an IPv6 address between [ and ], then nothing or :port"),
            }
        }
        None => {
            let mut parts = authority.splitn(2, |&b| b == b':');
            (parts.next().unwrap_or_default(), parts.next().unwrap_or_default())
        }
    };
    if host.is_empty() {
        Some("must name a host")
    } else if has_byte(host, b"<>[]\\^|%") {
        Some("must name a host without < > [ ] \\ ^ | or %")
    } else if !is_port(port) {
        Some("must have a port from 1 to 65535 after the host")
    } else {
        None
    }
}

/// A port from 1 to 65535 (leading zeros allowed, as URL parsers take them), or none
/// (`host:` is the scheme's default).
fn is_port(digits: &[u8]) -> bool {
    let number = || digits.iter().fold(0u32, |n, &b| n.saturating_mul(10).saturating_add(u32::from(b - b'0')));
    digits.is_empty() || (digits.iter().all(u8::is_ascii_digit) && (1..=65_535).contains(&number()))
}

/// Whether `bytes` holds any of `wanted` (a plain scan: `[u8]::contains` links `memchr`).
fn has_byte(bytes: &[u8], wanted: &[u8]) -> bool {
    bytes.iter().any(|b| wanted.iter().any(|w| w == b))
}

/// The bytes before the first `stop`, or all of them.
fn before(bytes: &[u8], stop: u8) -> &[u8] {
    bytes.split(|&b| b == stop).next().unwrap_or(bytes)
}

fn is_loopback(authority: &[u8]) -> bool {
    let host = if authority.starts_with(b"[") {
        let bracketed = before(authority, b']');
        &bracketed[bracketed.iter().take_while(|&&b| b == b'[').count()..]
    } else {
        before(authority, b':')
    };
    host.eq_ignore_ascii_case(b"localhost") || is_ipv4_loopback(host) || host == b"::1"
}

/// A dotted-quad address in 127.0.0.0/8. Not any name starting `127.`: `127.evil.example`
/// is a DNS name like any other, and the key must not go to it in cleartext.
fn is_ipv4_loopback(host: &[u8]) -> bool {
    let (mut dots, mut digits, mut octet) = (0, 0, 0u32);
    for &b in host {
        match b {
            b'0'..=b'9' if digits < 3 => (digits, octet) = (digits + 1, octet * 10 + u32::from(b - b'0')),
            b'.' if digits > 0 && octet <= 255 => (dots, digits, octet) = (dots + 1, 0, 0),
            _ => return false,
        }
    }
    dots == 3 && digits > 0 && octet <= 255 && host.starts_with(b"127.")
}

/// Most headers a caller may add (each is checked against the ones before it).
const MAX_HEADERS: usize = 100;

/// Headers a caller cannot send through `fetch`: Node's refuses each (`content-length` hangs
/// the request), browsers drop them.
const RUNTIME_HEADERS: [&str; 6] = ["connection", "content-length", "expect", "keep-alive", "transfer-encoding", "upgrade"];

fn read_headers<'a>(r: &mut Reader<'a>, problems: &mut Problems) -> Vec<(String, String)> {
    let Some(value) = r.value("headers") else { return Vec::new() };
    let Some(members) = value.as_object() else {
        problems.wrong_type("headers", "an object of strings", value);
        return Vec::new();
    };
    if members.len() > MAX_HEADERS {
        problems.add("headers", "must be at most 100 headers");
        return Vec::new();
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in members {
        let valid_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || has_byte(b"!#$%&'*+-.^_`|~", &[b]));
        let field = || dotted("headers", name);
        match value.as_str() {
            _ if !valid_name => problems.add(&field(), "is not a valid header name"),
            Some(v) if v.chars().any(|c| c.is_control() && c != '\t') => {
                problems.add(&field(), "must not contain line breaks or control characters")
            }
            // fetch's `Headers` takes a value's characters as bytes, and refuses others only when sending.
            Some(v) if v.chars().any(|c| u32::from(c) > 0xFF) => {
                problems.add(&field(), "must hold only characters up to U+00FF (percent-encode others)")
            }
            Some(_) if RUNTIME_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)) => {
                problems.add(&field(), "is set by the runtime's fetch, which refuses it or drops it")
            }
            Some(_) if headers.iter().any(|(given, _)| given.eq_ignore_ascii_case(name)) => {
                problems.add(&field(), "names a header given already (header names are case-insensitive)")
            }
            // Without the blanks around it, which `fetch` drops before sending (and a no-break space).
            Some(v) => headers.push((name.to_ascii_lowercase(), crate::text::trimmed(v).to_string())),
            None => problems.wrong_type(&field(), "a string", value),
        }
    }
    headers
}

fn read_provider_options<'a>(r: &mut Reader<'a>, provider: Option<Provider>, config: &mut Config, problems: &mut Problems) {
    let Some(provider) = provider else {
        for name in ["apiVersion", "authStyle", "routes"] {
            r.value(name);
        }
        return;
    };
    if let Some(version) = r.string("apiVersion", problems) {
        if provider.default_api_version().is_empty() {
            problems.add("apiVersion", not_used_by(provider));
        } else if crate::text::is_blank(&version) || !version.bytes().all(|b| b.is_ascii_graphic() || b == b' ') || version.bytes().any(|b| matches!(b, b';' | b',')) {
            problems.add("apiVersion", "must be a version such as 2023-06-01");
        }
        config.api_version = version;
    }
    if let Some(style) = r.string("authStyle", problems) {
        let styles = provider.auth_styles();
        if styles.len() < 2 {
            problems.add("authStyle", not_used_by(provider));
        } else {
            check_one_of(Some(&style), "authStyle", styles, problems);
        }
        config.auth_style = style;
    }
    if let Some(routes) = r.string("routes", problems) {
        if provider.name() != "fluxbase" {
            problems.add("routes", not_used_by(provider));
        }
        check_one_of(Some(&routes), "routes", &["client-keys", "api-keys"], problems);
        config.routes = routes;
    }
}

/// What is wrong with a `provider` value this build does not speak (`None`: missing).
fn provider_problem(name: Option<&str>) -> String {
    match name {
        None => text!("is required: one of ", Provider::names()),
        // (A constant test first: a build of all five never writes this message.)
        Some(name) if Provider::ALL.len() < PROVIDER_NAMES.len() && PROVIDER_NAMES.contains(&name) => {
            text!("\"", name, "\" is not in this build, which has only ", Provider::names(), ": the apikeys-wasm entry (not apikeys-wasm/<provider>) has all five")
        }
        Some(_) => text!("must be one of ", Provider::names()),
    }
}

/// "is not used by {provider}".
fn not_used_by(provider: Provider) -> String {
    "is not used by ".to_string() + provider.display_name()
}

fn read_resilience<'a>(r: &mut Reader<'a>, settings: &mut Resilience, problems: &mut Problems) {
    if let Some(n) = r.number("maxRetries", problems) {
        crate::validate::check_whole_in(Some(n), "maxRetries", 0.0, 10.0, problems);
        settings.retry.max_retries = n.clamp(0.0, 10.0) as u32;
    }
    if let Some(ms) = r.number("maxRetryDelayMs", problems) {
        crate::validate::check_amount(Some(ms), "maxRetryDelayMs", false, problems);
        check_timer_ms(ms, "maxRetryDelayMs", problems);
        settings.retry.max_delay_ms = ms;
    }
    if let Some(ms) = r.number("timeoutMs", problems) {
        if ms <= 0.0 {
            problems.add("timeoutMs", "must be more than 0");
        }
        check_timer_ms(ms, "timeoutMs", problems);
        settings.timeout_ms = ms;
    }
}

/// The longest wait `setTimeout` takes: browsers and Workers fire a longer one at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

fn check_timer_ms(ms: f64, field: &str, problems: &mut Problems) {
    if ms > MAX_TIMER_MS {
        problems.add(field, "must be at most 2147483647 (about 24.8 days, the longest a JS timer waits)");
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("provider", &self.provider)
            .field("api_key", &"[redacted]")
            .field("base_url", &self.base_url)
            .field("header_names", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("api_version", &self.api_version)
            .field("auth_style", &self.auth_style)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    /// The full build speaks every provider `PROVIDER_NAMES` lists (the names a one-provider
    /// build refuses by name), and a bad or missing one is named with the choices.
    #[test]
    fn the_full_build_has_every_named_provider() {
        let built: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(built, PROVIDER_NAMES);
        assert_eq!(provider_problem(Some("openai")), r#"must be one of "gptcore", "quantum", "openrouter", "anthropic" or "fluxbase""#);
        assert!(provider_problem(None).starts_with("is required: one of \"gptcore\""));
    }

    /// Options that are not an object are called options, whether the client's or a call's.
    #[test]
    fn options_that_are_not_an_object_are_named_options() {
        let client = Config::from_json(&options("5")).unwrap_err();
        assert_eq!(client.fields[0].field, "options");
        let call = read_request_options(&options(r#""fast""#), Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k"}"#)).unwrap().resilience);
        let error = call.unwrap_err();
        assert_eq!(error.message, "invalid options: options: must be an object, not a string");
    }

    #[test]
    fn reads_defaults_and_never_prints_the_key() {
        let c = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"sk-or-v1-top"}"#)).unwrap();
        assert_eq!(c.base_url, "https://openrouter.ai/api/v1");
        assert!(!format!("{:?}", c).contains("top"));
    }

    #[test]
    fn reports_every_bad_option() {
        let e = Config::from_json(&options(
            r#"{"provider":"nope","apiKey":"","baseUrl":"ftp://x","headers":{"a b":"1"},"timeoutMs":0,"colour":1}"#,
        ))
        .unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["provider", "apiKey", "baseUrl", "headers.a b", "timeoutMs", "colour"]);
        assert!(e.message.starts_with("invalid options"));
    }

    /// Headers fetch will not send (Node's refuses them, `content-length` hanging the request
    /// until its timeout) and a name given twice in two cases (one would be lost) are refused.
    #[test]
    fn headers_fetch_cannot_send_and_names_given_twice_are_refused() {
        let text = r#"{"provider":"openrouter","apiKey":"k","headers":{"Content-Length":"5","x-title":"a","X-Title":"b","connection":"close","x-ok":"1"}}"#;
        let e = Config::from_json(&options(text)).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["headers.Content-Length", "headers.X-Title", "headers.connection"]);
        assert!(e.fields[1].message.contains("given already"), "{}", e.fields[1].message);
        let fine = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k","headers":{"X-Title":"a","http-referer":"b"}}"#)).unwrap();
        assert_eq!(fine.headers, [("x-title".to_string(), "a".to_string()), ("http-referer".to_string(), "b".to_string())]);
    }

    #[test]
    fn keys_and_header_values_with_control_characters_are_refused() {
        let e = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k\r\nx","headers":{"x-a":"1\u0000"}}"#)).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["apiKey", "headers.x-a"]);
        // What fetch would refuse only when sending, three attempts later.
        let e = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"sk-or-v1-ab\u200b","headers":{"x-title":"Caf\u20ac","x-ok":"Caf\u00e9"},"apiVersion":"v\u2028"}"#)).unwrap_err();
        let problems: Vec<(&str, &str)> = e.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
        assert_eq!(problems[0].0, "apiKey");
        assert!(problems[0].1.contains("U+200B"), "{}", problems[0].1);
        assert_eq!(problems[1], ("headers.x-title", "must hold only characters up to U+00FF (percent-encode others)"));
        assert_eq!(problems.len(), 3, "{problems:?}");
        let padded = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":" sk-or-v1-ab\n"}"#)).unwrap();
        assert_eq!(padded.api_key(), "sk-or-v1-ab", "a key read from a file, its line break with it");
        let pasted = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"\u00a0sk-or-v1-ab\u3000"}"#)).unwrap();
        assert_eq!(pasted.api_key(), "sk-or-v1-ab", "a key copied from a page, no-break spaces around it");
        let blank = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"\u00a0 "}"#)).unwrap_err();
        assert!(blank.fields[0].message.starts_with("is required"), "{:?}", blank.fields);
    }

    /// A management key typed into a header's name (`"Authorization: Bearer <key>": ""`)
    /// is not echoed in the error, nor is anything shaped like a secret.
    #[test]
    fn a_header_name_holding_the_key_is_named_without_it() {
        let text = r#"{"provider":"openrouter","apiKey":"MGMT-key-0123456789","headers":{"Authorization: Bearer MGMT-key-0123456789":"","x sk-ant-api03-abcdefgh":""}}"#;
        let e = Config::from_json(&options(text)).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["headers.Authorization: Bearer [redacted]", "headers.x sk-ant-[redacted]"]);
        assert!(!e.message.contains("0123456789") && !e.message.contains("abcdefgh"), "{}", e.message);
    }

    #[test]
    fn a_client_wide_signal_is_refused_rather_than_ignored() {
        let e = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k","signal":{}}"#)).unwrap_err();
        assert_eq!(e.fields[0].field, "signal");
        assert!(e.fields[0].message.contains("per-call"));
    }

    #[test]
    fn plain_http_only_for_loopback_or_when_allowed() {
        assert!(check_base_url("http://127.0.0.1:8787/openrouter/api/v1/", false).is_ok());
        assert!(check_base_url("http://localhost:3000", false).is_ok());
        assert!(check_base_url("http://[::1]:80", false).is_ok());
        assert!(check_base_url("http://api.example.com", false).is_err());
        assert!(check_base_url("http://api.example.com", true).is_ok());
        assert!(check_base_url("http://127.255.0.9", false).is_ok());
        // Names that merely start like a loopback address are hosts like any other.
        for host in ["127.attacker.example", "127.0.0.1.evil.example", "127.0.0.256", "127.0.0", "127.0.0.1.", "127..0.1", "1127.0.0.1", "localhost.evil.example"] {
            assert!(check_base_url(&format!("http://{host}/v1"), false).is_err(), "{host}");
        }
        assert!(check_base_url("https://user:pw@api.example.com", false).is_err());
        assert!(check_base_url("https://api.example.com/a b", false).is_err());
        assert!(check_base_url("https://api.example.com/\0", false).is_err());
        assert_eq!(check_base_url("https://a.example/v1/", false).unwrap(), "https://a.example/v1");
        assert_eq!(check_base_url("HTTPS://a.example/v1", false).unwrap(), "https://a.example/v1", "a scheme is case-insensitive");
        assert_eq!(check_base_url("Http://localhost:3000/", false).unwrap(), "http://localhost:3000");
        assert!(check_base_url("HTTP://api.example.com", false).is_err());
    }

    /// What a URL parser refuses is refused here, before any request (each request would
    /// fail, after its retries); what it takes passes.
    #[test]
    fn a_base_url_names_a_host_and_a_port_fetch_can_reach() {
        for url in ["https://a.example:443/v1", "https://a.example:/v1", "https://a.example:000443", "http://[::1]", "https://[::ffff:127.0.0.1]:8787", "https://[2001:db8::1]:65535", "https://a_b.example"] {
            assert!(check_base_url(url, false).is_ok(), "{url}");
        }
        for (url, problem) in [
            ("https://:443", "must name a host"),
            ("https://a.example:99999", "port"),
            ("https://a.example:abc", "port"),
            ("https://a.example:0", "port"),
            ("https://a.example:1:2", "port"),
            ("https://[::1", "IPv6"),
            ("https://[::1]x", "IPv6"),
            ("https://[]:80", "IPv6"),
            ("https://[a.example]", "IPv6"),
            ("https://[1.2.3.4]", "IPv6"),
            ("https://a.example:8443?x=1", "query"),
            ("https://[::1?x", "query"),
            ("https://a.example:99999999999999999999", "port"),
            ("https://a<b.example", "without"),
            ("https://a%2eexample", "without"),
        ] {
            let message = check_base_url(url, true).unwrap_err();
            assert!(message.contains(problem), "{url}: {message}");
        }
    }

    #[test]
    fn a_calls_headers_are_checked_as_the_clients_and_win_over_them() {
        let c = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k","headers":{"X-Title":"App","x-trace":"client"}}"#)).unwrap();
        let per_call = read_request_options(&options(r#"{"headers":{"X-Trace":"call-1","traceparent":"00-ab-cd-01"}}"#), c.resilience).unwrap();
        let merged = c.with_call_headers(&per_call.headers);
        let pairs = [("x-title", "App"), ("x-trace", "call-1"), ("traceparent", "00-ab-cd-01")].map(|(n, v)| (n.to_string(), v.to_string()));
        assert_eq!(merged.headers, pairs);
        assert_eq!(merged.secrets(), Secrets::of_client("k", &pairs), "a call's header values are secrets too");
        let e = read_request_options(&options(r#"{"headers":{"content-length":"1","x-a":"\u0100","x-b":"1","X-B":"2"}}"#), c.resilience).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["headers.content-length", "headers.x-a", "headers.X-B"]);
    }

    #[test]
    fn header_values_are_sent_as_fetch_sends_them_and_a_replaced_one_stays_secret() {
        let c = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k","headers":{"x-gw":" Bearer CLIENT-TOKEN-0123\t"}}"#)).unwrap();
        assert_eq!(c.headers, [("x-gw".to_string(), "Bearer CLIENT-TOKEN-0123".to_string())], "spaces and tabs around dropped");
        let per_call = read_request_options(&options(r#"{"headers":{"X-GW":"Bearer CALL-TOKEN-0123"}}"#), c.resilience).unwrap();
        let call = c.with_call_headers(&per_call.headers);
        let echoed = "sent CALL-TOKEN-0123, expected CLIENT-TOKEN-0123";
        assert_eq!(redact_secrets(echoed, &call.secrets()), "sent [redacted], expected [redacted]");
    }

    #[test]
    fn request_options_override_client_settings() {
        let c = Config::from_json(&options(r#"{"provider":"openrouter","apiKey":"k","maxRetries":5}"#)).unwrap();
        let per_call = read_request_options(&options(r#"{"timeoutMs":50,"signal":null}"#), c.resilience).unwrap();
        assert_eq!((per_call.resilience.timeout_ms, per_call.resilience.retry.max_retries), (50.0, 5));
        let e = read_request_options(&options(r#"{"timeoutMs":2147483648,"maxRetryDelayMs":3e9}"#), c.resilience).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["maxRetryDelayMs", "timeoutMs"], "longer than a JS timer waits");
        assert!(read_request_options(&options(r#"{"timeoutMs":2147483647}"#), c.resilience).is_ok());
        let e = read_request_options(&options(r#"{"maxRetries":-1,"timeout":5}"#), c.resilience).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["maxRetries", "timeout"]);
    }

    #[test]
    fn provider_options_are_checked_against_the_provider() {
        let e = Config::from_json(&options(
            r#"{"provider":"openrouter","apiKey":"k","apiVersion":"1","authStyle":"bearer","routes":"api-keys"}"#,
        ))
        .unwrap_err();
        let fields: Vec<(&str, &str)> = e.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
        let not_used = "is not used by OpenRouter"; // the README's words, for every one
        assert_eq!(fields, [("apiVersion", not_used), ("authStyle", not_used), ("routes", not_used)]);
    }
}
