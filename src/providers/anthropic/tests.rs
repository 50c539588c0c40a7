//! Anthropic Admin API: each operation's exact request for both auth styles, its
//! response read back, its errors (request id from the header or the body).

use crate::error::ErrorKind;
use crate::model::KeyStatus;
use crate::operation::Operation;
use crate::providers::Output;
use crate::testing::{begin, body_of, client, finish, respond, NOW};
use crate::wire::{Body, HttpResponse, Method};

const OPTIONS: &str = r#"{"provider":"anthropic","apiKey":"sk-ant-admin01-mgmt-secret"}"#;
const BEARER: &str = r#"{"provider":"anthropic","apiKey":"sk-ant-admin01-mgmt-secret","authStyle":"bearer","apiVersion":"2026-10-21"}"#;
const ID: &str = "apikey_01Rj2N8SVvo6BePZj99NhmiT";
const BASE: &str = "https://api.anthropic.com/v1/organizations/api_keys";

fn key_json(id: &str, status: &str) -> String {
    format!(
        r#"{{"id":"{id}","type":"api_key","name":"Developer Key","created_at":"2024-10-30T23:58:27.427722Z",
        "created_by":{{"id":"user_01WCz1FkmYMm4gnmykNKUu3Q","type":"user"}},"partial_key_hint":"sk-ant-api03-R2D...igAA",
        "status":"{status}","workspace_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","expires_at":null,
        "principal":{{"type":"user_actor","user_id":"user_01WCz1FkmYMm4gnmykNKUu3Q"}},"brand_new_field":{{"x":1}}}}"#
    )
}

/// The request of `op` with the default style: method, URL, and the fixed headers.
fn request_of(op: Operation, id: Option<&str>, input: Option<&str>) -> crate::Exchange {
    let exchange = begin(&client(OPTIONS), op, id, input);
    let request = exchange.request();
    assert_eq!(request.header_value("x-api-key"), Some("sk-ant-admin01-mgmt-secret"));
    assert_eq!(request.header_value("authorization"), None);
    assert_eq!(request.header_value("anthropic-version"), Some("2023-06-01"));
    assert_eq!(request.header_value("accept"), Some("application/json"));
    exchange
}

/// The same with `authStyle: "bearer"` and a newer `apiVersion`.
fn bearer_request_of(op: Operation, id: Option<&str>, input: Option<&str>) -> crate::Exchange {
    let exchange = begin(&client(BEARER), op, id, input);
    let request = exchange.request();
    assert_eq!(request.header_value("authorization"), Some("Bearer sk-ant-admin01-mgmt-secret"));
    assert_eq!(request.header_value("x-api-key"), None);
    assert_eq!(request.header_value("anthropic-version"), Some("2026-10-21"));
    assert_eq!(request.header_value("accept"), Some("application/json"));
    exchange
}

fn both_styles(op: Operation, id: Option<&str>, input: Option<&str>) -> [crate::Exchange; 2] {
    [request_of(op, id, input), bearer_request_of(op, id, input)]
}

#[test]
fn list_sends_cursor_and_filters_and_reads_a_page() {
    let input = r#"{"cursor":"apikey_00","limit":50,"status":"inactive","workspaceId":"wrkspc_01","createdByUserId":"user_01"}"#;
    for mut ex in both_styles(Operation::List, None, Some(input)) {
        let request = ex.request();
        assert_eq!(request.method, Method::Get);
        assert_eq!(
            request.url,
            format!("{BASE}?after_id=apikey_00&limit=50&status=inactive&workspace_id=wrkspc_01&created_by_user_id=user_01")
        );
        assert_eq!((request.body.as_deref(), request.header_value("content-type")), (None, None));
        assert!(request.idempotent);
        let body = format!(
            r#"{{"data":[{},{}],"has_more":true,"first_id":"{ID}","last_id":"apikey_02"}}"#,
            key_json(ID, "inactive"),
            key_json("apikey_02", "inactive")
        );
        let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!("a page") };
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.next_cursor.as_deref(), Some("apikey_02"));
        let key = &page.items[0];
        assert_eq!((key.provider, key.id.as_str()), ("anthropic", ID));
        assert_eq!(key.name.as_deref(), Some("Developer Key"));
        assert_eq!(key.hint.as_deref(), Some("sk-ant-api03-R2D...igAA"));
        assert_eq!(key.status, KeyStatus::Disabled);
        assert_eq!(key.created_at.as_deref(), Some("2024-10-30T23:58:27.427722Z"));
        assert_eq!(key.workspace_id.as_deref(), Some("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"));
        assert_eq!(key.expires_at, None);
        assert_eq!(key.raw.get("brand_new_field").unwrap().get("x").unwrap().as_f64(), Some(1.0));
    }
}

#[test]
fn the_last_page_ends_the_list_and_a_missing_last_id_falls_back_to_the_last_item() {
    let mut ex = request_of(Operation::List, None, None);
    assert_eq!(ex.request().url, BASE);
    let body = format!(r#"{{"data":[{}],"has_more":false,"first_id":"{ID}","last_id":"{ID}"}}"#, key_json(ID, "active"));
    let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!() };
    assert_eq!(page.next_cursor, None);

    for last_id in ["", r#","last_id":"""#] {
        let mut ex = request_of(Operation::ListAll, None, None);
        let body = format!(r#"{{"data":[{}],"has_more":true{last_id}}}"#, key_json(ID, "active"));
        let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!() };
        assert_eq!(page.next_cursor.as_deref(), Some(ID), "last_id missing or empty: {last_id}");
    }

    let mut ex = request_of(Operation::List, None, None);
    let Output::Page(page) = finish(&mut ex, respond(200, r#"{"data":[],"has_more":false,"first_id":null,"last_id":null}"#))
    else {
        panic!()
    };
    assert!(page.items.is_empty() && page.next_cursor.is_none());
}

#[test]
fn list_active_asks_for_active_keys_and_drops_expired_ones() {
    for mut ex in both_styles(Operation::ListActive, None, Some(r#"{"limit":2}"#)) {
        assert_eq!(ex.request().url, format!("{BASE}?limit=2&status=active"));
        let expired = key_json("apikey_03", "active").replace(r#""expires_at":null"#, r#""expires_at":"2026-01-01T00:00:00Z""#);
        let body = format!(r#"{{"data":[{},{}],"has_more":true,"last_id":"apikey_03"}}"#, key_json(ID, "active"), expired);
        let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!() };
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.next_cursor.as_deref(), Some("apikey_03"), "paging follows what the server sent");
    }
    let error = client(OPTIONS)
        .begin(Operation::ListActive, None, Some(&crate::testing::json(r#"{"status":"archived"}"#)), NOW)
        .unwrap_err();
    assert_eq!((error.kind, error.fields[0].field.as_str()), (ErrorKind::Validation, "status"));
}

#[test]
fn get_reads_one_key_with_nullable_fields_and_every_status() {
    for mut ex in both_styles(Operation::Get, Some(ID), None) {
        assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Get, format!("{BASE}/{ID}")));
        let body = key_json(ID, "active")
            .replace(r#""partial_key_hint":"sk-ant-api03-R2D...igAA""#, r#""partial_key_hint":null"#)
            .replace(r#"{"id":"user_01WCz1FkmYMm4gnmykNKUu3Q","type":"user"}"#, "null")
            .replace(r#""workspace_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ""#, r#""scope":{"type":"workspace","workspace_id":"wrkspc_9"}"#);
        let Output::Key(key) = finish(&mut ex, respond(200, &body)) else { panic!() };
        assert_eq!((key.hint, key.status), (None, KeyStatus::Active));
        assert_eq!(key.workspace_id.as_deref(), Some("wrkspc_9"));
    }
    let cases = [
        ("active", "null", KeyStatus::Active),
        ("inactive", "null", KeyStatus::Disabled),
        ("archived", "null", KeyStatus::Archived),
        ("expired", "null", KeyStatus::Expired),
        ("active", r#""2026-05-31T23:59:59Z""#, KeyStatus::Expired),
        ("active", r#""2027-01-01T00:00:00Z""#, KeyStatus::Active),
        ("suspended_in_future", "null", KeyStatus::Disabled),
    ];
    for (status, expires_at, expected) in cases {
        let body = key_json(ID, status).replace(r#""expires_at":null"#, &format!(r#""expires_at":{expires_at}"#));
        let mut ex = request_of(Operation::Get, Some(ID), None);
        let Output::Key(key) = finish(&mut ex, respond(200, &body)) else { panic!() };
        assert_eq!(key.status, expected, "{status} {expires_at}");
    }
}

#[test]
fn update_posts_name_and_status_and_is_safe_to_repeat() {
    // Setting fields twice gives the same state, except archiving: a second attempt is
    // refused once the first went through (an archived key cannot be changed).
    let cases = [
        (r#"{"name":"Renamed"}"#, serde_json::json!({"name":"Renamed"}), true),
        (r#"{"name":"Renamed","disabled":true}"#, serde_json::json!({"name":"Renamed","status":"inactive"}), true),
        (r#"{"disabled":false}"#, serde_json::json!({"status":"active"}), true),
        (r#"{"archived":true}"#, serde_json::json!({"status":"archived"}), false),
        (r#"{"name":"Renamed","archived":true}"#, serde_json::json!({"name":"Renamed","status":"archived"}), false),
    ];
    for (input, expected, idempotent) in cases {
        for mut ex in both_styles(Operation::Update, Some(ID), Some(input)) {
            let request = ex.request();
            assert_eq!((request.method, request.url.clone()), (Method::Post, format!("{BASE}/{ID}")));
            assert_eq!(request.header_value("content-type"), Some("application/json"));
            assert_eq!(request.idempotent, idempotent, "{input}");
            assert_eq!(body_of(&ex), expected, "{input}");
            let Output::Key(key) = finish(&mut ex, respond(200, &key_json(ID, "active"))) else { panic!() };
            assert_eq!(key.id, ID);
        }
    }
}

#[test]
fn revoke_sets_inactive_and_enable_sets_active() {
    for (op, status, expected) in [(Operation::Revoke, "inactive", KeyStatus::Disabled), (Operation::Enable, "active", KeyStatus::Active)] {
        for mut ex in both_styles(op, Some(ID), None) {
            let request = ex.request();
            assert_eq!((request.method, request.url.clone()), (Method::Post, format!("{BASE}/{ID}")));
            assert_eq!(request.header_value("content-type"), Some("application/json"));
            assert!(request.idempotent);
            assert_eq!(body_of(&ex), serde_json::json!({ "status": status }));
            let Output::Key(key) = finish(&mut ex, respond(200, &key_json(ID, status))) else { panic!() };
            assert_eq!(key.status, expected);
        }
    }
}

#[test]
fn unsupported_operations_fail_before_any_request() {
    let c = client(OPTIONS);
    let refused = [
        Operation::Create,
        Operation::Delete,
        Operation::Current,
        Operation::Rotate,
        Operation::SetBudget,
        Operation::ResetBudgetPeriod,
        Operation::Usage,
    ];
    for op in refused {
        assert!(!c.supports(op));
        let error = c.begin(op, Some(&ID.into()), None, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnsupportedOperation);
        assert!(error.message.contains("Anthropic") && error.message.contains(op.name()), "{}", error.message);
        assert_eq!((error.provider, error.operation), (Some("anthropic"), Some(op.name())));
    }
    for op in Operation::ALL.into_iter().filter(|op| !refused.contains(op)) {
        assert!(c.supports(op), "{op:?} is offered");
    }
}

#[test]
fn bad_input_is_reported_field_by_field() {
    let c = client(OPTIONS);
    let input = crate::testing::json(r#"{"name":"","archived":false,"budget":{"limit":1},"scopes":["x"]}"#);
    let error = c.begin(Operation::Update, Some(&ID.into()), Some(&input), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["budget", "scopes", "name", "archived"]);

    let long = crate::testing::json(&format!(r#"{{"name":"{}","archived":true,"disabled":true}}"#, "n".repeat(501)));
    let error = c.begin(Operation::Update, Some(&ID.into()), Some(&long), NOW).unwrap_err();
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "disabled"]);

    let list = crate::testing::json(r#"{"limit":1001,"status":"gone","includeDisabled":true,"cursor":" ","userId":"u"}"#);
    let error = c.begin(Operation::List, None, Some(&list), NOW).unwrap_err();
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["includeDisabled", "userId", "cursor", "limit", "status"]);
    for limit in ["0", "2.5"] {
        let list = crate::testing::json(&format!(r#"{{"limit":{limit}}}"#));
        assert_eq!(c.begin(Operation::List, None, Some(&list), NOW).unwrap_err().fields[0].field, "limit");
    }
}

#[test]
fn hostile_ids_stay_in_their_segment() {
    let c = client(OPTIONS);
    for (id, path) in [("../x", "..%2Fx"), ("a/b?c", "a%2Fb%3Fc"), ("k#frag", "k%23frag")] {
        let ex = begin(&c, Operation::Get, Some(id), None);
        assert_eq!(ex.request().url, format!("{BASE}/{path}"));
    }
}

#[test]
fn error_envelopes_map_to_typed_errors_with_the_request_id() {
    let cases = [
        (400, "invalid_request_error", ErrorKind::BadRequest),
        (401, "authentication_error", ErrorKind::Authentication),
        (403, "permission_error", ErrorKind::Permission),
        (404, "not_found_error", ErrorKind::NotFound),
        (429, "rate_limit_error", ErrorKind::RateLimit),
        (500, "api_error", ErrorKind::Server),
        (529, "overloaded_error", ErrorKind::Server),
    ];
    for (status, code, kind) in cases {
        let body = format!(
            r#"{{"type":"error","error":{{"type":"{code}","message":"Problem with sk-ant-admin01-mgmt-secret"}},"request_id":"req_body"}}"#
        );
        let mut ex = request_of(Operation::Get, Some(ID), None);
        let response = respond(status, &body).with_header("request-id", "req_header").with_header("retry-after", "3");
        let error = ex.receive(&response, NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (kind, Some(status)));
        assert_eq!(error.code.as_deref(), Some(code));
        assert_eq!(error.message, format!("Problem with [redacted] (HTTP {status})"));
        assert_eq!(error.request_id.as_deref(), Some("req_header"), "the header wins");
        assert_eq!(error.retry_after_ms, Some(3000.0));
        assert_eq!((error.provider, error.operation), (Some("anthropic"), Some("get")));

        let mut ex = request_of(Operation::Get, Some(ID), None);
        let error = ex.receive(&respond(status, &body), NOW).unwrap_err();
        assert_eq!(error.request_id.as_deref(), Some("req_body"), "the body when the header is missing");
    }
}

#[test]
fn broken_bodies_are_format_errors_naming_the_field() {
    for body in [Body::Empty, Body::NotJson { bytes: 12 }] {
        let mut ex = request_of(Operation::Get, Some(ID), None);
        let error = ex.receive(&HttpResponse::new(200, body), NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (ErrorKind::ResponseFormat, Some(200)));
    }
    let mut ex = request_of(Operation::Get, Some(ID), None);
    let error = ex.receive(&respond(200, r#"{"type":"api_key","name":"no id"}"#), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ResponseFormat);
    assert!(error.message.contains("\"id\""), "{}", error.message);
    for body in [r#"{"has_more":false}"#, r#"{"data":[1]}"#, r#"{"data":[{"name":"x"}]}"#, r#"[]"#] {
        let mut ex = request_of(Operation::List, None, None);
        assert_eq!(ex.receive(&respond(200, body), NOW).unwrap_err().kind, ErrorKind::ResponseFormat, "{body}");
    }
    let mut ex = request_of(Operation::List, None, None);
    let error = ex.receive(&respond(200, r#"{"has_more":false}"#), NOW).unwrap_err();
    assert!(error.message.contains("data"), "{}", error.message);
}
