//! GPT Core admin API keys (JSON:API, `application/vnd.api+json`) under `/admin/api-keys` (the client
//! API's root paths `/api-keys…` are served too).
//!
//! Bodies are checked against the spec's request schemas: `data`, `attributes` and `relationships`
//! are closed objects, so an unknown member is a 400 whose `source.pointer` names it. Responses
//! carry only the "included by default" attributes unless `fields[api_key]` asks for others;
//! `generated_api_key` appears only on create and rotate. DELETE answers 200
//! `{"meta":{"message":"Deleted successfully"}}`.

use super::{bearer, key_matches, parse_body, segments, Ctx};
use crate::error::ApiError;
use crate::http::{Request, Response};
use crate::ids;
use crate::store::State;
use crate::time;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;

// ---- constants and paths ----------------------------------------------------------------------

pub const PREFIX: &str = "/gptcore";
pub const MANAGEMENT_KEY: &str = "sk_tenant_sandbox_management_key";
pub const MEDIA_TYPE: &str = "application/vnd.api+json";
/// Application of keys created without `application_id`.
pub const DEFAULT_APPLICATION: &str = "5a1d7c3e-0b8f-4c2a-9e61-3f0d2b7a9c10";
/// Tenant of most seed keys (use it with `GET /admin/api-keys/stats?tenant_id=`).
pub const DEFAULT_TENANT: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const API_VERSION: &str = "2025-12-03";
const SECRET_PREFIX: &str = "sk_tenant_";
const DEFAULT_PAGE_LIMIT: usize = 20;
const KEY_TYPES: &[&str] = &["user", "application", "system", "server"];
const PERIODS: &[&str] = &["daily", "weekly", "monthly", "yearly", "lifetime"];

/// Attributes returned by default, in spec order.
const DEFAULT_ATTRS: &[&str] = &[
    "prefix",
    "name",
    "key_type",
    "status",
    "application_id",
    "tenant_id",
    "user_id",
    "workspace_id",
    "scopes",
    "expires_at",
    "last_used_at",
    "total_requests",
    "total_credits_used",
    "rate_limit_requests",
    "rate_limit_period_seconds",
    "credit_limit",
    "credit_limit_period",
    "period_credits_used",
    "period_started_at",
];
/// Attributes only returned when asked for via `fields[api_key]` (by every read, `stats` too:
/// the spec marks none of them "included by default").
const EXTRA_ATTRS: &[&str] = &[
    "budget_remaining",
    "budget_resets_at",
    "current_scopes",
    "generated_api_key",
];
/// Attributes that `sort` rejects.
const UNSORTABLE: &[&str] = &[
    "scopes",
    "current_scopes",
    "budget_remaining",
    "budget_resets_at",
    "generated_api_key",
];

// ---- stored and wire shapes -------------------------------------------------------------------

/// A stored key; `secret_hash` = SHA-256 of the raw key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub id: String,
    pub prefix: String,
    pub name: Option<String>,
    pub key_type: String,
    pub revoked: bool,
    pub application_id: String,
    pub tenant_id: Option<String>,
    pub user_id: Option<String>,
    pub workspace_id: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub total_requests: i64,
    pub total_credits_used: i64,
    pub rate_limit_requests: i64,
    pub rate_limit_period_seconds: i64,
    pub credit_limit: Option<i64>,
    pub credit_limit_period: Option<String>,
    pub period_credits_used: i64,
    pub period_started_at: Option<String>,
    pub secret_hash: String,
    pub created_at: String,
}

/// Which attributes a response shows.
#[derive(Debug, Default)]
struct View {
    /// `fields[api_key]`: exactly these attributes.
    fields: Option<Vec<String>>,
    /// The raw key, on create and rotate.
    generated: Option<String>,
}

impl StoredKey {
    /// A fresh active key with defaults, and its raw secret.
    pub fn new_plain(name: &str, now: i64) -> (StoredKey, String) {
        let secret = format!("{SECRET_PREFIX}{}", ids::random_base62(32));
        (
            Self::with_secret(ids::uuid_v4(), &secret, Some(name.to_string()), now),
            secret,
        )
    }

    fn with_secret(id: String, secret: &str, name: Option<String>, now: i64) -> StoredKey {
        StoredKey {
            id,
            prefix: secret.chars().take(SECRET_PREFIX.len() + 8).collect(),
            name,
            key_type: "user".into(),
            revoked: false,
            application_id: DEFAULT_APPLICATION.into(),
            tenant_id: None,
            user_id: None,
            workspace_id: None,
            scopes: None,
            expires_at: None,
            last_used_at: None,
            total_requests: 0,
            total_credits_used: 0,
            rate_limit_requests: 1000,
            rate_limit_period_seconds: 60,
            credit_limit: None,
            credit_limit_period: None,
            period_credits_used: 0,
            period_started_at: Some(time::rfc3339(now)),
            secret_hash: ids::sha256_hex(secret),
            created_at: time::rfc3339(now),
        }
    }

    fn status(&self, now: i64) -> &'static str {
        if self.revoked {
            "revoked"
        } else if self
            .expires_at
            .as_deref()
            .and_then(time::parse_ms)
            .is_some_and(|t| t <= now)
        {
            "expired"
        } else {
            "active"
        }
    }

    fn budget_resets_at(&self) -> Option<String> {
        let days = match self.credit_limit_period.as_deref()? {
            "daily" => 1,
            "weekly" => 7,
            "monthly" => 30,
            "yearly" => 365,
            _ => return None,
        };
        let start = time::parse_ms(self.period_started_at.as_deref()?)?;
        Some(time::rfc3339(start + days * time::DAY_MS))
    }

    /// Every attribute (without `generated_api_key`).
    fn all_attributes(&self, now: i64) -> Map<String, Value> {
        let mut a = Map::new();
        a.insert("prefix".into(), json!(self.prefix));
        a.insert("name".into(), json!(self.name));
        a.insert("key_type".into(), json!(self.key_type));
        a.insert("status".into(), json!(self.status(now)));
        a.insert("application_id".into(), json!(self.application_id));
        a.insert("tenant_id".into(), json!(self.tenant_id));
        a.insert("user_id".into(), json!(self.user_id));
        a.insert("workspace_id".into(), json!(self.workspace_id));
        a.insert("scopes".into(), json!(self.scopes));
        a.insert("expires_at".into(), json!(self.expires_at));
        a.insert("last_used_at".into(), json!(self.last_used_at));
        a.insert("total_requests".into(), json!(self.total_requests));
        a.insert("total_credits_used".into(), json!(self.total_credits_used));
        a.insert(
            "rate_limit_requests".into(),
            json!(self.rate_limit_requests),
        );
        a.insert(
            "rate_limit_period_seconds".into(),
            json!(self.rate_limit_period_seconds),
        );
        a.insert("credit_limit".into(), json!(self.credit_limit));
        a.insert(
            "credit_limit_period".into(),
            json!(self.credit_limit_period),
        );
        a.insert(
            "period_credits_used".into(),
            json!(self.period_credits_used),
        );
        a.insert("period_started_at".into(), json!(self.period_started_at));
        let remaining = self
            .credit_limit
            .map(|l| (l - self.period_credits_used).max(0));
        a.insert("budget_remaining".into(), json!(remaining));
        a.insert("budget_resets_at".into(), json!(self.budget_resets_at()));
        a.insert("current_scopes".into(), json!(self.scopes));
        a
    }

    fn relationships(&self) -> Value {
        let rel = |kind: &str, id: &Option<String>| json!({"data": id.as_ref().map(|i| json!({"type": kind, "id": i}))});
        json!({
            "account": rel("account", &None),
            "application": rel("application", &Some(self.application_id.clone())),
            "tenant": rel("tenant", &self.tenant_id),
            "user": rel("user", &self.user_id),
            "workspace": rel("workspace", &self.workspace_id),
        })
    }

    fn resource(&self, now: i64, view: &View) -> Value {
        let mut all = self.all_attributes(now);
        let mut attrs = Map::new();
        let wanted: Vec<&str> = match &view.fields {
            Some(f) => f.iter().map(String::as_str).collect(),
            None => DEFAULT_ATTRS.to_vec(),
        };
        for name in wanted {
            if let Some(v) = all.remove(name) {
                attrs.insert(name.to_string(), v);
            }
        }
        // Only when asked, as AshJsonApi shows any attribute not "included by default"
        // (providers.md: whether create/rotate send it unasked is UNVERIFIED; the strict
        // reading catches a client that would lose the secret).
        // Named, it is there: the new secret on a create or rotate, else `null` (string|null).
        let asked = view.fields.as_ref().is_some_and(|f| f.iter().any(|n| n == "generated_api_key"));
        if asked {
            attrs.insert("generated_api_key".into(), json!(view.generated));
        }
        json!({"id": self.id, "type": "api_key", "attributes": attrs, "relationships": self.relationships()})
    }

    /// The resource object with every attribute but the secret (the control API's view:
    /// what a client that names them all in `fields[api_key]` gets).
    pub fn to_wire(&self, now: i64) -> Value {
        let fields = DEFAULT_ATTRS
            .iter()
            .chain(EXTRA_ATTRS)
            .filter(|name| **name != "generated_api_key")
            .map(|name| name.to_string())
            .collect();
        self.resource(
            now,
            &View {
                fields: Some(fields),
                ..View::default()
            },
        )
    }
}

/// The active key whose secret hashes to `hash`.
pub fn find_usable<'s>(state: &'s State, hash: &str, now: i64) -> Option<&'s StoredKey> {
    state
        .gptcore
        .iter()
        .find(|k| k.secret_hash == hash && k.status(now) == "active")
}

// ---- request validation -----------------------------------------------------------------------

/// A writable attribute's JSON type (all are nullable).
#[derive(Debug, Clone, Copy)]
enum AttrType {
    Str,
    Int,
    Uuid,
    StrArray,
    Enum(&'static [&'static str]),
    DateTime,
}

const CREATE_ATTRS: &[(&str, AttrType)] = &[
    ("name", AttrType::Str),
    ("key_type", AttrType::Enum(KEY_TYPES)),
    ("scopes", AttrType::StrArray),
    ("application_id", AttrType::Uuid),
    ("tenant_id", AttrType::Uuid),
    ("user_id", AttrType::Uuid),
    ("workspace_id", AttrType::Uuid),
    ("credit_limit", AttrType::Int),
    ("credit_limit_period", AttrType::Enum(PERIODS)),
    ("rate_limit_requests", AttrType::Int),
    ("rate_limit_period_seconds", AttrType::Int),
    ("expires_at", AttrType::DateTime),
    ("token", AttrType::Str),
];
const UPDATE_ATTRS: &[(&str, AttrType)] = &[
    ("name", AttrType::Str),
    ("scopes", AttrType::StrArray),
    ("credit_limit", AttrType::Int),
    ("credit_limit_period", AttrType::Enum(PERIODS)),
    ("rate_limit_requests", AttrType::Int),
    ("rate_limit_period_seconds", AttrType::Int),
];
const BUDGET_ATTRS: &[(&str, AttrType)] = &[
    ("credit_limit", AttrType::Int),
    ("credit_limit_period", AttrType::Enum(PERIODS)),
];
const RESET_ATTRS: &[(&str, AttrType)] = &[("period_started_at", AttrType::DateTime)];
const ALLOCATE_ATTRS: &[(&str, AttrType)] =
    &[("amount", AttrType::Int), ("description", AttrType::Str)];

fn body_error(pointer: &str, detail: impl Into<String>) -> ApiError {
    ApiError::bad_request(detail).at_pointer(pointer)
}

fn check_attr(name: &str, ty: AttrType, v: &Value) -> Result<(), ApiError> {
    let ok = match (ty, v) {
        (_, Value::Null) => true,
        (AttrType::Str, v) => v.is_string(),
        (AttrType::Int, v) => v.is_i64() || v.is_u64(),
        (AttrType::Uuid, v) => v.as_str().is_some_and(ids::is_uuid),
        (AttrType::StrArray, v) => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        (AttrType::Enum(allowed), v) => v.as_str().is_some_and(|s| allowed.contains(&s)),
        (AttrType::DateTime, v) => v.as_str().is_some_and(|s| time::parse_ms(s).is_some()),
    };
    if ok {
        return Ok(());
    }
    let expected = match ty {
        AttrType::Str => "a string".to_string(),
        AttrType::Int => "an integer".to_string(),
        AttrType::Uuid => "a UUID".to_string(),
        AttrType::StrArray => "an array of strings".to_string(),
        AttrType::Enum(allowed) => format!("one of: {}", allowed.join(", ")),
        AttrType::DateTime => "an ISO 8601 date-time".to_string(),
    };
    Err(body_error(
        &format!("/data/attributes/{name}"),
        format!("{name} must be {expected} or null"),
    ))
}

/// Validates a JSON:API request document and returns its attributes.
///
/// `path_id`: for PATCH, `data.id` is required and must equal it; for POST, `data.id` is refused.
fn read_document(
    req: &Request,
    allowed: &[(&str, AttrType)],
    path_id: Option<&str>,
) -> Result<Map<String, Value>, ApiError> {
    let doc = match parse_body(req) {
        Ok(Some(v)) => v,
        Ok(None) => return Ok(Map::new()),
        Err(e) => return Err(body_error("/", format!("Malformed JSON body: {e}"))),
    };
    let doc = doc
        .as_object()
        .ok_or_else(|| body_error("/", "Request body must be a JSON object"))?;
    if let Some(k) = doc.keys().find(|k| *k != "data") {
        return Err(body_error(&format!("/{k}"), format!("Unknown member: {k}")));
    }
    let data = doc
        .get("data")
        .ok_or_else(|| body_error("/data", "data is required"))?;
    let data = data
        .as_object()
        .ok_or_else(|| body_error("/data", "data must be an object"))?;
    let members: &[&str] = if path_id.is_some() {
        &["id", "type", "attributes", "relationships"]
    } else {
        &["type", "attributes", "relationships"]
    };
    if let Some(k) = data.keys().find(|k| !members.contains(&k.as_str())) {
        return Err(body_error(
            &format!("/data/{k}"),
            format!("Unknown member: {k}"),
        ));
    }
    if data.get("type").is_some_and(|t| t != "api_key") {
        return Err(body_error("/data/type", "type must be \"api_key\""));
    }
    if let Some(id) = path_id {
        match data.get("id") {
            None => return Err(body_error("/data/id", "data.id is required")),
            Some(v) if v.as_str() != Some(id) => {
                return Err(body_error(
                    "/data/id",
                    "data.id must match the id in the URL",
                ))
            }
            _ => {}
        }
    }
    if let Some(rel) = data.get("relationships") {
        let rel = rel
            .as_object()
            .ok_or_else(|| body_error("/data/relationships", "relationships must be an object"))?;
        if let Some(k) = rel.keys().next() {
            return Err(body_error(
                &format!("/data/relationships/{k}"),
                format!("Unknown relationship: {k}"),
            ));
        }
    }
    let attrs = match data.get("attributes") {
        None => return Ok(Map::new()),
        Some(a) => a
            .as_object()
            .ok_or_else(|| body_error("/data/attributes", "attributes must be an object"))?,
    };
    for (name, v) in attrs {
        let ty = allowed.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
        let ty = ty.ok_or_else(|| {
            body_error(
                &format!("/data/attributes/{name}"),
                format!("Unknown attribute: {name}"),
            )
        })?;
        check_attr(name, ty, v)?;
    }
    Ok(attrs.clone())
}

fn str_attr(attrs: &Map<String, Value>, name: &str) -> Option<String> {
    attrs.get(name).and_then(Value::as_str).map(String::from)
}

fn int_attr(attrs: &Map<String, Value>, name: &str) -> Option<i64> {
    attrs.get(name).and_then(Value::as_i64)
}

/// Rejects negative budgets and non-positive rate limits.
fn check_ranges(attrs: &Map<String, Value>) -> Result<(), ApiError> {
    for (name, min) in [
        ("credit_limit", 0),
        ("rate_limit_requests", 1),
        ("rate_limit_period_seconds", 1),
    ] {
        if attrs
            .get(name)
            .is_some_and(|v| !v.is_null() && v.as_i64().is_none_or(|n| n < min))
        {
            return Err(body_error(
                &format!("/data/attributes/{name}"),
                format!("{name} must be at least {min}"),
            ));
        }
    }
    Ok(())
}

fn param_error(parameter: &str, detail: impl Into<String>) -> ApiError {
    ApiError::bad_request(detail).at_parameter(parameter)
}

/// `fields[api_key]=a,b`: the attributes to show, validated.
fn read_view(req: &Request) -> Result<View, ApiError> {
    let Some(list) = req.query("fields[api_key]") else {
        return Ok(View::default());
    };
    let fields: Vec<String> = list
        .split(',')
        .filter(|f| !f.is_empty())
        .map(String::from)
        .collect();
    if let Some(bad) = fields
        .iter()
        .find(|f| !DEFAULT_ATTRS.contains(&f.as_str()) && !EXTRA_ATTRS.contains(&f.as_str()))
    {
        return Err(param_error(
            "fields[api_key]",
            format!("Unknown field: {bad}"),
        ));
    }
    Ok(View {
        fields: Some(fields),
        ..View::default()
    })
}

fn check_include(req: &Request) -> Result<(), ApiError> {
    match req.query("include") {
        Some(inc) if !inc.is_empty() => Err(param_error(
            "include",
            format!("Relationship cannot be included: {inc}"),
        )),
        _ => Ok(()),
    }
}

// ---- listing: filter, sort, page --------------------------------------------------------------

/// `filter[attr]=v`, `filter[attr][eq]=v`, `filter[attr][in][]=v` applied to resource attributes.
fn apply_filters(req: &Request, items: Vec<Value>) -> Result<Vec<Value>, ApiError> {
    let mut items = items;
    let mut in_lists: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in &req.query {
        let Some(rest) = k.strip_prefix("filter[") else {
            continue;
        };
        let parts: Vec<&str> = rest.trim_end_matches(']').split("][").collect();
        let attr = parts[0].to_string();
        if attr != "id" && !DEFAULT_ATTRS.contains(&attr.as_str()) {
            return Err(param_error(
                "filter",
                format!("Unknown filter attribute: {attr}"),
            ));
        }
        match &parts[1..] {
            [] | ["eq"] => items.retain(|r| attr_text(r, &attr) == *v),
            ["in", ""] | ["in"] => match in_lists.iter_mut().find(|(a, _)| *a == attr) {
                Some((_, vals)) => vals.push(v.clone()),
                None => in_lists.push((attr, vec![v.clone()])),
            },
            _ => return Err(param_error("filter", format!("Unsupported filter: {k}"))),
        }
    }
    for (attr, vals) in in_lists {
        items.retain(|r| vals.contains(&attr_text(r, &attr)));
    }
    Ok(items)
}

fn attr_value<'v>(resource: &'v Value, attr: &str) -> &'v Value {
    if attr == "id" {
        &resource["id"]
    } else {
        &resource["attributes"][attr]
    }
}

fn attr_text(resource: &Value, attr: &str) -> String {
    match attr_value(resource, attr) {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    let rank = |v: &Value| match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        _ => 3,
    };
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// `sort=a,-b`, nulls where Postgres puts them (last ascending, first descending), and Ash's
/// `++a` (ascending, nulls first) and `--b` (descending, nulls last).
fn apply_sort(req: &Request, items: &mut [Value]) -> Result<(), ApiError> {
    let Some(sort) = req.query("sort").filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    let mut terms = Vec::new();
    for term in sort.split(',') {
        // (descending, nulls first, attribute)
        let (desc, nulls_first, attr) = if let Some(a) = term.strip_prefix("--") {
            (true, false, a)
        } else if let Some(a) = term.strip_prefix("++") {
            (false, true, a)
        } else if let Some(a) = term.strip_prefix('-') {
            (true, true, a)
        } else {
            (false, false, term)
        };
        let sortable =
            attr == "id" || (DEFAULT_ATTRS.contains(&attr) && !UNSORTABLE.contains(&attr));
        if !sortable {
            return Err(param_error("sort", format!("Invalid sort field: {attr}")));
        }
        terms.push((desc, nulls_first, attr.to_string()));
    }
    items.sort_by(|a, b| {
        terms.iter().fold(Ordering::Equal, |acc, (desc, nulls_first, attr)| {
            acc.then_with(|| {
                let (x, y) = (attr_value(a, attr), attr_value(b, attr));
                match (x.is_null(), y.is_null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) if *nulls_first => Ordering::Less,
                    (true, false) => Ordering::Greater,
                    (false, true) => if *nulls_first { Ordering::Greater } else { Ordering::Less },
                    (false, false) if *desc => compare_values(x, y).reverse(),
                    (false, false) => compare_values(x, y),
                }
            })
        })
    });
    Ok(())
}

fn page_param(req: &Request, name: &str, default: usize, min: usize) -> Result<usize, ApiError> {
    match req.query(name) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= min)
            .ok_or_else(|| param_error(name, format!("{name} must be an integer >= {min}"))),
    }
}

// ---- route handlers ---------------------------------------------------------------------------

/// Routes a request below [`PREFIX`].
pub fn handle(ctx: &Ctx, req: &Request, sub: &str) -> Result<Response, ApiError> {
    let segs = segments(sub);
    let (client_api, segs) = match segs.as_slice() {
        ["admin", rest @ ..] => (false, rest.to_vec()),
        _ => (true, segs),
    };
    let ["api-keys", rest @ ..] = segs.as_slice() else {
        return Err(not_found_route());
    };
    authenticate(req)?;
    if client_api {
        check_application_key(req)?;
    }
    check_include(req)?;
    let m = req.method.as_str();
    let resp = match (m, rest) {
        ("GET", []) => list(ctx, req),
        ("POST", []) => create(ctx, req),
        ("GET", ["stats"]) => stats(ctx, req),
        ("GET", ["active"]) => active(ctx, req),
        (_, ["stats" | "active"]) | (_, []) => Err(ApiError::method_not_allowed()),
        ("GET", [id]) => get(ctx, req, id),
        ("PATCH", [id]) => update(ctx, req, id),
        ("DELETE", [id]) => delete(ctx, id),
        ("PATCH", [id, action]) => action_route(ctx, req, id, action),
        (_, [_]) | (_, [_, "revoke" | "rotate" | "set-budget" | "reset-period" | "allocate"]) => {
            Err(ApiError::method_not_allowed())
        }
        _ => Err(not_found_route()),
    }?;
    Ok(with_version(resp, req))
}

/// The client API's required `x-application-key: <uuid>` (the spec's; what the real server
/// answers without it is unverified: a 400 naming the header here).
fn check_application_key(req: &Request) -> Result<(), ApiError> {
    match req.header("x-application-key") {
        Some(key) if ids::is_uuid(key) => Ok(()),
        _ => Err(param_error("x-application-key", "x-application-key must be the application's UUID")),
    }
}

fn action_route(ctx: &Ctx, req: &Request, id: &str, action: &str) -> Result<Response, ApiError> {
    match action {
        "revoke" => revoke(ctx, req, id),
        "rotate" => rotate(ctx, req, id),
        "set-budget" => set_budget(ctx, req, id),
        "reset-period" => reset_period(ctx, req, id),
        "allocate" => allocate(ctx, req, id),
        _ => Err(not_found_route()),
    }
}

fn not_found_route() -> ApiError {
    ApiError::not_found("No route found")
}

fn not_found_key(id: &str) -> ApiError {
    ApiError::not_found(format!("No api_key record found with `id: {id}`"))
}

/// `X-Api-Version`: the `version=` asked for in `Accept`, else the latest.
fn with_version(resp: Response, req: &Request) -> Response {
    let asked = req
        .header("accept")
        .and_then(|a| a.split(';').find_map(|p| p.trim().strip_prefix("version=")));
    let version = asked.unwrap_or(API_VERSION).trim_matches('"').to_string();
    resp.with_header("X-Api-Version", &version)
}

fn document(status: u16, data: Value, meta: Value) -> Result<Response, ApiError> {
    Ok(Response::json_as(
        status,
        &json!({"data": data, "included": [], "meta": meta}),
        MEDIA_TYPE,
    ))
}

fn list(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let view = read_view(req)?;
    let limit = page_param(req, "page[limit]", DEFAULT_PAGE_LIMIT, 1)?;
    let offset = page_param(req, "page[offset]", 0, 0)?;
    let all = ctx.store.read(|s| {
        s.gptcore
            .iter()
            .map(|k| k.resource(ctx.now, &view))
            .collect::<Vec<_>>()
    });
    let mut items = apply_filters(req, all)?;
    apply_sort(req, &mut items)?;
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    document(
        200,
        json!(page),
        json!({"count": total, "page": {"limit": limit, "offset": offset, "total": total}}),
    )
}

fn filtered_list(
    ctx: &Ctx,
    req: &Request,
    view: View,
    keep: impl Fn(&StoredKey) -> bool,
) -> Result<Response, ApiError> {
    let all = ctx.store.read(|s| {
        s.gptcore
            .iter()
            .filter(|k| keep(k))
            .map(|k| k.resource(ctx.now, &view))
            .collect()
    });
    let mut items = apply_filters(req, all)?;
    apply_sort(req, &mut items)?;
    let count = items.len();
    document(200, json!(items), json!({"count": count}))
}

fn stats(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let tenant = req.query("tenant_id").filter(|t| !t.is_empty());
    let tenant = tenant
        .ok_or_else(|| param_error("tenant_id", "tenant_id is required"))?
        .to_string();
    if !ids::is_uuid(&tenant) {
        return Err(param_error("tenant_id", "tenant_id must be a UUID"));
    }
    let key_type = req.query("key_type").map(String::from);
    if key_type.as_deref().is_some_and(|t| !KEY_TYPES.contains(&t)) {
        return Err(param_error(
            "key_type",
            format!("key_type must be one of: {}", KEY_TYPES.join(", ")),
        ));
    }
    let view = read_view(req)?;
    filtered_list(ctx, req, view, |k| {
        k.tenant_id.as_deref() == Some(tenant.as_str())
            && key_type.as_deref().is_none_or(|t| t == k.key_type)
    })
}

fn active(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let view = read_view(req)?;
    filtered_list(ctx, req, view, |k| k.status(ctx.now) == "active")
}

fn get(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let view = read_view(req)?;
    let found = ctx.store.read(|s| {
        s.gptcore
            .iter()
            .find(|k| k.id == id)
            .map(|k| k.resource(ctx.now, &view))
    });
    document(200, found.ok_or_else(|| not_found_key(id))?, json!({}))
}

fn create(ctx: &Ctx, req: &Request) -> Result<Response, ApiError> {
    let attrs = read_document(req, CREATE_ATTRS, None)?;
    check_ranges(&attrs)?;
    let view = read_view(req)?;
    let secret = match str_attr(&attrs, "token") {
        Some(t) if t.len() >= 16 => t,
        Some(_) => {
            return Err(body_error(
                "/data/attributes/token",
                "token must be at least 16 characters",
            ))
        }
        None => format!("{SECRET_PREFIX}{}", ids::random_base62(32)),
    };
    let mut key =
        StoredKey::with_secret(ids::uuid_v4(), &secret, str_attr(&attrs, "name"), ctx.now);
    key.key_type = str_attr(&attrs, "key_type").unwrap_or(key.key_type);
    key.application_id = str_attr(&attrs, "application_id").unwrap_or(key.application_id);
    key.tenant_id = str_attr(&attrs, "tenant_id");
    key.user_id = str_attr(&attrs, "user_id");
    key.workspace_id = str_attr(&attrs, "workspace_id");
    key.scopes = attrs
        .get("scopes")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    key.expires_at = str_attr(&attrs, "expires_at")
        .and_then(|s| time::parse_ms(&s))
        .map(time::rfc3339);
    key.credit_limit = int_attr(&attrs, "credit_limit");
    key.credit_limit_period = str_attr(&attrs, "credit_limit_period");
    key.rate_limit_requests =
        int_attr(&attrs, "rate_limit_requests").unwrap_or(key.rate_limit_requests);
    key.rate_limit_period_seconds =
        int_attr(&attrs, "rate_limit_period_seconds").unwrap_or(key.rate_limit_period_seconds);
    let body = key.resource(
        ctx.now,
        &View {
            generated: Some(secret),
            ..view
        },
    );
    ctx.store.mutate(|s| {
        if s.gptcore.iter().any(|k| k.secret_hash == key.secret_hash) {
            return Err(body_error(
                "/data/attributes/token",
                "token has already been taken",
            ));
        }
        s.gptcore.push(key);
        Ok(())
    })?;
    document(201, body, json!({}))
}

/// Applies `change` to key `id` and answers with the updated resource.
fn modify(
    ctx: &Ctx,
    req: &Request,
    id: &str,
    change: impl FnOnce(&mut StoredKey) -> Result<Option<String>, ApiError>,
) -> Result<Response, ApiError> {
    let view = read_view(req)?;
    let body = ctx.store.mutate(|s| {
        let key = s
            .gptcore
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or_else(|| not_found_key(id))?;
        let generated = change(key)?;
        Ok(key.resource(ctx.now, &View { generated, ..view }))
    })?;
    document(200, body, json!({}))
}

fn update(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let attrs = read_document(req, UPDATE_ATTRS, Some(id))?;
    check_ranges(&attrs)?;
    modify(ctx, req, id, |k| {
        if attrs.contains_key("name") {
            k.name = str_attr(&attrs, "name");
        }
        if let Some(v) = attrs.get("scopes") {
            k.scopes = serde_json::from_value(v.clone()).ok();
        }
        apply_budget(k, &attrs, ctx.now);
        if attrs.contains_key("rate_limit_requests") {
            k.rate_limit_requests = int_attr(&attrs, "rate_limit_requests").unwrap_or(1000);
        }
        if attrs.contains_key("rate_limit_period_seconds") {
            k.rate_limit_period_seconds =
                int_attr(&attrs, "rate_limit_period_seconds").unwrap_or(60);
        }
        Ok(None)
    })
}

/// `credit_limit` / `credit_limit_period`: absent = unchanged, null = removed.
fn apply_budget(k: &mut StoredKey, attrs: &Map<String, Value>, now: i64) {
    if attrs.contains_key("credit_limit") {
        k.credit_limit = int_attr(attrs, "credit_limit");
    }
    if attrs.contains_key("credit_limit_period") {
        k.credit_limit_period = str_attr(attrs, "credit_limit_period");
    }
    if k.credit_limit.is_some() && k.period_started_at.is_none() {
        k.period_started_at = Some(time::rfc3339(now));
    }
}

fn revoke(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    read_document(req, &[], Some(id))?;
    modify(ctx, req, id, |k| {
        k.revoked = true;
        Ok(None)
    })
}

fn rotate(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    read_document(req, &[], Some(id))?;
    modify(ctx, req, id, |k| {
        if k.revoked {
            return Err(ApiError::bad_request("A revoked API key cannot be rotated"));
        }
        let secret = format!("{SECRET_PREFIX}{}", ids::random_base62(32));
        k.secret_hash = ids::sha256_hex(&secret);
        k.prefix = secret.chars().take(SECRET_PREFIX.len() + 8).collect();
        Ok(Some(secret))
    })
}

fn set_budget(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let attrs = read_document(req, BUDGET_ATTRS, Some(id))?;
    check_ranges(&attrs)?;
    modify(ctx, req, id, |k| {
        apply_budget(k, &attrs, ctx.now);
        Ok(None)
    })
}

fn reset_period(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let attrs = read_document(req, RESET_ATTRS, Some(id))?;
    let started = str_attr(&attrs, "period_started_at")
        .and_then(|s| time::parse_ms(&s))
        .unwrap_or(ctx.now);
    modify(ctx, req, id, |k| {
        k.period_credits_used = 0;
        k.period_started_at = Some(time::rfc3339(started));
        Ok(None)
    })
}

/// Deprecated: raises `credit_limit` by `amount`.
fn allocate(ctx: &Ctx, req: &Request, id: &str) -> Result<Response, ApiError> {
    let attrs = read_document(req, ALLOCATE_ATTRS, Some(id))?;
    let amount = int_attr(&attrs, "amount")
        .ok_or_else(|| body_error("/data/attributes/amount", "amount is required"))?;
    modify(ctx, req, id, |k| {
        k.credit_limit = Some(k.credit_limit.unwrap_or(0).saturating_add(amount).max(0));
        Ok(None)
    })
}

fn delete(ctx: &Ctx, id: &str) -> Result<Response, ApiError> {
    ctx.store.mutate(|s| {
        let i = s
            .gptcore
            .iter()
            .position(|k| k.id == id)
            .ok_or_else(|| not_found_key(id))?;
        s.gptcore.remove(i);
        Ok(())
    })?;
    Ok(Response::json_as(
        200,
        &json!({"meta": {"message": "Deleted successfully"}}),
        MEDIA_TYPE,
    ))
}

// ---- auth -------------------------------------------------------------------------------------

fn authenticate(req: &Request) -> Result<(), ApiError> {
    match bearer(req).filter(|t| !t.is_empty()) {
        None => Err(ApiError::unauthorized(
            "Missing or malformed Authorization header",
        )),
        Some(t) if key_matches(Some(t), MANAGEMENT_KEY) => Ok(()),
        Some(_) => Err(ApiError::unauthorized("Invalid API key")),
    }
}

// ---- error envelope ---------------------------------------------------------------------------

fn title(err: &ApiError) -> &'static str {
    match err.status {
        400 if err
            .pointer
            .as_deref()
            .is_some_and(|p| p.starts_with("/data/attributes/")) =>
        {
            "Invalid Attribute"
        }
        400 if err.pointer.is_some() => "Invalid Body",
        400 if err.parameter.is_some() => "Invalid Query Parameter",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Rate Limit Exceeded",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        s => crate::http::reason(s),
    }
}

/// `{"errors":[{"status","title","detail","source"?,"meta"?}]}` as `application/vnd.api+json`.
pub fn render_error(err: &ApiError) -> Response {
    let mut e = Map::new();
    e.insert("status".into(), json!(err.status.to_string()));
    e.insert("title".into(), json!(title(err)));
    e.insert("detail".into(), json!(err.message));
    if let Some(p) = &err.pointer {
        e.insert("source".into(), json!({"pointer": p}));
    } else if let Some(p) = &err.parameter {
        e.insert("source".into(), json!({"parameter": p}));
    }
    if err.status == 429 {
        e.insert(
            "meta".into(),
            json!({"retry_after": err.retry_after.unwrap_or(60)}),
        );
    }
    Response::json_as(err.status, &json!({"errors": [e]}), MEDIA_TYPE)
}

// ---- seed data --------------------------------------------------------------------------------

fn seed_key(i: usize, name: &str, days_ago: i64, now: i64) -> StoredKey {
    let bytes = ids::seeded(&format!("gptcore-{i}"));
    let secret = format!("{SECRET_PREFIX}{}", ids::base62_from(&bytes));
    let mut k = StoredKey::with_secret(
        ids::uuid_from(&bytes),
        &secret,
        Some(name.into()),
        now - days_ago * time::DAY_MS,
    );
    k.tenant_id = Some(DEFAULT_TENANT.into());
    k
}

/// Production (server, monthly budget), CI (application), a revoked key, a daily-budget key.
pub fn seed(now: i64) -> Vec<StoredKey> {
    let mut prod = seed_key(0, "Production", 120, now);
    prod.key_type = "server".into();
    prod.scopes = Some(vec!["read".into(), "write".into()]);
    prod.total_requests = 48_211;
    prod.total_credits_used = 913_400;
    prod.credit_limit = Some(1_000_000);
    prod.credit_limit_period = Some("monthly".into());
    prod.period_credits_used = 120_500;
    // A month that began 10 days ago (not when the key was made: it would have reset by now).
    prod.period_started_at = Some(time::rfc3339(now - 10 * time::DAY_MS));
    prod.last_used_at = Some(time::rfc3339(now - 3_600_000));
    let mut ci = seed_key(1, "CI", 45, now);
    ci.key_type = "application".into();
    ci.scopes = Some(vec!["read".into()]);
    ci.total_requests = 1_902;
    ci.total_credits_used = 15_320;
    let mut revoked = seed_key(2, "Revoked (legacy)", 200, now);
    revoked.revoked = true;
    revoked.total_requests = 77;
    let mut budget = seed_key(3, "Budgeted", 3, now);
    budget.credit_limit = Some(5_000);
    budget.credit_limit_period = Some("daily".into());
    budget.period_credits_used = 1_200;
    budget.period_started_at = Some(time::rfc3339(now - now.rem_euclid(time::DAY_MS)));
    budget.workspace_id = Some(ids::uuid_from(&ids::seeded("gptcore-workspace")));
    vec![prod, ci, revoked, budget]
}

// ---- tests ------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::{DEFAULT_ATTRS, DEFAULT_TENANT};
    use crate::testutil::*;
    use serde_json::{json, Value};

    /// `fields[api_key]` naming the default attributes and the secret.
    fn with_secret(path: &str) -> String {
        format!("{path}?fields[api_key]={},generated_api_key", DEFAULT_ATTRS.join(","))
    }

    fn create(app: &crate::app::App, attrs: Value) -> crate::http::Response {
        call(
            app,
            gc_send(
                "POST",
                &with_secret("/admin/api-keys"),
                json!({"data": {"type": "api_key", "attributes": attrs}}),
            ),
        )
    }

    fn patch(app: &crate::app::App, path: &str, id: &str, attrs: Value) -> crate::http::Response {
        call(
            app,
            gc_send(
                "PATCH",
                path,
                json!({"data": {"id": id, "type": "api_key", "attributes": attrs}}),
            ),
        )
    }

    fn first_error(r: &crate::http::Response) -> Value {
        r.json_body()["errors"][0].clone()
    }

    #[test]
    fn list_is_jsonapi_with_paging_meta() {
        let app = app();
        let r = call(&app, gc_get("/admin/api-keys"));
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/vnd.api+json"));
        let body = r.json_body();
        assert_eq!(body["included"], json!([]));
        assert_eq!(
            body["meta"]["page"],
            json!({"limit": 20, "offset": 0, "total": 4})
        );
        let first = &body["data"][0];
        assert_eq!(first["type"], "api_key");
        let attrs = first["attributes"].as_object().unwrap();
        assert_eq!(attrs.len(), DEFAULT_ATTRS.len());
        assert!(
            attrs.get("generated_api_key").is_none() && attrs.get("budget_remaining").is_none()
        );
        let page = call(&app, gc_get("/admin/api-keys?page[limit]=3&page[offset]=3")).json_body();
        assert_eq!(page["data"].as_array().unwrap().len(), 1);
        assert_eq!(
            call(&app, gc_get("/admin/api-keys?page[limit]=0")).status,
            400
        );
    }

    #[test]
    fn sort_filter_and_sparse_fields() {
        let app = app();
        let names = |q: &str| -> Vec<String> {
            call(&app, gc_get(&format!("/admin/api-keys?{q}"))).json_body()["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["attributes"]["name"].as_str().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(names("sort=-name")[0], "Revoked (legacy)");
        // Nulls (CI and the revoked key have no limit) where Postgres and Ash put them.
        let limits = |sort: &str| names(&format!("sort={sort},name"));
        assert_eq!(limits("credit_limit"), ["Budgeted", "Production", "CI", "Revoked (legacy)"]);
        assert_eq!(limits("-credit_limit"), ["CI", "Revoked (legacy)", "Production", "Budgeted"]);
        assert_eq!(limits("%2B%2Bcredit_limit"), ["CI", "Revoked (legacy)", "Budgeted", "Production"]);
        assert_eq!(limits("--credit_limit"), ["Production", "Budgeted", "CI", "Revoked (legacy)"]);
        assert_eq!(names("filter[status]=revoked"), vec!["Revoked (legacy)"]);
        assert_eq!(names("filter[key_type][eq]=application"), vec!["CI"]);
        let r = call(
            &app,
            gc_get("/admin/api-keys?fields[api_key]=name,budget_remaining"),
        );
        assert_eq!(
            r.json_body()["data"][0]["attributes"]
                .as_object()
                .unwrap()
                .len(),
            2
        );
        for bad in [
            "sort=scopes",
            "filter[nope]=1",
            "fields[api_key]=nope",
            "include=tenant",
        ] {
            let r = call(&app, gc_get(&format!("/admin/api-keys?{bad}")));
            assert_eq!(r.status, 400, "{bad}");
            assert!(first_error(&r)["source"]["parameter"].is_string(), "{bad}");
        }
    }

    #[test]
    fn create_returns_generated_key_once() {
        let app = app();
        let r = create(
            &app,
            json!({"name": "New", "scopes": ["read"], "credit_limit": 100, "credit_limit_period": "weekly"}),
        );
        assert_eq!(r.status, 201);
        let d = r.json_body()["data"].clone();
        let secret = d["attributes"]["generated_api_key"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(secret.starts_with("sk_tenant_"));
        assert!(secret.starts_with(d["attributes"]["prefix"].as_str().unwrap()));
        assert!(crate::ids::is_uuid(d["id"].as_str().unwrap()));
        let got = call(
            &app,
            gc_get(&format!("/admin/api-keys/{}", d["id"].as_str().unwrap())),
        )
        .json_body();
        assert!(got["data"]["attributes"].get("generated_api_key").is_none());
        assert_eq!(got["data"]["attributes"]["credit_limit_period"], "weekly");
        // Empty body is allowed (requestBody.required: false); unasked, the secret is not shown.
        let unasked = call(&app, gc_req("POST", "/admin/api-keys"));
        assert_eq!(unasked.status, 201);
        assert!(unasked.json_body()["data"]["attributes"].get("generated_api_key").is_none());
    }

    #[test]
    fn create_rejects_schema_violations_with_pointers() {
        let app = app();
        let cases = [
            (
                json!({"data": {"attributes": {"color": "red"}}}),
                "/data/attributes/color",
            ),
            (
                json!({"data": {"attributes": {"credit_limit": "10"}}}),
                "/data/attributes/credit_limit",
            ),
            (
                json!({"data": {"attributes": {"key_type": "robot"}}}),
                "/data/attributes/key_type",
            ),
            (
                json!({"data": {"attributes": {"tenant_id": "t1"}}}),
                "/data/attributes/tenant_id",
            ),
            (
                json!({"data": {"attributes": {"credit_limit": -5}}}),
                "/data/attributes/credit_limit",
            ),
            (json!({"data": {"id": "x", "attributes": {}}}), "/data/id"),
            (json!({"data": {"type": "user"}}), "/data/type"),
            (
                json!({"data": {"relationships": {"tenant": {}}}}),
                "/data/relationships/tenant",
            ),
            (json!({"data": {}, "links": {}}), "/links"),
            (json!({"attributes": {}}), "/attributes"),
            (json!({}), "/data"),
        ];
        for (body, pointer) in cases {
            let r = call(&app, gc_send("POST", "/admin/api-keys", body.clone()));
            assert_eq!(r.status, 400, "{body}");
            assert_eq!(first_error(&r)["source"]["pointer"], pointer, "{body}");
            assert_eq!(first_error(&r)["status"], "400");
        }
        let r = call(&app, gc_req("POST", "/admin/api-keys").with_body("{oops"));
        assert_eq!(r.status, 400);
    }

    #[test]
    fn update_requires_matching_id() {
        let app = app();
        let id = call(&app, gc_get("/admin/api-keys")).json_body()["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = patch(
            &app,
            &format!("/admin/api-keys/{id}"),
            &id,
            json!({"name": "Renamed", "credit_limit": null}),
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.json_body()["data"]["attributes"]["name"], "Renamed");
        assert_eq!(
            r.json_body()["data"]["attributes"]["credit_limit"],
            Value::Null
        );
        let r = patch(&app, &format!("/admin/api-keys/{id}"), "other", json!({}));
        assert_eq!(first_error(&r)["source"]["pointer"], "/data/id");
        let r = call(
            &app,
            gc_send(
                "PATCH",
                &format!("/admin/api-keys/{id}"),
                json!({"data": {"attributes": {}}}),
            ),
        );
        assert_eq!(first_error(&r)["source"]["pointer"], "/data/id");
        let r = patch(
            &app,
            &format!("/admin/api-keys/{id}"),
            &id,
            json!({"key_type": "user"}),
        );
        assert_eq!(
            first_error(&r)["source"]["pointer"],
            "/data/attributes/key_type"
        );
        let missing = "00000000-0000-4000-8000-000000000000";
        assert_eq!(
            patch(
                &app,
                &format!("/admin/api-keys/{missing}"),
                missing,
                json!({})
            )
            .status,
            404
        );
    }

    #[test]
    fn revoke_rotate_budget_reset_delete() {
        let app = app();
        let created = create(&app, json!({"name": "Lifecycle"})).json_body();
        let id = created["data"]["id"].as_str().unwrap().to_string();
        let old = created["data"]["attributes"]["generated_api_key"]
            .as_str()
            .unwrap()
            .to_string();
        let p = |action: &str| format!("/admin/api-keys/{id}/{action}");

        let unasked = patch(&app, &p("rotate"), &id, json!({}));
        assert!(unasked.json_body()["data"]["attributes"].get("generated_api_key").is_none(), "shown only when asked");
        let r = patch(&app, &with_secret(&p("rotate")), &id, json!({}));
        assert_eq!(r.status, 200);
        let new = r.json_body()["data"]["attributes"]["generated_api_key"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(new, old);
        assert_eq!(r.json_body()["data"]["id"], id.as_str());
        app.store.read(|s| {
            let p = crate::providers::ProviderId::GptCore;
            assert!(p.verify(s, &old, 0).is_none());
            assert_eq!(p.verify(s, &new, 0), Some(id.clone()));
        });

        let r = patch(
            &app,
            &p("set-budget"),
            &id,
            json!({"credit_limit": 500, "credit_limit_period": "daily"}),
        );
        assert_eq!(r.json_body()["data"]["attributes"]["credit_limit"], 500);
        assert_eq!(
            patch(
                &app,
                &p("set-budget"),
                &id,
                json!({"credit_limit_period": "hourly"})
            )
            .status,
            400
        );
        let r = patch(
            &app,
            &p("set-budget"),
            &id,
            json!({"credit_limit": null, "credit_limit_period": null}),
        );
        assert_eq!(
            r.json_body()["data"]["attributes"]["credit_limit_period"],
            Value::Null
        );

        let r = patch(
            &app,
            &p("reset-period"),
            &id,
            json!({"period_started_at": "2030-01-01T00:00:00Z"}),
        );
        let a = r.json_body()["data"]["attributes"].clone();
        assert_eq!(
            (
                a["period_credits_used"].as_i64(),
                a["period_started_at"].as_str()
            ),
            (Some(0), Some("2030-01-01T00:00:00.000Z"))
        );

        let r = patch(&app, &p("revoke"), &id, json!({}));
        assert_eq!(r.json_body()["data"]["attributes"]["status"], "revoked");
        assert_eq!(patch(&app, &p("rotate"), &id, json!({})).status, 400);
        let active = call(&app, gc_get("/admin/api-keys/active")).json_body();
        assert!(active["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["attributes"]["status"] == "active"));

        let r = call(&app, gc_req("DELETE", &format!("/admin/api-keys/{id}")));
        assert_eq!(
            (r.status, r.json_body()),
            (200, json!({"meta": {"message": "Deleted successfully"}}))
        );
        assert_eq!(
            call(&app, gc_get(&format!("/admin/api-keys/{id}"))).status,
            404
        );
    }

    #[test]
    fn a_named_secret_is_null_outside_create_and_every_relationship_is_there() {
        let app = app();
        let r = call(&app, gc_get("/admin/api-keys?fields[api_key]=name,generated_api_key"));
        let key = &r.json_body()["data"][0];
        assert_eq!(key["attributes"].get("generated_api_key"), Some(&Value::Null));
        for name in ["account", "application", "tenant", "user", "workspace"] {
            assert!(key["relationships"][name].get("data").is_some(), "{name}");
        }
    }

    #[test]
    fn seeded_budgets_reset_in_the_future() {
        let app = app();
        let r = call(&app, gc_get("/admin/api-keys?fields[api_key]=name,budget_resets_at"));
        let now = crate::time::rfc3339(crate::time::now_ms());
        for key in r.json_body()["data"].as_array().unwrap() {
            if let Some(at) = key["attributes"]["budget_resets_at"].as_str() {
                assert!(at > now.as_str(), "{}: resets at {at}", key["attributes"]["name"]);
            }
        }
    }

    #[test]
    fn stats_needs_tenant_uuid() {
        let app = app();
        let r = call(&app, gc_get("/admin/api-keys/stats"));
        assert_eq!(r.status, 400);
        assert_eq!(first_error(&r)["source"]["parameter"], "tenant_id");
        assert_eq!(
            call(&app, gc_get("/admin/api-keys/stats?tenant_id=abc")).status,
            400
        );
        let r = call(
            &app,
            gc_get(&format!("/admin/api-keys/stats?tenant_id={DEFAULT_TENANT}")),
        );
        let data = r.json_body()["data"].as_array().unwrap().clone();
        assert_eq!(data.len(), 4);
        assert!(data[0]["attributes"].get("budget_remaining").is_none(), "only when asked for");
        let asked = format!("/admin/api-keys/stats?tenant_id={DEFAULT_TENANT}&fields[api_key]=name,budget_remaining");
        let data = call(&app, gc_get(&asked)).json_body()["data"].as_array().unwrap().clone();
        assert!(data[0]["attributes"].get("budget_remaining").is_some());
        let r = call(
            &app,
            gc_get(&format!(
                "/admin/api-keys/stats?tenant_id={DEFAULT_TENANT}&key_type=application"
            )),
        );
        assert_eq!(r.json_body()["data"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn auth_and_routes() {
        let app = app();
        let r = call(&app, req("GET", "/gptcore/admin/api-keys"));
        assert_eq!(r.status, 401);
        assert_eq!(first_error(&r)["title"], "Unauthorized");
        let r = call(
            &app,
            req("GET", "/gptcore/admin/api-keys")
                .with_header("authorization", "Bearer sk_tenant_wrong"),
        );
        assert_eq!(r.status, 401);
        assert_eq!(call(&app, gc_get("/admin/other")).status, 404);
        assert_eq!(call(&app, gc_req("PUT", "/admin/api-keys")).status, 405);
        assert_eq!(call(&app, gc_get("/api-keys")).status, 400, "the client API needs x-application-key");
        let application = gc_get("/api-keys").with_header("x-application-key", "5a1d7c3e-0b8f-4c2a-9e61-3f0d2b7a9c10");
        assert_eq!(call(&app, application).status, 200, "client-API paths too");
        let versioned = req("GET", "/gptcore/admin/api-keys")
            .with_header(
                "authorization",
                &format!("Bearer {}", super::MANAGEMENT_KEY),
            )
            .with_header("accept", "application/vnd.api+json; version=2025-01-15");
        let r = call(&app, versioned);
        assert_eq!(r.header("x-api-version"), Some("2025-01-15"));
    }
}
