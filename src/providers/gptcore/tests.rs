//! GPT Core: each operation's exact request, its response read back, its errors;
//! request bodies and key fixtures checked against the official (client) spec when
//! `../shared/specs` is present.

use crate::error::ErrorKind;
use crate::model::{BudgetPeriod, BudgetUnit, KeyStatus};
use crate::operation::Operation;
use crate::providers::Output;
use crate::testing::{begin, body_of, client, finish, respond, schema_problems, spec, NOW};
use crate::wire::{Body, HttpResponse, Method};
use serde_json::json;

const OPTIONS: &str = r#"{"provider":"gptcore","apiKey":"sk_tenant_admin_secret"}"#;
const BASE: &str = "https://api.gpt-core.com/admin/api-keys";
const ID: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const APP: &str = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const TENANT: &str = "0df9e665-d932-5740-b2c7-b52af166bc11";
const SECRET: &str = "sk_tenant_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const SPEC: &str = "gptcore-api-keys.openapi.json";

/// A schema-valid `api_key` resource object.
fn key_json(id: &str, status: &str, expires_at: &str) -> String {
    format!(
        r#"{{"id":"{id}","type":"api_key","attributes":{{"prefix":"sk_tenant_4f2a","name":"Billing worker",
        "key_type":"server","status":"{status}","application_id":"{APP}","tenant_id":"{TENANT}","user_id":null,
        "workspace_id":"{TENANT}","scopes":["api_keys:read","usage:read"],"current_scopes":["api_keys:read"],
        "expires_at":"{expires_at}","last_used_at":"2026-05-30T12:00:00Z","total_requests":1520,
        "total_credits_used":4200,"rate_limit_requests":600,"rate_limit_period_seconds":60,"credit_limit":10000,
        "credit_limit_period":"monthly","period_credits_used":1200,"period_started_at":"2026-05-01T00:00:00Z",
        "budget_remaining":8800,"budget_resets_at":"2026-07-01T00:00:00Z"}},
        "relationships":{{"tenant":{{"data":{{"type":"tenant","id":"{TENANT}"}}}}}}}}"#
    )
}

fn active() -> String {
    key_json(ID, "active", "2027-01-01T00:00:00Z")
}

fn single(key: &str) -> String {
    format!(r#"{{"data":{key},"included":[],"meta":{{}}}}"#)
}

fn list(keys: &[String]) -> String {
    format!(r#"{{"data":[{}],"included":[],"meta":{{}}}}"#, keys.join(","))
}

/// `key` with `"generated_api_key":SECRET` added to its attributes.
fn with_secret(key: &str) -> String {
    key.replacen(r#""attributes":{"#, &format!(r#""attributes":{{"generated_api_key":"{SECRET}","#), 1)
}

/// The request of `op` on a fresh client, with the two fixed headers checked.
fn request_of(op: Operation, id: Option<&str>, input: Option<&str>) -> crate::Exchange {
    let exchange = begin(&client(OPTIONS), op, id, input);
    let request = exchange.request();
    assert_eq!(request.header_value("authorization"), Some("Bearer sk_tenant_admin_secret"));
    assert_eq!(request.header_value("accept"), Some("application/vnd.api+json; version=2025-12-03"));
    exchange
}

/// The body of a request, its content type checked, compared with the spec's schema
/// for the client-API `path`/`method` (the admin API is the same minus `/admin`).
fn spec_body(exchange: &crate::Exchange, path: &str, method: &str) -> serde_json::Value {
    assert_eq!(exchange.request().header_value("content-type"), Some("application/vnd.api+json"));
    let body = body_of(exchange);
    if let Some(spec) = spec(SPEC) {
        let schema = &spec["paths"][path][method]["requestBody"]["content"]["application/vnd.api+json"]["schema"];
        assert!(schema.is_object(), "spec has a schema for {method} {path}");
        let problems = schema_problems(&body, schema, &spec);
        assert!(problems.is_empty(), "{method} {path} body {body} vs spec: {problems:?}");
    }
    body
}

fn validation_fields(op: Operation, id: Option<&str>, input: &str) -> Vec<String> {
    crate::testing::validation_fields(&client(OPTIONS), op, id, input)
}

#[test]
fn the_key_fixture_matches_the_spec_schema() {
    let Some(spec) = spec(SPEC) else { return };
    let fixture: serde_json::Value = serde_json::from_str(&with_secret(&active())).unwrap();
    let problems = schema_problems(&fixture, &spec["components"]["schemas"]["api_key"], &spec);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn list_sends_page_and_filter_and_reads_a_page() {
    let mut ex = request_of(Operation::List, None, Some(r#"{"offset":40,"limit":2,"status":"active"}"#));
    let request = ex.request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.url, format!("{BASE}?page%5Blimit%5D=2&page%5Boffset%5D=40&filter%5Bstatus%5D%5Beq%5D=active&{ASK_FOR_KEY_ATTRIBUTES}"));
    assert_eq!((request.body.as_deref(), request.idempotent), (None, true));
    let other = key_json("a1b2c3d4-0000-4000-8000-000000000001", "active", "2027-01-01T00:00:00Z");
    let Output::Page(page) = finish(&mut ex, respond(200, &list(&[active(), other]))) else { panic!("a page") };
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_cursor.as_deref(), Some("42"));
    let key = &page.items[0];
    assert_eq!((key.provider, key.id.as_str()), ("gptcore", ID));
    assert_eq!(key.name.as_deref(), Some("Billing worker"));
    assert_eq!(key.hint.as_deref(), Some("sk_tenant_4f2a"));
    assert_eq!(key.status, KeyStatus::Active);
    assert_eq!(key.expires_at.as_deref(), Some("2027-01-01T00:00:00Z"));
    assert_eq!(key.last_used_at.as_deref(), Some("2026-05-30T12:00:00Z"));
    assert_eq!(key.created_at, None, "the schema has no created_at");
    let budget = key.budget.as_ref().unwrap();
    assert_eq!((budget.limit, budget.used, budget.remaining), (Some(10000.0), Some(1200.0), Some(8800.0)));
    assert_eq!((budget.period, budget.unit), (Some(BudgetPeriod::Monthly), BudgetUnit::Credits));
    assert_eq!(budget.resets_at.as_deref(), Some("2026-07-01T00:00:00Z"));
    let usage = key.usage.as_ref().unwrap();
    assert_eq!((usage.total, usage.requests, usage.unit), (Some(4200.0), Some(1520.0), Some(BudgetUnit::Credits)));
    let rate = key.rate_limit.as_ref().unwrap();
    assert_eq!((rate.requests, rate.period_seconds), (600.0, 60.0));
    assert_eq!(key.scopes.as_deref(), Some(&["api_keys:read".to_string(), "usage:read".to_string()][..]));
    assert_eq!(key.workspace_id.as_deref(), Some(TENANT));
    assert!(key.raw.get("relationships").unwrap().get("tenant").is_some());
}

#[test]
fn list_defaults_continue_from_a_cursor_and_stop_on_an_empty_page() {
    let mut ex = request_of(Operation::List, None, None);
    assert_eq!(ex.request().url, format!("{BASE}?page%5Blimit%5D=20&page%5Boffset%5D=0&{ASK_FOR_KEY_ATTRIBUTES}"));
    let Output::Page(page) = finish(&mut ex, respond(200, &list(&[active()]))) else { panic!() };
    assert_eq!(page.next_cursor.as_deref(), Some("1"), "a short page may be the server's cap, not the end");

    let mut ex = request_of(Operation::ListAll, None, Some(r#"{"cursor":"20","limit":1}"#));
    assert_eq!(ex.request().url, format!("{BASE}?page%5Blimit%5D=1&page%5Boffset%5D=20&{ASK_FOR_KEY_ATTRIBUTES}"));
    let Output::Page(page) = finish(&mut ex, respond(200, &list(&[active()]))) else { panic!() };
    assert_eq!(page.next_cursor.as_deref(), Some("21"));

    let mut ex = request_of(Operation::List, None, Some(r#"{"cursor":"21"}"#));
    let Output::Page(page) = finish(&mut ex, respond(200, r#"{"data":[]}"#)) else { panic!() };
    assert_eq!((page.items.len(), page.next_cursor), (0, None));
}

#[test]
fn a_page_capped_below_the_limit_asked_for_does_not_end_the_walk() {
    let keys: Vec<String> = (0..50).map(|_| active()).collect();
    let capped = |total: usize| list(&keys).replace(r#""meta":{}"#, &format!(r#""meta":{{"page":{{"limit":50,"total":{total}}}}}"#));
    let mut ex = request_of(Operation::ListAll, None, Some(r#"{"limit":100}"#));
    let Output::Page(page) = finish(&mut ex, respond(200, &capped(500))) else { panic!() };
    assert_eq!(page.next_cursor.as_deref(), Some("50"), "50 of 500 read");
    let mut ex = request_of(Operation::ListAll, None, Some(r#"{"limit":100,"cursor":"450"}"#));
    let Output::Page(page) = finish(&mut ex, respond(200, &capped(500))) else { panic!() };
    assert_eq!(page.next_cursor, None, "meta.page.total reached: no request for an empty page");
    let ex = request_of(Operation::List, None, Some(r#"{"limit":500}"#));
    assert!(ex.request().url.contains("page%5Blimit%5D=500"), "no invented largest page");
}

#[test]
fn list_active_is_one_page_without_options() {
    let mut ex = request_of(Operation::ListActive, None, None);
    assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Get, format!("{BASE}/active?{ASK_FOR_KEY_ATTRIBUTES}")));
    let keys: Vec<String> = (0..20).map(|_| active()).collect();
    let Output::Page(page) = finish(&mut ex, respond(200, &list(&keys))) else { panic!() };
    assert_eq!((page.items.len(), page.next_cursor), (20, None));
    assert_eq!(validation_fields(Operation::ListActive, None, r#"{"limit":5,"status":"active"}"#), ["limit", "status"]);
}

#[test]
fn get_reads_one_key_and_its_status() {
    let cases = [
        (key_json(ID, "active", "2027-01-01T00:00:00Z"), KeyStatus::Active),
        (key_json(ID, "revoked", "2027-01-01T00:00:00Z"), KeyStatus::Revoked),
        (key_json(ID, "expired", "2027-01-01T00:00:00Z"), KeyStatus::Expired),
        (key_json(ID, "active", "2026-01-01T00:00:00Z"), KeyStatus::Expired),
        (key_json(ID, "suspended", "2027-01-01T00:00:00Z"), KeyStatus::Disabled),
    ];
    for (key, status) in cases {
        let mut ex = request_of(Operation::Get, Some(ID), None);
        assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Get, format!("{BASE}/{ID}?{ASK_FOR_KEY_ATTRIBUTES}")));
        let Output::Key(key) = finish(&mut ex, respond(200, &single(&key))) else { panic!() };
        assert_eq!(key.status, status);
    }
}

#[test]
fn unknown_fields_are_tolerated_and_optional_dates_read_when_present() {
    let key = active().replacen(
        r#""prefix":"#,
        r#""inserted_at":"2026-02-01T09:00:00Z","updated_at":"2026-03-01T09:00:00Z","brand_new":{"x":1},"prefix":"#,
        1,
    );
    let body = format!(r#"{{"data":{key},"links":{{"self":"x"}},"jsonapi":{{"version":"1.0"}}}}"#);
    let mut ex = request_of(Operation::Get, Some(ID), None);
    let Output::Key(key) = finish(&mut ex, respond(200, &body)) else { panic!() };
    assert_eq!(key.created_at.as_deref(), Some("2026-02-01T09:00:00Z"));
    assert_eq!(key.updated_at.as_deref(), Some("2026-03-01T09:00:00Z"));
    assert!(key.raw.get("attributes").unwrap().get("brand_new").is_some());
}

#[test]
fn create_sends_the_spec_body_and_returns_the_secret_once() {
    let input = r#"{"name":"Billing worker","keyType":"server","scopes":["api_keys:read"],"applicationId":"3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "tenantId":"0df9e665-d932-5740-b2c7-b52af166bc11","userId":"a1b2c3d4-0000-4000-8000-000000000001",
        "workspaceId":"0df9e665-d932-5740-b2c7-b52af166bc11","budget":{"limit":10000,"period":"monthly"},
        "rateLimit":{"requests":600,"periodSeconds":60},"expiresAt":"2027-01-01T00:00:00Z"}"#;
    let mut ex = request_of(Operation::Create, None, Some(input));
    let request = ex.request();
    assert_eq!((request.method, request.url.clone()), (Method::Post, format!("{BASE}?{ASK_FOR_EVERY_ATTRIBUTE}")));
    assert!(!request.idempotent, "a create must never be retried blindly");
    let body = spec_body(&ex, "/api-keys", "post");
    assert_eq!(
        body,
        json!({"data":{"type":"api_key","attributes":{"name":"Billing worker","key_type":"server",
            "scopes":["api_keys:read"],"application_id":APP,"tenant_id":TENANT,
            "user_id":"a1b2c3d4-0000-4000-8000-000000000001","workspace_id":TENANT,"credit_limit":10000,
            "credit_limit_period":"monthly","rate_limit_requests":600,"rate_limit_period_seconds":60,
            "expires_at":"2027-01-01T00:00:00Z"}}})
    );
    let Output::Created(created) = finish(&mut ex, respond(201, &single(&with_secret(&active())))) else { panic!() };
    assert_eq!(created.key.id, ID);
    assert_eq!(created.secret.0, SECRET);
    assert_eq!(created.replaced_key_id, None);
    let attributes = created.key.raw.get("attributes").unwrap();
    assert_eq!(attributes.get("generated_api_key"), Some(&crate::Json::Null), "raw keeps no secret");
    assert!(!format!("{:?}", created).contains("9f8e7d6c"), "Debug hides the secret");
}

#[test]
fn a_minimal_create_sends_only_what_was_given() {
    let ex = request_of(Operation::Create, None, Some(r#"{"name":"x","budget":{"limit":null}}"#));
    let body = spec_body(&ex, "/api-keys", "post");
    assert_eq!(body, json!({"data":{"type":"api_key","attributes":{"name":"x","credit_limit":null}}}));
}

/// `fields[api_key]=` every attribute but the secret, percent-encoded: what a request for keys asks.
macro_rules! ask_for_key_attributes {
    () => {
        "fields%5Bapi_key%5D=prefix%2Cname%2Ckey_type%2Cstatus%2Capplication_id%2Ctenant_id%2Cuser_id\
%2Cworkspace_id%2Cscopes%2Ccurrent_scopes%2Cexpires_at%2Clast_used_at%2Ctotal_requests%2Ctotal_credits_used\
%2Crate_limit_requests%2Crate_limit_period_seconds%2Ccredit_limit%2Ccredit_limit_period%2Cperiod_credits_used\
%2Cperiod_started_at%2Cbudget_remaining%2Cbudget_resets_at"
    };
}
const ASK_FOR_KEY_ATTRIBUTES: &str = ask_for_key_attributes!();
/// The same and the secret: what create and rotate ask.
const ASK_FOR_EVERY_ATTRIBUTE: &str = concat!(ask_for_key_attributes!(), "%2Cgenerated_api_key");

#[test]
fn create_and_rotate_ask_for_every_attribute_of_the_spec() {
    let Some(spec) = spec(SPEC) else { return };
    let mut attributes: Vec<&str> = spec["components"]["schemas"]["api_key"]["properties"]["attributes"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut asked: Vec<&str> = super::WITH_THE_SECRET.split(',').collect();
    attributes.sort();
    asked.sort();
    assert_eq!(asked, attributes, "a sparse fieldset returns only what it names");
    assert_eq!(super::KEY_ATTRIBUTES, super::WITH_THE_SECRET.strip_suffix(",generated_api_key").unwrap(), "reads ask for all but the secret");
    let ex = request_of(Operation::Rotate, Some(ID), None);
    assert_eq!(ex.request().url, format!("{BASE}/{ID}/rotate?{ASK_FOR_EVERY_ATTRIBUTE}"));
}

#[test]
fn create_without_the_secret_is_a_format_error_naming_the_field_and_the_key_made() {
    let mut ex = request_of(Operation::Create, None, Some(r#"{"name":"x"}"#));
    let error = ex.receive(&respond(201, &single(&active())), NOW).unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::ResponseFormat, Some(201)));
    assert!(error.message.contains("\"generated_api_key\""), "{}", error.message);
    assert!(error.message.contains(&format!("though key {ID} was created: rotate it")), "{}", error.message);
}

#[test]
fn update_patches_the_attributes() {
    let input = r#"{"name":"Renamed","scopes":["usage:read"],"budget":{"limit":null,"period":null},"rateLimit":{"requests":100,"periodSeconds":3600}}"#;
    let mut ex = request_of(Operation::Update, Some(ID), Some(input));
    assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Patch, format!("{BASE}/{ID}?{ASK_FOR_KEY_ATTRIBUTES}")));
    assert!(ex.request().idempotent);
    let body = spec_body(&ex, "/api-keys/{id}", "patch");
    assert_eq!(
        body,
        json!({"data":{"id":ID,"type":"api_key","attributes":{"name":"Renamed","scopes":["usage:read"],
            "credit_limit":null,"credit_limit_period":null,"rate_limit_requests":100,"rate_limit_period_seconds":3600}}})
    );
    let Output::Key(key) = finish(&mut ex, respond(200, &single(&active()))) else { panic!() };
    assert_eq!(key.id, ID);
}

#[test]
fn an_update_of_the_requests_alone_leaves_the_period_as_it_is() {
    let mut ex = request_of(Operation::Update, Some(ID), Some(r#"{"rateLimit":{"requests":500}}"#));
    let body = spec_body(&ex, "/api-keys/{id}", "patch");
    assert_eq!(body, json!({"data":{"id":ID,"type":"api_key","attributes":{"rate_limit_requests":500}}}), "no period: a default would reset it");
    let Output::Key(_) = finish(&mut ex, respond(200, &single(&active()))) else { panic!() };
    // A create without a period asks for 60 seconds, as the README says.
    let created = request_of(Operation::Create, None, Some(r#"{"name":"n","rateLimit":{"requests":500}}"#));
    let attributes = &spec_body(&created, "/api-keys", "post")["data"]["attributes"];
    assert_eq!((&attributes["rate_limit_requests"], &attributes["rate_limit_period_seconds"]), (&json!(500), &json!(60)));
}

#[test]
fn revoke_patches_the_revoke_route() {
    let mut ex = request_of(Operation::Revoke, Some(ID), None);
    assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Patch, format!("{BASE}/{ID}/revoke?{ASK_FOR_KEY_ATTRIBUTES}")));
    let body = spec_body(&ex, "/api-keys/{id}/revoke", "patch");
    assert_eq!(body, json!({"data":{"id":ID,"type":"api_key","attributes":{}}}));
    let revoked = key_json(ID, "revoked", "2027-01-01T00:00:00Z");
    let Output::Key(key) = finish(&mut ex, respond(200, &single(&revoked))) else { panic!() };
    assert_eq!(key.status, KeyStatus::Revoked);
}

#[test]
fn rotate_is_not_idempotent_and_returns_the_new_secret() {
    let mut ex = request_of(Operation::Rotate, Some(ID), None);
    let request = ex.request();
    assert_eq!((request.method, request.url.clone()), (Method::Patch, format!("{BASE}/{ID}/rotate?{ASK_FOR_EVERY_ATTRIBUTE}")));
    assert!(!request.idempotent, "a second rotate mints another secret");
    let body = spec_body(&ex, "/api-keys/{id}/rotate", "patch");
    assert_eq!(body, json!({"data":{"id":ID,"type":"api_key","attributes":{}}}));
    let Output::Created(created) = finish(&mut ex, respond(200, &single(&with_secret(&active())))) else { panic!() };
    assert_eq!((created.key.id.as_str(), created.secret.0.as_str()), (ID, SECRET));
    assert_eq!(created.replaced_key_id, None, "same id: nothing replaced");

    let new_id = "a1b2c3d4-0000-4000-8000-000000000001";
    let mut ex = request_of(Operation::Rotate, Some(ID), None);
    let fresh = with_secret(&key_json(new_id, "active", "2027-01-01T00:00:00Z"));
    let Output::Created(created) = finish(&mut ex, respond(200, &single(&fresh))) else { panic!() };
    assert_eq!(created.replaced_key_id.as_deref(), Some(ID));

    assert_eq!(validation_fields(Operation::Rotate, Some(ID), r#"{"graceSeconds":60}"#), ["graceSeconds"]);
    let mut ex = request_of(Operation::Rotate, Some(ID), None);
    let error = ex.receive(&respond(200, &single(&active())), NOW).unwrap_err();
    assert!(error.message.contains("\"generated_api_key\""), "{}", error.message);
    assert!(error.message.contains(&format!("though key {ID} was rotated")), "{}", error.message);
}

#[test]
fn set_budget_sends_limit_and_period_or_nulls() {
    let cases = [
        (r#"{"limit":500,"period":"weekly"}"#, json!({"credit_limit":500,"credit_limit_period":"weekly"})),
        (r#"{"limit":null,"period":null}"#, json!({"credit_limit":null,"credit_limit_period":null})),
        (r#"{"limit":0}"#, json!({"credit_limit":0})),
    ];
    for (input, attributes) in cases {
        let mut ex = request_of(Operation::SetBudget, Some(ID), Some(input));
        assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Patch, format!("{BASE}/{ID}/set-budget?{ASK_FOR_KEY_ATTRIBUTES}")));
        let body = spec_body(&ex, "/api-keys/{id}/set-budget", "patch");
        assert_eq!(body, json!({"data":{"id":ID,"type":"api_key","attributes":attributes}}), "{input}");
        assert!(matches!(finish(&mut ex, respond(200, &single(&active()))), Output::Key(_)));
    }
    assert_eq!(validation_fields(Operation::SetBudget, Some(ID), r#"{"limit":12.5}"#), ["limit"]);
    assert_eq!(validation_fields(Operation::SetBudget, Some(ID), r#"{"limit":-1}"#), ["limit"]);
}

#[test]
fn reset_period_sends_the_start_or_nothing() {
    let cases = [
        (Some(r#"{"periodStartedAt":"2026-06-01T00:00:00Z"}"#), json!({"period_started_at":"2026-06-01T00:00:00Z"})),
        (None, json!({})),
    ];
    for (input, attributes) in cases {
        let mut ex = request_of(Operation::ResetBudgetPeriod, Some(ID), input);
        let request = ex.request();
        assert_eq!((request.method, request.url.clone()), (Method::Patch, format!("{BASE}/{ID}/reset-period?{ASK_FOR_KEY_ATTRIBUTES}")));
        let body = spec_body(&ex, "/api-keys/{id}/reset-period", "patch");
        assert_eq!(body, json!({"data":{"id":ID,"type":"api_key","attributes":attributes}}));
        assert!(matches!(finish(&mut ex, respond(200, &single(&active()))), Output::Key(_)));
    }
    let fields = validation_fields(Operation::ResetBudgetPeriod, Some(ID), r#"{"periodStartedAt":"2026-06-01T02:00:00+02:00"}"#);
    assert_eq!(fields, ["periodStartedAt"]);
}

#[test]
fn delete_succeeds_whatever_the_body() {
    for body in [Body::Empty, Body::NotJson { bytes: 20 }, crate::testing::json_body(r#"{"meta":{}}"#)] {
        let mut ex = request_of(Operation::Delete, Some(ID), None);
        assert_eq!((ex.request().method, ex.request().url.clone()), (Method::Delete, format!("{BASE}/{ID}")));
        assert_eq!(ex.request().body, None);
        assert_eq!(finish(&mut ex, HttpResponse::new(200, body)), Output::Deleted);
    }
    let mut ex = request_of(Operation::Delete, Some(ID), None);
    assert_eq!(finish(&mut ex, HttpResponse::new(204, Body::Empty)), Output::Deleted);
}

#[test]
fn usage_asks_for_a_tenant_and_sums_the_keys() {
    let mut ex = request_of(Operation::Usage, None, Some(&format!(r#"{{"tenantId":"{TENANT}","keyType":"server"}}"#)));
    let request = ex.request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.url, format!("{BASE}/stats?tenant_id={TENANT}&key_type=server&{ASK_FOR_KEY_ATTRIBUTES}"));
    let other = active().replace(r#""total_credits_used":4200"#, r#""total_credits_used":800"#);
    let body = list(&[active(), other]);
    let Output::Usage(usage) = finish(&mut ex, respond(200, &body)) else { panic!() };
    assert_eq!(usage.keys.len(), 2);
    assert_eq!((usage.total_cost, usage.total_requests), (Some(5000.0), Some(3040.0)));
    assert_eq!((usage.unit, usage.key_id.as_deref(), usage.days.len()), (Some(BudgetUnit::Credits), None, 0));
    assert_eq!(usage.raw, crate::testing::json(&body));

    let mut ex = request_of(Operation::Usage, None, Some(&format!(r#"{{"tenantId":"{TENANT}"}}"#)));
    let Output::Usage(usage) = finish(&mut ex, respond(200, &list(&[with_secret(&active())]))) else { panic!() };
    let attributes = usage.raw.get("data").and_then(|d| d.as_array()).and_then(|d| d[0].get("attributes")).unwrap();
    assert_eq!(attributes.get("generated_api_key"), Some(&crate::Json::Null), "usage's raw keeps no secret either");
    assert!(!format!("{:?}", usage).contains(SECRET));

    assert_eq!(validation_fields(Operation::Usage, None, r#"{"keyId":"k"}"#), ["keyId", "tenantId"]);
    assert_eq!(validation_fields(Operation::Usage, None, r#"{"tenantId":"t","keyType":"robot"}"#), ["tenantId", "keyType"]);
}

#[test]
fn unsupported_operations_fail_before_any_request() {
    let c = client(OPTIONS);
    for op in [Operation::Current, Operation::Enable] {
        assert!(!c.supports(op));
        let error = c.begin(op, Some(&ID.into()), None, NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnsupportedOperation);
        assert!(error.message.contains("GPT Core") && error.message.contains(op.name()), "{}", error.message);
        assert_eq!((error.provider, error.operation), (Some("gptcore"), Some(op.name())));
    }
    let supported = Operation::ALL.iter().filter(|op| c.supports(**op)).count();
    assert_eq!(supported, 12);
}

#[test]
fn bad_input_is_reported_field_by_field() {
    let input = r#"{"name":"","keyType":"robot","tenantId":"nope","budget":{"limit":2.5},
        "rateLimit":{"requests":0,"periodSeconds":1.5},"expiresAt":"2020-01-01T00:00:00Z","region":"europe"}"#;
    let fields = validation_fields(Operation::Create, None, input);
    assert_eq!(
        fields,
        ["region", "name", "keyType", "tenantId", "budget.limit", "rateLimit.requests", "rateLimit.periodSeconds", "expiresAt"]
    );
    let fields = validation_fields(Operation::Update, Some(ID), r#"{"disabled":true,"budget":{"limit":-5}}"#);
    assert_eq!(fields, ["disabled", "budget.limit"]);
    let fields = validation_fields(Operation::Update, Some(ID), r#"{"rateLimit":{"requests":1e20,"periodSeconds":60}}"#);
    assert_eq!(fields, ["rateLimit.requests"], "not written exactly, nor an integer a server holds");
    let fields = validation_fields(Operation::Update, Some(ID), r#"{"rateLimit":{"periodSeconds":0}}"#);
    assert_eq!(fields, ["rateLimit.requests", "rateLimit.periodSeconds"], "a missing requests hides nothing");
    let fields = validation_fields(Operation::List, None, r#"{"limit":0.5,"cursor":"x","status":"gone","includeDisabled":true}"#);
    assert_eq!(fields, ["includeDisabled", "limit", "cursor", "status"]);
}

#[test]
fn hostile_ids_stay_in_their_segment() {
    let c = client(OPTIONS);
    for (id, path) in [("../x", "..%2Fx"), ("a/b?c", "a%2Fb%3Fc"), ("k#frag", "k%23frag")] {
        let ex = begin(&c, Operation::Revoke, Some(id), None);
        assert_eq!(ex.request().url, format!("{BASE}/{path}/revoke?{ASK_FOR_KEY_ATTRIBUTES}"));
    }
}

#[test]
fn error_envelopes_map_to_typed_errors_with_pointers_and_hints() {
    for (status, kind) in crate::testing::ERROR_STATUSES {
        let mut ex = request_of(Operation::Get, Some(ID), None);
        let body = format!(
            r#"{{"errors":[{{"status":"{status}","title":"Invalid Attribute","code":"invalid_attribute",
            "detail":"can't be blank","source":{{"pointer":"/data/attributes/name"}},"meta":{{"retry_after":7}}}},
            {{"status":"{status}","title":"Bad key sk_tenant_admin_secret"}}]}}"#
        );
        let error = ex.receive(&respond(status, &body), NOW).unwrap_err();
        assert_eq!((error.kind, error.status), (kind, Some(status)));
        assert_eq!(error.code.as_deref(), Some("invalid_attribute"));
        assert_eq!(error.message, format!("name: can't be blank; Bad key [redacted] (HTTP {status})"));
        assert_eq!(error.retry_after_ms, Some(7000.0));
        assert_eq!(error.request_id, None);
    }
    let mut ex = request_of(Operation::Get, Some(ID), None);
    let body = r#"{"errors":[{"status":"400","title":"Invalid Query","source":{"parameter":"page[limit]"}}]}"#;
    let error = ex.receive(&respond(400, body), NOW).unwrap_err();
    assert_eq!(error.code.as_deref(), Some("Invalid Query"), "the title stands in for a missing code");
    assert_eq!(error.message, "page[limit]: Invalid Query (HTTP 400)");
}

#[test]
fn broken_bodies_are_format_errors_naming_the_field() {
    for body in [Body::Empty, Body::NotJson { bytes: 12 }] {
        let mut ex = request_of(Operation::Get, Some(ID), None);
        assert_eq!(ex.receive(&HttpResponse::new(200, body), NOW).unwrap_err().kind, ErrorKind::ResponseFormat);
    }
    let no_status = active().replace(r#""status":"active","#, "");
    let cases = [
        (r#"{"data":null}"#.to_string(), "data"),
        (r#"{"data":{"type":"api_key","attributes":{"status":"active"}}}"#.to_string(), "\"id\""),
        (format!(r#"{{"data":{{"id":"{ID}","type":"api_key"}}}}"#), "attributes"),
        (single(&no_status), "\"status\""),
    ];
    for (body, field) in cases {
        let mut ex = request_of(Operation::Get, Some(ID), None);
        let error = ex.receive(&respond(200, &body), NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ResponseFormat, "{body}");
        assert!(error.message.contains(field), "{} lacks {field}", error.message);
    }
    let mut ex = request_of(Operation::List, None, None);
    let error = ex.receive(&respond(200, r#"{"data":[1]}"#), NOW).unwrap_err();
    assert!(error.message.contains("data[0]"), "{}", error.message);
}

#[test]
fn spec_error_examples_parse() {
    let Some(spec) = spec(SPEC) else { return };
    let cases = [
        ("400", ErrorKind::BadRequest, "email: Email must be a valid email address"),
        ("401", ErrorKind::Authentication, "Invalid or expired authentication token"),
        ("403", ErrorKind::Permission, "You do not have permission to access this resource"),
        ("404", ErrorKind::NotFound, "The requested resource was not found"),
        ("429", ErrorKind::RateLimit, "Too many requests. Please try again later."),
        ("500", ErrorKind::Server, "An unexpected error occurred. Please try again later."),
    ];
    for (status, kind, message) in cases {
        let example = &spec["paths"]["/api-keys/{id}"]["get"]["responses"][status]["content"]["application/vnd.api+json"]["example"];
        let mut ex = request_of(Operation::Get, Some(ID), None);
        let code: u16 = status.parse().unwrap();
        let error = ex.receive(&respond(code, &example.to_string()), NOW).unwrap_err();
        assert_eq!(error.kind, kind);
        assert_eq!(error.message, format!("{message} (HTTP {status})"));
        let expected_wait = (status == "429").then_some(60_000.0);
        assert_eq!(error.retry_after_ms, expected_wait);
    }
}
