//! Helpers for the native tests: clients, canned responses, and a small OpenAPI
//! schema checker so request bodies are compared with the official specs.

use crate::client::{Client, Exchange};
use crate::config::Config;
use crate::json::Json;
use crate::operation::Operation;
use crate::providers::{Output, Step};
use crate::wire::{Body, HttpResponse};

/// 2026-06-01T00:00:00Z: the fixed "now" of the tests.
pub const NOW: f64 = 1_780_272_000_000.0;

pub fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("test JSON")
}

pub fn client(options: &str) -> Client {
    Client::new(Config::from_json(&json(options)).expect("test options"))
}

/// A response with a JSON body given as text.
pub fn respond(status: u16, body: &str) -> HttpResponse {
    let body = if body.is_empty() { Body::Empty } else { Body::Json(json(body)) };
    HttpResponse::new(status, body)
}

/// Starts `op` and returns the exchange, panicking on validation errors.
pub fn begin(client: &Client, op: Operation, id: Option<&str>, input: Option<&str>) -> Exchange {
    let id = id.map(Json::from);
    let input = input.map(json);
    client.begin(op, id.as_ref(), input.as_ref(), NOW).expect("valid call")
}

/// Feeds one response and expects a final output.
pub fn finish(exchange: &mut Exchange, response: HttpResponse) -> Output {
    match exchange.receive(&response, NOW).expect("success") {
        Step::Done(output) => output,
        Step::Send(next) => panic!("unexpected second request {:?}", next),
    }
}

/// The request body parsed back to JSON.
pub fn body_of(exchange: &Exchange) -> serde_json::Value {
    serde_json::from_str(exchange.request().body.as_deref().expect("a body")).expect("JSON body")
}

/// The trimmed official spec `name` from `../shared/specs/`, or `None` (with a printed
/// skip reason) where that folder is absent.
pub fn spec(name: &str) -> Option<serde_json::Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("spec JSON")),
        Err(_) => {
            eprintln!("skipped: {} is absent, spec check not run", path.display());
            None
        }
    }
}

/// Checks `value` against an OpenAPI 3 schema: types (incl. nullable), `required`,
/// `enum`, `minLength`, `minimum`, `format: uuid|date-time`, `additionalProperties: false`.
/// Returns every problem found, as `path: what`.
pub fn schema_problems(value: &serde_json::Value, schema: &serde_json::Value, root: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    check_schema(value, schema, root, "$", &mut problems);
    problems
}

fn resolve<'a>(schema: &'a serde_json::Value, root: &'a serde_json::Value) -> &'a serde_json::Value {
    match schema.get("$ref").and_then(|r| r.as_str()) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(root.pointer(pointer).expect("resolvable $ref"), root)
        }
        None => schema,
    }
}

fn check_schema(value: &serde_json::Value, schema: &serde_json::Value, root: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value as V;
    let schema = resolve(schema, root);
    if let Some(options) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(V::as_array) {
        let fits = options.iter().any(|s| schema_problems_at(value, s, root, path).is_empty());
        if !fits {
            out.push(format!("{}: matches none of anyOf/oneOf", path));
        }
        return;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(V::String(t)) => vec![t.as_str()],
        Some(V::Array(ts)) => ts.iter().filter_map(V::as_str).collect(),
        _ => vec![],
    };
    let nullable = schema.get("nullable") == Some(&V::Bool(true)) || types.contains(&"null");
    if value.is_null() {
        if !nullable && !types.is_empty() {
            out.push(format!("{}: null is not allowed", path));
        }
        return;
    }
    let type_ok = types.is_empty()
        || types.iter().any(|t| match *t {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
    if !type_ok {
        out.push(format!("{}: expected {:?}, got {}", path, types, value));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(V::as_array) {
        if !allowed.contains(value) {
            out.push(format!("{}: {} not in enum {:?}", path, value, allowed));
        }
    }
    check_scalar(value, schema, path, out);
    if let (Some(items), Some(schema_items)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check_schema(item, schema_items, root, &format!("{}[{}]", path, i), out);
        }
    }
    if let Some(members) = value.as_object() {
        check_object(members, schema, root, path, out);
    }
}

fn schema_problems_at(value: &serde_json::Value, schema: &serde_json::Value, root: &serde_json::Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    check_schema(value, schema, root, path, &mut out);
    out
}

fn check_scalar(value: &serde_json::Value, schema: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    if let (Some(s), Some(min)) = (value.as_str(), schema.get("minLength").and_then(|m| m.as_u64())) {
        if (s.chars().count() as u64) < min {
            out.push(format!("{}: shorter than {}", path, min));
        }
    }
    if let (Some(n), Some(min)) = (value.as_f64(), schema.get("minimum").and_then(|m| m.as_f64())) {
        if n < min {
            out.push(format!("{}: below minimum {}", path, min));
        }
    }
    match (value.as_str(), schema.get("format").and_then(|f| f.as_str())) {
        (Some(s), Some("date-time")) if crate::time::parse_rfc3339_utc(s).is_none() => {
            out.push(format!("{}: not a UTC date-time", path))
        }
        (Some(s), Some("uuid")) => {
            let mut problems = crate::validate::Problems::new();
            crate::validate::check_uuid(Some(s), path, &mut problems);
            if !problems.is_empty() {
                out.push(format!("{}: not a uuid", path));
            }
        }
        _ => {}
    }
}

fn check_object(
    members: &serde_json::Map<String, serde_json::Value>,
    schema: &serde_json::Value,
    root: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let properties = schema.get("properties").and_then(|p| p.as_object());
    for name in schema.get("required").and_then(|r| r.as_array()).into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if !members.contains_key(name) {
            out.push(format!("{}: missing required {}", path, name));
        }
    }
    let closed = schema.get("additionalProperties") == Some(&serde_json::Value::Bool(false));
    for (name, value) in members {
        match properties.and_then(|p| p.get(name)) {
            Some(property) => check_schema(value, property, root, &format!("{}.{}", path, name), out),
            None if closed || properties.is_some() => out.push(format!("{}: unknown property {}", path, name)),
            None => {}
        }
    }
}
