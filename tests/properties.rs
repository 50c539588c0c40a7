//! Property tests (proptest) of the sans-IO core:
//! - any id stays one path segment under the provider's route and decodes back to itself;
//!   `begin` accepts an id exactly when the id rules (and Fluxbase's UUID rule) do;
//! - valid canonical inputs round-trip: input → request body → a response echoing the
//!   body as the provider would → the `ApiKey` carries the input's fields;
//! - OpenRouter and GPT Core bodies: `begin` succeeds ⇔ the body it would send satisfies
//!   the official schema in `../shared/specs/` AND the local rules (skipped, with a
//!   printed reason, where the specs are absent);
//! - the single-pass redactor gives the same text as the search-based one it replaced;
//! - the body reader's tape reads what the tree reads: every lookup, repeated and escaped
//!   member names included, and the tree it builds is serde_json's.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::result_large_err)]

mod common;
#[path = "common/schema.rs"]
mod schema;

use apikeys::error::ErrorKind;
use apikeys::validate::MAX_ID_LEN;
use apikeys::{Body, Client, HttpResponse, Json, Operation, Output, Provider};
use common::*;
use schema::{is_uuid, schema_problems};
use proptest::prelude::*;
use serde_json::Value;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

// ---- ids and URLs ----

/// Strings rich in the characters that could break out of a path segment.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[./?#%&=+;:@ \\\\a-zA-Z0-9~_-]{0,24}",
        "(\\.|\\.\\.|%2e|%2E|%2f|/|\\?|#|%00|%|\u{0}|\u{7f}|\u{2028}|é|ключ|🔑|\\\\|a){0,12}",
        any::<String>(),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("x".repeat(MAX_ID_LEN)),
        Just("x".repeat(MAX_ID_LEN + 1)),
        Just(UUID.to_string()),
        Just(UUID.to_uppercase()),
    ]
}

fn provider() -> impl Strategy<Value = Provider> {
    prop::sample::select(Provider::ALL.to_vec())
}

/// What the id rules accept (`validate::check_id`), plus Fluxbase's UUIDs.
fn id_is_acceptable(provider: Provider, id: &str) -> bool {
    let generic = !id.trim().is_empty() && id != "." && id != ".." && id.len() <= MAX_ID_LEN && !id.chars().any(char::is_control);
    generic && (provider != Provider::Fluxbase || is_uuid(id))
}


proptest! {
    #![proptest_config(config())]

    /// Any id: the URL keeps the route, the id is exactly the next segment and decodes
    /// back to the id; `begin` accepts it exactly when the id rules do.
    #[test]
    fn any_id_stays_one_segment_under_the_route(provider in provider(), variant in 0u8..6, id in hostile_text()) {
        let client = client(provider, variant);
        for op in Operation::ALL.into_iter().filter(|op| takes_id(*op) && client.supports(*op)) {
            let (_, input) = valid_args(provider, op);
            // check_begin asserts the URL (no dot segment, one encoded segment that decodes to the id).
            let result = check_begin(&client, op, Some(&Json::from(id.as_str())), input.as_ref());
            prop_assert_eq!(result.is_some(), id_is_acceptable(provider, &id), "{} {} {:?}", provider.name(), op.name(), id);
        }
    }

    /// Text in cursors, filters, usage keys and names never leaves its query value or segment.
    #[test]
    fn caller_text_in_queries_and_usage_paths_stays_put(provider in provider(), variant in 0u8..6, text in hostile_text()) {
        let client = client(provider, variant);
        for op in [Operation::List, Operation::ListActive, Operation::Usage, Operation::Create] {
            if client.supports(op) {
                check_request_text(&client, op, &text);
            }
        }
    }

    /// A base URL with a path prefix keeps it in front of every route.
    #[test]
    fn a_base_path_prefix_is_kept(provider in provider(), path in "(/[a-z0-9._~-]{1,8}){0,3}/?", id in "[a-zA-Z0-9_-]{1,16}") {
        let mut options = options(provider, 0);
        options.set("baseUrl", Json::from(format!("https://gateway.example.com{path}")));
        let client = Client::new(apikeys::Config::from_json(&options).unwrap());
        prop_assert_eq!(&client.config().base_url, &format!("https://gateway.example.com{}", path.trim_end_matches('/')));
        for op in Operation::ALL.into_iter().filter(|op| client.supports(*op)) {
            let (mut id_arg, input) = valid_args(provider, op);
            if id_arg.is_some() && provider != Provider::Fluxbase {
                id_arg = Some(Json::from(id.as_str()));
            }
            if let Some(exchange) = check_begin(&client, op, id_arg.as_ref(), input.as_ref()) {
                prop_assert!(exchange.request().url.starts_with(&route_prefix(&client, op)));
            }
        }
    }
}

// ---- round trips: input → request body → echoed response → ApiKey ----

fn body_json(exchange: &apikeys::Exchange) -> Json {
    serde_json::from_str(exchange.request().body.as_deref().expect("a body")).expect("JSON body")
}

fn get<'a>(value: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(value, |v, k| v.get(k))
}

fn finish(client: &Client, op: Operation, exchange: &mut apikeys::Exchange, body: Json) -> Output {
    let response = HttpResponse::new(200, Body::from_text(body.to_string()));
    drive(client, op, exchange, &[response]).unwrap_or_else(|e| panic!("{} {}: {}", client.provider().name(), op.name(), e))
}

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// Names a person might type: any printable text, quotes, backslashes, emoji, line separators.
fn name() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{1,40}", "[a-z \"\\\\/\u{2028}\u{2029}é🔑]{1,20}"].prop_filter("not blank", |n| !n.trim().is_empty())
}

fn future_utc() -> impl Strategy<Value = String> {
    (2027u32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60).prop_map(|(y, mo, d, h, mi)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z"))
}

fn period_of(key: &apikeys::ApiKey) -> Option<&'static str> {
    key.budget.as_ref().and_then(|b| b.period).map(|p| p.as_str())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn openrouter_create_round_trips(name in name(), limit in prop::option::of(0u32..1_000_000), period in prop::option::of(prop::sample::select(vec!["daily", "weekly", "monthly"])), expires in prop::option::of(future_utc()), byok in prop::option::of(any::<bool>())) {
        let client = client(Provider::OpenRouter, 0);
        let mut input = vec![("name", Json::from(name.as_str()))];
        let budget: Vec<(&str, Json)> = [limit.map(|l| ("limit", Json::from(f64::from(l)))), period.map(|p| ("period", Json::from(p)))].into_iter().flatten().collect();
        if !budget.is_empty() { input.push(("budget", object(budget))); }
        if let Some(e) = &expires { input.push(("expiresAt", Json::from(e.as_str()))); }
        if let Some(b) = byok { input.push(("includeByokInLimit", Json::from(b))); }
        let mut exchange = check_begin(&client, Operation::Create, None, Some(&object(input))).expect("valid input");
        let sent = body_json(&exchange);
        // The server echoes what it was sent, as a Key object, plus the secret.
        let mut key = sent.clone();
        key.set("hash", Json::from("f01d5260"));
        let response = object(vec![("data", key), ("key", Json::from("sk-or-v1-0123456789abcdef"))]);
        let Output::Created(created) = finish(&client, Operation::Create, &mut exchange, response) else { panic!() };
        prop_assert_eq!(created.key.name.as_deref(), Some(name.as_str()));
        prop_assert_eq!(created.key.budget.as_ref().and_then(|b| b.limit), limit.map(f64::from));
        prop_assert_eq!(period_of(&created.key), period);
        prop_assert_eq!(created.key.expires_at.as_deref(), expires.as_deref());
        prop_assert_eq!(get(&created.key.raw, "include_byok_in_limit").and_then(Json::as_bool), byok);
        prop_assert_eq!(created.key.status, apikeys::KeyStatus::Active);
        prop_assert_eq!(created.secret.0.as_str(), "sk-or-v1-0123456789abcdef");
    }

    #[test]
    fn gptcore_create_round_trips(name in name(), scopes in prop::collection::vec("[a-z:*]{1,12}", 0..4), limit in prop::option::of(0u32..1_000_000), period in prop::option::of(prop::sample::select(vec!["daily", "weekly", "monthly", "yearly", "lifetime"])), rate in prop::option::of((1u32..10_000, 1u32..86_400)), expires in prop::option::of(future_utc())) {
        let client = client(Provider::GptCore, 0);
        let mut input = vec![("name", Json::from(name.as_str())), ("scopes", Json::from(scopes.clone())), ("tenantId", Json::from(UUID)), ("keyType", Json::from("server"))];
        let budget: Vec<(&str, Json)> = [limit.map(|l| ("limit", Json::from(f64::from(l)))), period.map(|p| ("period", Json::from(p)))].into_iter().flatten().collect();
        if !budget.is_empty() { input.push(("budget", object(budget))); }
        if let Some((r, s)) = rate { input.push(("rateLimit", object(vec![("requests", Json::from(f64::from(r))), ("periodSeconds", Json::from(f64::from(s)))]))); }
        if let Some(e) = &expires { input.push(("expiresAt", Json::from(e.as_str()))); }
        let mut exchange = check_begin(&client, Operation::Create, None, Some(&object(input))).expect("valid input");
        let sent = body_json(&exchange);
        let mut attributes = get(&sent, "data.attributes").cloned().expect("attributes");
        attributes.set("status", Json::from("active"));
        attributes.set("generated_api_key", Json::from("sk_live_0123456789abcdef"));
        let data = object(vec![("id", Json::from("k1")), ("type", Json::from("api_key")), ("attributes", attributes)]);
        let Output::Created(created) = finish(&client, Operation::Create, &mut exchange, object(vec![("data", data)])) else { panic!() };
        let key = &created.key;
        prop_assert_eq!(key.name.as_deref(), Some(name.as_str()));
        prop_assert_eq!(key.scopes.as_deref(), Some(scopes.as_slice()));
        prop_assert_eq!(key.budget.as_ref().and_then(|b| b.limit), limit.map(f64::from));
        prop_assert_eq!(period_of(key), period);
        prop_assert_eq!(key.rate_limit.as_ref().map(|r| (r.requests, r.period_seconds)), rate.map(|(r, s)| (f64::from(r), f64::from(s))));
        prop_assert_eq!(key.expires_at.as_deref(), expires.as_deref());
        prop_assert_eq!(created.secret.0.as_str(), "sk_live_0123456789abcdef");
        prop_assert!(!key.raw.to_string().contains("sk_live_0123456789abcdef"), "the secret is kept out of raw");
    }

    #[test]
    fn quantum_create_round_trips(name in name(), cap in prop::option::of(0u32..100_000), rpm in prop::option::of(1u32..100_000), region in prop::option::of(prop::sample::select(vec!["americas", "europe", "asia"]))) {
        let client = client(Provider::Quantum, 0);
        let mut input = vec![("name", Json::from(name.as_str()))];
        if let Some(c) = cap { input.push(("budget", object(vec![("limit", Json::from(f64::from(c) / 4.0))]))); }
        if let Some(r) = rpm { input.push(("rateLimit", object(vec![("requests", Json::from(f64::from(r)))]))); }
        if let Some(r) = region { input.push(("region", Json::from(r))); }
        let mut exchange = check_begin(&client, Operation::Create, None, Some(&object(input))).expect("valid input");
        let mut details = body_json(&exchange);
        details.set("id", Json::from("key_1"));
        let response = object(vec![("key", Json::from("qai_k_0123456789abcdef")), ("details", details)]);
        let Output::Created(created) = finish(&client, Operation::Create, &mut exchange, response) else { panic!() };
        prop_assert_eq!(created.key.name.as_deref(), Some(name.as_str()));
        prop_assert_eq!(created.key.budget.as_ref().and_then(|b| b.limit), cap.map(|c| f64::from(c) / 4.0));
        prop_assert_eq!(created.key.rate_limit.as_ref().map(|r| r.requests), rpm.map(f64::from));
        prop_assert_eq!(get(&created.key.raw, "region").and_then(Json::as_str), region);
    }

    #[test]
    fn fluxbase_create_round_trips(variant in 0u8..6, name in name(), description in prop::option::of("\\PC{0,30}"), scopes in prop::collection::vec(prop::sample::select(vec!["read:tables", "write:storage", "execute:rpc", "*"]), 1..4), rpm in prop::option::of(1u32..100_000), expires in prop::option::of(future_utc())) {
        let client = client(Provider::Fluxbase, variant);
        let mut input = vec![("name", Json::from(name.as_str())), ("scopes", Json::from(scopes.clone()))];
        if let Some(d) = &description { input.push(("description", Json::from(d.as_str()))); }
        if let Some(r) = rpm { input.push(("rateLimit", object(vec![("requests", Json::from(f64::from(r))), ("periodSeconds", Json::from(60.0))]))); }
        if let Some(e) = &expires { input.push(("expiresAt", Json::from(e.as_str()))); }
        let mut exchange = check_begin(&client, Operation::Create, None, Some(&object(input))).expect("valid input");
        let mut response = body_json(&exchange);
        response.set("id", Json::from(UUID));
        response.set("key", Json::from("fbk_0123456789abcdef"));
        let Output::Created(created) = finish(&client, Operation::Create, &mut exchange, response) else { panic!() };
        prop_assert_eq!(created.key.name.as_deref(), Some(name.as_str()));
        let expected_scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        prop_assert_eq!(created.key.scopes.as_deref(), Some(expected_scopes.as_slice()));
        prop_assert_eq!(get(&created.key.raw, "description").and_then(Json::as_str), description.as_deref());
        prop_assert_eq!(created.key.rate_limit.as_ref().map(|r| r.requests), rpm.map(f64::from));
        prop_assert_eq!(created.key.expires_at.as_deref(), expires.as_deref());
        prop_assert!(!created.key.raw.to_string().contains("fbk_0123456789abcdef"), "the secret is kept out of raw");
    }

    #[test]
    fn anthropic_update_round_trips(name in prop::option::of("\\PC{1,40}".prop_filter("not blank", |n| !n.trim().is_empty() && n.chars().count() <= 500)), status in prop::sample::select(vec!["none", "disabled", "enabled", "archived"]), auth in 0u8..2) {
        let client = client(Provider::Anthropic, auth);
        let mut input = Vec::new();
        if let Some(n) = &name { input.push(("name", Json::from(n.as_str()))); }
        match status {
            "disabled" => input.push(("disabled", Json::from(true))),
            "enabled" => input.push(("disabled", Json::from(false))),
            "archived" => input.push(("archived", Json::from(true))),
            _ => {}
        }
        let result = check_begin(&client, Operation::Update, Some(&Json::from("apikey_01")), Some(&object(input)));
        prop_assert_eq!(result.is_some(), name.is_some() || status != "none");
        let Some(mut exchange) = result else { return Ok(()) };
        let mut key = object(vec![("id", Json::from("apikey_01")), ("type", Json::from("api_key")), ("name", Json::from("old")), ("status", Json::from("active"))]);
        if let Json::Object(members) = body_json(&exchange) {
            for (k, v) in members.iter() { key.set(k, v.clone()); }
        }
        let Output::Key(updated) = finish(&client, Operation::Update, &mut exchange, key) else { panic!() };
        prop_assert_eq!(updated.name.as_deref(), Some(name.as_deref().unwrap_or("old")));
        let expected = match status { "disabled" => apikeys::KeyStatus::Disabled, "archived" => apikeys::KeyStatus::Archived, _ => apikeys::KeyStatus::Active };
        prop_assert_eq!(updated.status, expected);
    }
}

// ---- validation ⇔ the official schema and the local rules ----

/// The official spec `name` from `../shared/specs/`, or `None` with a printed reason.
fn spec(name: &str) -> Option<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("spec JSON")),
        Err(_) => {
            eprintln!("skipped: {} is absent, so bodies are not checked against the official schema", path.display());
            None
        }
    }
}

fn request_schema<'a>(spec: &'a Value, path: &str, method: &str, media: &str) -> &'a Value {
    let schema = &spec["paths"][path][method]["requestBody"]["content"][media]["schema"];
    assert!(schema.is_object(), "the spec has a schema for {method} {path}");
    schema
}

/// A value in a generated input: absent, or present with a JSON value.
type Field = Option<Value>;

fn field(values: Vec<Value>) -> impl Strategy<Value = Field> {
    prop_oneof![1 => Just(None), 3 => prop::sample::select(values).prop_map(Some)]
}

fn names() -> Vec<Value> {
    ["CI", "café ключ", "", "   ", "x\"y\\z"].iter().map(|s| Value::from(*s)).collect()
}

fn amounts() -> Vec<Value> {
    vec![Value::Null, Value::from(0), Value::from(50), Value::from(2.5), Value::from(-1), Value::from(-0.5), Value::from(1e15)]
}

fn periods() -> Vec<Value> {
    ["daily", "weekly", "monthly", "yearly", "lifetime", "hourly"].iter().map(|s| Value::from(*s)).chain([Value::Null]).collect()
}

fn timestamps() -> Vec<Value> {
    ["2030-01-31T00:00:00Z", "2030-01-31T00:00:00+00:00", "2030-01-31T00:00:00.5Z", "2020-01-01T00:00:00Z", "2030-01-31T00:00:00+01:00", "next week"]
        .iter()
        .map(|s| Value::from(*s))
        .collect()
}

fn uuids() -> Vec<Value> {
    vec![Value::from(UUID), Value::from("not-a-uuid"), Value::from("")]
}

/// Puts the present fields into an object.
fn input_of(fields: &[(&str, &Field)]) -> Value {
    Value::Object(fields.iter().filter_map(|(k, v)| (*v).clone().map(|v| (k.to_string(), v))).collect())
}

fn budget_of(limit: &Field, period: &Field) -> Field {
    (limit.is_some() || period.is_some()).then(|| input_of(&[("limit", limit), ("period", period)]))
}

fn is_blank(v: &Field) -> bool {
    v.as_ref().and_then(Value::as_str).is_some_and(|s| s.trim().is_empty())
}

fn is_negative(v: &Field) -> bool {
    v.as_ref().and_then(Value::as_f64).is_some_and(|n| n < 0.0)
}

fn is_future_utc(v: &Field) -> bool {
    v.as_ref().and_then(Value::as_str).is_none_or(|s| apikeys::time::parse_rfc3339_utc(s).is_some_and(|t| t > NOW))
}

/// `begin` on `input`; the body it sent when it accepted.
fn try_begin(client: &Client, op: Operation, id: Option<&str>, input: &Value) -> Result<Value, apikeys::Error> {
    let input: Json = serde_json::from_value(input.clone()).unwrap();
    let id = id.map(Json::from);
    client.begin(op, id.as_ref(), Some(&input), NOW).map(|e| serde_json::from_str(e.request().body.as_deref().unwrap_or("null")).unwrap())
}

/// Asserts `begin` succeeded exactly when `expected`, that an accepted body equals the
/// `would_send` body and fits `schema`, and that the would-be body of an input that
/// fits neither the schema is refused.
fn assert_validation(result: Result<Value, apikeys::Error>, would_send: &Value, schema: &Value, root: &Value, local_ok: bool, input: &Value) -> Result<(), TestCaseError> {
    let problems = schema_problems(would_send, schema, root);
    let expected = problems.is_empty() && local_ok;
    match &result {
        Ok(body) => {
            // Compared as the core's JSON (numbers as f64: 1e15 and 1000000000000000 are one number).
            let as_json = |v: &Value| serde_json::from_value::<Json>(v.clone()).unwrap();
            prop_assert_eq!(as_json(body), as_json(would_send), "the body for {}", input);
            prop_assert!(problems.is_empty(), "accepted {} but its body {} breaks the schema: {:?}", input, body, problems);
        }
        Err(e) => prop_assert_eq!(e.kind, ErrorKind::Validation, "{}", e.message),
    }
    prop_assert_eq!(result.is_ok(), expected, "input {} → body {} (schema: {:?}, local rules: {}): {:?}", input, would_send, problems, local_ok, result.err().map(|e| e.message.clone()));
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// OpenRouter create: accepted ⇔ the body fits `POST /keys` and the local rules
    /// (name and creator not blank, limit ≥ 0, expiry in the future).
    #[test]
    fn openrouter_create_accepts_exactly_schema_and_rules(
        name in field(names()), limit in field(amounts()), period in field(periods()), expires in field(timestamps()),
        workspace in field(uuids()), creator in field(vec![Value::from("user_1"), Value::from(""), Value::from(" ")]), byok in field(vec![Value::from(true), Value::from(false)]),
    ) {
        let Some(spec) = spec("openrouter-keys.openapi.json") else { return Ok(()) };
        let schema = request_schema(&spec, "/keys", "post", "application/json");
        let input = input_of(&[("name", &name), ("budget", &budget_of(&limit, &period)), ("expiresAt", &expires), ("workspaceId", &workspace), ("creatorUserId", &creator), ("includeByokInLimit", &byok)]);
        let normalized = expires.as_ref().map(|e| Value::from(e.as_str().unwrap().replace("+00:00", "Z")));
        let would_send = input_of(&[("name", &name), ("limit", &limit), ("limit_reset", &period), ("include_byok_in_limit", &byok), ("expires_at", &normalized), ("creator_user_id", &creator), ("workspace_id", &workspace)]);
        let local_ok = name.as_ref().is_some_and(|n| !n.is_null()) && !is_blank(&name) && !is_blank(&creator) && !is_negative(&limit) && is_future_utc(&expires);
        let result = try_begin(&client(Provider::OpenRouter, 0), Operation::Create, None, &input);
        assert_validation(result, &would_send, schema, &spec, local_ok, &input)?;
    }

    /// OpenRouter update: accepted ⇔ the body fits `PATCH /keys/{hash}` and the local
    /// rules (something to change, name not blank, limit ≥ 0).
    #[test]
    fn openrouter_update_accepts_exactly_schema_and_rules(
        name in field(names()), disabled in field(vec![Value::from(true), Value::from(false)]), limit in field(amounts()), period in field(periods()), byok in field(vec![Value::from(true)]),
    ) {
        let Some(spec) = spec("openrouter-keys.openapi.json") else { return Ok(()) };
        let schema = request_schema(&spec, "/keys/{hash}", "patch", "application/json");
        let input = input_of(&[("name", &name), ("disabled", &disabled), ("budget", &budget_of(&limit, &period)), ("includeByokInLimit", &byok)]);
        let would_send = input_of(&[("name", &name), ("disabled", &disabled), ("include_byok_in_limit", &byok), ("limit", &limit), ("limit_reset", &period)]);
        let changes = input.as_object().is_some_and(|m| !m.is_empty());
        let local_ok = changes && !is_blank(&name) && !is_negative(&limit);
        let result = try_begin(&client(Provider::OpenRouter, 0), Operation::Update, Some("abc"), &input);
        assert_validation(result, &would_send, schema, &spec, local_ok, &input)?;
    }

    /// GPT Core create: accepted ⇔ the body fits `POST /api-keys` and the local rules
    /// (name not blank, credits ≥ 0, a rate limit of at least 1 request per ≥ 1 s, a
    /// future UTC expiry).
    #[test]
    fn gptcore_create_accepts_exactly_schema_and_rules(
        name in field(names()), key_type in field(vec![Value::from("server"), Value::from("user"), Value::from("admin")]),
        scopes in field(vec![serde_json::json!(["read"]), serde_json::json!([]), serde_json::json!(["a", "b"])]),
        tenant in field(uuids()), limit in field(amounts()), period in field(periods()),
        requests in field(vec![Value::from(10), Value::from(0), Value::from(-1), Value::from(2.5)]), seconds in field(vec![Value::from(60), Value::from(0), Value::from(1.5)]),
        expires in field(timestamps()),
    ) {
        let Some(spec) = spec("gptcore-api-keys.openapi.json") else { return Ok(()) };
        let schema = request_schema(&spec, "/api-keys", "post", "application/vnd.api+json");
        // `rateLimit` needs `requests`; a lone `periodSeconds` is left out of the input.
        let rate = requests.as_ref().map(|_| input_of(&[("requests", &requests), ("periodSeconds", &seconds)]));
        let input = input_of(&[("name", &name), ("keyType", &key_type), ("scopes", &scopes), ("tenantId", &tenant), ("budget", &budget_of(&limit, &period)), ("rateLimit", &rate), ("expiresAt", &expires)]);
        let rate_seconds = requests.as_ref().map(|_| seconds.clone().unwrap_or(Value::from(60)));
        let attributes = input_of(&[("name", &name), ("key_type", &key_type), ("scopes", &scopes), ("tenant_id", &tenant), ("credit_limit", &limit), ("credit_limit_period", &period), ("rate_limit_requests", &requests), ("rate_limit_period_seconds", &rate_seconds), ("expires_at", &expires)]);
        let would_send = serde_json::json!({"data": {"type": "api_key", "attributes": attributes}});
        let at_least_one = |v: &Field| v.as_ref().and_then(Value::as_f64).is_none_or(|n| n >= 1.0);
        let local_ok = !is_blank(&name) && !is_negative(&limit) && at_least_one(&requests) && at_least_one(&rate_seconds) && is_future_utc(&expires);
        let result = try_begin(&client(Provider::GptCore, 0), Operation::Create, None, &input);
        assert_validation(result, &would_send, schema, &spec, local_ok, &input)?;
    }

    /// GPT Core update and set-budget: accepted ⇔ the body fits the schema and the local rules.
    #[test]
    fn gptcore_update_and_set_budget_accept_exactly_schema_and_rules(
        name in field(names()), scopes in field(vec![serde_json::json!(["read"]), serde_json::json!([])]), limit in field(amounts()), period in field(periods()),
    ) {
        let Some(spec) = spec("gptcore-api-keys.openapi.json") else { return Ok(()) };
        let client = client(Provider::GptCore, 0);
        let schema = request_schema(&spec, "/api-keys/{id}", "patch", "application/vnd.api+json");
        let input = input_of(&[("name", &name), ("scopes", &scopes), ("budget", &budget_of(&limit, &period))]);
        let attributes = input_of(&[("name", &name), ("scopes", &scopes), ("credit_limit", &limit), ("credit_limit_period", &period)]);
        let would_send = serde_json::json!({"data": {"id": "k1", "type": "api_key", "attributes": attributes}});
        let changes = input.as_object().is_some_and(|m| !m.is_empty());
        let local_ok = changes && !is_blank(&name) && !is_negative(&limit);
        assert_validation(try_begin(&client, Operation::Update, Some("k1"), &input), &would_send, schema, &spec, local_ok, &input)?;

        // setBudget needs `limit` (null removes it).
        let schema = request_schema(&spec, "/api-keys/{id}/set-budget", "patch", "application/vnd.api+json");
        let input = input_of(&[("limit", &limit), ("period", &period)]);
        let attributes = input_of(&[("credit_limit", &limit), ("credit_limit_period", &period)]);
        let would_send = serde_json::json!({"data": {"id": "k1", "type": "api_key", "attributes": attributes}});
        let local_ok = limit.is_some() && !is_negative(&limit);
        assert_validation(try_begin(&client, Operation::SetBudget, Some("k1"), &input), &would_send, schema, &spec, local_ok, &input)?;
    }
}

/// The action bodies (revoke, rotate, reset-period) and OpenRouter's revoke/enable fit their schemas.
#[test]
fn action_bodies_fit_their_schemas() {
    if let Some(spec) = spec("gptcore-api-keys.openapi.json") {
        let client = client(Provider::GptCore, 0);
        for (op, path, input) in [
            (Operation::Revoke, "/api-keys/{id}/revoke", None),
            (Operation::Rotate, "/api-keys/{id}/rotate", None),
            (Operation::ResetBudgetPeriod, "/api-keys/{id}/reset-period", None),
            (Operation::ResetBudgetPeriod, "/api-keys/{id}/reset-period", Some(json(r#"{"periodStartedAt":"2026-01-01T00:00:00Z"}"#))),
        ] {
            let exchange = client.begin(op, Some(&Json::from("k1")), input.as_ref(), NOW).unwrap();
            let body: Value = serde_json::from_str(exchange.request().body.as_deref().unwrap()).unwrap();
            let schema = request_schema(&spec, path, "patch", "application/vnd.api+json");
            assert_eq!(schema_problems(&body, schema, &spec), Vec::<String>::new(), "{} {body}", op.name());
        }
    }
    if let Some(spec) = spec("openrouter-keys.openapi.json") {
        let client = client(Provider::OpenRouter, 0);
        for op in [Operation::Revoke, Operation::Enable] {
            let exchange = client.begin(op, Some(&Json::from("abc")), None, NOW).unwrap();
            let body: Value = serde_json::from_str(exchange.request().body.as_deref().unwrap()).unwrap();
            let schema = request_schema(&spec, "/keys/{hash}", "patch", "application/json");
            assert_eq!(schema_problems(&body, schema, &spec), Vec::<String>::new(), "{} {body}", op.name());
        }
    }
}

// ---- the redactor ----

/// The search-based redactor `src/wire/redact.rs` had before it became one pass.
fn redact_prefixed_reference(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=' | '+' | '/' | '.');
    let find_prefix = |text: &str| {
        apikeys::wire::redact::SECRET_PREFIXES.iter().filter_map(|p| text.find(p).map(|i| (i, *p))).min_by_key(|(i, p)| (*i, usize::MAX - p.len()))
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some((start, prefix)) = find_prefix(rest) {
        // A bare `sk-` that ends a word ("task-…") starts no secret.
        let before = text[..text.len() - rest.len() + start].chars().next_back();
        if prefix == "sk-" && before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            out.push_str(&rest[..start + 1]);
            rest = &rest[start + 1..];
            continue;
        }
        out.push_str(&rest[..start]);
        let after = &rest[start + prefix.len()..];
        let token_len = after.find(|c: char| !is_token_char(c)).unwrap_or(after.len());
        if token_len >= 6 {
            out.push_str(prefix);
            out.push_str("[redacted]");
        } else {
            out.push_str(&rest[start..start + prefix.len() + token_len]);
        }
        rest = &after[token_len..];
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..config() })]

    #[test]
    fn one_pass_redaction_matches_the_reference(text in "((sk-or-v1-|sk-ant-|sk-|qai_k_|fbk_|sk_live_|sk_|s|k|-|_|[a-z0-9]{1,8}|[ .=+/]|é|🔑)){0,30}") {
        prop_assert_eq!(apikeys::wire::redact::redact_secrets(&text, &Default::default()), redact_prefixed_reference(&text));
    }

    #[test]
    fn redaction_leaves_no_prefixed_secret(text in any::<String>(), secret in "[A-Za-z0-9_-]{6,20}", prefix in prop::sample::select(apikeys::wire::redact::SECRET_PREFIXES.to_vec())) {
        let token = format!("{}{}", prefix, secret);
        let text = format!("{} {} {}", text, token, text);
        let redacted = apikeys::wire::redact::redact_secrets(&text, &apikeys::wire::redact::Secrets::key(KEY));
        prop_assert!(!redacted.contains(&token));
        prop_assert_eq!(apikeys::wire::redact::redact_secrets(&redacted, &apikeys::wire::redact::Secrets::key(KEY)), redacted.clone(), "idempotent");
    }
}

// ---- the body reader: tape lookups against the tree ----

/// A JSON value written as text, with member names drawn from a few (so they repeat),
/// some written with escapes, and strings with escapes, non-ASCII and control characters.
fn json_text() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec!["a", "b", "ab", "é", "", "\\u0061", "\\\"q", "a\\u0000", "\\ud83d\\udd11"]);
    let string = prop::sample::select(vec!["", "x", "\\n", "é🔑", "\\u2028", "\\ud800", "long string past twenty-two bytes"]);
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        prop::sample::select(vec!["0", "-0", "1.5", "-2e3", "12345678901234567890"]).prop_map(str::to_string),
        string.prop_map(|s| format!("\"{s}\"")),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((name.clone(), inner), 0..7).prop_map(|members| {
                let members: Vec<String> = members.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

/// Every lookup through `node` agrees with the tree `json` it should read as.
fn same_reads(node: apikeys::json::Node<'_>, json: &Json) -> Result<(), TestCaseError> {
    prop_assert_eq!(&Json::from(node), json);
    prop_assert_eq!(node.type_name(), json.type_name());
    if let Some(members) = json.as_object() {
        for name in ["a", "b", "ab", "é", "", "\"q", "a\u{0}", "🔑", "zz"] {
            let read = node.get(name).map(Json::from);
            prop_assert_eq!(read.as_ref(), json.get(name), "member {:?}", name);
        }
        for (name, value) in members.iter() {
            same_reads(node.get(name).expect("a member the tree has"), value)?;
        }
    }
    if let Some(items) = json.as_array() {
        let nodes: Vec<_> = node.items().expect("an array").collect();
        prop_assert_eq!(nodes.len(), items.len());
        for (node, item) in nodes.into_iter().zip(items) {
            same_reads(node, item)?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..config() })]

    /// The tape (`json/src/doc.rs`) reads what the tree reads: a repeated name gives its
    /// last value, escapes are read once, and the tree it builds is serde_json's.
    #[test]
    fn the_tape_reads_what_the_tree_reads(text in json_text()) {
        let doc = apikeys::json::Doc::parse(text.clone()).expect("generated JSON");
        let theirs: Json = serde_json::from_str(&text).unwrap_or_else(|_| Json::parse(&text).unwrap());
        same_reads(doc.root(), &theirs)?;
    }
}
