//! The wasm suite, shared by `wasm_node.rs` and `wasm_browser.rs`: the `ApiKeys` class
//! driven through a scripted `fetch`, checking what users rely on at the JS boundary.

use apikeys::js::ApiKeys;
use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const KEY: &str = "sk-or-v1-wasm-test-management-secret";
const HASH: &str = "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943";

/// A fetch that records each call in `globalThis.__calls` and answers `status`/`body`.
fn scripted_fetch(status: u16, body: &str) -> Function {
    let code = format!(
        "globalThis.__calls = globalThis.__calls || []; globalThis.__calls.push({{url, init}});
         return Promise.resolve(new Response({body}, {{status: {status}, headers: {{'content-type': 'application/json', 'request-id': 'req_1'}}}}));",
        body = JSON::stringify(&JsValue::from_str(body)).unwrap().as_string().unwrap(),
        status = status
    );
    Function::new_with_args("url, init", &code)
}

fn calls() -> u32 {
    let calls = Reflect::get(&js_sys::global(), &"__calls".into()).unwrap();
    if calls.is_undefined() {
        0
    } else {
        js_sys::Array::from(&calls).length()
    }
}

fn reset_calls() {
    Reflect::set(&js_sys::global(), &"__calls".into(), &js_sys::Array::new()).unwrap();
}

fn last_call(field: &str) -> JsValue {
    let calls = js_sys::Array::from(&Reflect::get(&js_sys::global(), &"__calls".into()).unwrap());
    Reflect::get(&calls.get(calls.length() - 1), &field.into()).unwrap()
}

fn client(fetch: &Function) -> ApiKeys {
    let options = JSON::parse(&format!(r#"{{"provider":"openrouter","apiKey":"{KEY}","maxRetries":0}}"#)).unwrap();
    Reflect::set(&options, &"fetch".into(), fetch).unwrap();
    ApiKeys::new(options).map_err(|e| format!("{:?}", e)).unwrap()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
}

async fn rejection(promise: Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(v) => panic!("expected a rejection, got {:?}", v),
        Err(e) => e,
    }
}

fn key_json() -> String {
    format!(r#"{{"hash":"{HASH}","name":"Prod","label":"sk-or-v1-0e6...1c96","disabled":false,"limit":10,"limit_remaining":4,"limit_reset":"daily","include_byok_in_limit":false,"usage":6,"usage_daily":6,"usage_weekly":6,"usage_monthly":6,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"created_at":"2025-08-24T10:30:00Z","updated_at":null,"creator_user_id":null,"workspace_id":"w"}}"#)
}

#[wasm_bindgen_test]
async fn get_returns_a_plain_camel_case_key() {
    reset_calls();
    let keys = client(&scripted_fetch(200, &format!(r#"{{"data":{}}}"#, key_json())));
    let key = JsFuture::from(keys.get(HASH.into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(get(&key, "id").as_string().unwrap(), HASH);
    assert_eq!(get(&key, "status").as_string().unwrap(), "active");
    assert_eq!(get(&key, "budget.remaining").as_f64(), Some(4.0));
    assert_eq!(get(&key, "raw.label").as_string().unwrap(), "sk-or-v1-0e6...1c96");
    assert_eq!(last_call("url").as_string().unwrap(), format!("https://openrouter.ai/api/v1/keys/{HASH}"));
    assert_eq!(get(&last_call("init"), "method").as_string().unwrap(), "GET");
    let auth = get(&last_call("init"), "headers.authorization").as_string().unwrap();
    assert_eq!(auth, format!("Bearer {KEY}"));
    assert!(get(&last_call("init"), "cache").is_undefined(), "no RequestInit fields workerd rejects");
}

#[wasm_bindgen_test]
async fn bad_input_rejects_with_every_field_and_sends_nothing() {
    reset_calls();
    let keys = client(&scripted_fetch(200, "{}"));
    let input = JSON::parse(r#"{"name":"","budget":{"limit":-5,"period":"hourly"}}"#).unwrap();
    let error = rejection(keys.create(input, JsValue::UNDEFINED)).await;
    assert_eq!(get(&error, "name").as_string().unwrap(), "ValidationError");
    assert!(error.is_instance_of::<js_sys::Error>());
    let fields = js_sys::Array::from(&get(&error, "fields"));
    let mut names: Vec<String> = fields.iter().map(|f| get(&f, "field").as_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["budget.limit", "budget.period", "name"]);
    assert_eq!(calls(), 0, "no request may be sent");
}

#[wasm_bindgen_test]
async fn unsupported_operations_reject_without_a_request() {
    reset_calls();
    let keys = client(&scripted_fetch(200, "{}"));
    assert!(!keys.supports("rotate".into()));
    assert!(keys.supports("create".into()));
    assert!(keys.unsupported_reason("rotate".into()).as_string().unwrap().contains("create a new key, then delete the old one"));
    assert!(keys.unsupported_reason("create".into()).is_undefined());
    let error = rejection(keys.rotate("x".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)).await;
    assert_eq!(get(&error, "name").as_string().unwrap(), "UnsupportedOperationError");
    assert_eq!(get(&error, "operation").as_string().unwrap(), "rotate");
    assert_eq!(calls(), 0);
}

#[wasm_bindgen_test]
async fn http_errors_are_typed_and_never_carry_the_key() {
    let body = format!(r#"{{"error":{{"code":401,"message":"bad key {KEY}"}}}}"#);
    let keys = client(&scripted_fetch(401, &body));
    let error = rejection(keys.list(JsValue::UNDEFINED, JsValue::UNDEFINED)).await;
    assert_eq!(get(&error, "name").as_string().unwrap(), "AuthenticationError");
    assert_eq!(get(&error, "status").as_f64(), Some(401.0));
    let shown = format!(
        "{} {}",
        JSON::stringify(&error).unwrap().as_string().unwrap(),
        get(&error, "message").as_string().unwrap()
    );
    assert!(!shown.contains(KEY), "{shown}");
    let keys_text = JSON::stringify(&JsValue::from(client(&scripted_fetch(200, "{}")))).unwrap().as_string().unwrap();
    assert!(!keys_text.contains(KEY));
}

#[wasm_bindgen_test]
async fn broken_bodies_are_format_errors() {
    let keys = client(&scripted_fetch(200, "<html>proxy error</html>"));
    let error = rejection(keys.get(HASH.into(), JsValue::UNDEFINED)).await;
    assert_eq!(get(&error, "name").as_string().unwrap(), "ResponseFormatError");
    assert_eq!(get(&error, "status").as_f64(), Some(200.0));
}

#[wasm_bindgen_test]
async fn a_failing_fetch_does_not_kill_the_module() {
    let throwing = Function::new_with_args("url, init", "throw new TypeError('boom')");
    let error = rejection(client(&throwing).get(HASH.into(), JsValue::UNDEFINED)).await;
    assert_eq!(get(&error, "name").as_string().unwrap(), "NetworkError");
    let not_a_response = Function::new_with_args("url, init", "return 42");
    let error = rejection(client(&not_a_response).get(HASH.into(), JsValue::UNDEFINED)).await;
    assert_eq!(get(&error, "name").as_string().unwrap(), "NetworkError");
    let bad_options = ApiKeys::new(JsValue::from_str("not an object"));
    assert!(bad_options.is_err());
    let keys = client(&scripted_fetch(200, &format!(r#"{{"data":{}}}"#, key_json())));
    let key = JsFuture::from(keys.get(HASH.into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(get(&key, "id").as_string().unwrap(), HASH, "the module still works");
}

#[wasm_bindgen_test]
async fn constructor_reports_every_bad_option() {
    let options = JSON::parse(r#"{"provider":"nope","apiKey":"","baseUrl":"http://example.com"}"#).unwrap();
    Reflect::set(&options, &"fetch".into(), &JsValue::from(5)).unwrap();
    let error = ApiKeys::new(options).err().unwrap();
    assert_eq!(get(&error, "name").as_string().unwrap(), "ValidationError");
    let fields = js_sys::Array::from(&get(&error, "fields"));
    let names: Vec<String> = fields.iter().map(|f| get(&f, "field").as_string().unwrap()).collect();
    assert_eq!(names, ["provider", "apiKey", "baseUrl", "fetch"]);
    let _ = Object::new();
}
