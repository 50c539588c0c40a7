//! Hostile responses through the real wasm path: `fetch` → the body's bytes → UTF-8 (or
//! `TextDecoder` for invalid bytes) → the tape reader (depth-limited) → the core. The same corpus as
//! `tests/hostile.rs` (the files in `tests/fixtures/hostile/`, plus 10 MB bodies and
//! 100 000-deep nesting built in JS). Every call must settle, as a `ResponseFormatError`
//! carrying the status and (where the provider sends one) the request id.
//! Included by `tests/wasm_hostile.rs` (Node); the suites may include it too.

use apikeys::js::ApiKeys;
use js_sys::{Function, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const KEY: &str = "MGMT-wasm-hostile-management-key-51c2";
const UUID: &str = "0df9e665-d932-5740-b2c7-b52af166bc11";
const REQUEST_ID: &str = "req_hostile_wasm";

/// The fixture files, as bytes (some are not UTF-8).
const FIXTURES: [(&str, &[u8]); 22] = [
    ("proxy-502.html", include_bytes!("../fixtures/hostile/proxy-502.html")),
    ("captive-portal-200.html", include_bytes!("../fixtures/hostile/captive-portal-200.html")),
    ("cdn-challenge-403.html", include_bytes!("../fixtures/hostile/cdn-challenge-403.html")),
    ("truncated-object.json", include_bytes!("../fixtures/hostile/truncated-object.json")),
    ("truncated-array.json", include_bytes!("../fixtures/hostile/truncated-array.json")),
    ("invalid-utf8-structure.bin", include_bytes!("../fixtures/hostile/invalid-utf8-structure.bin")),
    ("invalid-utf8-in-strings.json", include_bytes!("../fixtures/hostile/invalid-utf8-in-strings.json")),
    ("utf16-with-bom.bin", include_bytes!("../fixtures/hostile/utf16-with-bom.bin")),
    ("bom-prefixed.json", include_bytes!("../fixtures/hostile/bom-prefixed.json")),
    ("lone-surrogate.json", include_bytes!("../fixtures/hostile/lone-surrogate.json")),
    ("out-of-range-numbers.json", include_bytes!("../fixtures/hostile/out-of-range-numbers.json")),
    ("nan-literal.json", include_bytes!("../fixtures/hostile/nan-literal.json")),
    ("empty.txt", include_bytes!("../fixtures/hostile/empty.txt")),
    ("whitespace.txt", include_bytes!("../fixtures/hostile/whitespace.txt")),
    ("nulls-everywhere.json", include_bytes!("../fixtures/hostile/nulls-everywhere.json")),
    ("wrong-types.json", include_bytes!("../fixtures/hostile/wrong-types.json")),
    ("wrong-item-types.json", include_bytes!("../fixtures/hostile/wrong-item-types.json")),
    ("nulls-inside-items.json", include_bytes!("../fixtures/hostile/nulls-inside-items.json")),
    ("empty-object.json", include_bytes!("../fixtures/hostile/empty-object.json")),
    ("null.json", include_bytes!("../fixtures/hostile/null.json")),
    ("zero.json", include_bytes!("../fixtures/hostile/zero.json")),
    ("string.json", include_bytes!("../fixtures/hostile/string.json")),
];

/// Bodies that may be a valid answer for some calls (`fetch` drops a BOM and replaces
/// bad UTF-8, after which these can be well-formed): they only have to settle.
const MAY_BE_VALID: [&str; 4] = ["bom-prefixed.json", "invalid-utf8-in-strings.json", "utf16-with-bom.bin", "lone-surrogate.json"];

/// A fetch answering every call with `globalThis.__hostileBody` at `status`, with both
/// request-id headers; the body is a `Uint8Array` (bytes as they are) or a string.
fn hostile_fetch(status: u16) -> Function {
    let code = format!(
        "return Promise.resolve(new Response(globalThis.__hostileBody, {{status: {status}, headers: \
         {{'content-type': 'text/html', 'request-id': '{REQUEST_ID}', 'x-qai-request-id': '{REQUEST_ID}'}}}}));"
    );
    Function::new_with_args("url, init", &code)
}

fn set_body(body: &JsValue) {
    Reflect::set(&js_sys::global(), &"__hostileBody".into(), body).unwrap();
}

fn client(provider: &str, status: u16) -> ApiKeys {
    let base = if provider == "fluxbase" { r#","baseUrl":"https://fluxbase.example.com""# } else { "" };
    let text = format!(r#"{{"provider":"{provider}","apiKey":"{KEY}","maxRetries":0{base}}}"#);
    let options = JSON::parse(&text).unwrap();
    Reflect::set(&options, &"fetch".into(), &hostile_fetch(status)).unwrap();
    ApiKeys::new(options).map_err(|e| format!("{e:?}")).unwrap()
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap()
}

/// Calls that read a body, one or two per provider; Fluxbase's update reads the key
/// back with a second request when the first answer is not a key.
fn calls(keys: &ApiKeys, provider: &str) -> Vec<(&'static str, Promise)> {
    let id = |s: &str| JsValue::from_str(s);
    match provider {
        "openrouter" => vec![("get", keys.get(id("abc"), JsValue::UNDEFINED)), ("list", keys.list(JsValue::UNDEFINED, JsValue::UNDEFINED)), ("current", keys.current(JsValue::UNDEFINED))],
        "gptcore" => vec![("get", keys.get(id("k1"), JsValue::UNDEFINED)), ("list", keys.list(JsValue::UNDEFINED, JsValue::UNDEFINED))],
        "quantum" => vec![("list", keys.list(JsValue::UNDEFINED, JsValue::UNDEFINED))],
        "anthropic" => vec![("get", keys.get(id("apikey_01"), JsValue::UNDEFINED)), ("list", keys.list(JsValue::UNDEFINED, JsValue::UNDEFINED))],
        "fluxbase" => {
            let patch = JSON::parse(r#"{"name":"renamed"}"#).unwrap();
            vec![("get", keys.get(id(UUID), JsValue::UNDEFINED)), ("update", keys.update(id(UUID), patch, JsValue::UNDEFINED)), ("list", keys.list(JsValue::UNDEFINED, JsValue::UNDEFINED))]
        }
        _ => unreachable!(),
    }
}

/// Feeds the current `__hostileBody` to every provider at `status`; each call settles,
/// and a rejection is the class `expected` with the status and request id.
async fn run(case: &str, status: u16, expected: &str, may_be_valid: bool) {
    run_calls(case, status, expected, may_be_valid, &PROVIDERS, usize::MAX).await
}

const PROVIDERS: [&str; 5] = ["openrouter", "gptcore", "quantum", "anthropic", "fluxbase"];

/// Like [`run`], for `providers` only and at most `per_provider` calls each (a 10 MB
/// body takes seconds to cross into a debug build of the wasm).
async fn run_calls(case: &str, status: u16, expected: &str, may_be_valid: bool, providers: &[&str], per_provider: usize) {
    for &provider in providers {
        let keys = client(provider, status);
        for (op, promise) in calls(&keys, provider).into_iter().take(per_provider) {
            let what = format!("{case} on {provider} {op} at HTTP {status}");
            match JsFuture::from(promise).await {
                // A real answer there: Fluxbase's server lists no keys as `null`.
                Ok(value) if (case, provider, op) == ("null.json", "fluxbase", "list") => {
                    let page = JSON::stringify(&value).ok().and_then(|s| s.as_string());
                    assert_eq!(page.as_deref(), Some(r#"{"items":[],"nextCursor":null}"#), "{what}");
                }
                Ok(value) => assert!(may_be_valid, "{what} resolved with {:?}", JSON::stringify(&value)),
                Err(error) => {
                    assert_eq!(get(&error, "name").as_string().as_deref(), Some(expected), "{what}: {:?}", get(&error, "message"));
                    assert!(error.is_instance_of::<js_sys::Error>(), "{what}");
                    assert_eq!(get(&error, "status").as_f64(), Some(f64::from(status)), "{what}");
                    if matches!(provider, "anthropic" | "quantum") {
                        assert_eq!(get(&error, "requestId").as_string().as_deref(), Some(REQUEST_ID), "{what}");
                    }
                    let message = get(&error, "message").as_string().unwrap_or_default();
                    assert!(!message.contains(KEY), "{what}: the key in {message}");
                }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn every_hostile_fixture_settles_as_a_response_format_error() {
    for (name, bytes) in FIXTURES {
        set_body(&Uint8Array::from(bytes).into());
        run(name, 200, "ResponseFormatError", MAY_BE_VALID.contains(&name)).await;
    }
}

#[wasm_bindgen_test]
async fn hostile_fixtures_at_error_statuses_keep_their_http_class() {
    for (name, bytes) in FIXTURES.iter().take(6) {
        set_body(&Uint8Array::from(*bytes).into());
        run(name, 502, "ServerError", false).await;
        run(name, 429, "RateLimitError", false).await;
    }
}

/// Builds a body in JS (faster than crossing the boundary with 10 MB).
fn js_body(expression: &str) -> JsValue {
    Function::new_no_args(&format!("return {expression};")).call0(&JsValue::UNDEFINED).unwrap()
}

#[wasm_bindgen_test]
async fn giant_and_deep_bodies_settle_as_response_format_errors() {
    let cases = [
        ("10 MB of HTML", "'<html><body>' + '<p>upstream connect error</p>\\n'.repeat(350000)"),
        ("10 MB JSON string", "JSON.stringify({data: 'a'.repeat(10 * 1024 * 1024)})"),
        ("a million empty items", "JSON.stringify({data: Array.from({length: 1000000}, () => ({}))})"),
        ("100 000 [", "'['.repeat(100000)"),
        ("100 000 [ closed", "'['.repeat(100000) + ']'.repeat(100000)"),
        ("100 000 {\"data\": closed", "'{\"data\":'.repeat(100000) + '1' + '}'.repeat(100000)"),
        ("data nested 60 deep", "'{\"data\":' + '['.repeat(60) + '1' + ']'.repeat(60) + '}'"),
    ];
    // Each giant goes to one provider in turn: together they still meet all five.
    for (i, (name, expression)) in cases.into_iter().enumerate() {
        set_body(&js_body(expression));
        run_calls(name, 200, "ResponseFormatError", false, &PROVIDERS[i % PROVIDERS.len()..][..1], 1).await;
    }
}

/// Findings 1 and 5: reading an object searched its earlier member names linearly, so
/// a 10 MB object of distinct members took hours (now indexed, `json::ObjectBuilder`).
#[wasm_bindgen_test]
async fn ten_megabytes_of_members_settle() {
    set_body(&js_body("JSON.stringify(Object.fromEntries(Array.from({length: 800000}, (_, i) => ['k' + i, 0])))"));
    run_calls("10 MB of members", 200, "ResponseFormatError", false, &PROVIDERS[3..4], 1).await;
}

#[wasm_bindgen_test]
async fn an_error_message_of_ten_megabytes_of_prefix_lookalikes_settles() {
    // Finding 2: redaction was quadratic in the number of prefix-like words.
    set_body(&js_body("JSON.stringify({error: {message: 'sk- '.repeat(2500000)}})"));
    let keys = client("openrouter", 500);
    let error = JsFuture::from(keys.get("abc".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("ServerError"));
}

#[wasm_bindgen_test]
async fn fluxbase_success_false_does_not_echo_secrets() {
    // Finding 3: the 2xx "success false" message was not redacted.
    set_body(&Uint8Array::from(&include_bytes!("../fixtures/hostile/fluxbase-success-false-secret.json")[..]).into());
    let keys = client("fluxbase", 200);
    let patch = JSON::parse(r#"{"name":"renamed"}"#).unwrap();
    let error = JsFuture::from(keys.update(UUID.into(), patch, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("ResponseFormatError"));
    let message = get(&error, "message").as_string().unwrap();
    assert!(message.contains("fbk_[redacted]") && !message.contains("Zm9v"), "{message}");
}

/// Finding 6: GPT Core's create answered without the new secret named the key by its id,
/// the server's text, unredacted.
#[wasm_bindgen_test]
async fn gptcore_created_without_its_secret_echoes_no_secret_in_the_id() {
    let body = format!(r#"{{"data":{{"id":"k-{KEY}-sk_live_abcdef0123456789","type":"api_key","attributes":{{"name":"n","status":"active"}}}}}}"#);
    set_body(&Uint8Array::from(body.as_bytes()).into());
    let keys = client("gptcore", 201);
    let error = JsFuture::from(keys.create(JSON::parse(r#"{"name":"n"}"#).unwrap(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("ResponseFormatError"));
    let message = get(&error, "message").as_string().unwrap();
    assert!(message.contains("though key k-[redacted]-sk_live_[redacted] was created"), "{message}");
    assert!(!message.contains(KEY) && !message.contains("abcdef0123456789"), "{message}");
}

/// Finding 4: a timestamp with a multibyte character at byte 18 panicked in
/// `time::parse_rfc3339_utc` (in wasm a panic traps the module); fixed in `src/time.rs`.
#[wasm_bindgen_test]
async fn a_timestamp_with_a_multibyte_character_settles() {
    set_body(&Uint8Array::from(&include_bytes!("../fixtures/hostile/expires-at-multibyte.json")[..]).into());
    for provider in ["openrouter", "gptcore", "quantum", "anthropic", "fluxbase"] {
        let keys = client(provider, 200);
        for (op, promise) in calls(&keys, provider) {
            if let Err(error) = JsFuture::from(promise).await {
                let name = get(&error, "name").as_string();
                assert_eq!(name.as_deref(), Some("ResponseFormatError"), "{provider} {op}: {:?}", get(&error, "message"));
            }
        }
    }
    let keys = client("openrouter", 200);
    let input = JSON::parse(r#"{"name":"n","expiresAt":"2030-01-01T00:00:0\u00e9Z"}"#).unwrap();
    let error = JsFuture::from(keys.create(input, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("ValidationError"));
}
