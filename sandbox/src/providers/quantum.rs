//! Quantum AI gateway keys: `POST|GET /qai/v1/keys`, `DELETE /qai/v1/keys/{id}` (revokes),
//! `POST /qai/v1/keys/{id}/rotate`, `GET /qai/v1/keys/{id}/usage`.
//!
//! Error envelopes, as the SDK parses both: gateway-level failures (auth, body size, invalid JSON,
//! unknown route, 405, 409 `invalid_state`, 429, 5xx) use the nested
//! `{"error":{"message","type","code"}}`; key-handler failures (field validation 400, 403, unknown
//! key 404) use the flat `{"error":"<code>","message"}` of the gateway's key handlers.
//! Every response carries `X-QAI-Request-Id`.

use super::{
    as_string, as_strings, bearer, field, key_matches, parse_body, segments, Ctx, Field, Kind,
};
use crate::error::ApiError;
use crate::http::{Request, Response};
use crate::ids;
use crate::store::State;
use crate::time;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

// ---- constants and paths ----------------------------------------------------------------------

pub const PREFIX: &str = "/quantum";
pub const MANAGEMENT_KEY: &str = "qai_k_sandbox_management_key";
const SECRET_PREFIX: &str = "qai_k_";
/// Spend is accounted in ticks: 10^10 per USD.
pub const TICKS_PER_USD: f64 = 10_000_000_000.0;
const REGIONS: [&str; 3] = ["americas", "europe", "asia"];
const MODELS: [&str; 4] = ["claude-sonnet-4", "gpt-4o", "gemini-2.5-pro", "grok-3"];

// ---- stored and wire shapes -------------------------------------------------------------------

/// The longest grace period a rotation takes: 100 years.
const MAX_GRACE_SECONDS: i64 = 3_155_760_000;

/// A stored key; `secret_hash` = SHA-256 of the raw key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub id: String,
    pub name: String,
    pub key_prefix: String,
    pub endpoints: Option<Vec<String>>,
    pub spend_cap_ticks: Option<i64>,
    pub rate_limit: Option<i64>,
    pub region: Option<String>,
    pub spent_ticks: i64,
    /// When the key stops working (revoke = now; rotate = now + grace).
    pub revoked_at: Option<String>,
    /// The key that replaced this one, after a rotate.
    pub rotated_to: Option<String>,
    pub created_at: String,
    pub last_used: Option<String>,
    pub secret_hash: String,
}

impl StoredKey {
    /// A fresh key with defaults, and its raw secret.
    pub fn new_plain(name: &str, now: i64) -> (StoredKey, String) {
        let secret = format!("{SECRET_PREFIX}{}", ids::random_hex(64));
        (
            Self::with_secret(ids::uuid_v4(), &secret, name, now),
            secret,
        )
    }

    fn with_secret(id: String, secret: &str, name: &str, now: i64) -> StoredKey {
        StoredKey {
            id,
            name: name.to_string(),
            key_prefix: secret.chars().take(SECRET_PREFIX.len() + 8).collect(),
            endpoints: None,
            spend_cap_ticks: None,
            rate_limit: None,
            region: None,
            spent_ticks: 0,
            revoked_at: None,
            rotated_to: None,
            created_at: time::rfc3339(now),
            last_used: None,
            secret_hash: ids::sha256_hex(secret),
        }
    }

    fn revoked(&self, now: i64) -> bool {
        self.revoked_at
            .as_deref()
            .and_then(time::parse_ms)
            .is_some_and(|t| t <= now)
    }

    fn scope(&self) -> Value {
        if self.endpoints.is_none() && self.region.is_none() {
            return Value::Null;
        }
        let mut s = Map::new();
        if let Some(e) = &self.endpoints {
            s.insert("endpoints".into(), json!(e));
        }
        if let Some(r) = &self.region {
            s.insert("region".into(), json!(r));
        }
        Value::Object(s)
    }

    /// `KeyDetails`.
    pub fn to_wire(&self, now: i64) -> Value {
        json!({
            "id": self.id, "name": self.name, "key_prefix": self.key_prefix, "scope": self.scope(),
            "spent_ticks": self.spent_ticks, "revoked": self.revoked(now), "created_at": self.created_at,
            "last_used": self.last_used, "endpoints": self.endpoints, "spend_cap_ticks": self.spend_cap_ticks,
            "rate_limit": self.rate_limit,
        })
    }
}

/// The unrevoked key whose secret hashes to `hash` (rotated keys work until their grace ends).
pub fn find_usable<'s>(state: &'s State, hash: &str, now: i64) -> Option<&'s StoredKey> {
    state
        .quantum
        .iter()
        .find(|k| k.secret_hash == hash && !k.revoked(now))
}

// ---- request validation -----------------------------------------------------------------------

/// A flat key-handler 400.
fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(message)
        .with_code("invalid_request")
        .flat()
}

fn body_object(req: &Request, required: bool) -> Result<Map<String, Value>, ApiError> {
    match parse_body(req) {
        Ok(Some(Value::Object(o))) => Ok(o),
        Ok(None) if !required => Ok(Map::new()),
        Ok(None) => {
            Err(ApiError::bad_request("Request body is required")
                .with_code("MISSING_REQUIRED_FIELD"))
        }
        Ok(Some(_)) => Err(ApiError::bad_request("Request body must be a JSON object")
            .with_code("INVALID_REQUEST_BODY")),
        Err(e) => {
            Err(ApiError::bad_request(format!("Invalid JSON: {e}"))
                .with_code("INVALID_REQUEST_BODY"))
        }
    }
}

fn read(obj: &Map<String, Value>, key: &str, kind: Kind) -> Result<Field<Value>, ApiError> {
    field(obj, key, kind).map_err(|k| invalid(format!("{key} must be {}", k.describe())))
}

/// The create body: name, endpoints, spend cap (USD → ticks), rate limit, region.
fn read_create(key: &mut StoredKey, body: &Map<String, Value>) -> Result<(), ApiError> {
    key.name = match as_string(read(body, "name", Kind::String)?) {
        Field::Set(n) if !n.trim().is_empty() && n.chars().count() <= 256 => n,
        Field::Set(n) if n.chars().count() > 256 => {
            return Err(invalid("name must be at most 256 characters"))
        }
        _ => return Err(invalid("name is required")),
    };
    key.endpoints = as_strings(read(body, "endpoints", Kind::StringArray)?).into_option();
    key.spend_cap_ticks = match read(body, "spend_cap_usd", Kind::Number)?.into_option() {
        Some(v) => match v.as_f64() {
            Some(usd) if usd >= 0.0 => Some((usd * TICKS_PER_USD).round() as i64),
            _ => return Err(invalid("spend_cap_usd must be a non-negative number")),
        },
        None => None,
    };
    key.rate_limit = match read(body, "rate_limit", Kind::Integer)?.into_option() {
        Some(v) => match v.as_i64() {
            Some(n) if (1..=i32::MAX as i64).contains(&n) => Some(n),
            _ => return Err(invalid("rate_limit must be a positive 32-bit integer")),
        },
        None => None,
    };
    key.region = match as_string(read(body, "region", Kind::String)?).into_option() {
        Some(r) if !REGIONS.contains(&r.as_str()) => {
            return Err(invalid("region must be americas, europe or asia"))
        }
        r => r,
    };
    Ok(())
}

// ---- route handlers ---------------------------------------------------------------------------

/// Routes a request below [`PREFIX`].
pub fn handle(ctx: &Ctx, req: &Request, sub: &str) -> Result<Response, ApiError> {
    let segs = segments(sub);
    let ["qai", "v1", "keys", rest @ ..] = segs.as_slice() else {
        return Err(
            ApiError::not_found(format!("No route for {} {sub}", req.method))
                .with_code("not_found"),
        );
    };
    authenticate(ctx, req)?;
    match (req.method.as_str(), rest) {
        ("GET", []) => list(ctx),
        ("POST", []) => create(ctx, req),
        ("DELETE", [id]) => revoke(ctx, id),
        ("POST", [id, "rotate"]) => rotate(ctx, req, id),
        ("GET", [id, "usage"]) => usage(ctx, id),
        // The gateway's newer key routes (providers.md), not emulated: said so, not a 405.
        ("GET", ["devices"]) | ("POST", ["ephemeral" | "partner"]) => Err(ApiError::new(501, format!("The sandbox does not emulate {} {sub}", req.method)).with_code("not_implemented")),
        (_, [] | [_] | [_, "rotate" | "usage"]) => {
            Err(ApiError::method_not_allowed().with_code("method_not_allowed"))
        }
        _ => Err(ApiError::not_found("No such route").with_code("not_found")),
    }
}

fn ok(status: u16, body: Value) -> Result<Response, ApiError> {
    Ok(Response::json(status, &body))
}

fn key_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Key {id} not found"))
        .with_code("not_found")
        .flat()
}

fn list(ctx: &Ctx) -> Result<Response, ApiError> {
    let keys: Vec<Value> = ctx
        .store
        .read(|s| s.quantum.iter().map(|k| k.to_wire(ctx.now)).collect());
    ok(200, json!({"keys": keys}))
}

fn create(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let body = body_object(req, true)?;
    let (mut key, secret) = StoredKey::new_plain("", ctx.now);
    read_create(&mut key, &body)?;
    let details = key.to_wire(ctx.now);
    ctx.store.mutate(|s| {
        s.quantum.push(key);
        Ok(())
    })?;
    ok(201, json!({"key": secret, "details": details}))
}

fn revoke(ctx: &Ctx, id: &str) -> Result<Response, ApiError> {
    let already = ctx.store.mutate(|s| {
        let key = s
            .quantum
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or_else(|| key_not_found(id))?;
        let already = key.revoked(ctx.now);
        if !already {
            key.revoked_at = Some(time::rfc3339(ctx.now));
        }
        Ok(already)
    })?;
    let message = if already {
        format!("Key {id} was already revoked")
    } else {
        format!("Key {id} revoked")
    };
    ok(200, json!({"status": "revoked", "message": message}))
}

fn rotate(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let body = body_object(req, false)?;
    let grace = match read(&body, "grace_seconds", Kind::Integer)?.into_option() {
        // The reference names no bound; 100 years keeps the old key's end an RFC 3339 time.
        Some(v) => v
            .as_i64()
            .filter(|g| (0..=MAX_GRACE_SECONDS).contains(g))
            .ok_or_else(|| invalid("grace_seconds must be 0-3155760000 (100 years)"))?,
        None => 0,
    };
    let (secret, details) = ctx.store.mutate(|s| {
        let old = s
            .quantum
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or_else(|| key_not_found(id))?;
        if old.rotated_to.is_some() || old.revoked(ctx.now) {
            let why = if old.rotated_to.is_some() {
                "already rotated"
            } else {
                "revoked"
            };
            return Err(ApiError::conflict(format!("Key {id} is {why}")).with_code("invalid_state"));
        }
        let (mut new, secret) = StoredKey::new_plain(&old.name, ctx.now);
        new.endpoints = old.endpoints.clone();
        new.spend_cap_ticks = old.spend_cap_ticks;
        new.rate_limit = old.rate_limit;
        new.region = old.region.clone();
        old.rotated_to = Some(new.id.clone());
        old.revoked_at = Some(time::rfc3339(ctx.now + grace * time::SECOND_MS));
        let details = new.to_wire(ctx.now);
        s.quantum.push(new);
        Ok((secret, details))
    })?;
    ok(
        200,
        json!({"key": secret, "details": details, "old_key_id": id}),
    )
}

/// What a request costs in the emulated usage, in USD.
const COST_PER_REQUEST_USD: f64 = 0.0125;

/// Seven days of deterministic usage derived from the key id, costing no more than the
/// key has spent in all (a new key has none).
fn usage(ctx: &Ctx, id: &str) -> Result<Response, ApiError> {
    let Some(spent_ticks) = ctx.store.read(|s| s.quantum.iter().find(|k| k.id == id).map(|k| k.spent_ticks)) else {
        return Err(key_not_found(id));
    };
    let seed = ids::sha256(id.as_bytes());
    let today = ctx.now - ctx.now.rem_euclid(time::DAY_MS);
    let drawn: Vec<i64> = (0..7).map(|i| seed[i] as i64 * 3 + 1).collect();
    let affordable = (spent_ticks as f64 / TICKS_PER_USD / COST_PER_REQUEST_USD).floor() as i64;
    let drawn_total: i64 = drawn.iter().sum();
    let days: Vec<Value> = drawn
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let requests = if drawn_total > affordable { b * affordable / drawn_total } else { b };
            let input = requests * 850;
            let output = requests * 230;
            json!({"day": time::date(today - (6 - i as i64) * time::DAY_MS), "requests": requests,
                   "cost_usd": cents(requests as f64 * COST_PER_REQUEST_USD), "input_tokens": input, "output_tokens": output})
        })
        .collect();
    let day_requests: i64 = days.iter().filter_map(|d| d["requests"].as_i64()).sum();
    let split = [(seed[8] as i64 % 50) + 30, (seed[9] as i64 % 30) + 10];
    let first = day_requests * split[0] / 100;
    let second = day_requests * split[1] / 100;
    let models: Vec<Value> = [
        (MODELS[seed[10] as usize % 4], first),
        (MODELS[(seed[10] as usize + 1) % 4], second),
        (
            MODELS[(seed[10] as usize + 2) % 4],
            day_requests - first - second,
        ),
    ]
    .iter()
    .map(|(m, r)| json!({"model": m, "requests": r, "cost_usd": cents(*r as f64 * COST_PER_REQUEST_USD)}))
    .collect();
    let total: f64 = days.iter().filter_map(|d| d["cost_usd"].as_f64()).sum();
    ok(
        200,
        json!({"days": days, "models": models, "total_cost_usd": cents(total)}),
    )
}

fn cents(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

// ---- auth -------------------------------------------------------------------------------------

/// `X-API-Key` first, then `Authorization: Bearer`; only the management key may manage keys.
fn authenticate(ctx: &Ctx, req: &Request) -> Result<(), ApiError> {
    let presented = req.header("x-api-key").or_else(|| bearer(req));
    let token = match presented {
        None if req.header("authorization").is_some() => {
            return Err(
                ApiError::unauthorized("Authorization header must be a Bearer token")
                    .with_code("KEY_BEARER_MALFORMED"),
            )
        }
        None => {
            return Err(
                ApiError::unauthorized("Missing X-API-Key or Authorization header")
                    .with_code("AUTH_HEADER_MISSING"),
            )
        }
        Some(t) if t.trim().is_empty() => {
            return Err(ApiError::unauthorized("Empty API key").with_code("AUTH_HEADER_EMPTY"))
        }
        Some(t) => t.trim(),
    };
    if key_matches(Some(token), MANAGEMENT_KEY) {
        return Ok(());
    }
    let hash = ids::sha256_hex(token);
    if ctx.store.read(|s| find_usable(s, &hash, ctx.now).is_some()) {
        return Err(
            ApiError::forbidden("Admin role required to manage API keys")
                .with_code("forbidden")
                .flat(),
        );
    }
    Err(ApiError::unauthorized("API key not found").with_code("KEY_NOT_FOUND"))
}

// ---- error envelope ---------------------------------------------------------------------------

fn default_code(status: u16) -> &'static str {
    match status {
        400 => "INVALID_REQUEST_BODY",
        401 => "KEY_NOT_FOUND",
        403 => "forbidden",
        404 => "not_found",
        409 => "invalid_state",
        413 => "INVALID_REQUEST_BODY",
        429 => "RATE_LIMITED_PER_KEY",
        503 => "SERVICE_UNAVAILABLE",
        _ => "INTERNAL_ERROR",
    }
}

fn error_type(status: u16) -> &'static str {
    match status {
        400 | 405 | 413 => "invalid_request",
        401 => "authentication_error",
        403 => "forbidden",
        404 => "not_found",
        409 => "invalid_state",
        429 => "rate_limit_error",
        _ => "server_error",
    }
}

/// Nested `{"error":{"message","type","code"}}`, or flat `{"error":code,"message"}` when `err.flat`.
pub fn render_error(err: &ApiError) -> Response {
    let code = err
        .code
        .clone()
        .unwrap_or_else(|| default_code(err.status).to_string());
    let body = if err.flat {
        json!({"error": code, "message": err.message})
    } else {
        json!({"error": {"message": err.message, "type": error_type(err.status), "code": code}})
    };
    Response::json(err.status, &body)
}

// ---- seed data --------------------------------------------------------------------------------

fn seed_key(i: usize, name: &str, days_ago: i64, now: i64) -> StoredKey {
    let bytes = ids::seeded(&format!("quantum-{i}"));
    let secret = format!("{SECRET_PREFIX}{}", ids::hex(&bytes));
    StoredKey::with_secret(
        ids::uuid_from(&bytes),
        &secret,
        name,
        now - days_ago * time::DAY_MS,
    )
}

/// Production (spend cap, region), CI (endpoint-scoped), a revoked key, a rate-limited key.
pub fn seed(now: i64) -> Vec<StoredKey> {
    let mut prod = seed_key(0, "Production", 100, now);
    prod.spend_cap_ticks = Some(500 * TICKS_PER_USD as i64);
    prod.spent_ticks = 1_234_500_000_000;
    prod.region = Some("europe".into());
    prod.last_used = Some(time::rfc3339(now - 600_000));
    let mut ci = seed_key(1, "CI", 40, now);
    ci.endpoints = Some(vec!["chat".into(), "embeddings".into()]);
    ci.spent_ticks = 52_000_000_000;
    let mut revoked = seed_key(2, "Revoked (leaked)", 20, now);
    revoked.revoked_at = Some(time::rfc3339(now - 5 * time::DAY_MS));
    let mut limited = seed_key(3, "Batch (rate limited)", 2, now);
    limited.rate_limit = Some(60);
    vec![prod, ci, revoked, limited]
}

// ---- tests ------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use serde_json::{json, Value};

    fn create(app: &crate::app::App, body: Value) -> crate::http::Response {
        call(app, q_send("POST", "/qai/v1/keys", body))
    }

    #[test]
    fn create_and_list() {
        let app = app();
        let r = create(
            &app,
            json!({"name": "New", "endpoints": ["chat"], "spend_cap_usd": 12.5, "rate_limit": 100, "region": "asia"}),
        );
        assert_eq!(r.status, 201);
        assert!(r.header("x-qai-request-id").is_some());
        let body = r.json_body();
        let secret = body["key"].as_str().unwrap();
        assert!(secret.starts_with("qai_k_") && secret.len() == 6 + 64);
        let d = &body["details"];
        assert_eq!(
            (d["revoked"].as_bool(), d["spent_ticks"].as_i64()),
            (Some(false), Some(0))
        );
        assert_eq!(d["scope"]["region"], "asia");
        assert_eq!(d["spend_cap_ticks"], 125_000_000_000i64);
        assert!(secret.starts_with(d["key_prefix"].as_str().unwrap()));
        let list = call(&app, q_req("GET", "/qai/v1/keys")).json_body();
        assert_eq!(list["keys"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn newer_routes_say_they_are_not_emulated() {
        let app = app();
        for (method, path) in [("GET", "/qai/v1/keys/devices"), ("POST", "/qai/v1/keys/ephemeral"), ("POST", "/qai/v1/keys/partner")] {
            let r = call(&app, q_req(method, path));
            assert_eq!((r.status, r.json_body()["error"]["code"].as_str()), (501, Some("not_implemented")), "{method} {path}");
        }
        assert_eq!(call(&app, q_req("PUT", "/qai/v1/keys/devices")).status, 405);
    }

    #[test]
    fn validation_uses_flat_errors() {
        let app = app();
        for bad in [
            json!({}),
            json!({"name": ""}),
            json!({"name": 1}),
            json!({"name": "x", "endpoints": "chat"}),
            json!({"name": "x", "spend_cap_usd": -1}),
            json!({"name": "x", "rate_limit": 1.5}),
            json!({"name": "x", "region": "mars"}),
        ] {
            let r = create(&app, bad.clone());
            assert_eq!(r.status, 400, "{bad}");
            assert_eq!(r.json_body()["error"], "invalid_request", "{bad}");
            assert!(r.json_body()["message"].is_string());
        }
        let r = call(&app, q_req("POST", "/qai/v1/keys").with_body("{nope"));
        assert_eq!(r.json_body()["error"]["code"], "INVALID_REQUEST_BODY");
    }

    #[test]
    fn revoke_keeps_key_listed() {
        let app = app();
        let id = create(&app, json!({"name": "Doomed"})).json_body()["details"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = call(&app, q_req("DELETE", &format!("/qai/v1/keys/{id}")));
        assert_eq!(r.status, 200);
        assert_eq!(r.json_body()["status"], "revoked");
        let list = call(&app, q_req("GET", "/qai/v1/keys")).json_body();
        let k = list["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id.as_str())
            .unwrap()
            .clone();
        assert_eq!(k["revoked"], true);
        let r = call(&app, q_req("DELETE", "/qai/v1/keys/nope"));
        assert_eq!(
            (r.status, r.json_body()["error"].as_str()),
            (404, Some("not_found"))
        );
    }

    #[test]
    fn rotate_once_then_conflict() {
        let app = app();
        let created = create(&app, json!({"name": "Rotating", "rate_limit": 5})).json_body();
        let id = created["details"]["id"].as_str().unwrap().to_string();
        let old = created["key"].as_str().unwrap().to_string();
        let r = call(
            &app,
            q_send(
                "POST",
                &format!("/qai/v1/keys/{id}/rotate"),
                json!({"grace_seconds": 0}),
            ),
        );
        assert_eq!(r.status, 200);
        let body = r.json_body();
        assert_eq!(body["old_key_id"], id.as_str());
        assert_ne!(body["details"]["id"], id.as_str());
        assert_eq!(body["details"]["rate_limit"], 5);
        let p = crate::providers::ProviderId::Quantum;
        app.store.read(|s| {
            assert!(p.verify(s, &old, crate::time::now_ms()).is_none());
            assert!(p
                .verify(s, body["key"].as_str().unwrap(), crate::time::now_ms())
                .is_some());
        });
        let again = call(
            &app,
            q_send(
                "POST",
                &format!("/qai/v1/keys/{id}/rotate"),
                json!({"grace_seconds": 0}),
            ),
        );
        assert_eq!(again.status, 409);
        assert_eq!(again.json_body()["error"]["code"], "invalid_state");
    }

    #[test]
    fn rotate_with_grace_keeps_old_key_working() {
        let app = app();
        let created = create(&app, json!({"name": "Graceful"})).json_body();
        let id = created["details"]["id"].as_str().unwrap();
        call(
            &app,
            q_send(
                "POST",
                &format!("/qai/v1/keys/{id}/rotate"),
                json!({"grace_seconds": 3600}),
            ),
        );
        let p = crate::providers::ProviderId::Quantum;
        assert!(app.store.read(|s| p
            .verify(s, created["key"].as_str().unwrap(), crate::time::now_ms())
            .is_some()));
    }

    #[test]
    fn usage_is_deterministic() {
        let app = app();
        let id = call(&app, q_req("GET", "/qai/v1/keys")).json_body()["keys"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let a = call(&app, q_req("GET", &format!("/qai/v1/keys/{id}/usage"))).json_body();
        let b = call(&app, q_req("GET", &format!("/qai/v1/keys/{id}/usage"))).json_body();
        assert_eq!(a, b);
        assert_eq!(a["days"].as_array().unwrap().len(), 7);
        assert_eq!(a["models"].as_array().unwrap().len(), 3);
        assert!(a["total_cost_usd"].as_f64().unwrap() > 0.0);
        // No key's week costs more than it has spent in all; a new key has used nothing.
        let keys = call(&app, q_req("GET", "/qai/v1/keys")).json_body()["keys"].as_array().unwrap().clone();
        for key in &keys {
            let id = key["id"].as_str().unwrap();
            let week = call(&app, q_req("GET", &format!("/qai/v1/keys/{id}/usage"))).json_body()["total_cost_usd"].as_f64().unwrap();
            let spent = key["spent_ticks"].as_f64().unwrap() / super::TICKS_PER_USD;
            assert!(week <= spent + 1e-9, "{}: {week} > {spent}", key["name"]);
        }
        let fresh = create(&app, json!({"name": "fresh"})).json_body()["details"]["id"].as_str().unwrap().to_string();
        let fresh_usage = call(&app, q_req("GET", &format!("/qai/v1/keys/{fresh}/usage"))).json_body();
        assert_eq!(fresh_usage["total_cost_usd"], 0.0);
        assert_eq!(
            call(&app, q_req("GET", "/qai/v1/keys/missing/usage")).status,
            404
        );
    }

    #[test]
    fn auth_reads_x_api_key_first_then_bearer() {
        let app = app();
        let r = call(&app, req("GET", "/quantum/qai/v1/keys"));
        assert_eq!(r.status, 401);
        assert_eq!(r.json_body()["error"]["code"], "AUTH_HEADER_MISSING");
        assert!(r.header("x-qai-request-id").is_some());
        let bearer_only = req("GET", "/quantum/qai/v1/keys")
            .with_header("authorization", "Bearer qai_k_sandbox_management_key");
        assert_eq!(call(&app, bearer_only).status, 200);
        let wrong_first = req("GET", "/quantum/qai/v1/keys")
            .with_header("x-api-key", "qai_k_wrong")
            .with_header("authorization", "Bearer qai_k_sandbox_management_key");
        assert_eq!(call(&app, wrong_first).status, 401);
        let secret = create(&app, json!({"name": "Ordinary"})).json_body()["key"]
            .as_str()
            .unwrap()
            .to_string();
        let r = call(
            &app,
            req("GET", "/quantum/qai/v1/keys").with_header("x-api-key", &secret),
        );
        assert_eq!(
            (r.status, r.json_body()["error"].as_str()),
            (403, Some("forbidden"))
        );
    }
}
