//! Anthropic Admin API keys (`/v1/organizations/api_keys`), per providers.md §4.
//!
//! Keys cannot be created or deleted through the API (both live in the Console).
//! "Revoke" maps to status `inactive`, which is reversible: `enable` sets `active`
//! again. `update` can also archive a key (`archived: true`), which is permanent.
//! Paging is by cursor: `after_id=<last_id>` while `has_more`. Errors are
//! `{"type":"error","error":{type,message},"request_id"}`, with a `request-id` header.

use crate::prelude::*;
use crate::error::Error;
use crate::json::{Items, Json, Node};
use crate::model::{ApiKey, KeyPatch, KeyStatus, ListOptions, Page};
use crate::operation::{list_fields, patch_fields, refuse_fields, Call, Operation};
use crate::providers::{bearer, text, is_past, json_body, json_object, key_output, key_page, unsupported_operation, Context, Dialect, Offers, Output, Provider, Step};
use crate::validate::{check_name, check_one_of, check_whole_in, Problems};
use crate::wire::errors::Envelope;
use crate::wire::fields::{opt_bool, opt_str, req_str};
use crate::wire::paging::next_after;
use crate::wire::path::{join, number, Query, Segment};
use crate::wire::{HttpRequest, HttpResponse, Method};

// ---- constants and paths ----

const NAME: &str = "Anthropic Admin API";
const KEYS: &str = "v1/organizations/api_keys";
const LIST_FIELDS: [&str; 5] = ["cursor", "limit", "workspaceId", "createdByUserId", "status"];
const UPDATE_FIELDS: [&str; 3] = ["name", "disabled", "archived"];
/// The `status` filter values of `GET /v1/organizations/api_keys`.
const STATUSES: [&str; 4] = ["active", "inactive", "archived", "expired"];
const MAX_NAME: usize = 500;
const MAX_PAGE: f64 = 1000.0;
const JSON_TYPE: &str = "application/json";

/// The operations the provider offers; the others fail with no request.
pub const OFFERS: Offers = Offers::only(&[
    Operation::List,
    Operation::ListAll,
    Operation::Get,
    Operation::Update,
    Operation::Revoke,
    Operation::Enable,
    Operation::ListActive,
]);

/// The Anthropic Admin API dialect.
pub struct Anthropic;

impl Dialect for Anthropic {
    fn provider(&self) -> Provider {
        Provider::Anthropic
    }

    fn default_base_url(&self) -> &'static str {
        "https://api.anthropic.com"
    }

    fn default_api_version(&self) -> &'static str {
        "2023-06-01"
    }

    fn auth_styles(&self) -> &'static [&'static str] {
        &["x-api-key", "bearer"]
    }

    fn request_id_header(&self) -> Option<&'static str> {
        Some("request-id")
    }

    fn check(&self, call: &Call, _cx: &Context<'_>, problems: &mut Problems) {
        match call {
            Call::List(options) => check_list(options, &LIST_FIELDS, problems),
            // `listActive` sets the status itself.
            Call::ListActive(options) => check_list(options, &LIST_FIELDS[..4], problems),
            Call::Update(_, patch) => check_patch(patch, problems),
            _ => {}
        }
    }

    fn request(&self, call: &Call, _stage: u8, cx: &Context<'_>) -> Result<HttpRequest, Error> {
        let base = &cx.config.base_url;
        let key = |id: &str| join(base, &[Segment::Lit(KEYS), Segment::Id(id)]);
        let request = match call {
            Call::List(options) => cx.request(Method::Get, list_url(base, options, options.status.as_deref())),
            Call::ListActive(options) => cx.request(Method::Get, list_url(base, options, Some("active"))),
            Call::Get(id) => cx.request(Method::Get, key(id)),
            // Archiving is final: after a first attempt that went through, a second is refused
            // ("Archived API keys cannot be modified"), so it is not retried blindly.
            Call::Update(id, patch) => {
                set_fields(cx.request(Method::Post, key(id)), patch_body(patch)).idempotent(patch.archived != Some(true))
            }
            Call::Revoke(id) => set_fields(cx.request(Method::Post, key(id)), status_body("inactive")),
            Call::Enable(id) => set_fields(cx.request(Method::Post, key(id)), status_body("active")),
            _ => return Err(unsupported_operation(Provider::Anthropic, call.operation())),
        };
        Ok(with_auth(request, cx))
    }

    fn response(&self, call: &Call, _stage: u8, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error> {
        let body = json_body(response)?;
        let output = match call {
            Call::List(_) => parse_page(body, cx.now_ms, false).map(Output::Page),
            Call::ListActive(_) => parse_page(body, cx.now_ms, true).map(Output::Page),
            Call::Get(_) | Call::Update(..) | Call::Revoke(_) | Call::Enable(_) => key_output(body, None, parse_key, cx.now_ms),
            _ => Err(unsupported_operation(Provider::Anthropic, call.operation())),
        };
        output.map(Step::Done)
    }

    fn next_cursor(&self, call: &Call, body: Node<'_>) -> Option<String> {
        matches!(call, Call::List(_)).then(|| page_cursor(body)).flatten()
    }

    fn envelope(&self, body: Node<'_>) -> Envelope {
        read_envelope(body)
    }
}

// ---- request builders ----

fn check_list(options: &ListOptions, accepted: &[&str], problems: &mut Problems) {
    refuse_fields(&list_fields(options), accepted, NAME, problems);
    if options.cursor.as_deref().is_some_and(crate::text::is_blank) {
        problems.add("cursor", "must be a nextCursor returned by list");
    }
    check_whole_in(options.limit, "limit", 1.0, MAX_PAGE, problems);
    check_one_of(options.status.as_deref(), "status", &STATUSES, problems);
    check_name(options.workspace_id.as_deref(), "workspaceId", usize::MAX, problems);
    check_name(options.created_by_user_id.as_deref(), "createdByUserId", usize::MAX, problems);
}

fn check_patch(patch: &KeyPatch, problems: &mut Problems) {
    refuse_fields(&patch_fields(patch), &UPDATE_FIELDS, NAME, problems);
    check_name(patch.name.as_deref(), "name", MAX_NAME, problems);
    if patch.archived == Some(false) {
        problems.add("archived", "can only be true: an archived key cannot be restored");
    } else if patch.archived.is_some() && patch.disabled.is_some() {
        problems.add("disabled", "cannot be combined with archived (both set the key's status)");
    }
}

fn list_url(base: &str, options: &ListOptions, status: Option<&str>) -> String {
    let mut query = Query::new();
    query.push_opt("after_id", options.cursor.clone());
    query.push_opt("limit", options.limit.map(number));
    query.push_opt("status", status);
    query.push_opt("workspace_id", options.workspace_id.clone());
    query.push_opt("created_by_user_id", options.created_by_user_id.clone());
    query.append_to(join(base, &[Segment::Lit(KEYS)]))
}

/// `{name?, status?}`: `archived` wins over `disabled` (validation refuses both together).
fn patch_body(patch: &KeyPatch) -> Json {
    let status = match (patch.archived, patch.disabled) {
        (Some(true), _) => Some("archived"),
        (_, Some(true)) => Some("inactive"),
        (_, Some(false)) => Some("active"),
        _ => None,
    };
    json_object(vec![("name", text(&patch.name)), ("status", status.map(Json::from))])
}

fn status_body(status: &str) -> Json {
    json_object(vec![("status", Some(Json::from(status)))])
}

/// A POST that sets fields: sending the same body twice leaves the same state.
fn set_fields(request: HttpRequest, body: Json) -> HttpRequest {
    request.json(&body, JSON_TYPE).idempotent(true)
}

fn with_auth(request: HttpRequest, cx: &Context<'_>) -> HttpRequest {
    let key = cx.config.api_key();
    let request = match cx.config.auth_style.as_str() {
        "bearer" => request.header("authorization", bearer(key)),
        _ => request.header("x-api-key", key),
    };
    request
        .header("anthropic-version", cx.config.api_version.clone())
        .header("accept", JSON_TYPE)
}

// ---- response parsers ----

/// A page of `list`; `active_only` for `listActive`.
fn parse_page(body: Node<'_>, now_ms: f64, active_only: bool) -> Result<Page, Error> {
    let mut page = key_page(body, Some("data"), "data", parse_key, now_ms)?;
    page.next_cursor = page_cursor(body);
    if active_only {
        page.retain_active();
    }
    Ok(page)
}

/// After `last_id` while `has_more`: both documented, read leniently, the last item's
/// `id` standing in for a missing or empty `last_id`.
fn page_cursor(body: Node<'_>) -> Option<String> {
    let last_item_id = || Items::of(body.get("data")).last().and_then(|k| opt_str(k, "id"));
    let last_id = opt_str(body, "last_id").filter(|id| !id.is_empty()).or_else(last_item_id);
    next_after(opt_bool(body, "has_more").unwrap_or(false), last_id.as_deref())
}

/// An `ApiKey` object: `id` is required; `created_by` and `partial_key_hint` may be null.
fn parse_key(raw: Node<'_>, now_ms: f64) -> Result<ApiKey, Error> {
    let mut key = ApiKey::new(Provider::Anthropic.name(), req_str(raw, "id")?, Json::Null);
    key.name = opt_str(raw, "name");
    key.hint = opt_str(raw, "partial_key_hint");
    key.created_at = opt_str(raw, "created_at");
    key.expires_at = opt_str(raw, "expires_at");
    key.workspace_id = opt_str(raw, "workspace_id").or_else(|| raw.get("scope").and_then(|s| opt_str(s, "workspace_id")));
    key.status = status(opt_str(raw, "status").as_deref(), key.expires_at.as_deref(), now_ms);
    Ok(key)
}

/// Archived is final; then expiry (by word or by date); then inactive.
/// "type values will grow over time": an unknown status reads as Disabled (not usable as far as we know).
fn status(status: Option<&str>, expires_at: Option<&str>, now_ms: f64) -> KeyStatus {
    let past = is_past(expires_at, now_ms);
    match status {
        Some("archived") => KeyStatus::Archived,
        Some("expired") => KeyStatus::Expired,
        _ if past => KeyStatus::Expired,
        Some("active") | None => KeyStatus::Active,
        Some(_) => KeyStatus::Disabled,
    }
}

// ---- error envelope ----

/// `{"type":"error","error":{"type","message"},"request_id"}`: the request id is read
/// from the body too, for when the `request-id` header is missing.
fn read_envelope(body: Node<'_>) -> Envelope {
    let error = body.get("error");
    let nested = error.filter(|e| e.is_object());
    Envelope {
        code: nested.and_then(|e| opt_str(e, "type")),
        // A bare string `error` is not documented; read it rather than lose it.
        message: nested
            .and_then(|e| opt_str(e, "message"))
            .or_else(|| error.and_then(Node::as_str).map(str::to_string)),
        request_id: opt_str(body, "request_id"),
        ..Envelope::default()
    }
}

#[cfg(test)]
mod tests;
