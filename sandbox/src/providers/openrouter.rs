//! OpenRouter management ("provisioning") keys: `GET /key`, `GET|POST /keys`, `GET|PATCH|DELETE /keys/{hash}`.
//!
//! Key objects follow the official OpenAPI document (20 required fields + `expires_at`). The `hash`
//! is the SHA-256 of the raw key, so it doubles as the stored secret hash and the public id. `label`
//! is the redacted key (`sk-or-v1-abc...xyz`). Lists are newest first, `offset`-paged.

use super::{as_string, bearer, field, key_matches, num, parse_body, segments, Ctx, Field, Kind};
use crate::error::ApiError;
use crate::http::{Request, Response};
use crate::ids;
use crate::store::State;
use crate::time;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

// ---- constants and paths ----------------------------------------------------------------------

pub const PREFIX: &str = "/openrouter/api/v1";
pub const MANAGEMENT_KEY: &str = "sk-or-v1-sandbox-management-key";
/// The default workspace (the id in OpenRouter's own examples).
pub const DEFAULT_WORKSPACE: &str = "0df9e665-d932-5740-b2c7-b52af166bc11";
const SECRET_PREFIX: &str = "sk-or-v1-";
const LIMIT_RESETS: [&str; 3] = ["daily", "weekly", "monthly"];

// ---- stored and wire shapes -------------------------------------------------------------------

/// USD spent over four windows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub total: f64,
    pub daily: f64,
    pub weekly: f64,
    pub monthly: f64,
}

/// A stored key. `hash` = SHA-256 of the raw key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub hash: String,
    pub name: String,
    pub label: String,
    pub disabled: bool,
    pub limit: Option<f64>,
    pub limit_reset: Option<String>,
    pub include_byok_in_limit: bool,
    pub usage: Usage,
    pub byok_usage: Usage,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub creator_user_id: Option<String>,
    pub workspace_id: String,
    pub expires_at: Option<String>,
}

impl StoredKey {
    /// A fresh key with defaults, and its raw secret.
    pub fn new_plain(name: &str, now: i64) -> (StoredKey, String) {
        Self::from_secret(format!("{SECRET_PREFIX}{}", ids::random_hex(64)), name, now)
    }

    fn from_secret(secret: String, name: &str, now: i64) -> (StoredKey, String) {
        let key = StoredKey {
            hash: ids::sha256_hex(&secret),
            name: name.to_string(),
            label: redact(&secret),
            disabled: false,
            limit: None,
            limit_reset: None,
            include_byok_in_limit: false,
            usage: Usage::default(),
            byok_usage: Usage::default(),
            created_at: time::rfc3339(now),
            updated_at: None,
            creator_user_id: None,
            workspace_id: DEFAULT_WORKSPACE.to_string(),
            expires_at: None,
        };
        (key, secret)
    }

    fn expired(&self, now: i64) -> bool {
        self.expires_at
            .as_deref()
            .and_then(time::parse_ms)
            .is_some_and(|t| t <= now)
    }

    /// `limit` minus the usage of the current reset window (BYOK included when asked), at least 0.
    fn limit_remaining(&self) -> Option<f64> {
        let window = |u: &Usage| match self.limit_reset.as_deref() {
            Some("daily") => u.daily,
            Some("weekly") => u.weekly,
            Some("monthly") => u.monthly,
            _ => u.total,
        };
        let byok = if self.include_byok_in_limit {
            window(&self.byok_usage)
        } else {
            0.0
        };
        self.limit
            .map(|l| (l - window(&self.usage) - byok).max(0.0))
    }

    fn usage_fields(&self, out: &mut Map<String, Value>) {
        for (prefix, u) in [("usage", &self.usage), ("byok_usage", &self.byok_usage)] {
            out.insert(prefix.into(), num(u.total));
            out.insert(format!("{prefix}_daily"), num(u.daily));
            out.insert(format!("{prefix}_weekly"), num(u.weekly));
            out.insert(format!("{prefix}_monthly"), num(u.monthly));
        }
    }

    /// The `Key` object of the spec.
    pub fn to_wire(&self) -> Value {
        let mut o = Map::new();
        o.insert("hash".into(), json!(self.hash));
        o.insert("name".into(), json!(self.name));
        o.insert("label".into(), json!(self.label));
        o.insert("disabled".into(), json!(self.disabled));
        o.insert("limit".into(), self.limit.map_or(Value::Null, num));
        o.insert(
            "limit_remaining".into(),
            self.limit_remaining().map_or(Value::Null, num),
        );
        o.insert("limit_reset".into(), json!(self.limit_reset));
        o.insert(
            "include_byok_in_limit".into(),
            json!(self.include_byok_in_limit),
        );
        self.usage_fields(&mut o);
        o.insert("created_at".into(), json!(self.created_at));
        o.insert("updated_at".into(), json!(self.updated_at));
        o.insert("creator_user_id".into(), json!(self.creator_user_id));
        // Newer than the trimmed spec: the current official SDK (@openrouter/sdk 1.3) requires it.
        o.insert("external_user".into(), Value::Null);
        o.insert("workspace_id".into(), json!(self.workspace_id));
        o.insert("expires_at".into(), json!(self.expires_at));
        Value::Object(o)
    }

    /// The `CurrentKey` object of `GET /key`.
    fn to_current(&self) -> Value {
        let mut o = Map::new();
        o.insert("label".into(), json!(self.label));
        o.insert("limit".into(), self.limit.map_or(Value::Null, num));
        o.insert(
            "limit_remaining".into(),
            self.limit_remaining().map_or(Value::Null, num),
        );
        o.insert("limit_reset".into(), json!(self.limit_reset));
        o.insert(
            "include_byok_in_limit".into(),
            json!(self.include_byok_in_limit),
        );
        self.usage_fields(&mut o);
        o.insert("is_free_tier".into(), json!(false));
        o.insert("is_management_key".into(), json!(false));
        o.insert("is_provisioning_key".into(), json!(false));
        o.insert("creator_user_id".into(), json!(self.creator_user_id));
        o.insert("rate_limit".into(), legacy_rate_limit());
        o.insert("expires_at".into(), json!(self.expires_at));
        newer_current_fields(&mut o, &self.workspace_id);
        Value::Object(o)
    }
}

/// `CurrentKey` fields newer than the trimmed spec that the current official SDK requires.
fn newer_current_fields(o: &mut Map<String, Value>, workspace_id: &str) {
    o.insert("workspace_id".into(), json!(workspace_id));
    o.insert("allowed_data_regions".into(), json!(["global"]));
    o.insert("free_model_daily_requests".into(), json!({"limit": 50, "remaining": 50, "used": 0}));
    o.insert("organization_id".into(), Value::Null);
}

fn legacy_rate_limit() -> Value {
    json!({"requests": -1, "interval": "10s", "note": "This field is deprecated and safe to ignore."})
}

/// `sk-or-v1-abc...xyz`.
fn redact(secret: &str) -> String {
    let body = &secret[SECRET_PREFIX.len().min(secret.len())..];
    let tail = &body[body.len().saturating_sub(3)..];
    format!("{SECRET_PREFIX}{}...{tail}", &body[..3.min(body.len())])
}

/// The management key's own `CurrentKey`.
fn management_current() -> Value {
    let mut current = json!({
        "label": redact(MANAGEMENT_KEY), "limit": null, "limit_remaining": null, "limit_reset": null,
        "include_byok_in_limit": false, "usage": 0, "usage_daily": 0, "usage_weekly": 0, "usage_monthly": 0,
        "byok_usage": 0, "byok_usage_daily": 0, "byok_usage_weekly": 0, "byok_usage_monthly": 0,
        "is_free_tier": false, "is_management_key": true, "is_provisioning_key": true,
        "creator_user_id": null, "rate_limit": legacy_rate_limit(), "expires_at": null,
    });
    if let Value::Object(o) = &mut current {
        newer_current_fields(o, DEFAULT_WORKSPACE);
    }
    current
}

/// The enabled, unexpired key with this hash.
pub fn find_usable<'s>(state: &'s State, hash: &str, now: i64) -> Option<&'s StoredKey> {
    state
        .openrouter
        .iter()
        .find(|k| k.hash == hash && !k.disabled && !k.expired(now))
}

// ---- request validation -----------------------------------------------------------------------

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(message)
}

fn type_error(key: &str, kind: Kind) -> ApiError {
    invalid(format!(
        "Invalid request parameters: {key} must be {}",
        kind.describe()
    ))
}

fn body_object(req: &Request) -> Result<Map<String, Value>, ApiError> {
    match parse_body(req) {
        Ok(Some(Value::Object(o))) => Ok(o),
        Ok(Some(_)) => Err(invalid(
            "Invalid request parameters: body must be a JSON object",
        )),
        Ok(None) => Err(invalid(
            "Invalid request parameters: request body is required",
        )),
        Err(e) => Err(invalid(format!("Invalid JSON body: {e}"))),
    }
}

fn read(obj: &Map<String, Value>, key: &str, kind: Kind) -> Result<Field<Value>, ApiError> {
    field(obj, key, kind).map_err(|k| type_error(key, k))
}

fn read_limit(obj: &Map<String, Value>) -> Result<Field<f64>, ApiError> {
    match read(obj, "limit", Kind::Number)? {
        Field::Set(v) => match v.as_f64() {
            Some(x) if x >= 0.0 => Ok(Field::Set(x)),
            _ => Err(invalid(
                "Invalid request parameters: limit must be a non-negative number or null",
            )),
        },
        Field::Null => Ok(Field::Null),
        Field::Absent => Ok(Field::Absent),
    }
}

fn read_limit_reset(obj: &Map<String, Value>) -> Result<Field<String>, ApiError> {
    let f = as_string(read(obj, "limit_reset", Kind::String)?);
    if let Field::Set(s) = &f {
        if !LIMIT_RESETS.contains(&s.as_str()) {
            return Err(invalid(
                "Invalid request parameters: limit_reset must be daily, weekly, monthly or null",
            ));
        }
    }
    Ok(f)
}

fn read_bool(obj: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match read(obj, key, Kind::Boolean)? {
        Field::Set(v) => Ok(v.as_bool()),
        Field::Null => Err(type_error(key, Kind::Boolean)),
        Field::Absent => Ok(None),
    }
}

/// `expires_at`: an RFC 3339 UTC instant in the future, stored normalized.
fn read_expires_at(obj: &Map<String, Value>, now: i64) -> Result<Option<String>, ApiError> {
    let Some(s) = as_string(read(obj, "expires_at", Kind::String)?).into_option() else {
        return Ok(None);
    };
    let parsed = time::parse_rfc3339(&s).ok_or_else(|| {
        invalid("Invalid request parameters: expires_at must be an ISO 8601 date-time")
    })?;
    if parsed.offset_min != 0 {
        return Err(invalid(
            "Invalid request parameters: expires_at must be in UTC",
        ));
    }
    if parsed.ms <= now {
        return Err(invalid(
            "Invalid request parameters: expires_at must be in the future",
        ));
    }
    Ok(Some(time::rfc3339(parsed.ms)))
}

// ---- route handlers ---------------------------------------------------------------------------

/// Routes a request below [`PREFIX`].
pub fn handle(ctx: &Ctx, req: &Request, sub: &str) -> Result<Response, ApiError> {
    let segs = segments(sub);
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["key"]) => current_key(ctx, req),
        (_, ["key"]) => Err(ApiError::method_not_allowed()),
        (m, ["keys", rest @ ..]) if rest.len() <= 1 => {
            require_management(ctx, req)?;
            match (m, rest) {
                ("GET", []) => list(ctx, req),
                ("POST", []) => create(ctx, req),
                ("GET", [hash]) => get(ctx, hash),
                ("PATCH", [hash]) => update(ctx, req, hash),
                ("DELETE", [hash]) => delete(ctx, hash),
                _ => Err(ApiError::method_not_allowed()),
            }
        }
        _ => Err(ApiError::not_found("Not Found")),
    }
}

fn ok(status: u16, body: Value) -> Result<Response, ApiError> {
    Ok(Response::json(status, &body))
}

fn not_found() -> ApiError {
    ApiError::not_found("Resource not found")
}

fn current_key(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let token = bearer(req)
        .filter(|t| !t.is_empty())
        .ok_or_else(missing_auth)?;
    if key_matches(Some(token), MANAGEMENT_KEY) {
        return ok(200, json!({"data": management_current()}));
    }
    let hash = ids::sha256_hex(token);
    let current = ctx
        .store
        .read(|s| find_usable(s, &hash, ctx.now).map(StoredKey::to_current));
    current.map_or_else(
        || Err(ApiError::unauthorized("User not found.")),
        |c| ok(200, json!({"data": c})),
    )
}

fn list(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let include_disabled = match req.query("include_disabled") {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(invalid(
                "Invalid request parameters: include_disabled must be true or false",
            ))
        }
    };
    let offset = match req.query("offset") {
        None | Some("") => 0,
        Some(o) => o.parse::<usize>().map_err(|_| {
            invalid("Invalid request parameters: offset must be a non-negative integer")
        })?,
    };
    let workspace = req
        .query("workspace_id")
        .filter(|w| !w.is_empty())
        .unwrap_or(DEFAULT_WORKSPACE);
    if !ids::is_uuid(workspace) {
        return Err(invalid(
            "Invalid request parameters: workspace_id must be a UUID",
        ));
    }
    let page: Vec<Value> = ctx.store.read(|s| {
        s.openrouter
            .iter()
            .rev()
            .filter(|k| k.workspace_id == workspace && (include_disabled || !k.disabled))
            .skip(offset)
            .take(ctx.page_size)
            .map(StoredKey::to_wire)
            .collect()
    });
    ok(200, json!({"data": page}))
}

fn create(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let body = body_object(req)?;
    let name = match as_string(read(&body, "name", Kind::String)?) {
        Field::Set(n) if !n.is_empty() => n,
        _ => return Err(invalid("Invalid request parameters: name is required")),
    };
    let (mut key, secret) = StoredKey::new_plain(&name, ctx.now);
    key.limit = read_limit(&body)?.into_option();
    key.limit_reset = read_limit_reset(&body)?.into_option();
    key.include_byok_in_limit = read_bool(&body, "include_byok_in_limit")?.unwrap_or(false);
    key.expires_at = read_expires_at(&body, ctx.now)?;
    key.creator_user_id = match as_string(read(&body, "creator_user_id", Kind::String)?) {
        Field::Set(c) if c.is_empty() => {
            return Err(invalid(
                "Invalid request parameters: creator_user_id must not be empty",
            ))
        }
        f => f.into_option(),
    };
    if let Field::Set(w) = as_string(read(&body, "workspace_id", Kind::String)?) {
        if !ids::is_uuid(&w) {
            return Err(invalid(
                "Invalid request parameters: workspace_id must be a UUID",
            ));
        }
        key.workspace_id = w;
    }
    let wire = key.to_wire();
    ctx.store.mutate(|s| {
        s.openrouter.push(key);
        Ok(())
    })?;
    ok(201, json!({"data": wire, "key": secret}))
}

fn get(ctx: &Ctx, hash: &str) -> Result<Response, ApiError> {
    let key = ctx.store.read(|s| {
        s.openrouter
            .iter()
            .find(|k| k.hash == hash)
            .map(StoredKey::to_wire)
    });
    key.map_or_else(|| Err(not_found()), |k| ok(200, json!({"data": k})))
}

fn update(ctx: &Ctx, req: &Request, hash: &str) -> Result<Response, ApiError> {
    let body = body_object(req)?;
    let name = match as_string(read(&body, "name", Kind::String)?) {
        Field::Null => return Err(type_error("name", Kind::String)),
        f => f.into_option(),
    };
    let disabled = read_bool(&body, "disabled")?;
    let byok = read_bool(&body, "include_byok_in_limit")?;
    let limit = read_limit(&body)?;
    let limit_reset = read_limit_reset(&body)?;
    let now = time::rfc3339(ctx.now);
    let wire = ctx.store.mutate(|s| {
        let key = s
            .openrouter
            .iter_mut()
            .find(|k| k.hash == hash)
            .ok_or_else(not_found)?;
        if let Some(n) = name {
            key.name = n;
        }
        key.disabled = disabled.unwrap_or(key.disabled);
        key.include_byok_in_limit = byok.unwrap_or(key.include_byok_in_limit);
        key.limit = limit.or_keep(key.limit);
        key.limit_reset = limit_reset.or_keep(key.limit_reset.take());
        key.updated_at = Some(now);
        Ok(key.to_wire())
    })?;
    ok(200, json!({"data": wire}))
}

fn delete(ctx: &Ctx, hash: &str) -> Result<Response, ApiError> {
    ctx.store.mutate(|s| {
        let i = s
            .openrouter
            .iter()
            .position(|k| k.hash == hash)
            .ok_or_else(not_found)?;
        s.openrouter.remove(i);
        Ok(())
    })?;
    ok(200, json!({"deleted": true}))
}

// ---- auth -------------------------------------------------------------------------------------

fn missing_auth() -> ApiError {
    ApiError::unauthorized("Missing Authentication header")
}

/// `/keys*` need the management key; a valid ordinary key gets 403.
fn require_management(ctx: &Ctx, req: &Request) -> Result<(), ApiError> {
    let token = bearer(req)
        .filter(|t| !t.is_empty())
        .ok_or_else(missing_auth)?;
    if key_matches(Some(token), MANAGEMENT_KEY) {
        return Ok(());
    }
    let hash = ids::sha256_hex(token);
    if ctx.store.read(|s| find_usable(s, &hash, ctx.now).is_some()) {
        return Err(ApiError::forbidden(
            "Only management keys can perform this operation",
        ));
    }
    Err(ApiError::unauthorized("User not found."))
}

// ---- error envelope ---------------------------------------------------------------------------

/// `{"error":{"code":status,"message":...}}`; HTTP status = `error.code`.
pub fn render_error(err: &ApiError) -> Response {
    Response::json(
        err.status,
        &json!({"error": {"code": err.status, "message": err.message}}),
    )
}

// ---- seed data --------------------------------------------------------------------------------

fn seed_key(i: usize, name: &str, days_ago: i64, now: i64) -> StoredKey {
    let secret = format!(
        "{SECRET_PREFIX}{}",
        ids::hex(&ids::seeded(&format!("openrouter-{i}")))
    );
    let mut key = StoredKey::from_secret(secret, name, now - days_ago * time::DAY_MS).0;
    key.creator_user_id = Some("user_2dHFtVWx2n56w6HkM0000000000".into());
    key
}

/// Production (monthly budget, usage), CI, a disabled legacy key, a daily-capped expiring key.
pub fn seed(now: i64) -> Vec<StoredKey> {
    let mut prod = seed_key(0, "Production", 90, now);
    prod.limit = Some(100.0);
    prod.limit_reset = Some("monthly".into());
    prod.usage = Usage {
        total: 25.5,
        daily: 1.25,
        weekly: 6.8,
        monthly: 25.5,
    };
    prod.byok_usage = Usage {
        total: 17.38,
        daily: 0.5,
        weekly: 3.1,
        monthly: 17.38,
    };
    prod.updated_at = Some(time::rfc3339(now - 10 * time::DAY_MS));
    let mut ci = seed_key(1, "CI", 60, now);
    ci.usage = Usage {
        total: 3.75,
        daily: 0.0,
        weekly: 0.42,
        monthly: 1.9,
    };
    let mut legacy = seed_key(2, "Legacy (disabled)", 30, now);
    legacy.disabled = true;
    legacy.usage = Usage {
        total: 112.04,
        daily: 0.0,
        weekly: 0.0,
        monthly: 0.0,
    };
    let mut staging = seed_key(3, "Staging (budget)", 7, now);
    staging.limit = Some(20.0);
    staging.limit_reset = Some("daily".into());
    staging.include_byok_in_limit = true;
    staging.usage = Usage {
        total: 8.5,
        daily: 2.5,
        weekly: 8.5,
        monthly: 8.5,
    };
    staging.expires_at = Some(time::rfc3339(now + 365 * time::DAY_MS));
    vec![prod, ci, legacy, staging]
}

// ---- tests ------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use serde_json::{json, Value};

    const KEY_FIELDS: [&str; 20] = [
        "hash",
        "name",
        "label",
        "disabled",
        "limit",
        "limit_remaining",
        "limit_reset",
        "include_byok_in_limit",
        "usage",
        "usage_daily",
        "usage_weekly",
        "usage_monthly",
        "byok_usage",
        "byok_usage_daily",
        "byok_usage_weekly",
        "byok_usage_monthly",
        "created_at",
        "updated_at",
        "creator_user_id",
        "workspace_id",
    ];

    fn assert_key_shape(k: &Value) {
        for f in KEY_FIELDS.iter().chain(&["expires_at", "external_user"]) {
            assert!(k.get(*f).is_some(), "missing {f} in {k}");
        }
        assert_eq!(k.as_object().unwrap().len(), 22);
    }

    fn create(app: &crate::app::App, body: Value) -> (u16, Value) {
        let r = call(app, or_post("/keys", body));
        (r.status, r.json_body())
    }

    #[test]
    fn list_excludes_disabled_unless_asked() {
        let app = app();
        let r = call(&app, or_get("/keys"));
        assert_eq!(r.status, 200);
        let data = r.json_body()["data"].as_array().unwrap().clone();
        assert_eq!(data.len(), 3);
        data.iter().for_each(assert_key_shape);
        assert_eq!(data[0]["name"], "Staging (budget)", "newest first");
        let all = call(&app, or_get("/keys?include_disabled=true")).json_body();
        assert_eq!(all["data"].as_array().unwrap().len(), 4);
        assert_eq!(
            call(&app, or_get("/keys?include_disabled=false")).json_body()["data"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            call(&app, or_get("/keys?include_disabled=maybe")).status,
            400
        );
    }

    #[test]
    fn list_pages_by_offset() {
        let app = app();
        app.store
            .mutate(|s| {
                crate::providers::ProviderId::OpenRouter.bulk_create(s, 250, "bulk", 0);
                Ok(())
            })
            .unwrap();
        let page = |o: usize| {
            call(&app, or_get(&format!("/keys?offset={o}"))).json_body()["data"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!(
            (page(0), page(100), page(200), page(300)),
            (100, 100, 53, 0)
        );
        assert_eq!(call(&app, or_get("/keys?offset=-1")).status, 400);
        assert_eq!(call(&app, or_get("/keys?workspace_id=nope")).status, 400);
        let other = "11111111-2222-4333-8444-555555555555";
        assert_eq!(
            call(&app, or_get(&format!("/keys?workspace_id={other}"))).json_body()["data"],
            json!([])
        );
    }

    #[test]
    fn create_get_update_delete() {
        let app = app();
        let (status, body) = create(
            &app,
            json!({"name": "My New API Key", "limit": 50, "limit_reset": "monthly",
            "include_byok_in_limit": true, "expires_at": "2999-12-31T23:59:59Z"}),
        );
        assert_eq!(status, 201);
        let secret = body["key"].as_str().unwrap();
        assert!(secret.starts_with("sk-or-v1-") && secret.len() == 9 + 64);
        assert_key_shape(&body["data"]);
        let hash = body["data"]["hash"].as_str().unwrap().to_string();
        assert_eq!(hash, crate::ids::sha256_hex(secret));
        assert_eq!(
            (
                body["data"]["limit"].clone(),
                body["data"]["limit_remaining"].clone()
            ),
            (json!(50), json!(50))
        );
        assert_eq!(body["data"]["updated_at"], Value::Null);

        let got = call(&app, or_get(&format!("/keys/{hash}")));
        assert_eq!(got.json_body()["data"]["name"], "My New API Key");

        let patched = call(
            &app,
            with_json(
                or_req("PATCH", &format!("/keys/{hash}")),
                json!({"name": "Renamed", "disabled": true, "limit": null}),
            ),
        );
        assert_eq!(patched.status, 200);
        let d = patched.json_body()["data"].clone();
        assert_eq!(
            (
                d["name"].as_str(),
                d["disabled"].as_bool(),
                d["limit"].is_null()
            ),
            (Some("Renamed"), Some(true), true)
        );
        assert!(d["updated_at"].is_string());
        assert_eq!(d["limit_reset"], "monthly", "absent fields unchanged");

        let del = call(&app, or_req("DELETE", &format!("/keys/{hash}")));
        assert_eq!(
            (del.status, del.json_body()),
            (200, json!({"deleted": true}))
        );
        assert_eq!(call(&app, or_get(&format!("/keys/{hash}"))).status, 404);
        assert_eq!(
            call(&app, or_req("DELETE", &format!("/keys/{hash}"))).json_body()["error"]["code"],
            404
        );
    }

    #[test]
    fn create_validation() {
        let app = app();
        for bad in [
            json!({}),
            json!({"name": ""}),
            json!({"name": 5}),
            json!({"name": "x", "limit": -1}),
            json!({"name": "x", "limit": "10"}),
            json!({"name": "x", "limit_reset": "yearly"}),
            json!({"name": "x", "expires_at": "2999-01-01T00:00:00+02:00"}),
            json!({"name": "x", "expires_at": "2001-01-01T00:00:00Z"}),
            json!({"name": "x", "expires_at": "soon"}),
            json!({"name": "x", "include_byok_in_limit": "yes"}),
            json!({"name": "x", "workspace_id": "w"}),
            json!([1]),
        ] {
            let (status, body) = create(&app, bad.clone());
            assert_eq!(status, 400, "{bad}");
            assert_eq!(body["error"]["code"], 400);
        }
        let r = call(&app, or_req("POST", "/keys").with_body("{not json"));
        assert_eq!(r.status, 400);
        assert_eq!(
            create(
                &app,
                json!({"name": "x", "limit": null, "limit_reset": null})
            )
            .0,
            201
        );
    }

    #[test]
    fn auth_failures() {
        let app = app();
        let r = call(&app, req("GET", "/openrouter/api/v1/keys"));
        assert_eq!(
            (r.status, r.json_body()),
            (
                401,
                json!({"error": {"code": 401, "message": "Missing Authentication header"}})
            )
        );
        let r = call(
            &app,
            req("GET", "/openrouter/api/v1/keys")
                .with_header("authorization", "Bearer sk-or-v1-wrong"),
        );
        assert_eq!(r.status, 401);
        let (_, body) = create(&app, json!({"name": "ordinary"}));
        let secret = body["key"].as_str().unwrap();
        let r = call(
            &app,
            req("POST", "/openrouter/api/v1/keys")
                .with_header("authorization", &format!("Bearer {secret}")),
        );
        assert_eq!(r.status, 403);
    }

    #[test]
    fn current_key_for_management_and_ordinary_keys() {
        let app = app();
        let r = call(&app, or_get("/key"));
        assert_eq!(r.status, 200);
        let d = r.json_body()["data"].clone();
        assert_eq!(d["is_management_key"], true);
        assert!(d.get("hash").is_none() && d.get("rate_limit").is_some());
        assert_eq!(d["workspace_id"], super::DEFAULT_WORKSPACE, "the SDK's CurrentKey requires it");
        let (_, body) = create(&app, json!({"name": "ordinary", "limit": 5}));
        let secret = body["key"].as_str().unwrap().to_string();
        let get_key = |s: &str| {
            call(
                &app,
                req("GET", "/openrouter/api/v1/key")
                    .with_header("authorization", &format!("Bearer {s}")),
            )
        };
        let d = get_key(&secret).json_body()["data"].clone();
        assert_eq!(
            (d["is_management_key"].as_bool(), d["limit"].as_i64()),
            (Some(false), Some(5))
        );
        let hash = body["data"]["hash"].as_str().unwrap();
        call(
            &app,
            with_json(
                or_req("PATCH", &format!("/keys/{hash}")),
                json!({"disabled": true}),
            ),
        );
        assert_eq!(get_key(&secret).status, 401);
    }

    #[test]
    fn unknown_route_and_method() {
        let app = app();
        assert_eq!(call(&app, or_get("/nope")).status, 404);
        assert_eq!(
            call(&app, or_req("PUT", "/keys")).json_body()["error"]["code"],
            405
        );
    }
}
