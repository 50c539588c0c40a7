//! The test/control API under `/_sandbox/` (no auth): info, reset, bulk seed, key dumps, the
//! Anthropic "Console", fault rules, and secret verification.

use crate::app::App;
use crate::error::ApiError;
use crate::faults::Rule;
use crate::http::{Request, Response};
use crate::providers::{anthropic, parse_body, segments, ProviderId};
use crate::time;
use serde_json::{json, Map, Value};

/// Most keys one `POST /_sandbox/seed` may create.
pub const MAX_SEED: u64 = 200_000;

/// Routes `sub` (the path after `/_sandbox`).
pub fn handle(app: &App, req: &Request, sub: &str) -> Response {
    let segs = segments(sub);
    let result = match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["info"]) => Ok(info(app, req)),
        ("POST", ["reset"]) => reset(app),
        ("POST", ["seed"]) => seed(app, req),
        ("GET", ["keys", provider]) => keys(app, provider),
        ("POST", ["anthropic", "keys"]) => console_create(app, req),
        ("GET", ["faults"]) => Ok(json!({"faults": app.faults().list()})),
        ("POST", ["faults"]) => add_faults(app, req),
        ("DELETE", ["faults"]) => {
            app.faults().clear();
            Ok(json!({"faults": []}))
        }
        ("POST", ["verify"]) => verify(app, req),
        (_, ["info" | "reset" | "seed" | "faults" | "verify"] | ["keys", _] | ["anthropic", "keys"]) => Err(ApiError::method_not_allowed()),
        _ => Err(ApiError::not_found(format!(
            "No control route {} /_sandbox{sub}",
            req.method
        ))),
    };
    match result {
        Ok(body) => Response::json(
            if req.method == "POST" && segs == ["anthropic", "keys"] {
                201
            } else {
                200
            },
            &body,
        ),
        Err(e) => Response::json(e.status, &json!({"error": e.message, "path": req.path})),
    }
}

/// `{"providers":{name:{"baseUrl","managementKey"}}}` (Fluxbase's also `bearerToken`).
pub fn info(app: &App, req: &Request) -> Value {
    let origin = app.origin(req);
    let providers: Map<String, Value> = ProviderId::ALL
        .into_iter()
        .map(|p| {
            let mut about = json!({"baseUrl": format!("{origin}{}", p.prefix()), "managementKey": p.management_key()});
            if p == ProviderId::Fluxbase {
                about["bearerToken"] = json!(crate::providers::fluxbase::MANAGEMENT_JWT);
            }
            (p.name().to_string(), about)
        })
        .collect();
    json!({"providers": providers, "pageSize": app.config.page_size, "persistent": app.config.data.is_some()})
}

fn reset(app: &App) -> Result<Value, ApiError> {
    app.store
        .replace(crate::providers::seed_state(time::now_ms()))?;
    app.faults().clear();
    Ok(json!({"reset": true}))
}

fn body_object(req: &Request) -> Result<Map<String, Value>, ApiError> {
    match parse_body(req) {
        Ok(Some(Value::Object(o))) => Ok(o),
        Ok(None) => Ok(Map::new()),
        Ok(Some(_)) => Err(ApiError::bad_request("body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!("invalid JSON: {e}"))),
    }
}

fn provider_of(body: &Map<String, Value>) -> Result<ProviderId, ApiError> {
    let name = body.get("provider").and_then(Value::as_str).unwrap_or("");
    ProviderId::from_name(name)
        .ok_or_else(|| ApiError::bad_request(format!("unknown provider: {name:?}")))
}

fn seed(app: &App, req: &Request) -> Result<Value, ApiError> {
    let body = body_object(req)?;
    let provider = provider_of(&body)?;
    let count = body
        .get("count")
        .and_then(Value::as_u64)
        .filter(|n| (1..=MAX_SEED).contains(n))
        .ok_or_else(|| ApiError::bad_request(format!("count must be an integer 1-{MAX_SEED}")))?;
    let prefix = body
        .get("prefix")
        .and_then(Value::as_str)
        .unwrap_or("bulk")
        .to_string();
    let now = time::now_ms();
    app.store.mutate(|s| {
        provider.bulk_create(s, count as usize, &prefix, now);
        Ok(())
    })?;
    Ok(json!({"created": count}))
}

fn keys(app: &App, name: &str) -> Result<Value, ApiError> {
    let p = ProviderId::from_name(name)
        .ok_or_else(|| ApiError::not_found(format!("unknown provider: {name}")))?;
    let keys = app.store.read(|s| p.public_keys(s, time::now_ms()));
    Ok(json!({"provider": p.name(), "count": keys.len(), "keys": keys}))
}

fn console_create(app: &App, req: &Request) -> Result<Value, ApiError> {
    let body = body_object(req)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let name = name
        .ok_or_else(|| ApiError::bad_request("name is required"))?
        .to_string();
    let workspace = match body.get("workspace_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(w)) => Some(w.clone()),
        Some(_) => return Err(ApiError::bad_request("workspace_id must be a string")),
    };
    let now = time::now_ms();
    let (key, secret) = anthropic::StoredKey::new_plain(&name, workspace, now);
    let wire = key.to_wire(now);
    app.store.mutate(|s| {
        s.anthropic.push(key);
        Ok(())
    })?;
    Ok(json!({"data": wire, "key": secret}))
}

fn add_faults(app: &App, req: &Request) -> Result<Value, ApiError> {
    let body = match parse_body(req) {
        Ok(Some(v)) => v,
        Ok(None) => return Err(ApiError::bad_request("body required")),
        Err(e) => return Err(ApiError::bad_request(format!("invalid JSON: {e}"))),
    };
    let items = match body {
        Value::Array(items) => items,
        one => vec![one],
    };
    let rules = items
        .iter()
        .map(Rule::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::bad_request)?;
    let mut faults = app.faults();
    rules.into_iter().for_each(|r| faults.add(r));
    Ok(json!({"faults": faults.list()}))
}

fn verify(app: &App, req: &Request) -> Result<Value, ApiError> {
    let body = body_object(req)?;
    let provider = provider_of(&body)?;
    let secret = body
        .get("key")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("key is required"))?;
    let id = app
        .store
        .read(|s| provider.verify(s, secret, time::now_ms()));
    Ok(json!({"valid": id.is_some(), "id": id}))
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use serde_json::json;

    #[test]
    fn info_lists_every_provider() {
        let r = call(&app(), req("GET", "/_sandbox/info"));
        let p = &r.json_body()["providers"];
        assert_eq!(
            p["openrouter"]["baseUrl"],
            "http://127.0.0.1:8787/openrouter/api/v1"
        );
        assert_eq!(
            p["gptcore"]["managementKey"],
            "sk_tenant_sandbox_management_key"
        );
        assert_eq!(
            p["quantum"]["managementKey"],
            "qai_k_sandbox_management_key"
        );
        assert_eq!(
            p["anthropic"]["managementKey"],
            "sk-ant-admin01-sandbox-management-key"
        );
        assert_eq!(p["fluxbase"]["managementKey"], "fbk_sandbox_management_key");
        assert_eq!(p["fluxbase"]["bearerToken"], crate::providers::fluxbase::MANAGEMENT_JWT);
    }

    /// A control route asked with another method is a 405, as a provider route's is; a path
    /// that is no route is a 404.
    #[test]
    fn a_control_route_with_another_method_is_405() {
        for (method, path) in [("GET", "/_sandbox/reset"), ("POST", "/_sandbox/info"), ("PUT", "/_sandbox/faults"), ("DELETE", "/_sandbox/keys/openrouter")] {
            assert_eq!(call(&app(), req(method, path)).status, 405, "{method} {path}");
        }
        assert_eq!(call(&app(), req("GET", "/_sandbox/nothing")).status, 404);
    }

    #[test]
    fn seed_keys_and_reset() {
        let app = app();
        let r = call(
            &app,
            with_json(
                req("POST", "/_sandbox/seed"),
                json!({"provider": "fluxbase", "count": 50, "prefix": "b"}),
            ),
        );
        assert_eq!(r.json_body(), json!({"created": 50}));
        let keys = call(&app, req("GET", "/_sandbox/keys/fluxbase")).json_body();
        assert_eq!(keys["count"], 54);
        assert!(!keys.to_string().contains("secret_hash"));
        add_fault(&app, json!({"fault": {"status": 500}}));
        call(&app, req("POST", "/_sandbox/reset"));
        assert_eq!(count_keys(&app, "fluxbase"), 4);
        assert_eq!(
            call(&app, req("GET", "/_sandbox/faults")).json_body(),
            json!({"faults": []})
        );
        for bad in [
            json!({"provider": "nope", "count": 1}),
            json!({"provider": "quantum", "count": 0}),
        ] {
            assert_eq!(
                call(&app, with_json(req("POST", "/_sandbox/seed"), bad)).status,
                400
            );
        }
    }

    #[test]
    fn fault_rules_via_api() {
        let app = app();
        let r = call(
            &app,
            with_json(
                req("POST", "/_sandbox/faults"),
                json!({"provider": "quantum", "method": "GET", "path": "/keys", "times": 2, "fault": {"status": 502}}),
            ),
        );
        assert_eq!(r.status, 200);
        assert_eq!(call(&app, q_req("GET", "/qai/v1/keys")).status, 502);
        assert_eq!(
            call(&app, req("GET", "/_sandbox/faults")).json_body()["faults"][0]["times"],
            1
        );
        call(&app, req("DELETE", "/_sandbox/faults"));
        assert_eq!(call(&app, q_req("GET", "/qai/v1/keys")).status, 200);
        let bad = call(
            &app,
            with_json(
                req("POST", "/_sandbox/faults"),
                json!({"fault": {"status": 99}}),
            ),
        );
        assert_eq!(bad.status, 400);
    }

    #[test]
    fn console_creates_anthropic_keys_and_verify_checks_secrets() {
        let app = app();
        let r = call(
            &app,
            with_json(
                req("POST", "/_sandbox/anthropic/keys"),
                json!({"name": "From console"}),
            ),
        );
        assert_eq!(r.status, 201);
        let body = r.json_body();
        assert!(body["data"]["id"].as_str().unwrap().starts_with("apikey_"));
        let v = call(
            &app,
            with_json(
                req("POST", "/_sandbox/verify"),
                json!({"provider": "anthropic", "key": body["key"]}),
            ),
        );
        assert_eq!(v.json_body()["valid"], true);
        let v = call(
            &app,
            with_json(
                req("POST", "/_sandbox/verify"),
                json!({"provider": "anthropic", "key": "nope"}),
            ),
        );
        assert_eq!(v.json_body(), json!({"valid": false, "id": null}));
    }
}
