//! Fluxbase: each operation's exact request for every auth style and route family,
//! the two-stage update and revoke, the server's and the SDK's response shapes, errors.

use crate::error::ErrorKind;
use crate::model::KeyStatus;
use crate::operation::Operation;
use crate::providers::{Output, Step};
use crate::testing::{begin, body_of, client, finish, json, respond, NOW};
use crate::wire::retry::{next_delay_ms, Attempt, RetryPolicy};
use crate::wire::{Body, HttpResponse, Method};
use crate::{Client, Exchange};

const HOST: &str = "https://fluxbase.example.com";
const SECRET: &str = "fbk-mgmt-service-secret";
const ID: &str = "3f1c9a52-8d7e-4b21-9c55-0a6e2f4b7d10";
const USER: &str = "8a0b6c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d";
const PLAINTEXT: &str = "fbk_q2Vx8n0cJp3lTg5sYk9wRz1uBd7eHf4iMa6oLj2NtEs=";

/// One client per auth style and route family: (client, route path, auth header, its value).
fn clients() -> Vec<(Client, &'static str, &'static str, String)> {
    let mut out = Vec::new();
    for (routes, path) in [(None, "/api/v1/client-keys"), (Some("api-keys"), "/api/v1/api-keys")] {
        for (style, header, value) in [
            (None, "x-service-key", SECRET.to_string()),
            (Some("api-key"), "x-api-key", SECRET.to_string()),
            (Some("bearer"), "authorization", format!("Bearer {SECRET}")),
        ] {
            let mut options = format!(r#"{{"provider":"fluxbase","apiKey":"{SECRET}","baseUrl":"{HOST}/""#);
            if let Some(style) = style {
                options.push_str(&format!(r#","authStyle":"{style}""#));
            }
            if let Some(routes) = routes {
                options.push_str(&format!(r#","routes":"{routes}""#));
            }
            options.push('}');
            out.push((client(&options), path, header, value));
        }
    }
    out
}

/// Starts `op` on every client, checks the auth and accept headers, and hands over
/// the exchange with the route's base URL.
fn each_client(op: Operation, id: Option<&str>, input: Option<&str>, check: impl FnMut(Exchange, String)) {
    each_client_of("", op, id, input, check);
}

/// Like [`each_client`] for the clients whose route path ends with `routes`.
fn each_client_of(routes: &str, op: Operation, id: Option<&str>, input: Option<&str>, mut check: impl FnMut(Exchange, String)) {
    let chosen: Vec<_> = clients().into_iter().filter(|c| c.1.ends_with(routes)).collect();
    assert!(!chosen.is_empty(), "no client uses {routes}");
    for (c, path, header, value) in chosen {
        let ex = begin(&c, op, id, input);
        let request = ex.request();
        assert_eq!(request.header_value(header), Some(value.as_str()), "{header}");
        let others = ["x-service-key", "x-api-key", "authorization"].into_iter().filter(|h| *h != header);
        for other in others {
            assert_eq!(request.header_value(other), None, "only {header} is sent");
        }
        assert_eq!(request.header_value("accept"), Some("application/json"));
        check(ex, format!("{HOST}{path}"));
    }
}

fn default_client() -> Client {
    clients().swap_remove(0).0
}

fn key_json(revoked_at: &str, expires_at: &str) -> String {
    format!(
        r#"{{"id":"{ID}","name":"CI deploys","description":"for the pipeline","key_prefix":"fbk_q2Vx8n0c",
        "user_id":"{USER}","scopes":["read:tables","write:storage"],"rate_limit_per_minute":120,
        "last_used_at":"2026-05-30T10:00:00Z","expires_at":{expires_at},"revoked_at":{revoked_at},
        "created_at":"2026-01-02T03:04:05.678Z","updated_at":"2026-02-01T00:00:00Z","brand_new_field":{{"x":1}}}}"#
    )
}

fn active_key() -> String {
    key_json("null", "null")
}

fn revoked_key() -> String {
    key_json(r#""2026-05-31T12:00:00Z""#, "null")
}

/// Feeds `response` and expects a follow-up request.
fn next_request(ex: &mut Exchange, response: HttpResponse) -> crate::HttpRequest {
    match ex.receive(&response, NOW).expect("success") {
        Step::Send(next) => next,
        Step::Done(output) => panic!("expected a second request, got {output:?}"),
    }
}

#[test]
fn list_sends_the_user_filter_and_reads_the_bare_array() {
    each_client(Operation::List, None, Some(&format!(r#"{{"userId":"{USER}"}}"#)), |mut ex, base| {
        let request = ex.request();
        assert_eq!((request.method, request.url.clone()), (Method::Get, format!("{base}?user_id={USER}")));
        assert_eq!((request.body.as_deref(), request.header_value("content-type")), (None, None));
        assert!(request.idempotent);
        let Output::Page(page) = finish(&mut ex, respond(200, &format!("[{},{}]", active_key(), revoked_key()))) else {
            panic!("a page")
        };
        assert_eq!(page.next_cursor, None, "one request returns every key");
        assert_eq!(page.items.len(), 2);
        let key = &page.items[0];
        assert_eq!((key.provider, key.id.as_str()), ("fluxbase", ID));
        assert_eq!(key.name.as_deref(), Some("CI deploys"));
        assert_eq!(key.hint.as_deref(), Some("fbk_q2Vx8n0c"));
        assert_eq!(key.status, KeyStatus::Active);
        assert_eq!(key.scopes.as_deref(), Some(&["read:tables".to_string(), "write:storage".to_string()][..]));
        let rate = key.rate_limit.as_ref().unwrap();
        assert_eq!((rate.requests, rate.period_seconds), (120.0, 60.0));
        assert_eq!(key.created_at.as_deref(), Some("2026-01-02T03:04:05.678Z"));
        assert_eq!(key.updated_at.as_deref(), Some("2026-02-01T00:00:00Z"));
        assert_eq!(key.last_used_at.as_deref(), Some("2026-05-30T10:00:00Z"));
        assert_eq!(key.raw.get("description").unwrap().as_str(), Some("for the pipeline"));
        assert_eq!(key.raw.get("brand_new_field").unwrap().get("x").unwrap().as_f64(), Some(1.0));
        assert_eq!(page.items[1].status, KeyStatus::Revoked);
    });
}

#[test]
fn list_also_reads_the_sdk_shapes() {
    for member in ["client_keys", "api_keys"] {
        each_client(Operation::ListAll, None, None, |mut ex, base| {
            assert_eq!(ex.request().url, base);
            let body = format!(r#"{{"{member}":[{}],"total":1}}"#, active_key());
            let Output::Page(page) = finish(&mut ex, respond(200, &body)) else { panic!() };
            assert_eq!((page.items.len(), page.next_cursor), (1, None));
        });
    }
}

#[test]
fn get_reads_one_key_and_its_status() {
    each_client(Operation::Get, Some(ID), None, |mut ex, base| {
        assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Get, format!("{base}/{ID}")));
        let Output::Key(key) = finish(&mut ex, respond(200, &active_key())) else { panic!() };
        assert_eq!(key.id, ID);
    });
    let cases = [
        ("null", "null", KeyStatus::Active),
        ("null", r#""2027-01-01T00:00:00Z""#, KeyStatus::Active),
        ("null", r#""2026-05-01T00:00:00Z""#, KeyStatus::Expired),
        // A server's own zone (Go writes a time with it): an hour ago, and an hour ahead.
        ("null", r#""2026-06-01T01:00:00+02:00""#, KeyStatus::Expired),
        ("null", r#""2026-05-31T23:00:00-02:00""#, KeyStatus::Active),
        (r#""2026-05-31T12:00:00Z""#, r#""2026-05-01T00:00:00Z""#, KeyStatus::Revoked),
    ];
    for (revoked_at, expires_at, expected) in cases {
        let mut ex = begin(&default_client(), Operation::Get, Some(ID), None);
        let Output::Key(key) = finish(&mut ex, respond(200, &key_json(revoked_at, expires_at))) else { panic!() };
        assert_eq!(key.status, expected, "{revoked_at} {expires_at}");
    }
}

#[test]
fn create_sends_the_server_body_and_returns_the_secret_once() {
    for (routes, scope) in [("client-keys", "write:clientkeys"), ("api-keys", "write:apikeys")] {
        let input = format!(
            r#"{{"name":"CI","description":"pipeline","scopes":["read:tables","{scope}"],
            "rateLimit":{{"requests":120,"periodSeconds":60}},"expiresAt":"2027-12-31T23:59:59Z"}}"#
        );
        each_client_of(routes, Operation::Create, None, Some(&input), |mut ex, base| {
            let request = ex.request();
            assert_eq!((request.method, request.url.clone()), (Method::Post, base.clone()));
            assert_eq!(request.header_value("content-type"), Some("application/json"));
            assert!(!request.idempotent, "a create must never be retried blindly");
            assert_eq!(
                body_of(&ex),
                serde_json::json!({"name":"CI","description":"pipeline","scopes":["read:tables",scope],
                    "rate_limit_per_minute":120,"expires_at":"2027-12-31T23:59:59Z"})
            );
            let flat = format!(r#"{},"key":"{PLAINTEXT}"}}"#, active_key().strip_suffix('}').unwrap());
            let Output::Created(created) = finish(&mut ex, respond(201, &flat)) else { panic!() };
            assert_eq!((created.key.id.as_str(), created.secret.0.as_str()), (ID, PLAINTEXT));
            assert_eq!(created.key.raw.get("key"), None, "the secret is not kept in raw");
            assert_eq!(created.key.raw.get("name").unwrap().as_str(), Some("CI deploys"));
            assert!(!format!("{created:?}").contains("q2Vx8n0cJp3"), "Debug hides the secret");
        });
    }
}

#[test]
fn create_reads_the_sdk_shapes_and_needs_the_secret() {
    for member in ["client_key", "api_key"] {
        let mut ex = begin(&default_client(), Operation::Create, None, Some(r#"{"name":"x","scopes":["*"]}"#));
        assert_eq!(body_of(&ex), serde_json::json!({"name":"x","scopes":["*"]}));
        let body = format!(r#"{{"{member}":{},"key":"{PLAINTEXT}"}}"#, active_key());
        let Output::Created(created) = finish(&mut ex, respond(201, &body)) else { panic!() };
        assert_eq!((created.key.id.as_str(), created.secret.0.as_str()), (ID, PLAINTEXT));
    }
    let mut ex = begin(&default_client(), Operation::Create, None, Some(r#"{"name":"x","scopes":["*"]}"#));
    let error = ex.receive(&respond(201, &active_key()), NOW).unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::ResponseFormat, Some(201)));
    assert!(error.message.contains("\"key\""), "{}", error.message);
}

#[test]
fn update_patches_then_reads_the_key_back() {
    let input = r#"{"name":"Renamed","description":"new","scopes":["read:storage"],"rateLimit":{"requests":30}}"#;
    each_client(Operation::Update, Some(ID), Some(input), |mut ex, base| {
        let request = ex.request().clone();
        assert_eq!((request.method, request.url.as_str()), (Method::Patch, format!("{base}/{ID}").as_str()));
        assert_eq!(request.header_value("content-type"), Some("application/json"));
        assert!(request.idempotent);
        assert_eq!(
            body_of(&ex),
            serde_json::json!({"name":"Renamed","description":"new","scopes":["read:storage"],"rate_limit_per_minute":30})
        );
        let ack = respond(200, r#"{"success":true,"message":"API key updated successfully"}"#);
        let next = next_request(&mut ex, ack);
        assert_eq!((next.method, next.url.as_str(), next.body.as_deref()), (Method::Get, format!("{base}/{ID}").as_str(), None));
        assert_eq!(&next, ex.request(), "the exchange now holds the read-back request");
        assert_eq!(next.header_value("accept"), Some("application/json"));
        let Output::Key(key) = finish(&mut ex, respond(200, &active_key())) else { panic!() };
        assert_eq!(key.id, ID);
    });
}

#[test]
fn a_failed_read_back_says_the_write_was_carried_out() {
    for op in [Operation::Update, Operation::Revoke] {
        let input = (op == Operation::Update).then_some(r#"{"name":"Renamed"}"#);
        let mut ex = begin(&default_client(), op, Some(ID), input);
        next_request(&mut ex, respond(200, r#"{"success":true,"message":"done"}"#));
        let error = ex.receive(&respond(503, r#"{"error":"Service unavailable"}"#), NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Server);
        let written = format!("; the {} itself was carried out, and only reading the key back after it failed: get the key to see it", op.name());
        assert!(error.message.ends_with(&written), "{}", error.message);
        assert!(ex.ended_by(crate::Error::format("no response"), Attempt::ConnectionLost).message.ends_with(&written));
        assert!(ex.aborted(true).message.contains(&written));
        let unreadable = ex.receive(&respond(200, r#"{"nothing":1}"#), NOW).unwrap_err();
        assert!(unreadable.message.ends_with(&written), "a read-back answered but unreadable: {}", unreadable.message);
    }
}

#[test]
fn update_finishes_at_once_when_the_server_returns_the_key() {
    let mut ex = begin(&default_client(), Operation::Update, Some(ID), Some(r#"{"name":"Renamed"}"#));
    let Output::Key(key) = finish(&mut ex, respond(200, &active_key())) else { panic!() };
    assert_eq!(key.id, ID);
    let mut ex = begin(&default_client(), Operation::Update, Some(ID), Some(r#"{"name":"Renamed"}"#));
    let error = ex.receive(&respond(200, r#"{"success":false,"message":"nothing changed"}"#), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ResponseFormat);
    assert!(error.message.contains("nothing changed"), "{}", error.message);
}

#[test]
fn revoke_posts_then_reads_the_revoked_key_back() {
    each_client(Operation::Revoke, Some(ID), None, |mut ex, base| {
        let request = ex.request();
        assert_eq!((request.method, request.url.clone()), (Method::Post, format!("{base}/{ID}/revoke")));
        assert_eq!(request.header_value("content-type"), Some("application/json"));
        assert!(!request.idempotent);
        assert_eq!(body_of(&ex), serde_json::json!({}));
        let next = next_request(&mut ex, respond(200, r#"{"success":true,"message":"API key revoked successfully"}"#));
        assert_eq!((next.method, next.url.as_str()), (Method::Get, format!("{base}/{ID}").as_str()));
        let Output::Key(key) = finish(&mut ex, respond(200, &revoked_key())) else { panic!() };
        assert_eq!(key.status, KeyStatus::Revoked);
    });
    let mut ex = begin(&default_client(), Operation::Revoke, Some(ID), None);
    let next = next_request(&mut ex, HttpResponse::new(204, Body::Empty));
    assert_eq!(next.method, Method::Get, "an empty acknowledgement also reads back");
}

#[test]
fn delete_accepts_204_and_any_200() {
    each_client(Operation::Delete, Some(ID), None, |mut ex, base| {
        let request = ex.request();
        assert_eq!((request.method, request.url.clone(), request.body.clone()), (Method::Delete, format!("{base}/{ID}"), None));
        assert!(request.idempotent);
        assert_eq!(finish(&mut ex, HttpResponse::new(204, Body::Empty)), Output::Deleted);
    });
    for body in [crate::testing::json_body(r#"{"message":"API key deleted"}"#), Body::NotJson { bytes: 2 }] {
        let mut ex = begin(&default_client(), Operation::Delete, Some(ID), None);
        assert_eq!(finish(&mut ex, HttpResponse::new(200, body)), Output::Deleted);
    }
}

#[test]
fn unsupported_operations_fail_before_any_request() {
    let c = default_client();
    let refused = [
        Operation::Current,
        Operation::Enable,
        Operation::Rotate,
        Operation::SetBudget,
        Operation::ResetBudgetPeriod,
        Operation::Usage,
        Operation::ListActive,
    ];
    for op in refused {
        assert!(!c.supports(op));
        let error = c.begin(op, Some(&ID.into()), None, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnsupportedOperation);
        assert!(error.message.contains("Fluxbase") && error.message.contains(op.name()), "{}", error.message);
        assert_eq!((error.provider, error.operation), (Some("fluxbase"), Some(op.name())));
    }
    for op in Operation::ALL.into_iter().filter(|op| !refused.contains(op)) {
        assert!(c.supports(op), "{op:?} is offered");
    }
}

#[test]
fn bad_input_is_reported_field_by_field() {
    let c = default_client();
    let input = json(
        r#"{"name":" ","scopes":["read:tables","write:apikeys","admin"],"rateLimit":{"requests":0,"periodSeconds":3600},
        "expiresAt":"2020-01-01T00:00:00Z","budget":{"limit":1}}"#,
    );
    let error = c.begin(Operation::Create, None, Some(&input), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["budget", "name", "scopes[1]", "scopes[2]", "rateLimit.requests", "rateLimit.periodSeconds", "expiresAt"]
    );
    assert!(error.fields[2].message.contains("\"write:clientkeys\""), "{}", error.fields[2].message);

    let error = c.begin(Operation::Create, None, Some(&json("{}")), NOW).unwrap_err();
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "scopes"]);

    let error = c.begin(Operation::Create, None, Some(&json(r#"{"name":"x","scopes":[]}"#)), NOW).unwrap_err();
    assert_eq!(error.fields[0].field, "scopes");

    let update = json(r#"{"disabled":true,"scopes":["write:clientkeys"],"rateLimit":{"requests":1.5}}"#);
    let error = c.begin(Operation::Update, Some(&"not-a-uuid".into()), Some(&update), NOW).unwrap_err();
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["id", "disabled", "rateLimit.requests"]);

    let list = json(r#"{"userId":"bob","cursor":"x","limit":5}"#);
    let error = c.begin(Operation::List, None, Some(&list), NOW).unwrap_err();
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["cursor", "limit", "userId"]);
}

#[test]
fn ids_must_be_uuids() {
    let c = default_client();
    for op in [Operation::Get, Operation::Revoke, Operation::Delete, Operation::Update] {
        for bad in ["../x", "apikey_1", "3f1c9a52-8d7e-4b21-9c55-0a6e2f4b7d1"] {
            let input = (op == Operation::Update).then(|| json(r#"{"name":"x"}"#));
            let error = c.begin(op, Some(&bad.into()), input.as_ref(), NOW).unwrap_err();
            assert_eq!((error.kind, error.fields[0].field.as_str()), (ErrorKind::Validation, "id"), "{op:?} {bad}");
        }
        let input = (op == Operation::Update).then(|| json(r#"{"name":"x"}"#));
        let empty = c.begin(op, Some(&"".into()), input.as_ref(), NOW).unwrap_err();
        assert_eq!(empty.fields.len(), 1, "an empty id is reported once: {:?}", empty.fields);
    }
}

#[test]
fn error_envelopes_map_to_typed_errors_without_secrets() {
    let cases = [
        (400, r#"{"error":"Invalid API key ID"}"#, ErrorKind::BadRequest, "Invalid API key ID", None),
        (
            401,
            r#"{"error":"Invalid or expired Bearer token fbk-mgmt-service-secret"}"#,
            ErrorKind::Authentication,
            "Invalid or expired Bearer token [redacted]",
            None,
        ),
        (
            403,
            r#"{"error":"Insufficient permissions","required_scope":"write:apikeys"}"#,
            ErrorKind::Permission,
            "Insufficient permissions (needs write:apikeys)",
            None,
        ),
        (404, r#"{"error":"API key not found"}"#, ErrorKind::NotFound, "API key not found", None),
        (
            429,
            r#"{"code":"RATE_LIMIT_EXCEEDED","error":"Rate limit exceeded","message":"Too many requests","retry_after":42}"#,
            ErrorKind::RateLimit,
            "Rate limit exceeded: Too many requests",
            Some("RATE_LIMIT_EXCEEDED"),
        ),
        (500, r#"{"error":"Failed to get API key"}"#, ErrorKind::Server, "Failed to get API key", None),
    ];
    for (status, body, kind, message, code) in cases {
        let mut ex = begin(&default_client(), Operation::Get, Some(ID), None);
        let error = ex.receive(&respond(status, body), NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (kind, Some(status)));
        assert_eq!(error.message, format!("{message} (HTTP {status})"));
        assert_eq!(error.code.as_deref(), code);
        assert_eq!(error.retry_after_ms, (status == 429).then_some(42_000.0), "the body's retry_after");
        assert_eq!((error.provider, error.operation), (Some("fluxbase"), Some("get")));
    }
    let mut ex = begin(&default_client(), Operation::Get, Some(ID), None);
    let response = respond(429, r#"{"error":"Rate limit exceeded","retry_after":42}"#).with_header("retry-after", "5");
    assert_eq!(ex.receive(&response, NOW).unwrap_err().retry_after_ms, Some(5000.0), "the header wins");
    let mut ex = begin(&default_client(), Operation::Get, Some(ID), None);
    let response = respond(404, &format!(r#"{{"error":"Not Found","path":"/api/v1/client-keys/{ID}"}}"#));
    assert_eq!(ex.receive(&response, NOW).unwrap_err().message, "Not Found (HTTP 404)");
}

#[test]
fn a_write_to_a_missing_key_is_not_found_though_the_server_says_500() {
    let client_keys = (Operation::Delete, r#"{"error":"Failed to delete client key: client key not found"}"#);
    let api_keys = (Operation::Revoke, r#"{"error":"Failed to revoke API key: API key not found"}"#);
    for (op, body) in [client_keys, api_keys, (Operation::Update, r#"{"error":"Failed to update client key: Client Key Not Found"}"#)] {
        let input = (op == Operation::Update).then_some(r#"{"name":"x"}"#);
        let mut ex = begin(&default_client(), op, Some(ID), input);
        let response = respond(500, body);
        let error = ex.receive(&response, NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (ErrorKind::NotFound, Some(500)), "{body}");
        assert!(!error.message.contains("not retried"), "a missing key is not an unsure write: {}", error.message);
        let attempt = Attempt::Response { response: &response, body: &ex.envelope(&response) };
        assert_eq!(next_delay_ms(&RetryPolicy::default(), 0, true, attempt, NOW, 0.5), None, "not retried: {body}");
    }
    let other = respond(500, r#"{"error":"Failed to delete client key: connection refused"}"#);
    let mut ex = begin(&default_client(), Operation::Delete, Some(ID), None);
    assert_eq!(ex.receive(&other, NOW).unwrap_err().kind, ErrorKind::Server);
    assert!(!ex.envelope(&other).not_found, "another 500 is retried as before");
}

/// "key not found" is a missing key only with a 404 or 500: a 401 or 403 saying it (a
/// proxy's own key, say) is about the caller's credentials, and a 503 is retried.
#[test]
fn key_not_found_under_another_status_keeps_that_status_kind() {
    for (status, kind) in [(401, ErrorKind::Authentication), (403, ErrorKind::Permission), (503, ErrorKind::Server)] {
        let mut ex = begin(&default_client(), Operation::Delete, Some(ID), None);
        let response = respond(status, r#"{"error":"API key not found"}"#);
        assert_eq!(ex.receive(&response, NOW).unwrap_err().kind, kind, "{status}");
        let attempt = Attempt::Response { response: &response, body: &ex.envelope(&response) };
        let retried = next_delay_ms(&RetryPolicy::default(), 0, true, attempt, NOW, 0.5).is_some();
        assert_eq!(retried, status == 503, "{status}");
    }
}

#[test]
fn no_keys_come_as_null() {
    each_client(Operation::List, None, None, |mut ex, _| {
        let Output::Page(page) = finish(&mut ex, respond(200, "null")) else { panic!("a page") };
        assert_eq!((page.items.len(), page.next_cursor), (0, None));
    });
}

#[test]
fn broken_bodies_are_format_errors_naming_the_field() {
    for body in [Body::Empty, Body::NotJson { bytes: 12 }] {
        let mut ex = begin(&default_client(), Operation::Get, Some(ID), None);
        let error = ex.receive(&HttpResponse::new(200, body), NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (ErrorKind::ResponseFormat, Some(200)));
    }
    let mut ex = begin(&default_client(), Operation::Get, Some(ID), None);
    let error = ex.receive(&respond(200, r#"{"name":"no id"}"#), NOW).unwrap_err();
    assert!(error.message.contains("\"id\""), "{}", error.message);
    let mut ex = begin(&default_client(), Operation::List, None, None);
    let error = ex.receive(&respond(200, r#"{"total":0}"#), NOW).unwrap_err();
    assert!(error.message.contains("client_keys"), "{}", error.message);
    for body in ["[1]", r#"[{"name":"x"}]"#, r#"{"client_keys":{}}"#] {
        let mut ex = begin(&default_client(), Operation::List, None, None);
        assert_eq!(ex.receive(&respond(200, body), NOW).unwrap_err().kind, ErrorKind::ResponseFormat, "{body}");
    }
    let mut ex = begin(&default_client(), Operation::Update, Some(ID), Some(r#"{"name":"x"}"#));
    next_request(&mut ex, respond(200, r#"{"success":true}"#));
    let error = ex.receive(&respond(200, r#"{"success":true}"#), NOW).unwrap_err();
    assert!(error.message.contains("\"id\""), "the read-back needs a key: {}", error.message);
}
