//! Fluxbase API keys, served under both `/api/v1/api-keys` (pre-rename) and `/api/v1/client-keys`
//! over the same store, with the server's real shapes: create → 201 flat key + `key`; list → bare
//! array; update/revoke → `{"success":true,"message"}`; delete → 204.
//!
//! Auth: `Authorization: Bearer <jwt>` (the sandbox's service-role JWT only), `X-API-Key` (or
//! `?apikey=`), `X-Service-Key` or `Authorization: ServiceKey <key>`; the management key works in
//! the last two, not as a Bearer token (as the server, which reads a Bearer token as a JWT). A
//! created key sent as `X-API-Key` needs `read:`/`write:` `apikeys` (or `clientkeys` on that
//! family) or `*`.

use super::{auth_scheme, bearer, key_matches, parse_body, segments, Ctx};
use crate::error::ApiError;
use crate::http::{Request, Response};
use crate::ids;
use crate::store::State;
use crate::time;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

// ---- constants and paths ----------------------------------------------------------------------

pub const PREFIX: &str = "/fluxbase";
pub const MANAGEMENT_KEY: &str = "fbk_sandbox_management_key";
/// A service-role JWT (`{"role":"service_role","iss":"fluxbase-sandbox"}`, not really signed).
pub const MANAGEMENT_JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoiZmx1eGJhc2Utc2FuZGJveCJ9.c2FuZGJveC1zaWduYXR1cmU";
const SECRET_PREFIX: &str = "fbk_";
const DEFAULT_RATE_LIMIT: i64 = 100;
/// Valid scopes (`internal/auth/scopes.go`, plus the client-keys pair added by the rename).
pub const SCOPES: &[&str] = &[
    "read:tables",
    "write:tables",
    "read:storage",
    "write:storage",
    "read:functions",
    "execute:functions",
    "read:auth",
    "write:auth",
    "read:apikeys",
    "write:apikeys",
    "read:clientkeys",
    "write:clientkeys",
    "read:webhooks",
    "write:webhooks",
    "read:monitoring",
    "realtime:connect",
    "realtime:broadcast",
    "read:rpc",
    "execute:rpc",
    "read:jobs",
    "write:jobs",
    "read:ai",
    "write:ai",
    "read:secrets",
    "write:secrets",
    "*",
];

// ---- stored and wire shapes -------------------------------------------------------------------

/// A stored key; `secret_hash` = SHA-256 of the raw key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub key_prefix: String,
    pub user_id: Option<String>,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i64,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub secret_hash: String,
}

impl StoredKey {
    /// A fresh key with defaults (scope `read:tables`), and its raw secret.
    pub fn new_plain(name: &str, now: i64) -> (StoredKey, String) {
        let secret = format!("{SECRET_PREFIX}{}", ids::base64_url(&ids::random_bytes(32)));
        (
            Self::with_secret(ids::uuid_v4(), &secret, name, now),
            secret,
        )
    }

    fn with_secret(id: String, secret: &str, name: &str, now: i64) -> StoredKey {
        StoredKey {
            id,
            name: name.to_string(),
            description: None,
            key_prefix: secret.chars().take(12).collect(),
            user_id: None,
            scopes: vec!["read:tables".into()],
            rate_limit_per_minute: DEFAULT_RATE_LIMIT,
            last_used_at: None,
            expires_at: None,
            revoked_at: None,
            created_at: time::rfc3339(now),
            updated_at: time::rfc3339(now),
            secret_hash: ids::sha256_hex(secret),
        }
    }

    /// The `APIKey` object; unset optional fields are omitted (Go `omitempty`).
    pub fn to_wire(&self) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id));
        o.insert("name".into(), json!(self.name));
        let optional = [
            ("description", &self.description),
            ("user_id", &self.user_id),
            ("last_used_at", &self.last_used_at),
            ("expires_at", &self.expires_at),
            ("revoked_at", &self.revoked_at),
        ];
        o.insert("key_prefix".into(), json!(self.key_prefix));
        o.insert("scopes".into(), json!(self.scopes));
        o.insert(
            "rate_limit_per_minute".into(),
            json!(self.rate_limit_per_minute),
        );
        for (k, v) in optional {
            if let Some(v) = v {
                o.insert(k.into(), json!(v));
            }
        }
        o.insert("created_at".into(), json!(self.created_at));
        o.insert("updated_at".into(), json!(self.updated_at));
        Value::Object(o)
    }
}

/// The unrevoked, unexpired key whose secret hashes to `hash`.
pub fn find_usable<'s>(state: &'s State, hash: &str, now: i64) -> Option<&'s StoredKey> {
    state.fluxbase.iter().find(|k| {
        k.secret_hash == hash
            && k.revoked_at.is_none()
            && k.expires_at
                .as_deref()
                .and_then(time::parse_ms)
                .is_none_or(|t| t > now)
    })
}

// ---- request validation -----------------------------------------------------------------------

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(message)
}

/// Fiber's `BodyParser`: a JSON body needs a JSON content type (`text/plain`, what a bare
/// `fetch` of a string sends, is refused as an invalid body).
fn body_object(req: &Request) -> Result<Map<String, Value>, ApiError> {
    let media_type = req.header("content-type").unwrap_or("").split(';').next().unwrap_or("").trim();
    if !media_type.to_ascii_lowercase().ends_with("json") {
        return Err(invalid("Invalid request body"));
    }
    match parse_body(req) {
        Ok(Some(Value::Object(o))) => Ok(o),
        _ => Err(invalid("Invalid request body")),
    }
}

/// Optional field of a JSON type; a wrong type is Fiber's "Invalid request body".
fn opt<'b>(
    body: &'b Map<String, Value>,
    key: &str,
    ok: fn(&Value) -> bool,
) -> Result<Option<&'b Value>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) if ok(v) => Ok(Some(v)),
        Some(_) => Err(invalid("Invalid request body")),
    }
}

/// `scopes`, each of [`SCOPES`] for this route family: the key-management pair is
/// `…:apikeys` before the client-keys rename, `…:clientkeys` after it.
fn read_scopes(body: &Map<String, Value>, required: bool, family: Family) -> Result<Option<Vec<String>>, ApiError> {
    let Some(v) = opt(body, "scopes", Value::is_array)? else {
        return if required {
            Err(invalid("At least one scope is required"))
        } else {
            Ok(None)
        };
    };
    let arr = v.as_array().map(Vec::as_slice).unwrap_or_default();
    if arr.iter().any(|s| !s.is_string()) {
        return Err(invalid("Invalid request body"));
    }
    let scopes: Vec<String> = arr
        .iter()
        .filter_map(|s| s.as_str().map(String::from))
        .collect();
    if scopes.is_empty() {
        return Err(invalid("At least one scope is required"));
    }
    let other_family = if family == Family::ApiKeys { ":clientkeys" } else { ":apikeys" };
    if let Some(bad) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str()) || s.ends_with(other_family)) {
        return Err(invalid(format!("Invalid scope: {bad}")));
    }
    Ok(Some(scopes))
}

fn read_rate_limit(body: &Map<String, Value>) -> Result<Option<i64>, ApiError> {
    match opt(body, "rate_limit_per_minute", |v| v.is_i64())? {
        None => Ok(None),
        Some(v) => match v.as_i64().unwrap_or(0) {
            n if n < 0 => Err(invalid("rate_limit_per_minute must not be negative")),
            0 => Ok(Some(DEFAULT_RATE_LIMIT)),
            n => Ok(Some(n)),
        },
    }
}

fn read_text(body: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    Ok(opt(body, key, Value::is_string)?
        .and_then(Value::as_str)
        .map(String::from))
}

// ---- route handlers ---------------------------------------------------------------------------

/// Which route family a request came through (decides the scope names it needs and the
/// words of its messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    ApiKeys,
    ClientKeys,
}

impl Family {
    /// "API key" or "Client key", as the server's messages start.
    fn noun(self) -> &'static str {
        match self {
            Family::ApiKeys => "API key",
            Family::ClientKeys => "Client key",
        }
    }

    /// The same in the middle of a message: "API key", "client key".
    fn inner_noun(self) -> &'static str {
        match self {
            Family::ApiKeys => "API key",
            Family::ClientKeys => "client key",
        }
    }
}

/// Routes a request below [`PREFIX`].
pub fn handle(ctx: &Ctx, req: &Request, sub: &str) -> Result<Response, ApiError> {
    let segs = segments(sub);
    let (family, rest) = match segs.as_slice() {
        ["api", "v1", "api-keys", rest @ ..] => (Family::ApiKeys, rest),
        ["api", "v1", "client-keys", rest @ ..] => (Family::ClientKeys, rest),
        _ => return Err(route_not_found(sub)),
    };
    let write = req.method != "GET";
    authenticate(ctx, req, family, write)?;
    match (req.method.as_str(), rest) {
        ("GET", []) => list(ctx, req),
        ("POST", []) => create(ctx, req, family),
        ("GET", [id]) => get(ctx, family, id),
        ("PATCH", [id]) => update(ctx, req, family, id),
        ("DELETE", [id]) => delete(ctx, family, id),
        ("POST", [id, "revoke"]) => revoke(ctx, family, id),
        (_, [] | [_] | [_, "revoke"]) => Err(ApiError::new(405, "Method Not Allowed")),
        _ => Err(route_not_found(sub)),
    }
}

fn route_not_found(path: &str) -> ApiError {
    ApiError::not_found("Not Found").with_extra("path", path)
}

fn check_id(family: Family, id: &str) -> Result<(), ApiError> {
    if ids::is_uuid(id) {
        Ok(())
    } else {
        Err(invalid(format!("Invalid {} ID", family.inner_noun())))
    }
}

/// A `GET` of a missing key: 404.
fn key_not_found(family: Family) -> ApiError {
    ApiError::not_found(format!("{} not found", family.noun()))
}

/// A write to a missing key: the handler wraps the service's error in a 500
/// ("Failed to delete client key: client key not found").
fn write_to_missing_key(family: Family, verb: &str) -> ApiError {
    let noun = family.inner_noun();
    ApiError::internal(format!("Failed to {verb} {noun}: {noun} not found"))
}

fn success(message: &str) -> Result<Response, ApiError> {
    Ok(Response::json(
        200,
        &json!({"success": true, "message": message}),
    ))
}

fn list(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let user = req.query("user_id").filter(|u| !u.is_empty());
    if user.is_some_and(|u| !ids::is_uuid(u)) {
        return Err(invalid("Invalid user ID"));
    }
    // The server's `ORDER BY created_at DESC` (the newest of keys made at once last made first).
    let keys: Vec<Value> = ctx.store.read(|s| {
        let mut keys: Vec<&StoredKey> = s.fluxbase.iter().rev().filter(|k| user.is_none_or(|u| k.user_id.as_deref() == Some(u))).collect();
        keys.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        keys.into_iter().map(StoredKey::to_wire).collect()
    });
    // No keys: Go writes the empty (nil) slice as `null`.
    let body = if keys.is_empty() { Value::Null } else { Value::Array(keys) };
    Ok(Response::json(200, &body))
}

fn create(ctx: &Ctx, req: &Request, family: Family) -> Result<Response, ApiError> {
    let body = body_object(req)?;
    let name = read_text(&body, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| invalid("Name is required"))?;
    let (mut key, secret) = StoredKey::new_plain(&name, ctx.now);
    key.description = read_text(&body, "description")?;
    key.scopes = read_scopes(&body, true, family)?.unwrap_or_default();
    key.rate_limit_per_minute = read_rate_limit(&body)?.unwrap_or(DEFAULT_RATE_LIMIT);
    key.expires_at = match read_text(&body, "expires_at")? {
        Some(e) => Some(
            time::parse_ms(&e)
                .map(time::rfc3339)
                .ok_or_else(|| invalid("Invalid expires_at format"))?,
        ),
        None => None,
    };
    let mut wire = key.to_wire();
    wire["key"] = json!(secret);
    ctx.store.mutate(|s| {
        s.fluxbase.push(key);
        Ok(())
    })?;
    Ok(Response::json(201, &wire))
}

/// Where the key with `id` is, or the 500 of a write (`verb`) to a missing key.
fn key_index(keys: &[StoredKey], family: Family, id: &str, verb: &str) -> Result<usize, ApiError> {
    keys.iter().position(|k| k.id == id).ok_or_else(|| write_to_missing_key(family, verb))
}

fn get(ctx: &Ctx, family: Family, id: &str) -> Result<Response, ApiError> {
    check_id(family, id)?;
    let key = ctx.store.read(|s| {
        s.fluxbase
            .iter()
            .find(|k| k.id == id)
            .map(StoredKey::to_wire)
    });
    Ok(Response::json(200, &key.ok_or_else(|| key_not_found(family))?))
}

fn update(ctx: &Ctx, req: &Request, family: Family, id: &str) -> Result<Response, ApiError> {
    check_id(family, id)?;
    let body = body_object(req)?;
    let name = read_text(&body, "name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(invalid("Name cannot be empty"));
    }
    let description = read_text(&body, "description")?;
    let scopes = read_scopes(&body, false, family)?;
    let rate = read_rate_limit(&body)?;
    ctx.store.mutate(|s| {
        let i = key_index(&s.fluxbase, family, id, "update")?;
        let key = &mut s.fluxbase[i];
        key.name = name.unwrap_or(std::mem::take(&mut key.name));
        key.description = description.or(key.description.take());
        key.scopes = scopes.unwrap_or(std::mem::take(&mut key.scopes));
        key.rate_limit_per_minute = rate.unwrap_or(key.rate_limit_per_minute);
        key.updated_at = time::rfc3339(ctx.now);
        Ok(())
    })?;
    success(&format!("{} updated successfully", family.noun()))
}

fn revoke(ctx: &Ctx, family: Family, id: &str) -> Result<Response, ApiError> {
    check_id(family, id)?;
    ctx.store.mutate(|s| {
        let i = key_index(&s.fluxbase, family, id, "revoke")?;
        let key = &mut s.fluxbase[i];
        if key.revoked_at.is_none() {
            key.revoked_at = Some(time::rfc3339(ctx.now));
            key.updated_at = time::rfc3339(ctx.now);
        }
        Ok(())
    })?;
    success(&format!("{} revoked successfully", family.noun()))
}

fn delete(ctx: &Ctx, family: Family, id: &str) -> Result<Response, ApiError> {
    check_id(family, id)?;
    ctx.store.mutate(|s| {
        let i = key_index(&s.fluxbase, family, id, "delete")?;
        s.fluxbase.remove(i);
        Ok(())
    })?;
    Ok(Response::empty(204))
}

// ---- auth -------------------------------------------------------------------------------------

/// Accepts any of the four credential styles; `X-API-Key` keys also need the family's scope.
fn authenticate(ctx: &Ctx, req: &Request, family: Family, write: bool) -> Result<(), ApiError> {
    if let Some(token) = bearer(req) {
        return if key_matches(Some(token), MANAGEMENT_JWT) {
            Ok(())
        } else {
            Err(ApiError::unauthorized("Invalid or expired Bearer token"))
        };
    }
    if let Some(service) = req
        .header("x-service-key")
        .or_else(|| auth_scheme(req, "servicekey"))
    {
        return if key_matches(Some(service), MANAGEMENT_KEY) {
            Ok(())
        } else {
            Err(ApiError::unauthorized("Invalid service key"))
        };
    }
    let Some(api_key) = req.header("x-api-key").or_else(|| req.query("apikey")) else {
        return Err(ApiError::unauthorized(
            "Authentication required. Provide Bearer token, X-API-Key, or X-Service-Key",
        ));
    };
    if key_matches(Some(api_key), MANAGEMENT_KEY) {
        return Ok(());
    }
    let hash = ids::sha256_hex(api_key);
    let scopes = ctx
        .store
        .read(|s| find_usable(s, &hash, ctx.now).map(|k| k.scopes.clone()));
    let scopes = scopes.ok_or_else(|| ApiError::unauthorized("Invalid or expired API key"))?;
    let noun = if family == Family::ApiKeys {
        "apikeys"
    } else {
        "clientkeys"
    };
    let required = format!("{}:{noun}", if write { "write" } else { "read" });
    if scopes.iter().any(|s| s == "*" || *s == required) {
        Ok(())
    } else {
        Err(ApiError::forbidden("Insufficient permissions").with_extra("required_scope", required))
    }
}

// ---- error envelope ---------------------------------------------------------------------------

/// Flat `{"error":"…"}` (+ extras); 429 in the Fiber limiter's shape.
pub fn render_error(err: &ApiError) -> Response {
    let mut body = Map::new();
    if err.status == 429 {
        body.insert("code".into(), json!("RATE_LIMIT_EXCEEDED"));
        body.insert("error".into(), json!("Rate limit exceeded"));
        body.insert(
            "message".into(),
            json!("Too many requests. Please try again later."),
        );
        body.insert("retry_after".into(), json!(err.retry_after.unwrap_or(60)));
    } else {
        body.insert("error".into(), json!(err.message));
    }
    body.extend(err.extra.clone());
    Response::json(err.status, &Value::Object(body))
}

// ---- seed data --------------------------------------------------------------------------------

fn seed_key(i: usize, name: &str, scopes: &[&str], days_ago: i64, now: i64) -> StoredKey {
    let bytes = ids::seeded(&format!("fluxbase-{i}"));
    let secret = format!("{SECRET_PREFIX}{}", ids::base64_url(&bytes));
    let mut k = StoredKey::with_secret(
        ids::uuid_from(&bytes),
        &secret,
        name,
        now - days_ago * time::DAY_MS,
    );
    k.scopes = scopes.iter().map(|s| s.to_string()).collect();
    k
}

/// Production (tables/storage), CI (all scopes), a key manager, a revoked key.
pub fn seed(now: i64) -> Vec<StoredKey> {
    let mut prod = seed_key(
        0,
        "Production",
        &["read:tables", "write:tables", "read:storage"],
        90,
        now,
    );
    prod.description = Some("Main application backend".into());
    prod.rate_limit_per_minute = 1000;
    prod.last_used_at = Some(time::rfc3339(now - 120_000));
    let mut ci = seed_key(1, "CI", &["*"], 30, now);
    ci.expires_at = Some(time::rfc3339(now + 180 * time::DAY_MS));
    let manager = seed_key(
        2,
        "Key manager",
        &["read:apikeys", "write:apikeys"],
        14,
        now,
    );
    let mut revoked = seed_key(3, "Revoked (old)", &["read:tables"], 200, now);
    revoked.revoked_at = Some(time::rfc3339(now - 100 * time::DAY_MS));
    vec![prod, ci, manager, revoked]
}

// ---- tests ------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use serde_json::{json, Value};

    fn create(app: &crate::app::App, body: Value) -> crate::http::Response {
        call(app, fb_send("POST", "/api/v1/api-keys", body))
    }

    /// `ORDER BY created_at DESC`, seed keys included.
    #[test]
    fn lists_newest_first() {
        let app = app();
        create(&app, json!({"name": "Newest", "scopes": ["read:tables"]}));
        let listed = call(&app, fb_get("/api/v1/api-keys")).json_body();
        let created: Vec<&str> = listed.as_array().unwrap().iter().map(|k| k["created_at"].as_str().unwrap()).collect();
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "{created:?}");
        assert_eq!(listed[0]["name"], "Newest");
    }

    #[test]
    fn create_returns_flat_key_with_secret() {
        let app = app();
        let r = create(
            &app,
            json!({"name": "New", "scopes": ["read:tables"], "rate_limit_per_minute": 0}),
        );
        assert_eq!(r.status, 201);
        let b = r.json_body();
        let secret = b["key"].as_str().unwrap();
        assert!(secret.starts_with("fbk_") && secret.len() == 48, "{secret}");
        assert_eq!(b["key_prefix"].as_str().unwrap(), &secret[..12]);
        assert_eq!(b["rate_limit_per_minute"], 100);
        assert!(crate::ids::is_uuid(b["id"].as_str().unwrap()));
        assert!(b.get("revoked_at").is_none() && b.get("key_hash").is_none());
    }

    #[test]
    fn create_validation() {
        let app = app();
        let cases = [
            (json!({"scopes": ["read:tables"]}), "Name is required"),
            (json!({"name": "x"}), "At least one scope is required"),
            (
                json!({"name": "x", "scopes": []}),
                "At least one scope is required",
            ),
            (
                json!({"name": "x", "scopes": ["read:tables", "fly"]}),
                "Invalid scope: fly",
            ),
            (
                json!({"name": "x", "scopes": "read:tables"}),
                "Invalid request body",
            ),
            (json!({"name": 5, "scopes": ["*"]}), "Invalid request body"),
            (
                json!({"name": "x", "scopes": ["*"], "expires_at": "later"}),
                "Invalid expires_at format",
            ),
        ];
        for (body, msg) in cases {
            let r = create(&app, body.clone());
            assert_eq!(
                (r.status, r.json_body()),
                (400, json!({"error": msg})),
                "{body}"
            );
        }
    }

    #[test]
    fn list_get_update_revoke_delete_over_both_families() {
        let app = app();
        let id = create(&app, json!({"name": "Life", "scopes": ["*"]})).json_body()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let list = call(&app, fb_get("/api/v1/client-keys")).json_body();
        assert_eq!(list.as_array().unwrap().len(), 5);
        assert_eq!(list[0]["id"], id.as_str(), "newest first");
        assert_eq!(
            call(&app, fb_get(&format!("/api/v1/client-keys/{id}"))).json_body()["name"],
            "Life"
        );

        let r = call(
            &app,
            fb_send(
                "PATCH",
                &format!("/api/v1/api-keys/{id}"),
                json!({"name": "Renamed", "scopes": ["read:ai"]}),
            ),
        );
        assert_eq!(
            r.json_body(),
            json!({"success": true, "message": "API key updated successfully"})
        );
        let got = call(&app, fb_get(&format!("/api/v1/api-keys/{id}"))).json_body();
        assert_eq!(
            (got["name"].as_str(), got["scopes"].clone()),
            (Some("Renamed"), json!(["read:ai"]))
        );
        assert_eq!(
            call(
                &app,
                fb_send(
                    "PATCH",
                    &format!("/api/v1/api-keys/{id}"),
                    json!({"scopes": ["nope"]})
                )
            )
            .status,
            400
        );

        let r = call(
            &app,
            fb_send(
                "POST",
                &format!("/api/v1/client-keys/{id}/revoke"),
                json!({}),
            ),
        );
        assert_eq!(
            r.json_body(),
            json!({"success": true, "message": "Client key revoked successfully"}),
            "the client-keys family's words"
        );
        assert!(
            call(&app, fb_get(&format!("/api/v1/api-keys/{id}"))).json_body()["revoked_at"]
                .is_string()
        );

        let r = call(&app, fb_req("DELETE", &format!("/api/v1/api-keys/{id}")));
        assert_eq!((r.status, r.body.len()), (204, 0));
        let r = call(&app, fb_get(&format!("/api/v1/api-keys/{id}")));
        assert_eq!(
            (r.status, r.json_body()),
            (404, json!({"error": "API key not found"}))
        );
        assert_eq!(
            call(&app, fb_get("/api/v1/api-keys/not-a-uuid")).json_body(),
            json!({"error": "Invalid API key ID"})
        );
        assert_eq!(
            call(&app, fb_get(&format!("/api/v1/client-keys/{id}"))).json_body(),
            json!({"error": "Client key not found"})
        );
    }

    #[test]
    fn writes_to_a_missing_key_answer_500_as_the_server_does() {
        let app = app();
        let id = "3f1c9a52-8d7e-4b21-9c55-0a6e2f4b7d10";
        let cases = [
            (fb_req("DELETE", &format!("/api/v1/client-keys/{id}")), "Failed to delete client key: client key not found"),
            (fb_send("POST", &format!("/api/v1/api-keys/{id}/revoke"), json!({})), "Failed to revoke API key: API key not found"),
            (fb_send("PATCH", &format!("/api/v1/client-keys/{id}"), json!({"name": "x"})), "Failed to update client key: client key not found"),
        ];
        for (request, message) in cases {
            let r = call(&app, request);
            assert_eq!((r.status, r.json_body()), (500, json!({"error": message})));
        }
    }

    #[test]
    fn no_keys_list_as_null_and_bodies_need_a_json_type() {
        let app = app();
        let nobody = "8a0b6c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d";
        let r = call(&app, fb_get(&format!("/api/v1/client-keys?user_id={nobody}")));
        assert_eq!((r.status, r.json_body()), (200, Value::Null), "Go writes an empty slice as null");
        let plain = fb_req("POST", "/api/v1/client-keys")
            .with_header("content-type", "text/plain;charset=UTF-8")
            .with_body(br#"{"name":"x","scopes":["*"]}"#.to_vec());
        let r = call(&app, plain);
        assert_eq!((r.status, r.json_body()), (400, json!({"error": "Invalid request body"})));
    }

    #[test]
    fn auth_styles_and_scopes() {
        let app = app();
        let base = || req("GET", "/fluxbase/api/v1/api-keys");
        let key = super::MANAGEMENT_KEY;
        let bearer = |token: &str| call(&app, base().with_header("authorization", &format!("Bearer {token}")));
        assert_eq!(bearer(super::MANAGEMENT_JWT).status, 200);
        let r = bearer(key);
        assert_eq!(
            (r.status, r.json_body()),
            (401, json!({"error": "Invalid or expired Bearer token"})),
            "a Bearer token is read as a JWT, as the server does: the management key is no JWT"
        );
        assert_eq!(
            call(
                &app,
                base().with_header("authorization", &format!("ServiceKey {key}"))
            )
            .status,
            200
        );
        assert_eq!(call(&app, base().with_header("x-api-key", key)).status, 200);
        assert_eq!(
            call(
                &app,
                req("GET", &format!("/fluxbase/api/v1/api-keys?apikey={key}"))
            )
            .status,
            200
        );
        let r = call(&app, base());
        assert_eq!(r.status, 401);
        assert!(r.json_body()["error"]
            .as_str()
            .unwrap()
            .starts_with("Authentication required"));
        assert_eq!(
            call(
                &app,
                base().with_header("authorization", "Bearer eyJ.bad.jwt")
            )
            .status,
            401
        );

        let reader = create(&app, json!({"name": "reader", "scopes": ["read:apikeys"]}))
            .json_body()["key"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            call(&app, base().with_header("x-api-key", &reader)).status,
            200
        );
        let r = call(
            &app,
            with_json(
                req("POST", "/fluxbase/api/v1/api-keys").with_header("x-api-key", &reader),
                json!({"name": "x", "scopes": ["*"]}),
            ),
        );
        assert_eq!(
            (r.status, r.json_body()),
            (
                403,
                json!({"error": "Insufficient permissions", "required_scope": "write:apikeys"})
            )
        );
        let r = call(
            &app,
            req("GET", "/fluxbase/api/v1/client-keys").with_header("x-api-key", &reader),
        );
        assert_eq!(r.json_body()["required_scope"], "read:clientkeys");
    }

    #[test]
    fn each_route_family_takes_its_own_key_management_scopes() {
        let app = app();
        for (path, foreign) in [("/api/v1/api-keys", "read:clientkeys"), ("/api/v1/client-keys", "write:apikeys")] {
            let r = call(&app, fb_send("POST", path, json!({"name": "x", "scopes": [foreign]})));
            assert_eq!((r.status, r.json_body()["error"].as_str()), (400, Some(format!("Invalid scope: {foreign}").as_str())), "{path}");
        }
    }

    #[test]
    fn unknown_route_has_path() {
        let r = call(&app(), fb_get("/api/v1/nothing"));
        assert_eq!(
            (r.status, r.json_body()),
            (
                404,
                json!({"error": "Not Found", "path": "/api/v1/nothing"})
            )
        );
    }
}
