//! Anthropic Admin API keys: `GET /v1/organizations/api_keys` (cursor paging), `GET|POST
//! /v1/organizations/api_keys/{id}`. Creating and deleting are Console-only: 405 here; tests create
//! keys with `POST /_sandbox/anthropic/keys`.
//!
//! Every response carries `request-id: req_…`; errors are
//! `{"type":"error","error":{"type","message"},"request_id"}`. Requests need the admin key
//! (`x-api-key` or `Authorization: Bearer`) and an `anthropic-version` header naming a version the
//! API has (any other: 400, as the API refuses a version it does not know). Lists are newest first.

use super::{bearer, key_matches, parse_body, segments, Ctx};
use crate::error::ApiError;
use crate::http::{Request, Response};
use crate::ids;
use crate::store::State;
use crate::time;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

// ---- constants and paths ----------------------------------------------------------------------

pub const PREFIX: &str = "/anthropic";
pub const MANAGEMENT_KEY: &str = "sk-ant-admin01-sandbox-management-key";
const SECRET_PREFIX: &str = "sk-ant-api03-";
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 1000;
const SETTABLE_STATUSES: [&str; 3] = ["active", "inactive", "archived"];
/// The `anthropic-version`s the reference names (2023-01-01 is the API's first).
const VERSIONS: [&str; 3] = ["2023-01-01", "2023-06-01", "2026-10-21"];
const FILTER_STATUSES: [&str; 4] = ["active", "inactive", "archived", "expired"];

/// A fresh request id, `req_011C…` (24 characters after `req_`).
pub fn request_id() -> String {
    format!("req_011C{}", ids::random_base62(20))
}

// ---- stored and wire shapes -------------------------------------------------------------------

/// Who created a key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedBy {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A stored key; `secret_hash` = SHA-256 of the raw key (never returned by the API).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub created_by: Option<CreatedBy>,
    pub partial_key_hint: Option<String>,
    /// `active`, `inactive` or `archived` (`expired` is derived from `expires_at`).
    pub status: String,
    pub workspace_id: Option<String>,
    pub expires_at: Option<String>,
    pub secret_hash: String,
}

impl StoredKey {
    /// A fresh active key as the Console would create it, and its raw secret.
    pub fn new_plain(name: &str, workspace_id: Option<String>, now: i64) -> (StoredKey, String) {
        let secret = format!("{SECRET_PREFIX}{}AA", ids::random_base62(93));
        let id = format!("apikey_01{}", ids::random_base62(22));
        (
            Self::with_secret(id, &secret, name, workspace_id, now),
            secret,
        )
    }

    fn with_secret(
        id: String,
        secret: &str,
        name: &str,
        workspace_id: Option<String>,
        now: i64,
    ) -> StoredKey {
        let body = &secret[SECRET_PREFIX.len()..];
        StoredKey {
            id,
            name: name.to_string(),
            created_at: time::rfc3339(now),
            created_by: Some(CreatedBy {
                id: "user_01WCz1FkmYMm4gnmykNKUu3Q".into(),
                kind: "user".into(),
            }),
            partial_key_hint: Some(format!(
                "{SECRET_PREFIX}{}...{}",
                &body[..3],
                &body[body.len() - 4..]
            )),
            status: "active".into(),
            workspace_id,
            expires_at: None,
            secret_hash: ids::sha256_hex(secret),
        }
    }

    fn status(&self, now: i64) -> &str {
        let expired = self
            .expires_at
            .as_deref()
            .and_then(time::parse_ms)
            .is_some_and(|t| t <= now);
        if self.status == "active" && expired {
            "expired"
        } else {
            &self.status
        }
    }

    /// The `ApiKey` object, with the newer `principal` (here: its creator, as the actor it
    /// acts for) and `scope` (its workspace, else the organization); how the real API fills
    /// these two for older keys is unverified.
    pub fn to_wire(&self, now: i64) -> Value {
        let principal = self.created_by.as_ref().map(|by| match by.kind.as_str() {
            "service_account" => json!({"type": "service_account_actor", "service_account_id": by.id}),
            _ => json!({"type": "user_actor", "user_id": by.id}),
        });
        let scope = match &self.workspace_id {
            Some(id) => json!({"type": "workspace", "workspace_id": id}),
            None => json!({"type": "organization"}),
        };
        json!({
            "id": self.id, "type": "api_key", "name": self.name, "created_at": self.created_at,
            "created_by": self.created_by, "partial_key_hint": self.partial_key_hint,
            "status": self.status(now), "workspace_id": self.workspace_id, "expires_at": self.expires_at,
            "principal": principal, "scope": scope,
        })
    }
}

/// The active key whose secret hashes to `hash`.
pub fn find_usable<'s>(state: &'s State, hash: &str, now: i64) -> Option<&'s StoredKey> {
    state
        .anthropic
        .iter()
        .find(|k| k.secret_hash == hash && k.status(now) == "active")
}

// ---- request validation -----------------------------------------------------------------------

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(message)
}

/// The list query: limit, one cursor, filters.
#[derive(Debug)]
struct ListQuery {
    limit: usize,
    after_id: Option<String>,
    before_id: Option<String>,
    status: Option<String>,
    workspace_id: Option<String>,
    created_by_user_id: Option<String>,
}

fn read_list_query(req: &Request) -> Result<ListQuery, ApiError> {
    let text = |k: &str| req.query(k).filter(|v| !v.is_empty()).map(String::from);
    let limit = match req.query("limit") {
        None | Some("") => DEFAULT_LIMIT,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n < 1 => {
                return Err(invalid("limit: Input should be greater than or equal to 1"))
            }
            Ok(n) if n > MAX_LIMIT as i64 => {
                return Err(invalid("limit: Input should be less than or equal to 1000"))
            }
            Ok(n) => n as usize,
            Err(_) => return Err(invalid("limit: Input should be a valid integer")),
        },
    };
    let q = ListQuery {
        limit,
        after_id: text("after_id"),
        before_id: text("before_id"),
        status: text("status"),
        workspace_id: text("workspace_id"),
        created_by_user_id: text("created_by_user_id"),
    };
    if q.after_id.is_some() && q.before_id.is_some() {
        return Err(invalid("Only one of before_id and after_id may be given"));
    }
    if q.status
        .as_deref()
        .is_some_and(|s| !FILTER_STATUSES.contains(&s))
    {
        return Err(invalid(
            "status: Input should be 'active', 'inactive', 'archived' or 'expired'",
        ));
    }
    Ok(q)
}

/// The update body: `name` (1–500 characters) and/or `status`; nothing else.
fn read_update(req: &Request) -> Result<(Option<String>, Option<String>), ApiError> {
    let body = match parse_body(req) {
        Ok(Some(Value::Object(o))) => o,
        Ok(Some(_)) => return Err(invalid("body: Input should be a valid dictionary")),
        Ok(None) => return Err(invalid("body: Field required")),
        Err(e) => return Err(invalid(format!("body: Invalid JSON: {e}"))),
    };
    if let Some(k) = body.keys().find(|k| *k != "name" && *k != "status") {
        return Err(invalid(format!("{k}: Extra inputs are not permitted")));
    }
    let name = match body.get("name") {
        None => None,
        Some(Value::String(n)) if (1..=500).contains(&n.chars().count()) => Some(n.clone()),
        Some(Value::String(_)) => {
            return Err(invalid(
                "name: String should have between 1 and 500 characters",
            ))
        }
        Some(_) => return Err(invalid("name: Input should be a valid string")),
    };
    let status = match body.get("status") {
        None => None,
        Some(Value::String(s)) if SETTABLE_STATUSES.contains(&s.as_str()) => Some(s.clone()),
        Some(_) => {
            return Err(invalid(
                "status: Input should be 'active', 'inactive' or 'archived'",
            ))
        }
    };
    Ok((name, status))
}

// ---- route handlers ---------------------------------------------------------------------------

/// Routes a request below [`PREFIX`].
pub fn handle(ctx: &Ctx, req: &Request, sub: &str) -> Result<Response, ApiError> {
    let segs = segments(sub);
    let ["v1", "organizations", "api_keys", rest @ ..] = segs.as_slice() else {
        return Err(ApiError::not_found("Not found"));
    };
    authenticate(req)?;
    match (req.method.as_str(), rest) {
        ("GET", []) => list(ctx, req),
        ("GET", [id]) => get(ctx, id),
        ("POST", [id]) => update(ctx, req, id),
        (_, []) => Err(ApiError { allow: Some("GET"), ..ApiError::method_not_allowed() }),
        (_, [_]) => Err(ApiError { allow: Some("GET, POST"), ..ApiError::method_not_allowed() }),
        _ => Err(ApiError::not_found("Not found")),
    }
}

fn ok(body: Value) -> Result<Response, ApiError> {
    Ok(Response::json(200, &body))
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("API key not found: {id}"))
}

fn matches(k: &StoredKey, q: &ListQuery, now: i64) -> bool {
    q.status.as_deref().is_none_or(|s| k.status(now) == s)
        && q.workspace_id
            .as_deref()
            .is_none_or(|w| k.workspace_id.as_deref() == Some(w))
        && q.created_by_user_id
            .as_deref()
            .is_none_or(|u| k.created_by.as_ref().is_some_and(|c| c.id == u))
}

fn list(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let q = read_list_query(req)?;
    let body = ctx.store.read(|s| -> Result<Value, ApiError> {
        // Newest first; cursors are positions in this full order, so filters never lose them.
        let order: Vec<&StoredKey> = s.anthropic.iter().rev().collect();
        let position = |id: &str| order.iter().position(|k| k.id == id);
        let candidates: Vec<(usize, &StoredKey)> = order
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, k)| matches(k, &q, ctx.now))
            .collect();
        let (page, has_more): (Vec<&StoredKey>, bool) = if let Some(before) = &q.before_id {
            let cut = position(before)
                .ok_or_else(|| invalid(format!("before_id: unknown id {before}")))?;
            let earlier: Vec<&StoredKey> = candidates
                .iter()
                .filter(|(i, _)| *i < cut)
                .map(|(_, k)| *k)
                .collect();
            let start = earlier.len().saturating_sub(q.limit);
            (earlier[start..].to_vec(), start > 0)
        } else {
            let cut = match &q.after_id {
                Some(after) => Some(
                    position(after)
                        .ok_or_else(|| invalid(format!("after_id: unknown id {after}")))?,
                ),
                None => None,
            };
            let later: Vec<&StoredKey> = candidates
                .iter()
                .filter(|(i, _)| cut.is_none_or(|c| *i > c))
                .map(|(_, k)| *k)
                .collect();
            (
                later.iter().take(q.limit).copied().collect(),
                later.len() > q.limit,
            )
        };
        Ok(json!({
            "data": page.iter().map(|k| k.to_wire(ctx.now)).collect::<Vec<_>>(),
            "has_more": has_more,
            "first_id": page.first().map(|k| k.id.clone()),
            "last_id": page.last().map(|k| k.id.clone()),
        }))
    })?;
    ok(body)
}

fn get(ctx: &Ctx, id: &str) -> Result<Response, ApiError> {
    let key = ctx.store.read(|s| {
        s.anthropic
            .iter()
            .find(|k| k.id == id)
            .map(|k| k.to_wire(ctx.now))
    });
    ok(key.ok_or_else(|| not_found(id))?)
}

fn update(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let (name, status) = read_update(req)?;
    let key = ctx.store.mutate(|s| {
        let key = s
            .anthropic
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or_else(|| not_found(id))?;
        if key.status == "archived"
            && (name.is_some() || status.as_deref().is_some_and(|s| s != "archived"))
        {
            return Err(invalid("Archived API keys cannot be modified"));
        }
        if let Some(n) = name {
            key.name = n;
        }
        if let Some(st) = status {
            key.status = st;
        }
        Ok(key.to_wire(ctx.now))
    })?;
    ok(key)
}

// ---- auth -------------------------------------------------------------------------------------

/// The admin key in `x-api-key` (or `Authorization: Bearer`), then `anthropic-version`.
fn authenticate(req: &Request) -> Result<(), ApiError> {
    match req
        .header("x-api-key")
        .or_else(|| bearer(req))
        .filter(|k| !k.is_empty())
    {
        None => return Err(ApiError::unauthorized("x-api-key header is required")),
        Some(k) if !key_matches(Some(k), MANAGEMENT_KEY) => {
            return Err(ApiError::unauthorized("invalid x-api-key"))
        }
        Some(_) => {}
    }
    match req.header("anthropic-version") {
        None | Some("") => Err(invalid("anthropic-version: header is required")),
        Some(v) if !VERSIONS.contains(&v) => Err(invalid(format!(
            "anthropic-version: \"{v}\" is not a valid version (this sandbox knows {})",
            VERSIONS.join(", ")
        ))),
        Some(_) => Ok(()),
    }
}

// ---- error envelope ---------------------------------------------------------------------------

fn error_type(status: u16) -> &'static str {
    match status {
        400 | 405 | 409 | 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    }
}

/// `{"type":"error","error":{"type","message"},"request_id"}`.
pub fn render_error(err: &ApiError, request_id: &str) -> Response {
    let kind = err
        .code
        .clone()
        .unwrap_or_else(|| error_type(err.status).to_string());
    let body = json!({"type": "error", "error": {"type": kind, "message": err.message}, "request_id": request_id});
    let resp = Response::json(err.status, &body);
    match err.allow {
        Some(methods) => resp.with_header("Allow", methods),
        None => resp,
    }
}

// ---- seed data --------------------------------------------------------------------------------

fn seed_key(i: usize, name: &str, workspace: Option<&str>, days_ago: i64, now: i64) -> StoredKey {
    let bytes = ids::seeded(&format!("anthropic-{i}"));
    let secret = format!(
        "{SECRET_PREFIX}{}{}AA",
        ids::base62_from(&bytes),
        ids::base62_from(&ids::sha256(&bytes))
    );
    let id = format!("apikey_01{}", &ids::base62_from(&bytes)[..22]);
    StoredKey::with_secret(
        id,
        &secret,
        name,
        workspace.map(String::from),
        now - days_ago * time::DAY_MS,
    )
}

/// Production (workspace), CI (service account), an inactive key, an archived key.
pub fn seed(now: i64) -> Vec<StoredKey> {
    let prod = seed_key(
        0,
        "Production",
        Some("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"),
        150,
        now,
    );
    let mut ci = seed_key(1, "CI", None, 60, now);
    ci.created_by = Some(CreatedBy {
        id: "svac_01Hk2bC9mXyZ3pQrStUvWxYz".into(),
        kind: "service_account".into(),
    });
    let mut laptop = seed_key(2, "Old laptop", None, 30, now);
    laptop.status = "inactive".into();
    let mut archived = seed_key(3, "Archived (leaked)", None, 10, now);
    archived.status = "archived".into();
    archived.partial_key_hint = None;
    vec![prod, ci, laptop, archived]
}

// ---- tests ------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use serde_json::{json, Value};

    fn list(app: &crate::app::App, q: &str) -> Value {
        let r = call(
            app,
            an_req("GET", &format!("/v1/organizations/api_keys{q}")),
        );
        assert_eq!(r.status, 200, "{q}: {}", r.json_body());
        r.json_body()
    }

    fn ids(v: &Value) -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// The error types of the reference: `overloaded_error` is 529's alone.
    #[test]
    fn server_errors_have_the_reference_types() {
        let app = app();
        for (status, kind) in [(500, "api_error"), (503, "api_error"), (529, "overloaded_error")] {
            add_fault(&app, json!({"provider": "anthropic", "times": 1, "fault": {"status": status}}));
            let r = call(&app, an_req("GET", "/v1/organizations/api_keys"));
            assert_eq!((r.status, r.json_body()["error"]["type"].as_str()), (status, Some(kind)));
        }
    }

    #[test]
    fn list_shape_and_request_id() {
        let app = app();
        let r = call(&app, an_req("GET", "/v1/organizations/api_keys"));
        assert!(r.header("request-id").unwrap().starts_with("req_"));
        let body = r.json_body();
        assert_eq!(body["has_more"], false);
        let data = body["data"].as_array().unwrap();
        assert_eq!(data.len(), 4);
        assert_eq!(data[0]["name"], "Archived (leaked)", "newest first");
        assert_eq!(body["first_id"], data[0]["id"]);
        assert_eq!(body["last_id"], data[3]["id"]);
        let k = &data[3];
        for f in [
            "id",
            "type",
            "name",
            "created_at",
            "created_by",
            "partial_key_hint",
            "status",
            "workspace_id",
            "expires_at",
            "principal",
            "scope",
        ] {
            assert!(k.get(f).is_some(), "{f}");
        }
        for key in data {
            let scope = &key["scope"];
            match key["workspace_id"].as_str() {
                Some(workspace) => assert_eq!((scope["type"].as_str(), scope["workspace_id"].as_str()), (Some("workspace"), Some(workspace))),
                None => assert_eq!(scope["type"], "organization"),
            }
            if let Some(user) = key["created_by"]["id"].as_str().filter(|_| key["created_by"]["type"] == "user") {
                assert_eq!((key["principal"]["type"].as_str(), key["principal"]["user_id"].as_str()), (Some("user_actor"), Some(user)));
            }
        }
        assert!(
            k["id"].as_str().unwrap().starts_with("apikey_01")
                && k["id"].as_str().unwrap().len() == 7 + 24
        );
        assert_eq!(
            list(&app, "?status=active")["data"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            list(&app, "?workspace_id=wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ")["data"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            list(&app, "?created_by_user_id=svac_01Hk2bC9mXyZ3pQrStUvWxYz")["data"][0]["name"],
            "CI"
        );
        assert_eq!(
            list(&app, "?beta=true")["data"].as_array().unwrap().len(),
            4
        );
    }

    #[test]
    fn cursor_paging_both_ways() {
        let app = app();
        app.store
            .mutate(|s| {
                crate::providers::ProviderId::Anthropic.bulk_create(s, 21, "bulk", 0);
                Ok(())
            })
            .unwrap();
        let all = ids(&list(&app, "?limit=1000"));
        assert_eq!(all.len(), 25);
        let mut seen = Vec::new();
        let mut q = "?limit=7".to_string();
        loop {
            let page = list(&app, &q);
            seen.extend(ids(&page));
            if page["has_more"] == false {
                break;
            }
            q = format!("?limit=7&after_id={}", page["last_id"].as_str().unwrap());
        }
        assert_eq!(seen, all);
        let back = list(&app, &format!("?limit=3&before_id={}", all[10]));
        assert_eq!(ids(&back), all[7..10].to_vec());
        assert_eq!(back["has_more"], true);
        let front = list(&app, &format!("?limit=5&before_id={}", all[2]));
        assert_eq!(
            (ids(&front), front["has_more"].as_bool()),
            (all[0..2].to_vec(), Some(false))
        );
    }

    #[test]
    fn list_validation() {
        let app = app();
        for q in [
            "?limit=0",
            "?limit=1001",
            "?limit=x",
            "?status=deleted",
            "?after_id=a&before_id=b",
            "?after_id=apikey_missing",
        ] {
            let r = call(
                &app,
                an_req("GET", &format!("/v1/organizations/api_keys{q}")),
            );
            assert_eq!(r.status, 400, "{q}");
            assert_eq!(r.json_body()["error"]["type"], "invalid_request_error");
        }
    }

    #[test]
    fn update_name_and_status() {
        let app = app();
        let id = list(&app, "?status=active")["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let path = format!("/v1/organizations/api_keys/{id}");
        let r = call(
            &app,
            an_send(
                "POST",
                &path,
                json!({"name": "Renamed", "status": "inactive"}),
            ),
        );
        assert_eq!(r.status, 200);
        assert_eq!(
            (
                r.json_body()["name"].as_str(),
                r.json_body()["status"].as_str()
            ),
            (Some("Renamed"), Some("inactive"))
        );
        assert_eq!(
            call(&app, an_req("GET", &path)).json_body()["name"],
            "Renamed"
        );
        for bad in [
            json!({"name": ""}),
            json!({"name": "x".repeat(501)}),
            json!({"status": "expired"}),
            json!({"nickname": "x"}),
            json!({"name": 3}),
        ] {
            let r = call(&app, an_send("POST", &path, bad.clone()));
            assert_eq!(r.status, 400, "{bad}");
        }
        call(&app, an_send("POST", &path, json!({"status": "archived"})));
        assert_eq!(
            call(&app, an_send("POST", &path, json!({"status": "active"}))).status,
            400
        );
        let r = call(
            &app,
            an_req("GET", "/v1/organizations/api_keys/apikey_nope"),
        );
        assert_eq!(r.status, 404);
        let body = r.json_body();
        assert_eq!(
            (body["type"].as_str(), body["error"]["type"].as_str()),
            (Some("error"), Some("not_found_error"))
        );
        assert_eq!(body["request_id"].as_str(), r.header("request-id"));
    }

    #[test]
    fn create_and_delete_are_not_offered() {
        let app = app();
        let r = call(
            &app,
            an_send("POST", "/v1/organizations/api_keys", json!({"name": "x"})),
        );
        assert_eq!((r.status, r.header("allow")), (405, Some("GET")), "the collection is only read");
        assert_eq!(r.json_body()["type"], "error");
        let id = list(&app, "")["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = call(&app, an_req("DELETE", &format!("/v1/organizations/api_keys/{id}")));
        assert_eq!((r.status, r.header("allow")), (405, Some("GET, POST")));
    }

    #[test]
    fn auth_and_version_header() {
        let app = app();
        let r = call(
            &app,
            req("GET", "/anthropic/v1/organizations/api_keys")
                .with_header("anthropic-version", "2023-06-01"),
        );
        assert_eq!(
            (r.status, r.json_body()["error"]["type"].as_str()),
            (401, Some("authentication_error"))
        );
        let r = call(
            &app,
            req("GET", "/anthropic/v1/organizations/api_keys")
                .with_header("x-api-key", super::MANAGEMENT_KEY),
        );
        assert_eq!(
            (r.status, r.json_body()["error"]["type"].as_str()),
            (400, Some("invalid_request_error"))
        );
        let bearer = req("GET", "/anthropic/v1/organizations/api_keys")
            .with_header(
                "authorization",
                &format!("Bearer {}", super::MANAGEMENT_KEY),
            )
            .with_header("anthropic-version", "2026-10-21");
        assert_eq!(call(&app, bearer).status, 200);
        let r = call(
            &app,
            req("GET", "/anthropic/v1/organizations/api_keys")
                .with_header("x-api-key", super::MANAGEMENT_KEY)
                .with_header("anthropic-version", "2024-06-01"),
        );
        assert_eq!(
            (r.status, r.json_body()["error"]["type"].as_str()),
            (400, Some("invalid_request_error")),
            "a version the API does not have is refused, not served"
        );
    }
}
