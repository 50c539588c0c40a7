//! A minimal OpenAPI 3 schema checker, shared by the crate's unit tests (`src/testing.rs`)
//! and the integration tests: request bodies are compared with the official specs.

pub use apikeys::validate::is_uuid;
use serde_json::Value;

/// Checks `value` against an OpenAPI 3 schema: types (incl. nullable), `required`,
/// `enum`, `anyOf`/`oneOf`, `minLength`, `minimum`, `format: uuid|date-time`,
/// `additionalProperties: false`. Returns every problem as `path: what`.
pub fn schema_problems(value: &Value, schema: &Value, root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check_schema(value, schema, root, "$", &mut out);
    out
}

fn resolve<'a>(schema: &'a Value, root: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(root.pointer(reference.trim_start_matches('#')).expect("resolvable $ref"), root),
        None => schema,
    }
}

fn check_schema(value: &Value, schema: &Value, root: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(schema, root);
    if let Some(options) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        if !options.iter().any(|s| schema_problems(value, s, root).is_empty()) {
            out.push(format!("{path}: matches none of anyOf/oneOf"));
        }
        return;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true)) || types.contains(&"null");
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            out.push(format!("{path}: {value} not in enum {allowed:?}"));
            return;
        }
    }
    if value.is_null() {
        if !nullable && !types.is_empty() {
            out.push(format!("{path}: null is not allowed"));
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
        out.push(format!("{path}: expected {types:?}, got {value}"));
        return;
    }
    if let (Some(s), Some(min)) = (value.as_str(), schema.get("minLength").and_then(Value::as_u64)) {
        if (s.chars().count() as u64) < min {
            out.push(format!("{path}: shorter than {min}"));
        }
    }
    if let (Some(n), Some(min)) = (value.as_f64(), schema.get("minimum").and_then(Value::as_f64)) {
        if n < min {
            out.push(format!("{path}: below minimum {min}"));
        }
    }
    match (value.as_str(), schema.get("format").and_then(Value::as_str)) {
        (Some(s), Some("date-time")) if apikeys::time::parse_rfc3339_utc(s).is_none() => out.push(format!("{path}: not a UTC date-time")),
        (Some(s), Some("uuid")) if !is_uuid(s) => out.push(format!("{path}: not a uuid")),
        _ => {}
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check_schema(item, item_schema, root, &format!("{path}[{i}]"), out);
        }
    }
    if let Some(members) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !members.contains_key(name.as_str().unwrap_or_default()) {
                out.push(format!("{path}: missing required {name}"));
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (name, member) in members {
            match properties.and_then(|p| p.get(name)) {
                Some(property) => check_schema(member, property, root, &format!("{path}.{name}"), out),
                None if closed || properties.is_some() => out.push(format!("{path}: unknown property {name}")),
                None => {}
            }
        }
    }
}
