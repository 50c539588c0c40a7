//! The robustness harness shared by `tests/hostile.rs`, `tests/properties.rs` and the
//! fuzz targets (`fuzz/src/lib.rs` includes this file by path), so a crash found by
//! the fuzzer replays natively through exactly the same code and checks.
//!
//! Three entry points take raw bytes, decode them into a call and its inputs, run the
//! sans-IO core, and panic when an invariant breaks:
//! - [`response_case`]: arbitrary status, headers and body bytes → `Exchange::receive`;
//! - [`input_case`]: arbitrary JSON (or text) as `id` and `input` → `Client::begin`;
//! - [`request_case`]: arbitrary ids, cursors and base URLs → the built request.
//!
//! What "an invariant" means is written once, in the `check_*` functions below.
#![allow(dead_code, clippy::result_large_err)]

use apikeys::error::ErrorKind;
use apikeys::wire::path::encode;
use apikeys::wire::redact::{quoted, redact_secrets, Secrets};
use apikeys::wire::retry::{next_delay_ms, Attempt, RetryPolicy};
use apikeys::{Body, Client, Config, Error, Exchange, HttpRequest, HttpResponse, Json, Operation, Output, Provider, Step};

/// 2026-06-01T00:00:00Z, the fixed "now" of every case.
pub const NOW: f64 = 1_780_272_000_000.0;
/// The management key of every test client. It has no provider prefix on purpose, so
/// only the first redaction net (the configured key) can catch it.
pub const KEY: &str = "MGMT-robustness-management-key-7f3a9c";
/// A gateway's credential every test client sends in its `headers`, as `Bearer …`: as
/// secret as the key (a server may echo the whole value or the token alone).
pub const GATEWAY_TOKEN: &str = "GATEWAY-robustness-token-51c2e8";
pub const UUID: &str = "0df9e665-d932-5740-b2c7-b52af166bc11";
pub const FLUXBASE_URL: &str = "https://fluxbase.example.com";
/// Most stages an operation takes (Fluxbase update/revoke read the key back).
pub const MAX_STAGES: usize = 2;

// ---- clients ----

/// The options of a test client; `variant` picks an auth style or route family.
pub fn options(provider: Provider, variant: u8) -> Json {
    let mut members: Vec<(apikeys::json::Text, Json)> = vec![
        ("provider".into(), Json::from(provider.name())),
        ("apiKey".into(), Json::from(KEY)),
        ("headers".into(), Json::Object(vec![("cf-aig-authorization".into(), Json::from(format!("Bearer {GATEWAY_TOKEN}")))].into())),
    ];
    match provider {
        Provider::Anthropic if variant % 2 == 1 => members.push(("authStyle".into(), Json::from("bearer"))),
        Provider::Fluxbase => {
            members.push(("baseUrl".into(), Json::from(FLUXBASE_URL)));
            if variant % 2 == 1 {
                members.push(("routes".into(), Json::from("api-keys")));
            }
            let style = ["service-key", "api-key", "bearer"][usize::from(variant / 2 % 3)];
            members.push(("authStyle".into(), Json::from(style)));
        }
        _ => {}
    }
    Json::Object(members.into())
}

pub fn client(provider: Provider, variant: u8) -> Client {
    Client::new(Config::from_json(&options(provider, variant)).expect("test options are valid"))
}

/// `base/route`: what every URL of `op` on `client` must start with.
pub fn route_prefix(client: &Client, op: Operation) -> String {
    let config = client.config();
    let route = match config.provider {
        Provider::OpenRouter if op == Operation::Current => "key",
        Provider::OpenRouter => "keys",
        Provider::GptCore => "admin/api-keys",
        Provider::Quantum => "qai/v1/keys",
        Provider::Anthropic => "v1/organizations/api_keys",
        Provider::Fluxbase if config.routes == "api-keys" => "api/v1/api-keys",
        Provider::Fluxbase => "api/v1/client-keys",
    };
    format!("{}/{}", config.base_url, route)
}

/// Whether `op` takes a key id as its first argument.
pub fn takes_id(op: Operation) -> bool {
    matches!(
        op,
        Operation::Get
            | Operation::Update
            | Operation::Revoke
            | Operation::Enable
            | Operation::Rotate
            | Operation::Delete
            | Operation::SetBudget
            | Operation::ResetBudgetPeriod
    )
}

/// An id every provider accepts (Fluxbase ids are UUIDs).
pub fn valid_id(provider: Provider) -> &'static str {
    if provider == Provider::Fluxbase {
        UUID
    } else {
        "key_01HZX3QK7V9M2P"
    }
}

/// Arguments `(id, input)` that `begin` accepts for every supported `op` of `provider`.
pub fn valid_args(provider: Provider, op: Operation) -> (Option<Json>, Option<Json>) {
    let id = takes_id(op).then(|| Json::from(valid_id(provider)));
    let input = match op {
        Operation::Create => Some(match provider {
            Provider::Fluxbase => json(r#"{"name":"ci","scopes":["read:tables"]}"#),
            _ => json(r#"{"name":"ci"}"#),
        }),
        Operation::Update => Some(json(r#"{"name":"renamed"}"#)),
        Operation::SetBudget => Some(json(r#"{"limit":10}"#)),
        Operation::Usage => Some(match provider {
            Provider::GptCore => Json::Object(vec![("tenantId".into(), Json::from(UUID))].into()),
            _ => json(r#"{"keyId":"key_01HZX3QK7V9M2P"}"#),
        }),
        _ => None,
    };
    (id, input)
}

/// A started exchange of `op` with valid arguments, or `None` when `op` is unsupported.
pub fn begin_valid(client: &Client, op: Operation) -> Option<Exchange> {
    if !client.supports(op) {
        return None;
    }
    let (id, input) = valid_args(client.provider(), op);
    let exchange = client.begin(op, id.as_ref(), input.as_ref(), NOW);
    Some(exchange.unwrap_or_else(|e| panic!("{} {}: valid args refused: {}", client.provider().name(), op.name(), e)))
}

pub fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("test JSON")
}

// ---- bodies ----

/// Decodes body bytes as the wasm shell does (`fetch.rs`'s reading of the bytes, with
/// runtime.js's `utf8Text` for invalid UTF-8): UTF-8 with invalid bytes replaced and a leading BOM dropped,
/// blank text is `Empty`, text that `Json::parse` reads is `Json`, anything else keeps
/// only its size. serde_json is the oracle: what it reads, `Json::parse` must read to
/// the same value (the reverse need not hold: it refuses `1e400` and lone surrogates,
/// which `JSON.parse` accepts).
pub fn decode_body(bytes: &[u8]) -> Body {
    let body = Body::from_bytes(bytes);
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if let Ok(theirs) = serde_json::from_str::<Json>(text) {
        let agree = matches!(&body, Body::Json(ours) if same_json(&Json::from(ours.root()), &theirs));
        assert!(agree, "Json::parse disagrees with serde_json on {:?}: {body:?} vs {theirs:?}", text.get(..200));
    }
    body
}

/// Equal values, numbers within a few units in the last place: serde_json (without its
/// `float_roundtrip` feature) rounds some long numbers imprecisely, where `Json::parse`
/// (Rust's `f64` parsing, like `JSON.parse`) rounds correctly.
pub fn same_json(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs()),
        (Json::Array(xs), Json::Array(ys)) => xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_json(x, y)),
        (Json::Object(xs), Json::Object(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys.iter()).all(|((kx, x), (ky, y))| kx == ky && same_json(x, y))
        }
        _ => a == b,
    }
}

/// `true` when `text` carries neither the management key nor anything the redactor
/// would still remove (a provider-prefixed secret).
pub fn is_clean(text: &str) -> bool {
    let gateway = [("x".to_string(), format!("Bearer {GATEWAY_TOKEN}"))];
    !text.contains(KEY) && !text.contains(GATEWAY_TOKEN) && redact_secrets(text, &Secrets::of_client(KEY, &gateway)) == text
}

// ---- invariants ----

/// Every URL of `op` stays under its route: `prefix` then `/`, `?` or the end; no
/// fragment, no dot segment, at most one `?`, every query pair `name=value` encoded.
pub fn check_url(url: &str, prefix: &str) {
    let rest = url.strip_prefix(prefix).unwrap_or_else(|| panic!("URL {url:?} left {prefix:?}"));
    assert!(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'), "URL {url:?} extends the route's last segment");
    assert!(!rest.contains('#'), "fragment in {url:?}");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    assert!(!query.contains('?'), "second ? in {url:?}");
    for segment in path.split('/').skip(1) {
        assert!(segment != "." && segment != ".." && !segment.is_empty(), "segment {segment:?} in {url:?}");
        assert!(is_encoded(segment), "segment {segment:?} of {url:?} is not percent-encoded");
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or_else(|| panic!("query pair {pair:?} in {url:?}"));
        assert!(is_encoded(name) && is_encoded(value), "query pair {pair:?} of {url:?} is not encoded");
    }
}

/// Only URL-unreserved characters and `%HH` escapes.
pub fn is_encoded(text: &str) -> bool {
    percent_decode(text).is_some()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%'))
}

/// Decodes `%HH` escapes; `None` for a malformed escape.
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A built request: URL under the route, the id as exactly one segment right after
/// it, header values free of line breaks, a body that is JSON text.
pub fn check_request(client: &Client, op: Operation, request: &HttpRequest, id: Option<&str>) {
    let prefix = route_prefix(client, op);
    check_url(&request.url, &prefix);
    if let Some(id) = id {
        let rest = &request.url[prefix.len()..];
        let segment = rest.strip_prefix('/').unwrap_or("").split(['/', '?']).next().unwrap_or("");
        assert_eq!(segment, encode(id), "the id is not the segment after the route in {:?}", request.url);
        assert_eq!(percent_decode(segment).as_deref(), Some(id.as_bytes()), "segment does not decode back to the id");
    }
    for (name, value) in &request.headers {
        assert!(!name.is_empty() && !value.contains(['\r', '\n', '\0']), "header {name:?} has a line break or NUL");
    }
    if let Some(body) = &request.body {
        serde_json::from_str::<serde_json::Value>(body).unwrap_or_else(|e| panic!("body is not JSON ({e}): {body}"));
    }
}

/// Debug output (what ends up in logs and panics) shows no credential, unless the
/// caller put the key text into the arguments themselves.
fn check_debug_hides_key(shown: &str, args: &[Option<&Json>]) {
    let echoed = args.iter().flatten().any(|a| a.to_string().contains(KEY));
    assert!(echoed || !shown.contains(KEY), "Debug shows the management key: {shown}");
}

/// An error about a response: the kind its status calls for, the status and request id
/// attached, provider and operation named, and no secret in its message or code.
pub fn check_response_error(client: &Client, op: Operation, response: &HttpResponse, error: &Error) {
    let expected = if response.is_success() { ErrorKind::ResponseFormat } else { ErrorKind::from_status(response.status) };
    assert_eq!(error.kind, expected, "wrong kind for HTTP {}: {}", response.status, error.message);
    assert_eq!(error.status, Some(response.status), "status missing: {}", error.message);
    assert_eq!((error.provider, error.operation), (Some(client.provider().name()), Some(op.name())));
    if let Some(id) = request_id_header(client.provider()).and_then(|h| response.header(h)) {
        assert_eq!(error.request_id, Some(quoted(id, &client.config().secrets())), "request id lost: {}", error.message);
    }
    assert!(!error.message.trim().is_empty(), "empty message");
    assert!(error.fields.is_empty(), "a response error with input fields");
    assert!(is_clean(&error.message), "secret in message: {:?}", error.message);
    assert!(error.code.as_deref().is_none_or(is_clean), "secret in code: {:?}", error.code);
    assert!(error.request_id.as_deref().is_none_or(is_clean), "secret in request id: {:?}", error.request_id);
    if let Some(raw) = &error.raw {
        // serde_json refuses a lone surrogate's escape, which JSON.parse reads: then the tape's
        // unescaped strings, beside the text's own, are what JSON.parse would see.
        let clean = match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(read) => all_strings_clean(&read),
            Err(_) => {
                let doc = apikeys::json::Doc::parse(raw.clone()).unwrap_or_else(|e| panic!("raw is not JSON ({e:?}): {raw:?}"));
                is_clean(raw) && is_clean(doc.unescaped_strings())
            }
        };
        assert!(clean, "secret in raw, as JSON.parse reads it: {raw:?}");
    }
    if let Some(ms) = error.retry_after_ms {
        assert!(!ms.is_nan(), "NaN retry hint");
    }
}

/// Every string of `value`, names included, passes [`is_clean`].
fn all_strings_clean(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => is_clean(text),
        serde_json::Value::Array(items) => items.iter().all(all_strings_clean),
        serde_json::Value::Object(members) => members.iter().all(|(name, v)| is_clean(name) && all_strings_clean(v)),
        _ => true,
    }
}

/// The header each provider sends its request id in.
pub fn request_id_header(provider: Provider) -> Option<&'static str> {
    match provider {
        Provider::Anthropic => Some("request-id"),
        Provider::Quantum => Some("x-qai-request-id"),
        _ => None,
    }
}

/// The output a finished `op` must produce.
pub fn check_output(op: Operation, output: &Output) {
    let fits = match output {
        Output::Key(_) => matches!(
            op,
            Operation::Get | Operation::Current | Operation::Update | Operation::Revoke | Operation::Enable | Operation::SetBudget | Operation::ResetBudgetPeriod
        ),
        Output::Created(_) => matches!(op, Operation::Create | Operation::Rotate),
        Output::Page(_) => matches!(op, Operation::List | Operation::ListAll | Operation::ListActive),
        Output::Usage(_) => op == Operation::Usage,
        Output::Deleted => op == Operation::Delete,
        // Only `receive_leaving_raw` (the wasm shell's) leaves a raw to the caller.
        Output::KeyAt(..) | Output::CreatedAt(..) | Output::UsageAt { .. } => false,
    };
    assert!(fits, "{} finished with {:?}", op.name(), std::mem::discriminant(output));
    // What the shell hands to JS must serialize (non-finite numbers become null).
    let serialized = match output {
        Output::Key(k) | Output::KeyAt(k, _) => serde_json::to_string(k),
        Output::Created(c) | Output::CreatedAt(c, _) => serde_json::to_string(c),
        Output::Page(p) => serde_json::to_string(p),
        Output::Usage(u) | Output::UsageAt { usage: u, .. } => serde_json::to_string(u),
        Output::Deleted => Ok(String::new()),
    };
    serialized.expect("output serializes");
}

/// A page that says where its items' `raw` sits in the body (the wasm shell then takes
/// `raw` from JS's own parse of the body) must point at exactly those values, less what
/// its `hide` leaves out.
pub fn check_raw_source(response: &HttpResponse, output: &Output) {
    let Output::Page(page) = output else { return };
    let Some(source) = &page.raw_source else { return };
    let body = response.json().expect("a page comes from a JSON body");
    let list: Vec<Json> = source.at.value(body).and_then(|l| l.items()).expect("raw_source names an array").map(|item| source.at.hide.apply(Json::from(item))).collect();
    assert_eq!(source.indices.len(), page.items.len(), "one index per item");
    for (item, &index) in page.items.iter().zip(&source.indices) {
        assert_eq!(Some(&item.raw), list.get(index as usize), "raw of {} is the body's item {index}", item.id);
    }
}

/// What the wasm shell's exchange (`receive_leaving_raw`) reads is the same, once each
/// key's `raw` is copied from the body where its output says.
fn check_raw_left_to_the_shell(response: &HttpResponse, received: &Result<Step, Error>, shell: Result<Step, Error>) {
    match (received, shell, response.json()) {
        (Ok(Step::Done(output)), Ok(Step::Done(left)), body) => {
            let filled = match body {
                Some(body) => left.fill_raw(body),
                None => left,
            };
            assert_eq!(&filled, output, "the shell's output, raw filled from the body");
        }
        (Ok(Step::Send(next)), Ok(Step::Send(shell_next)), _) => assert_eq!(next, &shell_next),
        (Err(error), Err(shell_error), _) => assert_eq!(error.message, shell_error.message),
        (received, shell, _) => panic!("the shell's exchange read {shell:?} where the native one read {received:?}"),
    }
}

/// The retry policy's answer to `response` is a sane wait or a stop: never NaN,
/// negative, or longer than the policy allows (a server cannot park the client).
pub fn check_retry(exchange: &Exchange, response: &HttpResponse) {
    let policy = RetryPolicy::default();
    let body = exchange.envelope(response);
    for idempotent in [true, false] {
        let attempt = Attempt::Response { response, body: &body };
        if let Some(ms) = next_delay_ms(&policy, 0, idempotent, attempt, NOW, 0.5) {
            assert!(ms.is_finite() && ms >= 0.0, "delay {ms}");
            assert!(ms <= policy.max_delay_ms.max(policy.max_backoff_ms), "delay {ms} over the cap");
        }
    }
}

/// Feeds `responses` (the last one repeats) to an exchange, checking every step.
pub fn drive(client: &Client, op: Operation, exchange: &mut Exchange, responses: &[HttpResponse]) -> Result<Output, Error> {
    for stage in 0..=MAX_STAGES {
        let response = &responses[stage.min(responses.len() - 1)];
        check_retry(exchange, response);
        let early_cursor = exchange.next_cursor(response);
        let shell = exchange.clone().receive_leaving_raw(response, NOW);
        let received = exchange.receive(response, NOW);
        check_raw_left_to_the_shell(response, &received, shell);
        match received {
            Err(error) => {
                check_response_error(client, op, response, &error);
                return Err(error);
            }
            Ok(Step::Done(output)) => {
                assert!(response.is_success(), "HTTP {} finished an operation", response.status);
                check_output(op, &output);
                check_raw_source(response, &output);
                if let (Output::Page(page), Operation::List) = (&output, op) {
                    assert_eq!(early_cursor, page.next_cursor, "Exchange::next_cursor agrees with the page");
                }
                return Ok(output);
            }
            Ok(Step::Send(next)) => {
                assert!(stage + 1 < MAX_STAGES, "{} asked for a request after stage {stage}", op.name());
                check_request(client, op, &next, None);
                assert_eq!(exchange.request(), &next, "the exchange keeps the next request");
            }
        }
    }
    unreachable!("the loop returns or panics")
}

// ---- byte-level cases (fuzz targets and regression fixtures) ----

/// Statuses worth trying, picked by one byte (anything else: two raw bytes).
const STATUSES: [u16; 20] = [200, 201, 202, 204, 206, 299, 400, 401, 403, 404, 408, 409, 418, 422, 429, 500, 502, 503, 529, 301];

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = data.split_at(n.min(data.len()));
    *data = tail;
    head
}

fn byte(data: &mut &[u8]) -> u8 {
    take(data, 1).first().copied().unwrap_or(0)
}

fn status(data: &mut &[u8]) -> u16 {
    let pick = byte(data);
    if pick < 0xf0 {
        STATUSES[usize::from(pick) % STATUSES.len()]
    } else {
        u16::from_le_bytes([byte(data), byte(data)])
    }
}

/// `name: value` lines, lower-cased names as `fetch` gives them; at most 16.
pub fn parse_headers(text: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(text)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .take(16)
        .collect()
}

/// Layout: provider, operation, variant, status, status of the second response, then
/// `headers \0 body \0 second body` (a missing second body repeats the first).
pub fn response_case(data: &[u8]) {
    let mut data = data;
    let provider = Provider::ALL[usize::from(byte(&mut data)) % Provider::ALL.len()];
    let op = Operation::ALL[usize::from(byte(&mut data)) % Operation::ALL.len()];
    let variant = byte(&mut data);
    let (first, second) = (status(&mut data), status(&mut data));
    let mut parts = data.splitn(3, |b| *b == 0);
    let headers = parse_headers(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();
    let responses = [
        HttpResponse { status: first, headers: headers.clone(), body: decode_body(body) },
        HttpResponse { status: second, headers, body: decode_body(parts.next().unwrap_or(body)) },
    ];
    let client = client(provider, variant);
    let Some(mut exchange) = begin_valid(&client, op) else { return };
    let _ = drive(&client, op, &mut exchange, &responses);
}

/// Layout: provider, operation, variant, then `id \0 input`. Each part is read as
/// JSON, or else as a string (so plain text ids get through).
pub fn input_case(data: &[u8]) {
    let mut data = data;
    let provider = Provider::ALL[usize::from(byte(&mut data)) % Provider::ALL.len()];
    let op = Operation::ALL[usize::from(byte(&mut data)) % Operation::ALL.len()];
    let variant = byte(&mut data);
    let mut parts = data.splitn(2, |b| *b == 0);
    let read = |bytes: &[u8]| match serde_json::from_slice::<Json>(bytes) {
        Ok(json) => json,
        Err(_) => Json::from(String::from_utf8_lossy(bytes).into_owned()),
    };
    let id = parts.next().map(read);
    let input = parts.next().map(read);
    let client = client(provider, variant);
    check_begin(&client, op, id.as_ref(), input.as_ref());
}

/// `begin` either builds a request that passes [`check_request`] (the same one twice:
/// it is pure) or refuses with a typed error that names fields and echoes no secret.
pub fn check_begin(client: &Client, op: Operation, id: Option<&Json>, input: Option<&Json>) -> Option<Exchange> {
    match client.begin(op, id, input, NOW) {
        Ok(exchange) => {
            assert!(client.supports(op), "an unsupported operation began");
            let again = client.begin(op, id, input, NOW).expect("begin is pure");
            assert_eq!(again.request(), exchange.request(), "begin is pure");
            let id_text = if takes_id(op) { id.and_then(Json::as_str) } else { None };
            check_request(client, op, exchange.request(), id_text);
            check_debug_hides_key(&format!("{exchange:?}"), &[id, input]);
            Some(exchange)
        }
        Err(error) => {
            let expected = if client.supports(op) { ErrorKind::Validation } else { ErrorKind::UnsupportedOperation };
            assert_eq!(error.kind, expected, "{}", error.message);
            assert_eq!((error.provider, error.operation), (Some(client.provider().name()), Some(op.name())));
            assert_eq!(error.status, None, "nothing was sent, so no status");
            if expected == ErrorKind::Validation {
                assert!(!error.fields.is_empty(), "a validation error names its fields");
            }
            let secrets = secret_values(id, input);
            let echoed = [id, input].iter().flatten().any(|a| a.to_string().contains(KEY));
            for text in std::iter::once(&error.message).chain(error.fields.iter().map(|f| &f.message)) {
                assert!(echoed || !text.contains(KEY), "management key in {text:?}");
                for secret in &secrets {
                    assert!(!text.contains(secret.as_str()), "input secret {secret:?} echoed in {text:?}");
                }
            }
            None
        }
    }
}

/// Prefixed secrets found in string values (not member names, which are echoed as
/// field paths by design) of the caller's arguments.
fn secret_values(id: Option<&Json>, input: Option<&Json>) -> Vec<String> {
    fn walk(value: &Json, values: &mut Vec<String>, names: &mut Vec<String>) {
        match value {
            Json::String(s) => values.push(s.to_string()),
            Json::Array(items) => items.iter().for_each(|i| walk(i, values, names)),
            Json::Object(members) => members.iter().for_each(|(k, v)| {
                names.push(k.to_string());
                walk(v, values, names)
            }),
            _ => {}
        }
    }
    let (mut values, mut names) = (Vec::new(), Vec::new());
    id.into_iter().chain(input).for_each(|v| walk(v, &mut values, &mut names));
    let mut secrets: Vec<String> = values
        .iter()
        .flat_map(|v| secret_tokens(v))
        .filter(|s| !names.iter().any(|n| n.contains(s.as_str())))
        .collect();
    secrets.dedup();
    secrets
}

/// Tokens of `text` that the redactor treats as secrets (prefix + 6 token characters).
pub fn secret_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for prefix in apikeys::wire::redact::SECRET_PREFIXES {
        for (at, _) in text.match_indices(prefix) {
            let after = &text[at + prefix.len()..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=' | '+' | '/' | '.')))
                .unwrap_or(after.len());
            if len >= 6 {
                out.push(text[at..at + prefix.len() + len].to_string());
            }
        }
    }
    out
}

/// Layout: provider, operation, variant, base-URL choice, then `text \0 base URL`.
/// `text` becomes the id, and the cursor/filters/names the operation takes.
pub fn request_case(data: &[u8]) {
    let mut data = data;
    let provider = Provider::ALL[usize::from(byte(&mut data)) % Provider::ALL.len()];
    let op = Operation::ALL[usize::from(byte(&mut data)) % Operation::ALL.len()];
    let variant = byte(&mut data);
    let use_base = byte(&mut data) % 2 == 1;
    let mut parts = data.splitn(2, |b| *b == 0);
    let text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let base = parts.next().map(|b| String::from_utf8_lossy(b).into_owned());
    let mut options = options(provider, variant);
    // A base URL holding the key's text would show it in every URL: the caller's doing.
    if let (true, Some(base)) = (use_base, base.filter(|b| !b.contains(KEY))) {
        options.set("baseUrl", Json::from(base));
        options.set("allowInsecureHttp", Json::from(true));
    }
    let Ok(config) = Config::from_json(&options) else { return };
    let client = Client::new(config);
    check_request_text(&client, op, &text);
}

/// Puts `text` where `op` takes caller text in a URL: the id, and the list or usage
/// filters. Whatever `begin` decides, [`check_begin`]'s invariants hold.
pub fn check_request_text(client: &Client, op: Operation, text: &str) -> Option<Exchange> {
    let provider = client.provider();
    let (_, valid_input) = valid_args(provider, op);
    let t = || Json::from(text);
    let input = match op {
        Operation::List | Operation::ListAll | Operation::ListActive => Some(match provider {
            Provider::Anthropic => Json::Object(vec![("cursor".into(), t()), ("workspaceId".into(), t()), ("createdByUserId".into(), t())].into()),
            Provider::Fluxbase => Json::Object(vec![("userId".into(), t())].into()),
            Provider::OpenRouter | Provider::GptCore => Json::Object(vec![("cursor".into(), t())].into()),
            Provider::Quantum => Json::Null,
        }),
        Operation::Usage => Some(match provider {
            Provider::GptCore => Json::Object(vec![("tenantId".into(), t()), ("keyType".into(), t())].into()),
            _ => Json::Object(vec![("keyId".into(), t())].into()),
        }),
        Operation::Create => Some(Json::Object(vec![("name".into(), t())].into())),
        _ => valid_input,
    };
    let id = takes_id(op).then(t);
    let exchange = check_begin(client, op, id.as_ref(), input.as_ref());
    if let (Some(exchange), Operation::Usage, Provider::Quantum) = (&exchange, op, provider) {
        let prefix = route_prefix(client, op);
        let segment = exchange.request().url[prefix.len() + 1..].split('/').next().unwrap_or("").to_string();
        assert_eq!(percent_decode(&segment).as_deref(), Some(text.as_bytes()), "keyId segment");
    }
    exchange
}
