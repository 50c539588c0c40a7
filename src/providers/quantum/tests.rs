//! Quantum AI: each operation's exact request, its response read back (the SDK's
//! `details` shape and the Zig gateway's flat shape), its errors.

use crate::error::ErrorKind;
use crate::model::{BudgetUnit, KeyStatus};
use crate::operation::Operation;
use crate::providers::Output;
use crate::testing::{begin, body_of, client, finish, respond, NOW};
use crate::wire::{Body, HttpResponse, Method};
use serde_json::json;

const OPTIONS: &str = r#"{"provider":"quantum","apiKey":"qai_k_adminadminadminadmin"}"#;
const BASE: &str = "https://api.quantumencoding.ai/qai/v1/keys";
const ID: &str = "key_01HZX3QK7V9M2P";

fn secret() -> String {
    format!("qai_k_{}", "5e".repeat(32))
}

/// A `KeyDetails` object as the SDKs read it.
fn details(id: &str, revoked: bool) -> String {
    format!(
        r#"{{"id":"{id}","name":"ci-runner","key_prefix":"qai_k_3f9a1c2e","scope":{{"region":"europe"}},
        "spent_ticks":125000000000,"revoked":{revoked},"created_at":"2026-03-01T10:00:00Z",
        "last_used":"2026-05-30T08:15:00Z","endpoints":["/qai/v1/chat"],"spend_cap_usd":50.0,"rate_limit":120}}"#
    )
}

/// A key in the Zig gateway's flat list shape: no `id`, ms timestamps, ticks, rpm.
const FLAT_KEY: &str = r#"{"prefix":"qai_k_77aa00ff","name":"zig","account_id":"acct_9","spent_ticks":5000000000,
    "revoked":false,"created_at":1772359200000,"expires_at":1767225600000,"spend_cap_ticks":20000000000,"rate_limit_rpm":30}"#;

/// The request of `op` on a fresh client, with the fixed headers checked.
fn request_of(op: Operation, id: Option<&str>, input: Option<&str>) -> crate::Exchange {
    let exchange = begin(&client(OPTIONS), op, id, input);
    let request = exchange.request();
    assert_eq!(request.header_value("authorization"), Some("Bearer qai_k_adminadminadminadmin"));
    assert_eq!(request.header_value("x-api-key"), Some("qai_k_adminadminadminadmin"));
    assert_eq!(request.header_value("accept"), Some("application/json"));
    exchange
}

fn validation_fields(op: Operation, id: Option<&str>, input: &str) -> Vec<String> {
    crate::testing::validation_fields(&client(OPTIONS), op, id, input)
}

#[test]
fn list_reads_the_whole_list_in_one_page() {
    let mut ex = request_of(Operation::List, None, None);
    let request = ex.request();
    assert_eq!((request.method, request.url.as_str()), (Method::Get, BASE));
    assert_eq!((request.body.as_deref(), request.idempotent), (None, true));
    let body = format!(r#"{{"keys":[{},{}],"brand_new":1}}"#, details(ID, false), details("key_2", true));
    let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!("a page") };
    assert_eq!((page.items.len(), page.next_cursor), (2, None));
    let key = &page.items[0];
    assert_eq!((key.provider, key.id.as_str()), ("quantum", ID));
    assert_eq!(key.name.as_deref(), Some("ci-runner"));
    assert_eq!(key.hint.as_deref(), Some("qai_k_3f9a1c2e"));
    assert_eq!(key.status, KeyStatus::Active);
    assert_eq!(key.created_at.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(key.last_used_at.as_deref(), Some("2026-05-30T08:15:00Z"));
    let usage = key.usage.as_ref().unwrap();
    assert_eq!((usage.total, usage.unit), (Some(12.5), Some(BudgetUnit::Usd)));
    let budget = key.budget.as_ref().unwrap();
    assert_eq!((budget.limit, budget.used, budget.remaining), (Some(50.0), Some(12.5), Some(37.5)));
    assert_eq!((budget.period, budget.unit), (None, BudgetUnit::Usd));
    let rate = key.rate_limit.as_ref().unwrap();
    assert_eq!((rate.requests, rate.period_seconds), (120.0, 60.0));
    assert_eq!(key.raw.get("scope").unwrap().get("region").unwrap().as_str(), Some("europe"));
    assert_eq!(page.items[1].status, KeyStatus::Revoked);
}

#[test]
fn list_reads_the_zig_gateways_flat_shape() {
    let mut ex = request_of(Operation::ListAll, None, None);
    let Output::Page(page) = finish(&mut ex, respond(200, &format!(r#"{{"keys":[{FLAT_KEY}]}}"#))) else { panic!() };
    let key = &page.items[0];
    assert_eq!((key.id.as_str(), key.hint.as_deref()), ("qai_k_77aa00ff", Some("qai_k_77aa00ff")));
    assert_eq!(key.created_at.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(key.expires_at.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(key.status, KeyStatus::Expired);
    let budget = key.budget.as_ref().unwrap();
    assert_eq!((budget.limit, budget.used, budget.remaining), (Some(2.0), Some(0.5), Some(1.5)));
    assert_eq!(key.rate_limit.as_ref().unwrap().requests, 30.0);

    let never = FLAT_KEY.replace("1767225600000", "0");
    let mut ex = request_of(Operation::List, None, None);
    let Output::Page(page) = finish(&mut ex, respond(200, &format!(r#"{{"keys":[{never}]}}"#))) else { panic!() };
    assert_eq!((page.items[0].expires_at.as_deref(), page.items[0].status), (None, KeyStatus::Active));
}

#[test]
fn list_takes_no_options() {
    let fields = validation_fields(Operation::List, None, r#"{"limit":5,"cursor":"2","includeDisabled":true}"#);
    assert_eq!(fields, ["cursor", "limit", "includeDisabled"]);
}

#[test]
fn create_sends_the_sdk_body_and_returns_the_secret_once() {
    let input = r#"{"name":"ci-runner","endpoints":["/qai/v1/chat"],"budget":{"limit":50},"rateLimit":{"requests":120},"region":"europe"}"#;
    let mut ex = request_of(Operation::Create, None, Some(input));
    let request = ex.request();
    assert_eq!((request.method, request.url.as_str()), (Method::Post, BASE));
    assert_eq!(request.header_value("content-type"), Some("application/json"));
    assert!(!request.idempotent, "key minting is never retried blindly");
    assert_eq!(
        body_of(&ex),
        json!({"name":"ci-runner","endpoints":["/qai/v1/chat"],"spend_cap_usd":50,"rate_limit":120,"region":"europe"})
    );
    let response = format!(r#"{{"key":"{}","details":{}}}"#, secret(), details(ID, false));
    let Output::Created(created) = finish(&mut ex, respond(201, &response)) else { panic!() };
    assert_eq!((created.key.id.as_str(), created.secret.0.clone()), (ID, secret()));
    assert_eq!(created.replaced_key_id, None);
    assert!(created.key.raw.get("key").is_none());
    assert!(!format!("{:?}", created).contains("5e5e5e"), "Debug hides the secret");

    let ex = request_of(Operation::Create, None, Some(r#"{"name":"n","budget":{"limit":null,"period":null}}"#));
    assert_eq!(body_of(&ex), json!({"name":"n"}), "a null limit means no cap");
}

#[test]
fn create_reads_the_flat_zig_shape_without_keeping_the_secret_in_raw() {
    let mut ex = request_of(Operation::Create, None, Some(r#"{"name":"zig"}"#));
    let response = format!(
        r#"{{"key":"{}","prefix":"qai_k_5e5e5e5e","name":"zig","account_id":"acct_9","created_at":1772359200000,"expires_at":0}}"#,
        secret()
    );
    let Output::Created(created) = finish(&mut ex, respond(200, &response)) else { panic!() };
    assert_eq!(created.key.id, "qai_k_5e5e5e5e");
    assert_eq!(created.secret.0, secret());
    assert!(created.key.raw.get("key").is_none(), "raw keeps no secret");
    assert_eq!(created.key.raw.get("account_id").unwrap().as_str(), Some("acct_9"));
}

#[test]
fn create_without_the_secret_is_a_format_error_naming_the_field() {
    let mut ex = request_of(Operation::Create, None, Some(r#"{"name":"x"}"#));
    let error = ex.receive(&respond(201, &format!(r#"{{"details":{}}}"#, details(ID, false))), NOW).unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::ResponseFormat, Some(201)));
    assert!(error.message.contains("\"key\""), "{}", error.message);

    let mut ex = request_of(Operation::Create, None, Some(r#"{"name":"x"}"#));
    let body = format!(r#"{{"key":"{}","details":{{"name":"no id"}}}}"#, secret());
    let error = ex.receive(&respond(201, &body), NOW).unwrap_err();
    assert!(error.message.contains("\"id\""), "{}", error.message);
}

#[test]
fn create_input_is_checked_field_by_field() {
    let input = r#"{"name":" ","endpoints":[""],"budget":{"limit":-1,"period":"monthly"},
        "rateLimit":{"requests":10.5,"periodSeconds":30},"region":"mars","scopes":["a"],"expiresAt":"2030-01-01T00:00:00Z"}"#;
    let fields = validation_fields(Operation::Create, None, input);
    assert_eq!(
        fields,
        ["expiresAt", "scopes", "name", "endpoints[0]", "budget.limit", "budget.period", "rateLimit.requests", "rateLimit.periodSeconds", "region"]
    );
    assert_eq!(validation_fields(Operation::Create, None, r#"{"region":"asia"}"#), ["name"]);
}

#[test]
fn revoke_deletes_and_reports_a_revoked_key() {
    let mut ex = request_of(Operation::Revoke, Some(ID), None);
    let request = ex.request();
    assert_eq!((request.method, request.url.clone()), (Method::Delete, format!("{BASE}/{ID}")));
    assert_eq!(request.body, None);
    assert!(!request.idempotent, "single-attempt, as the official SDK sends it");
    let body = r#"{"status":"revoked","message":"Key revoked"}"#;
    let Output::Key(key) = finish(&mut ex, respond(200, body)) else { panic!() };
    assert_eq!((key.id.as_str(), key.status), (ID, KeyStatus::Revoked));
    assert_eq!(key.raw, crate::testing::json(body));

    let mut ex = request_of(Operation::Revoke, Some("qai_k_77aa00ff"), None);
    let body = r#"{"status":"revoked","prefix":"qai_k_77aa00ff"}"#;
    let Output::Key(key) = finish(&mut ex, respond(200, body)) else { panic!() };
    assert_eq!(key.hint.as_deref(), Some("qai_k_77aa00ff"));
    let mut ex = request_of(Operation::Revoke, Some(ID), None);
    assert!(matches!(finish(&mut ex, HttpResponse::new(204, Body::Empty)), Output::Key(_)));
}

#[test]
fn rotate_posts_the_grace_period_and_returns_the_new_secret() {
    for (input, grace) in [(None, 0), (Some(r#"{"graceSeconds":300}"#), 300)] {
        let mut ex = request_of(Operation::Rotate, Some(ID), input);
        let request = ex.request();
        assert_eq!((request.method, request.url.clone()), (Method::Post, format!("{BASE}/{ID}/rotate")));
        assert!(!request.idempotent);
        assert_eq!(body_of(&ex), json!({"grace_seconds": grace}));
        let response = format!(r#"{{"key":"{}","details":{},"old_key_id":"{ID}"}}"#, secret(), details("key_new", false));
        let Output::Created(created) = finish(&mut ex, respond(200, &response)) else { panic!() };
        assert_eq!(created.key.id, "key_new");
        assert_eq!(created.replaced_key_id.as_deref(), Some(ID));
        assert_eq!(created.secret.0, secret());
    }
    let mut ex = request_of(Operation::Rotate, Some(ID), None);
    let response = format!(r#"{{"key":"{}","details":{}}}"#, secret(), details("key_new", false));
    let Output::Created(created) = finish(&mut ex, respond(200, &response)) else { panic!() };
    assert_eq!(created.replaced_key_id.as_deref(), Some(ID), "a new id implies the old one was replaced");

    assert_eq!(validation_fields(Operation::Rotate, Some(ID), r#"{"graceSeconds":-1}"#), ["graceSeconds"]);
    assert_eq!(validation_fields(Operation::Rotate, Some(ID), r#"{"graceSeconds":1.5}"#), ["graceSeconds"]);
    assert_eq!(validation_fields(Operation::Rotate, Some(ID), r#"{"graceSeconds":1e20}"#), ["graceSeconds"], "beyond the server's i64");
}

#[test]
fn rotating_twice_is_a_conflict() {
    let mut ex = request_of(Operation::Rotate, Some(ID), None);
    let body = r#"{"error":{"message":"key already rotated","type":"invalid_state"}}"#;
    let error = ex.receive(&respond(409, body), NOW).unwrap_err();
    assert_eq!((error.kind, error.code.as_deref()), (ErrorKind::Conflict, Some("invalid_state")));
    assert_eq!(error.message, "key already rotated (HTTP 409)");
}

#[test]
fn usage_reads_days_for_one_key() {
    let mut ex = request_of(Operation::Usage, None, Some(&format!(r#"{{"keyId":"{ID}"}}"#)));
    let request = ex.request();
    assert_eq!((request.method, request.url.clone()), (Method::Get, format!("{BASE}/{ID}/usage")));
    let body = r#"{"days":[{"day":"2026-05-30","requests":40,"cost_usd":1.25,"input_tokens":1000,"output_tokens":400},
        {"day":"2026-05-31","requests":2,"cost_usd":0.05,"input_tokens":10,"output_tokens":4}],
        "models":[{"model":"claude","requests":42,"cost_usd":1.3}],"total_cost_usd":1.3}"#;
    let Output::Usage(usage) = finish(&mut ex, respond(200, body)) else { panic!() };
    assert_eq!(usage.key_id.as_deref(), Some(ID));
    assert_eq!((usage.unit, usage.total_cost, usage.total_requests), (Some(BudgetUnit::Usd), Some(1.3), Some(42.0)));
    assert_eq!(usage.days.len(), 2);
    let day = &usage.days[0];
    assert_eq!(day.date, "2026-05-30");
    assert_eq!((day.requests, day.cost, day.input_tokens, day.output_tokens), (Some(40.0), Some(1.25), Some(1000.0), Some(400.0)));
    assert!(usage.keys.is_empty());
    assert_eq!(usage.raw, crate::testing::json(body));

    let mut ex = request_of(Operation::Usage, None, Some(r#"{"keyId":"a/b"}"#));
    assert_eq!(ex.request().url, format!("{BASE}/a%2Fb/usage"));
    let error = ex.receive(&respond(200, r#"{"days":[{"requests":1}]}"#), NOW).unwrap_err();
    assert!(error.message.contains("\"day\""), "{}", error.message);
}

#[test]
fn usage_needs_a_key_and_nothing_else() {
    let tenant = r#"{"tenantId":"0df9e665-d932-5740-b2c7-b52af166bc11","keyType":"user"}"#;
    assert_eq!(validation_fields(Operation::Usage, None, tenant), ["tenantId", "keyType", "keyId"]);
    assert_eq!(validation_fields(Operation::Usage, None, r#"{"keyId":".."}"#), ["keyId"]);
}

#[test]
fn unsupported_operations_fail_before_any_request() {
    let c = client(OPTIONS);
    let unsupported = [
        Operation::Get,
        Operation::Current,
        Operation::Update,
        Operation::Enable,
        Operation::Delete,
        Operation::SetBudget,
        Operation::ResetBudgetPeriod,
        Operation::ListActive,
    ];
    for op in unsupported {
        assert!(!c.supports(op));
        let error = c.begin(op, Some(&ID.into()), None, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnsupportedOperation);
        assert!(error.message.contains("Quantum AI") && error.message.contains(op.name()), "{}", error.message);
        assert_eq!((error.provider, error.operation), (Some("quantum"), Some(op.name())));
    }
    for op in [Operation::List, Operation::ListAll, Operation::Create, Operation::Revoke, Operation::Rotate, Operation::Usage] {
        assert!(c.supports(op));
    }
}

#[test]
fn hostile_ids_stay_in_their_segment() {
    let c = client(OPTIONS);
    for (id, path) in [("../x", "..%2Fx"), ("a/b?c", "a%2Fb%3Fc"), ("k#frag", "k%23frag")] {
        let ex = begin(&c, Operation::Rotate, Some(id), None);
        assert_eq!(ex.request().url, format!("{BASE}/{path}/rotate"));
    }
}

#[test]
fn error_envelopes_map_to_typed_errors_with_request_ids_and_hints() {
    let cases = [
        (400, ErrorKind::BadRequest, "INVALID_REQUEST_BODY"),
        (401, ErrorKind::Authentication, "KEY_NOT_FOUND"),
        (403, ErrorKind::Permission, "ADMIN_REQUIRED"),
        (404, ErrorKind::NotFound, "not_found"),
        (429, ErrorKind::RateLimit, "RATE_LIMITED_PER_KEY"),
        (500, ErrorKind::Server, "INTERNAL_ERROR"),
    ];
    for (status, kind, code) in cases {
        let mut ex = request_of(Operation::List, None, None);
        let body = format!(
            r#"{{"error":{{"message":"Problem with qai_k_adminadminadminadmin","type":"api_error","code":"{code}"}}}}"#
        );
        let response = respond(status, &body).with_header("X-QAI-Request-Id", "req_abc123").with_header("Retry-After", "5");
        let error = ex.receive(&response, NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (kind, Some(status)));
        assert_eq!(error.code.as_deref(), Some(code), "code preferred over type");
        assert_eq!(error.message, format!("Problem with [redacted] (HTTP {status})"));
        assert_eq!(error.request_id.as_deref(), Some("req_abc123"));
        assert_eq!(error.retry_after_ms, Some(5000.0));
    }
}

#[test]
fn flat_and_type_only_errors_are_read_too() {
    let cases = [
        (r#"{"error":"forbidden","message":"Admin role required to create API keys"}"#, "forbidden", "Admin role required to create API keys"),
        (r#"{"error":{"message":"no such key","type":"not_found"}}"#, "not_found", "no such key"),
        (r#"{"error":"not_found"}"#, "not_found", "not_found"),
    ];
    for (body, code, message) in cases {
        let mut ex = request_of(Operation::Revoke, Some(ID), None);
        let error = ex.receive(&respond(403, body), NOW).unwrap_err();
        assert_eq!((error.code.as_deref(), error.message.clone()), (Some(code), format!("{message} (HTTP 403)")));
        assert_eq!(error.request_id, None);
    }
}

#[test]
fn broken_bodies_are_format_errors_naming_the_field() {
    for body in [Body::Empty, Body::NotJson { bytes: 12 }] {
        let mut ex = request_of(Operation::List, None, None);
        assert_eq!(ex.receive(&HttpResponse::new(200, body), NOW).unwrap_err().kind, ErrorKind::ResponseFormat);
    }
    for (body, field) in [(r#"{"data":[]}"#, "keys"), (r#"{"keys":[5]}"#, "keys[0]"), (r#"{"keys":[{"name":"x"}]}"#, "\"id\"")] {
        let mut ex = request_of(Operation::List, None, None);
        let error = ex.receive(&respond(200, body), NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ResponseFormat, "{body}");
        assert!(error.message.contains(field), "{} lacks {field}", error.message);
    }
    let mut ex = request_of(Operation::List, None, None);
    let error = ex.receive(&HttpResponse::new(502, Body::NotJson { bytes: 300 }), NOW).unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::Server, Some(502)));
}

/// One page is the whole list here: a response of millions of tiny objects (within the
/// 64 MiB body limit) is refused before its keys are read, not read until memory runs out.
#[test]
fn a_response_listing_more_keys_than_are_read_at_once_is_a_format_error() {
    let items = vec!["{}"; crate::providers::MAX_PAGE_KEYS + 1].join(",");
    let mut ex = request_of(Operation::List, None, None);
    let error = ex.receive(&respond(200, &format!(r#"{{"keys":[{items}]}}"#)), NOW).map(|_| ()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ResponseFormat);
    assert!(error.message.contains("lists 250001 keys, more than the 250000"), "{}", error.message);
}
