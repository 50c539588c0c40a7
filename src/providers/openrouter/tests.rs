//! OpenRouter: each operation's exact request, its response read back, its errors;
//! request bodies checked against the official spec when `../shared/specs` is present.

use crate::error::ErrorKind;
use crate::model::{BudgetPeriod, KeyStatus};
use crate::operation::Operation;
use crate::providers::Output;
use crate::testing::{begin, body_of, client, finish, respond, schema_problems, spec, validation_fields, NOW};
use crate::wire::{Body, HttpResponse, Method};

const OPTIONS: &str = r#"{"provider":"openrouter","apiKey":"sk-or-v1-mgmt-secret"}"#;
const HASH: &str = "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943";
const BASE: &str = "https://openrouter.ai/api/v1";

fn key_json(disabled: bool) -> String {
    format!(
        r#"{{"hash":"{HASH}","name":"My Production Key","label":"sk-or-v1-0e6...1c96","disabled":{disabled},
        "limit":100,"limit_remaining":74.5,"limit_reset":"monthly","include_byok_in_limit":false,
        "usage":25.5,"usage_daily":1.5,"usage_weekly":5.5,"usage_monthly":20.5,
        "byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,
        "created_at":"2025-08-24T10:30:00Z","updated_at":"2025-08-24T15:45:00Z",
        "creator_user_id":null,"workspace_id":"0df9e665-d932-5740-b2c7-b52af166bc11",
        "expires_at":"2027-12-31T23:59:59Z","brand_new_field":{{"x":1}}}}"#
    )
}

fn single(disabled: bool) -> String {
    format!(r#"{{"data":{}}}"#, key_json(disabled))
}

/// The request of `op` on a fresh client: method, URL, and the two fixed headers.
fn request_of(op: Operation, id: Option<&str>, input: Option<&str>) -> crate::Exchange {
    let exchange = begin(&client(OPTIONS), op, id, input);
    let request = exchange.request();
    assert_eq!(request.header_value("authorization"), Some("Bearer sk-or-v1-mgmt-secret"));
    assert_eq!(request.header_value("accept"), Some("application/json"));
    exchange
}

/// Checks a request body against the spec's schema for `path`/`method`.
fn assert_matches_spec(body: &serde_json::Value, path: &str, method: &str) {
    let Some(spec) = spec("openrouter-keys.openapi.json") else { return };
    let schema = &spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "spec has a schema for {method} {path}");
    let problems = schema_problems(body, schema, &spec);
    assert!(problems.is_empty(), "{method} {path} body {body} vs spec: {problems:?}");
}

#[test]
fn list_sends_offset_flags_and_reads_a_page() {
    let mut ex = request_of(
        Operation::List,
        None,
        Some(r#"{"offset":200,"includeDisabled":true,"workspaceId":"0df9e665-d932-5740-b2c7-b52af166bc11"}"#),
    );
    let request = ex.request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(
        request.url,
        format!("{BASE}/keys?include_disabled=true&offset=200&workspace_id=0df9e665-d932-5740-b2c7-b52af166bc11")
    );
    assert_eq!(request.body, None);
    assert!(request.idempotent);
    let Output::Page(page) = finish(&mut ex, respond(200, &format!(r#"{{"data":[{}]}}"#, key_json(false)))) else {
        panic!("a page")
    };
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor.as_deref(), Some("201"));
    let key = &page.items[0];
    assert_eq!(key.id, HASH);
    assert_eq!(key.name.as_deref(), Some("My Production Key"));
    assert_eq!(key.hint.as_deref(), Some("sk-or-v1-0e6...1c96"));
    assert_eq!(key.status, KeyStatus::Active);
    // A label that only repeats the name (as in the spec's response examples) is no hint.
    let named = key_json(false).replace("sk-or-v1-0e6...1c96", "My Production Key");
    let mut ex = begin(&client(OPTIONS), Operation::Get, Some(HASH), None);
    let Output::Key(key) = finish(&mut ex, respond(200, &format!(r#"{{"data":{named}}}"#))) else { panic!() };
    assert_eq!((key.name.as_deref(), key.hint), (Some("My Production Key"), None));
    let budget = key.budget.as_ref().unwrap();
    assert_eq!((budget.limit, budget.remaining, budget.used), (Some(100.0), Some(74.5), Some(20.5)));
    assert_eq!(budget.period, Some(BudgetPeriod::Monthly));
    assert_eq!(key.usage.as_ref().unwrap().daily, Some(1.5));
    assert_eq!(key.raw.get("brand_new_field").unwrap().get("x").unwrap().as_f64(), Some(1.0));
}

/// A key that counts spend through the user's own provider keys (BYOK) toward its limit:
/// `used` counts it too, so `used + remaining` is the limit.
#[test]
fn byok_spend_counts_toward_the_budget_when_the_key_says_so() {
    let with_byok = |include: bool| {
        let body = single(false)
            .replace(r#""include_byok_in_limit":false"#, &format!(r#""include_byok_in_limit":{include}"#))
            .replace(r#""limit_remaining":74.5"#, if include { r#""limit_remaining":67"# } else { r#""limit_remaining":74.5"# })
            .replace(r#""byok_usage_monthly":0"#, r#""byok_usage_monthly":12.5"#);
        let mut ex = begin(&client(OPTIONS), Operation::Get, Some(HASH), None);
        let Output::Key(key) = finish(&mut ex, respond(200, &body)) else { panic!("a key") };
        let budget = key.budget.unwrap();
        (budget.used, budget.remaining)
    };
    assert_eq!(with_byok(true), (Some(33.0), Some(67.0)));
    assert_eq!(with_byok(false), (Some(20.5), Some(74.5)));
}

#[test]
fn an_empty_page_ends_the_list_and_a_cursor_continues_it() {
    let mut ex = request_of(Operation::List, None, Some(r#"{"cursor":"100"}"#));
    assert_eq!(ex.request().url, format!("{BASE}/keys?offset=100"));
    let Output::Page(page) = finish(&mut ex, respond(200, r#"{"data":[]}"#)) else { panic!() };
    assert_eq!(page.next_cursor, None);
}

#[test]
fn list_active_asks_for_enabled_keys_and_filters_what_comes_back() {
    let mut ex = request_of(Operation::ListActive, None, None);
    assert_eq!(ex.request().url, format!("{BASE}/keys?include_disabled=false"));
    let body = format!(r#"{{"data":[{},{}]}}"#, key_json(true), key_json(false));
    let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!() };
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor.as_deref(), Some("2"), "paging counts what the server sent");
    let workspace = r#"{"workspaceId":"0df9e665-d932-5740-b2c7-b52af166bc11"}"#;
    let ex = request_of(Operation::ListActive, None, Some(workspace));
    assert_eq!(ex.request().url, format!("{BASE}/keys?include_disabled=false&workspace_id=0df9e665-d932-5740-b2c7-b52af166bc11"));
    assert_eq!(validation_fields(&client(OPTIONS), Operation::ListActive, None, r#"{"includeDisabled":true}"#), ["includeDisabled"]);
}

#[test]
fn get_reads_one_key_and_marks_disabled_and_expired_ones() {
    let mut ex = request_of(Operation::Get, Some(HASH), None);
    assert_eq!(ex.request().url, format!("{BASE}/keys/{HASH}"));
    let Output::Key(key) = finish(&mut ex, respond(200, &single(true))) else { panic!() };
    assert_eq!(key.status, KeyStatus::Disabled);

    let expired = single(false).replace("2027-12-31T23:59:59Z", "2026-01-01T00:00:00Z");
    let mut ex = request_of(Operation::Get, Some(HASH), None);
    let Output::Key(key) = finish(&mut ex, respond(200, &expired)) else { panic!() };
    assert_eq!(key.status, KeyStatus::Expired);
}

#[test]
fn current_key_reads_the_key_without_a_hash() {
    let mut ex = request_of(Operation::Current, None, None);
    assert_eq!(ex.request().url, format!("{BASE}/key"));
    let body = r#"{"data":{"label":"sk-or-v1-au7...890","limit":null,"limit_remaining":null,"limit_reset":null,
        "include_byok_in_limit":false,"usage":3,"usage_daily":1,"usage_weekly":2,"usage_monthly":3,
        "byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,
        "is_free_tier":false,"is_management_key":true,"is_provisioning_key":true,"creator_user_id":null,
        "rate_limit":{"requests":-1,"interval":"10s","note":"deprecated"}}}"#;
    let Output::Key(key) = finish(&mut ex, respond(200, body)) else { panic!() };
    assert_eq!(key.id, "");
    assert_eq!(key.hint.as_deref(), Some("sk-or-v1-au7...890"));
    assert_eq!(key.budget.unwrap().limit, None);
    assert_eq!(key.raw.get("is_management_key").unwrap().as_bool(), Some(true));
    assert_eq!(key.workspace_id, None, "not in this (older) answer");
    // Newer answers name the workspace the key spends in (the official SDK's `workspaceId`).
    let mut ex = request_of(Operation::Current, None, None);
    let newer = body.replace(r#""creator_user_id":null"#, r#""creator_user_id":null,"workspace_id":"0df9e665-d932-5740-b2c7-b52af166bc11""#);
    let Output::Key(key) = finish(&mut ex, respond(200, &newer)) else { panic!() };
    assert_eq!(key.workspace_id.as_deref(), Some("0df9e665-d932-5740-b2c7-b52af166bc11"));
}

#[test]
fn create_sends_the_spec_body_and_returns_the_secret_once() {
    let input = r#"{"name":"CI","budget":{"limit":50,"period":"monthly"},"includeByokInLimit":true,
        "expiresAt":"2027-12-31T23:59:59+00:00","creatorUserId":"user_1","workspaceId":"0df9e665-d932-5740-b2c7-b52af166bc11"}"#;
    let mut ex = request_of(Operation::Create, None, Some(input));
    let request = ex.request();
    assert_eq!((request.method, request.url.as_str()), (Method::Post, format!("{BASE}/keys").as_str()));
    assert_eq!(request.header_value("content-type"), Some("application/json"));
    assert!(!request.idempotent, "a create must never be retried blindly");
    let body = body_of(&ex);
    assert_eq!(
        body,
        serde_json::json!({"name":"CI","limit":50,"limit_reset":"monthly","include_byok_in_limit":true,
            "expires_at":"2027-12-31T23:59:59Z","creator_user_id":"user_1",
            "workspace_id":"0df9e665-d932-5740-b2c7-b52af166bc11"})
    );
    assert_matches_spec(&body, "/keys", "post");
    let response = format!(r#"{{"data":{},"key":"sk-or-v1-{}"}}"#, key_json(false), "ab".repeat(32));
    let Output::Created(created) = finish(&mut ex, respond(201, &response)) else { panic!() };
    assert_eq!(created.key.id, HASH);
    assert_eq!(created.secret.0, format!("sk-or-v1-{}", "ab".repeat(32)));
    assert!(!format!("{:?}", created).contains("abab"), "Debug hides the secret");
}

#[test]
fn create_without_the_secret_is_a_format_error_naming_the_field() {
    let mut ex = request_of(Operation::Create, None, Some(r#"{"name":"x"}"#));
    let error = ex.receive(&respond(201, &single(false)), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ResponseFormat);
    assert!(error.message.contains("\"key\""), "{}", error.message);
    assert_eq!(error.status, Some(201));
}

#[test]
fn update_revoke_enable_and_set_budget_patch_the_key() {
    let cases = [
        (Operation::Update, Some(r#"{"name":"New","disabled":false,"budget":{"limit":null},"includeByokInLimit":false}"#),
            serde_json::json!({"name":"New","disabled":false,"include_byok_in_limit":false,"limit":null})),
        (Operation::Revoke, None, serde_json::json!({"disabled":true})),
        (Operation::Enable, None, serde_json::json!({"disabled":false})),
        (Operation::SetBudget, Some(r#"{"limit":12.5,"period":"weekly"}"#), serde_json::json!({"limit":12.5,"limit_reset":"weekly"})),
        (Operation::SetBudget, Some(r#"{"limit":null,"period":null}"#), serde_json::json!({"limit":null,"limit_reset":null})),
    ];
    for (op, input, expected) in cases {
        let mut ex = request_of(op, Some(HASH), input);
        assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Patch, format!("{BASE}/keys/{HASH}")));
        let body = body_of(&ex);
        assert_eq!(body, expected, "{op:?}");
        assert_matches_spec(&body, "/keys/{hash}", "patch");
        let Output::Key(key) = finish(&mut ex, respond(200, &single(op == Operation::Revoke))) else { panic!() };
        assert_eq!(key.id, HASH);
    }
}

#[test]
fn delete_reads_the_confirmation() {
    let mut ex = request_of(Operation::Delete, Some(HASH), None);
    assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Delete, format!("{BASE}/keys/{HASH}")));
    assert_eq!(finish(&mut ex, respond(200, r#"{"deleted":true}"#)), Output::Deleted);
    let mut ex = request_of(Operation::Delete, Some(HASH), None);
    assert_eq!(ex.receive(&respond(200, r#"{"deleted":false}"#), NOW).unwrap_err().kind, ErrorKind::ResponseFormat);
}

#[test]
fn unsupported_operations_fail_before_any_request() {
    let c = client(OPTIONS);
    for op in [Operation::Rotate, Operation::ResetBudgetPeriod, Operation::Usage] {
        assert!(!c.supports(op));
        let error = c.begin(op, Some(&"x".into()), None, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnsupportedOperation);
        assert!(error.message.contains("OpenRouter") && error.message.contains(op.name()), "{}", error.message);
        assert_eq!((error.provider, error.operation), (Some("openrouter"), Some(op.name())));
    }
    for op in [Operation::List, Operation::Get, Operation::Current, Operation::Create, Operation::Delete] {
        assert!(c.supports(op));
    }
}

#[test]
fn bad_input_is_reported_field_by_field() {
    let c = client(OPTIONS);
    let input = crate::testing::json(
        r#"{"name":"","budget":{"limit":-1,"period":"yearly"},"expiresAt":"2020-01-01T00:00:00Z","scopes":["a"],"workspaceId":"nope"}"#,
    );
    let error = c.begin(Operation::Create, None, Some(&input), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["scopes", "name", "expiresAt", "workspaceId", "budget.limit", "budget.period"]);
    let mut infinite = crate::testing::json(r#"{"name":"x","budget":{"limit":0}}"#);
    infinite.set("budget", crate::Json::Object(vec![("limit".into(), crate::Json::Number(f64::INFINITY))].into()));
    let error = c.begin(Operation::Create, None, Some(&infinite), NOW).unwrap_err();
    assert_eq!((error.fields[0].field.as_str(), error.fields[0].message.as_str()), ("budget.limit", "must be a finite number"));
}

/// A rate limit, which OpenRouter does not take, is refused as a whole, however it is
/// written; and a name of the wrong type is not also "required".
#[test]
fn a_member_openrouter_lacks_is_refused_whole_and_a_field_once() {
    let c = client(OPTIONS);
    let input = crate::testing::json(r#"{"name":42,"rateLimit":{"periodSeconds":60}}"#);
    let error = c.begin(Operation::Create, None, Some(&input), NOW).unwrap_err();
    let found: Vec<(&str, &str)> = error.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
    assert_eq!(found, [("name", "must be a string, not a number"), ("rateLimit", "is not supported by OpenRouter")]);
}

#[test]
fn hostile_ids_stay_in_their_segment() {
    let c = client(OPTIONS);
    for (id, path) in [("../x", "..%2Fx"), ("a/b?c", "a%2Fb%3Fc"), ("k#frag", "k%23frag")] {
        let ex = begin(&c, Operation::Get, Some(id), None);
        assert_eq!(ex.request().url, format!("{BASE}/keys/{path}"));
    }
    for bad in ["", "..", "."] {
        let e = c.begin(Operation::Delete, Some(&bad.into()), None, NOW).unwrap_err();
        assert_eq!((e.kind, e.fields[0].field.as_str()), (ErrorKind::Validation, "id"));
    }
}

#[test]
fn error_envelopes_map_to_typed_errors_without_secrets() {
    for (status, kind) in crate::testing::ERROR_STATUSES {
        let mut ex = request_of(Operation::Get, Some(HASH), None);
        let body = format!(
            r#"{{"error":{{"code":{status},"message":"Problem with key sk-or-v1-mgmt-secret","metadata":null}},"user_id":null}}"#
        );
        let response = respond(status, &body).with_header("retry-after", "4");
        let error = ex.receive(&response, NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (kind, Some(status)));
        assert_eq!(error.code.as_deref(), Some(status.to_string().as_str()));
        assert_eq!(error.message, format!("Problem with key [redacted] (HTTP {status})"));
        assert_eq!(error.retry_after_ms, Some(4000.0));
    }
    for (code, read) in [(r#""key_limit""#, Some("key_limit")), ("true", None), (r#"{"n":1}"#, None), ("null", None)] {
        let mut ex = request_of(Operation::Get, Some(HASH), None);
        let body = format!(r#"{{"error":{{"code":{code},"message":"no"}}}}"#);
        assert_eq!(ex.receive(&respond(400, &body), NOW).unwrap_err().code.as_deref(), read, "{code}");
    }
}

/// What `error.metadata` says in words goes into the message, secrets redacted.
#[test]
fn error_metadata_is_told_in_the_message() {
    let long = "x".repeat(300);
    let cases = [
        (r#"{"field":"expires_at","reason":"must be in the future"}"#.to_string(), "Invalid (field: expires_at; reason: must be in the future)".to_string()),
        (r#"{"retryable":false,"limit":5,"nested":{"a":1},"list":[1],"why":"no"}"#.to_string(), "Invalid (why: no)".to_string()),
        (r#"{"a":"1","b":"2","c":"3","d":"4","e":"5"}"#.to_string(), "Invalid (a: 1; b: 2; c: 3; d: 4)".to_string()),
        (format!(r#"{{"raw":"{long}"}}"#), format!("Invalid (raw: {long})")),
        // The message is cut after it is redacted: a key cut in two would not be recognised.
        (format!(r#"{{"raw":"{}"}}"#, "x".repeat(3000)), format!("Invalid (raw: {}…", "x".repeat(2000 - "Invalid (raw: ".len()))),
        (format!(r#"{{"raw":"{}sk-or-v1-mgmt-secret"}}"#, "x".repeat(190)), format!("Invalid (raw: {}[redacted])", "x".repeat(190))),
        (r#"{"key":"sk-or-v1-mgmt-secret"}"#.to_string(), "Invalid (key: [redacted])".to_string()),
        ("null".to_string(), "Invalid".to_string()),
        (r#"{"nested":{"a":1}}"#.to_string(), "Invalid".to_string()),
    ];
    for (metadata, message) in cases {
        let mut ex = request_of(Operation::Get, Some(HASH), None);
        let body = format!(r#"{{"error":{{"code":400,"message":"Invalid","metadata":{metadata}}}}}"#);
        assert_eq!(ex.receive(&respond(400, &body), NOW).unwrap_err().message, format!("{message} (HTTP 400)"), "{metadata}");
    }
}

#[test]
fn broken_bodies_are_format_errors() {
    for body in [Body::Empty, Body::NotJson { bytes: 12 }] {
        let mut ex = request_of(Operation::Get, Some(HASH), None);
        let error = ex.receive(&HttpResponse::new(200, body), NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ResponseFormat);
    }
    for body in [r#"{"data":null}"#, r#"{"data":{"name":"no hash"}}"#, r#"[1,2]"#, r#"{"data":{"hash":5}}"#] {
        let mut ex = request_of(Operation::Get, Some(HASH), None);
        assert_eq!(ex.receive(&respond(200, body), NOW).unwrap_err().kind, ErrorKind::ResponseFormat, "{body}");
    }
    let mut ex = request_of(Operation::Get, Some(HASH), None);
    let error = ex.receive(&HttpResponse::new(502, Body::NotJson { bytes: 300 }), NOW).unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::Server, Some(502)));
}

#[test]
fn spec_examples_parse() {
    let Some(spec) = spec("openrouter-keys.openapi.json") else { return };
    let example = |path: &str, method: &str, status: &str| {
        spec["paths"][path][method]["responses"][status]["content"]["application/json"]["example"].to_string()
    };
    let mut ex = request_of(Operation::List, None, None);
    let Output::Page(page) = finish(&mut ex, respond(200, &example("/keys", "get", "200"))) else { panic!() };
    assert!(!page.items.is_empty());
    let mut ex = request_of(Operation::Create, None, Some(r#"{"name":"x"}"#));
    let Output::Created(created) = finish(&mut ex, respond(201, &example("/keys", "post", "201"))) else { panic!() };
    assert!(created.secret.0.starts_with("sk-or-v1-"));
    let mut ex = request_of(Operation::Current, None, None);
    assert!(matches!(finish(&mut ex, respond(200, &example("/key", "get", "200"))), Output::Key(_)));
    let mut ex = request_of(Operation::Get, Some(HASH), None);
    let error = ex.receive(&respond(404, &example("/keys/{hash}", "get", "404")), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
}
