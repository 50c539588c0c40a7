//! Fluxbase client keys (`/api/v1/client-keys`, or the older `/api/v1/api-keys`
//! with `routes: "api-keys"`), per providers.md §5. Self-hosted: `baseUrl` is required.
//!
//! The server answers `update` and `revoke` with `{"success":true,"message":…}` only,
//! so both read the key back with a `GET` (stage 1). `revoke` is permanent
//! (`revoked_at` is set); `delete` removes the key (204). There is no paging: one
//! `GET` returns every key. Errors are flat `{"error":"…"}`.

use crate::prelude::*;
use crate::error::Error;
use crate::json::{Json, Node};
use crate::model::{ApiKey, CreatedKey, Hide, RawAt, KeyPatch, KeyStatus, NewKey, Page, RateLimit, RateLimitInput, Secret};
use crate::operation::{list_fields, new_key_fields, patch_fields, refuse_fields, Call, Operation};
use crate::providers::{bearer, text, texts, is_past, json_body, json_object, key_output, key_page, unsupported_operation, Context, Dialect, Offers, Output, Provider, Step};
use crate::validate::{check_future_utc, check_name, check_uuid, check_whole_in, quoted_list, Problems};
use crate::wire::errors::{seconds_to_ms, Envelope};
use crate::wire::fields::{object, opt_f64, opt_str, opt_strings, req_str};
use crate::wire::path::{join, Query, Segment};
use crate::wire::redact::quoted;
use crate::wire::{HttpRequest, HttpResponse, Method};

// ---- constants and paths ----

const NAME: &str = "Fluxbase";
const CREATE_FIELDS: [&str; 5] = ["name", "description", "scopes", "rateLimit", "expiresAt"];
const UPDATE_FIELDS: [&str; 4] = ["name", "description", "scopes", "rateLimit"];
const LIST_FIELDS: [&str; 1] = ["userId"];
/// Fluxbase's per-key limit is per minute only.
const RATE_PERIOD_SECONDS: f64 = 60.0;
/// `rate_limit_per_minute` is a Postgres `INTEGER`; 0 would silently become 100.
const MAX_RATE: f64 = 2_147_483_647.0;
const JSON_TYPE: &str = "application/json";

/// Scopes of the `api-keys` routes (`internal/auth/scopes.go` at rc.112).
const API_KEY_SCOPES: [&str; 24] = [
    "read:tables", "write:tables", "read:storage", "write:storage", "read:functions", "execute:functions",
    "read:auth", "write:auth", "read:apikeys", "write:apikeys", "read:webhooks", "write:webhooks",
    "read:monitoring", "realtime:connect", "realtime:broadcast", "read:rpc", "execute:rpc", "read:jobs",
    "write:jobs", "read:ai", "write:ai", "read:secrets", "write:secrets", "*",
];

/// Scopes of the `client-keys` routes: the apikeys pair renamed.
const CLIENT_KEY_SCOPES: [&str; 24] = [
    "read:tables", "write:tables", "read:storage", "write:storage", "read:functions", "execute:functions",
    "read:auth", "write:auth", "read:clientkeys", "write:clientkeys", "read:webhooks", "write:webhooks",
    "read:monitoring", "realtime:connect", "realtime:broadcast", "read:rpc", "execute:rpc", "read:jobs",
    "write:jobs", "read:ai", "write:ai", "read:secrets", "write:secrets", "*",
];

/// The route family chosen by the `routes` option.
#[derive(Clone, Copy)]
struct Routes {
    path: &'static str,
    scopes: &'static [&'static str],
    /// The member holding a key in the SDK's wrapped shapes (`api_key`, `client_key`).
    one: &'static str,
    /// The member holding the list in the SDK's wrapped shape (`api_keys`, `client_keys`).
    many: &'static str,
}

fn routes(cx: &Context<'_>) -> Routes {
    match cx.config.routes.as_str() {
        "api-keys" => Routes { path: "api/v1/api-keys", scopes: &API_KEY_SCOPES, one: "api_key", many: "api_keys" },
        _ => Routes { path: "api/v1/client-keys", scopes: &CLIENT_KEY_SCOPES, one: "client_key", many: "client_keys" },
    }
}

/// The operations the provider offers; the others fail with no request.
pub const OFFERS: Offers = Offers::only(&[
    Operation::List,
    Operation::ListAll,
    Operation::Get,
    Operation::Create,
    Operation::Update,
    Operation::Revoke,
    Operation::Delete,
]);

/// The Fluxbase dialect.
pub struct Fluxbase;

impl Dialect for Fluxbase {
    fn provider(&self) -> Provider {
        Provider::Fluxbase
    }

    /// Self-hosted: there is no default, `baseUrl` is required.
    fn default_base_url(&self) -> &'static str {
        ""
    }

    fn auth_styles(&self) -> &'static [&'static str] {
        &["service-key", "api-key", "bearer"]
    }

    fn check(&self, call: &Call, cx: &Context<'_>, problems: &mut Problems) {
        let scopes = routes(cx).scopes;
        match call {
            Call::List(options) => {
                refuse_fields(&list_fields(options), &LIST_FIELDS, NAME, problems);
                check_uuid(options.user_id.as_deref(), "userId", problems);
            }
            Call::Get(id) | Call::Revoke(id) | Call::Delete(id) => check_key_id(id, problems),
            Call::Create(key) => {
                refuse_fields(&new_key_fields(key), &CREATE_FIELDS, NAME, problems);
                if key.name.is_none() {
                    problems.add("name", "is required");
                }
                check_name(key.name.as_deref(), "name", usize::MAX, problems);
                if key.scopes.is_none() {
                    problems.add("scopes", text!("is required: one or more of ", quoted_list(scopes)));
                }
                check_scopes(key.scopes.as_deref(), scopes, problems);
                check_rate_limit(key.rate_limit.as_ref(), problems);
                check_future_utc(key.expires_at.as_deref(), "expiresAt", cx.now_ms, problems);
            }
            Call::Update(id, patch) => {
                check_key_id(id, problems);
                refuse_fields(&patch_fields(patch), &UPDATE_FIELDS, NAME, problems);
                check_name(patch.name.as_deref(), "name", usize::MAX, problems);
                check_scopes(patch.scopes.as_deref(), scopes, problems);
                check_rate_limit(patch.rate_limit.as_ref(), problems);
            }
            _ => {}
        }
    }

    fn request(&self, call: &Call, stage: u8, cx: &Context<'_>) -> Result<HttpRequest, Error> {
        let base = &cx.config.base_url;
        let path = routes(cx).path;
        let key = |id: &str| join(base, &[Segment::Lit(path), Segment::Id(id)]);
        let request = match (call, stage) {
            (Call::List(options), _) => {
                let mut query = Query::new();
                query.push_opt("user_id", options.user_id.clone());
                cx.request(Method::Get, query.append_to(join(base, &[Segment::Lit(path)])))
            }
            (Call::Create(new), _) => {
                cx.json_request(Method::Post, join(base, &[Segment::Lit(path)]), create_body(new), JSON_TYPE)
            }
            (Call::Update(id, patch), 0) => cx.json_request(Method::Patch, key(id), update_body(patch), JSON_TYPE),
            (Call::Revoke(id), 0) => {
                // Left non-idempotent (POST default): a second revoke's answer is UNVERIFIED.
                let url = join(base, &[Segment::Lit(path), Segment::Id(id), Segment::Lit("revoke")]);
                cx.json_request(Method::Post, url, Json::object(), JSON_TYPE)
            }
            // Stage 1 of update and revoke reads the key back.
            (Call::Get(id) | Call::Update(id, _) | Call::Revoke(id), _) => cx.request(Method::Get, key(id)),
            (Call::Delete(id), _) => cx.request(Method::Delete, key(id)),
            _ => return Err(unsupported_operation(Provider::Fluxbase, call.operation())),
        };
        Ok(with_auth(request, cx))
    }

    fn response(&self, call: &Call, stage: u8, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error> {
        match (call, stage) {
            (Call::Update(..) | Call::Revoke(_), 0) => return acknowledged(call, response, cx),
            // 204 without a body is documented; any 2xx body is accepted too.
            (Call::Delete(_), _) => return Ok(Step::Done(Output::Deleted)),
            _ => {}
        }
        let (body, now) = (json_body(response)?, cx.now_ms);
        let output = match call {
            Call::List(_) => parse_list(body, routes(cx), now).map(Output::Page),
            Call::Create(_) => parse_created(body, routes(cx), now),
            // Also stage 1 of update and revoke.
            Call::Get(_) | Call::Update(..) | Call::Revoke(_) => key_output(body, None, parse_key, now),
            _ => Err(unsupported_operation(Provider::Fluxbase, call.operation())),
        };
        output.map(Step::Done)
    }

    fn envelope(&self, body: Node<'_>) -> Envelope {
        read_envelope(body)
    }
}

// ---- request builders ----

/// A key id is a UUID; an empty one is already reported as empty, once.
fn check_key_id(id: &str, problems: &mut Problems) {
    check_uuid(Some(id).filter(|id| !crate::text::is_blank(id)), "id", problems);
}

/// Each scope must be one of the route family's; at least one.
fn check_scopes(given: Option<&[String]>, valid: &[&str], problems: &mut Problems) {
    let Some(given) = given else { return };
    if given.is_empty() {
        problems.add("scopes", text!("must name at least one of ", quoted_list(valid)));
    }
    for (i, scope) in given.iter().enumerate() {
        if !valid.contains(&scope.as_str()) {
            problems.add(&text!("scopes[", i, "]"), text!("must be one of ", quoted_list(valid)));
        }
    }
}

/// Requests per minute: a whole number of at least 1, over 60 seconds.
fn check_rate_limit(rate: Option<&RateLimitInput>, problems: &mut Problems) {
    let Some(rate) = rate else { return };
    check_whole_in(rate.requests, "rateLimit.requests", 1.0, MAX_RATE, problems);
    if rate.period_seconds.is_some_and(|seconds| seconds != RATE_PERIOD_SECONDS) {
        problems.add("rateLimit.periodSeconds", "must be 60: Fluxbase limits requests per minute");
    }
}

fn create_body(key: &NewKey) -> Json {
    json_object(vec![
        ("name", text(&key.name)),
        ("description", text(&key.description)),
        ("scopes", texts(&key.scopes)),
        ("rate_limit_per_minute", key.rate_limit.as_ref().and_then(|r| r.requests).map(Json::from)),
        ("expires_at", text(&key.expires_at)),
    ])
}

fn update_body(patch: &KeyPatch) -> Json {
    json_object(vec![
        ("name", text(&patch.name)),
        ("description", text(&patch.description)),
        ("scopes", texts(&patch.scopes)),
        ("rate_limit_per_minute", patch.rate_limit.as_ref().and_then(|r| r.requests).map(Json::from)),
    ])
}

fn with_auth(request: HttpRequest, cx: &Context<'_>) -> HttpRequest {
    let key = cx.config.api_key();
    let request = match cx.config.auth_style.as_str() {
        "api-key" => request.header("x-api-key", key),
        "bearer" => request.header("authorization", bearer(key)),
        _ => request.header("x-service-key", key),
    };
    request.header("accept", JSON_TYPE)
}

// ---- response parsers ----

/// Stage 0 of update and revoke: a key object finishes; `{success,message}` (or no
/// body) asks for the key with a `GET`.
fn acknowledged(call: &Call, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error> {
    let body = response.json();
    if let Some(key) = body.filter(|b| b.get("id").is_some()) {
        return key_output(key, None, parse_key, cx.now_ms).map(Step::Done);
    }
    if body.and_then(|b| b.get("success")).and_then(Node::as_bool) == Some(false) {
        let message = body.and_then(|b| opt_str(b, "message").or_else(|| opt_str(b, "error")));
        let mut text = text!("Fluxbase answered HTTP ", response.status, " with success false");
        if let Some(message) = message {
            text.push_str(": ");
            text.push_str(&quoted(&message, &cx.config.secrets()));
        }
        return Err(Error::format_telling_outcome(text));
    }
    Fluxbase.request(call, 1, cx).map(Step::Send)
}

/// The server's bare array, or the SDK's `{api_keys|client_keys: [...], total}`. No keys
/// come as `null`: the server writes an empty Go slice as JSON `null` (its source; not in
/// the reference's table).
fn parse_list(body: Node<'_>, routes: Routes, now_ms: f64) -> Result<Page, Error> {
    if body.is_null() {
        return Ok(Page { items: Vec::new(), next_cursor: None, raw_source: None });
    }
    let member = match body.items() {
        Some(_) => None,
        None => Some([routes.many, "api_keys", "client_keys"].into_iter().find(|m| body.get(m).is_some()).unwrap_or(routes.many)),
    };
    key_page(body, member, "keys", parse_key, now_ms)
}

/// The server's flat key plus `key`, or the SDK's `{api_key|client_key: {...}, key}`.
/// The secret is taken out of `raw`.
fn parse_created(body: Node<'_>, routes: Routes, now_ms: f64) -> Result<Output, Error> {
    let secret = req_str(body, "key")?;
    let wrapped = [routes.one, "api_key", "client_key"].into_iter().find(|m| body.get_present(m).is_some());
    let (key, raw) = match wrapped {
        Some(member) => {
            let key = parse_key(object(body.get(member), routes.one)?, now_ms)?;
            (key, RawAt::untouched(Some(member)))
        }
        None => (parse_key(body, now_ms)?, RawAt { member: None, hide: Hide::Member("key") }),
    };
    Ok(Output::CreatedAt(CreatedKey { key, secret: Secret(secret), replaced_key_id: None }, raw))
}

/// An `APIKey` object: `id` is required, the rest is read when present.
fn parse_key(raw: Node<'_>, now_ms: f64) -> Result<ApiKey, Error> {
    let mut key = ApiKey::new(Provider::Fluxbase.name(), req_str(raw, "id")?, Json::Null);
    key.name = opt_str(raw, "name");
    key.hint = opt_str(raw, "key_prefix");
    key.created_at = opt_str(raw, "created_at");
    key.updated_at = opt_str(raw, "updated_at");
    key.last_used_at = opt_str(raw, "last_used_at");
    key.expires_at = opt_str(raw, "expires_at");
    key.scopes = opt_strings(raw, "scopes");
    key.rate_limit = opt_f64(raw, "rate_limit_per_minute")
        .map(|requests| RateLimit { requests, period_seconds: RATE_PERIOD_SECONDS });
    key.status = status(raw, key.expires_at.as_deref(), now_ms);
    Ok(key)
}

fn status(raw: Node<'_>, expires_at: Option<&str>, now_ms: f64) -> KeyStatus {
    let expired = is_past(expires_at, now_ms);
    if raw.get_present("revoked_at").is_some() {
        KeyStatus::Revoked
    } else if expired {
        KeyStatus::Expired
    } else {
        KeyStatus::Active
    }
}

// ---- error envelope ----

/// Flat `{"error":"…"}`, plus `required_scope` on 403 and
/// `{code,error,message,retry_after}` on 429.
fn read_envelope(body: Node<'_>) -> Envelope {
    let error = body.get("error").and_then(opt_str_or_nested);
    let detail = opt_str(body, "message");
    let not_found = error.as_deref().is_some_and(says_key_not_found);
    let mut message = match (error, detail) {
        (Some(e), Some(m)) if e != m => Some(text!(e, ": ", m)),
        (e, m) => e.or(m),
    };
    if let Some(scope) = opt_str(body, "required_scope") {
        message = Some(text!(message.unwrap_or_else(|| "Insufficient permissions".into()), " (needs ", scope, ")"));
    }
    Envelope {
        code: opt_str(body, "code"),
        not_found,
        message,
        retry_after_ms: seconds_to_ms(body.get("retry_after")),
        ..Envelope::default()
    }
}

/// The server's words for a missing key: a 404's "API key not found" / "Client key not
/// found", and the 500 of an update, revoke or delete of a missing key, "Failed to delete
/// client key: client key not found" (its handler wraps every service error in a 500;
/// seen in its source, not in the reference's table).
fn says_key_not_found(error: &str) -> bool {
    const MISSING: &str = "key not found";
    let ending = error.len().checked_sub(MISSING.len()).and_then(|at| error.get(at..));
    ending.is_some_and(|end| end.eq_ignore_ascii_case(MISSING))
}

/// `error` as a string, or (not documented, tolerated) `{message}`.
fn opt_str_or_nested(error: Node<'_>) -> Option<String> {
    error.as_str().map(str::to_string).or_else(|| opt_str(error, "message"))
}

#[cfg(test)]
mod tests;
