//! OpenRouter management keys (`/api/v1/keys`), per `shared/specs/openrouter-keys.openapi.json`.
//!
//! Keys are addressed by `hash`. "Revoke" disables the key (`PATCH {"disabled":true}`),
//! which `enable` undoes. Paging is by `offset` with no total: a page that comes back
//! empty ends the walk. Budgets are USD `limit` with `limit_reset`.

use crate::prelude::*;
use crate::error::Error;
use crate::json::{Items, Json, Node};
use crate::model::{ApiKey, Budget, RawAt, BudgetInput, BudgetPeriod, BudgetUnit, CreatedKey, KeyStatus, KeyUsage, ListOptions, Page, Secret};
use crate::operation::{list_fields, new_key_fields, patch_fields, refuse_fields, Call, Operation};
use crate::providers::{bearer, text, is_past, json_body, json_object, key_output, key_page, unsupported_operation, Context, Dialect, Offers, Output, Provider, Step};
use crate::validate::{check_budget, check_future_utc, check_name, check_uuid, check_whole_in, Problems, MAX_WHOLE};
use crate::wire::errors::Envelope;
use crate::wire::fields::{object, opt_bool, opt_f64, opt_str, req_str};
use crate::wire::paging::{next_offset, parse_offset};
use crate::wire::path::{join, number, Query, Segment};
use crate::wire::{HttpRequest, HttpResponse, Method};

// ---- constants and paths ----

const NAME: &str = "OpenRouter";
/// The budget periods it takes, by name: daily, weekly and monthly, the first three.
const PERIODS: &[&str] = BudgetPeriod::NAMES.split_at(3).0;
const CREATE_FIELDS: [&str; 6] = ["name", "expiresAt", "budget", "includeByokInLimit", "workspaceId", "creatorUserId"];
const UPDATE_FIELDS: [&str; 4] = ["name", "disabled", "budget", "includeByokInLimit"];
/// `listActive` takes all but the last (it sets `include_disabled` itself).
const LIST_FIELDS: [&str; 4] = ["cursor", "offset", "workspaceId", "includeDisabled"];
const JSON_TYPE: &str = "application/json";

/// The operations the provider offers; the others fail with no request.
pub const OFFERS: Offers = Offers::all_but(&[Operation::Rotate, Operation::ResetBudgetPeriod, Operation::Usage]);

/// The OpenRouter dialect.
pub struct OpenRouter;

impl Dialect for OpenRouter {
    fn provider(&self) -> Provider {
        Provider::OpenRouter
    }

    fn default_base_url(&self) -> &'static str {
        "https://openrouter.ai/api/v1"
    }

    fn check(&self, call: &Call, cx: &Context<'_>, problems: &mut Problems) {
        match call {
            Call::Create(key) => {
                refuse_fields(&new_key_fields(key), &CREATE_FIELDS, NAME, problems);
                if key.name.is_none() {
                    problems.add("name", "is required");
                }
                check_name(key.name.as_deref(), "name", usize::MAX, problems);
                check_future_utc(key.expires_at.as_deref(), "expiresAt", cx.now_ms, problems);
                check_uuid(key.workspace_id.as_deref(), "workspaceId", problems);
                check_name(key.creator_user_id.as_deref(), "creatorUserId", usize::MAX, problems);
                if let Some(budget) = &key.budget {
                    check_budget(budget, "budget", PERIODS, false, NAME, problems);
                }
            }
            Call::Update(_, patch) => {
                refuse_fields(&patch_fields(patch), &UPDATE_FIELDS, NAME, problems);
                check_name(patch.name.as_deref(), "name", usize::MAX, problems);
                if let Some(budget) = &patch.budget {
                    check_budget(budget, "budget", PERIODS, false, NAME, problems);
                }
            }
            Call::SetBudget(_, budget) => check_budget(budget, "", PERIODS, false, NAME, problems),
            Call::List(options) => check_list(options, &LIST_FIELDS, problems),
            Call::ListActive(options) => check_list(options, &LIST_FIELDS[..3], problems),
            _ => {}
        }
    }

    fn request(&self, call: &Call, _stage: u8, cx: &Context<'_>) -> Result<HttpRequest, Error> {
        let base = &cx.config.base_url;
        let key = |id: &str| join(base, &[Segment::Lit("keys"), Segment::Id(id)]);
        let request = match call {
            Call::List(options) => cx.request(Method::Get, list_url(base, options, options.include_disabled)),
            Call::ListActive(options) => cx.request(Method::Get, list_url(base, options, Some(false))),
            Call::Get(id) => cx.request(Method::Get, key(id)),
            Call::Current => cx.request(Method::Get, join(base, &[Segment::Lit("key")])),
            Call::Create(new) => {
                let body = json_object(vec![
                    ("name", text(&new.name)),
                    ("limit", new.budget.as_ref().and_then(BudgetInput::limit_json)),
                    ("limit_reset", new.budget.as_ref().and_then(BudgetInput::period_json)),
                    ("include_byok_in_limit", new.include_byok_in_limit.map(Json::from)),
                    ("expires_at", new.expires_at.as_deref().map(normalize_utc)),
                    ("creator_user_id", text(&new.creator_user_id)),
                    ("workspace_id", text(&new.workspace_id)),
                ]);
                cx.json_request(Method::Post, join(base, &[Segment::Lit("keys")]), body, JSON_TYPE)
            }
            Call::Update(id, patch) => {
                let body = json_object(vec![
                    ("name", text(&patch.name)),
                    ("disabled", patch.disabled.map(Json::from)),
                    ("include_byok_in_limit", patch.include_byok_in_limit.map(Json::from)),
                    ("limit", patch.budget.as_ref().and_then(BudgetInput::limit_json)),
                    ("limit_reset", patch.budget.as_ref().and_then(BudgetInput::period_json)),
                ]);
                cx.json_request(Method::Patch, key(id), body, JSON_TYPE)
            }
            Call::Revoke(id) | Call::Enable(id) => {
                let disabled = matches!(call, Call::Revoke(_));
                let body = json_object(vec![("disabled", Some(Json::from(disabled)))]);
                cx.json_request(Method::Patch, key(id), body, JSON_TYPE)
            }
            Call::SetBudget(id, budget) => {
                let body = json_object(vec![("limit", budget.limit_json()), ("limit_reset", budget.period_json())]);
                cx.json_request(Method::Patch, key(id), body, JSON_TYPE)
            }
            Call::Delete(id) => cx.request(Method::Delete, key(id)),
            Call::Rotate(..) | Call::ResetBudgetPeriod(..) | Call::Usage(_) => return Err(unsupported_operation(Provider::OpenRouter, call.operation())),
        };
        Ok(request
            .header("authorization", bearer(cx.config.api_key()))
            .header("accept", JSON_TYPE))
    }

    fn response(&self, call: &Call, _stage: u8, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error> {
        if let Call::Delete(_) = call {
            return check_deleted(response).map(Step::Done);
        }
        let (body, now) = (json_body(response)?, cx.now_ms);
        let output = match call {
            Call::List(options) => parse_page(body, options, now, false).map(Output::Page),
            Call::ListActive(options) => parse_page(body, options, now, true).map(Output::Page),
            Call::Current => key_output(body, Some("data"), parse_current, now),
            Call::Create(_) => parse_created(body, now),
            _ => key_output(body, Some("data"), parse_key, now),
        };
        output.map(Step::Done)
    }

    fn next_cursor(&self, call: &Call, body: Node<'_>) -> Option<String> {
        match call {
            Call::List(options) => page_cursor(body, options),
            _ => None,
        }
    }

    fn envelope(&self, body: Node<'_>) -> Envelope {
        let error = body.get("error");
        let nested = error.filter(|e| e.is_object());
        Envelope {
            code: nested.and_then(|e| e.get("code")).and_then(code_text),
            message: nested
                .and_then(|e| opt_str(e, "message"))
                .map(|message| with_metadata(message, nested.and_then(|e| e.get("metadata"))))
                .or_else(|| error.and_then(Node::as_str).map(str::to_string))
                .or_else(|| opt_str(body, "message")),
            ..Envelope::default()
        }
    }
}

/// `message` followed by what `error.metadata` says in words (UNVERIFIED: its members are
/// free-form): its first four members that are text, as `(name: value; …)`. Not cut here:
/// the error quotes the whole message redacted, then cut (`wire::redact::quoted`), since a
/// key cut in two here could no longer be recognised there.
fn with_metadata(mut message: String, metadata: Option<Node<'_>>) -> String {
    let Some(members) = metadata.and_then(Node::members) else { return message };
    let mut count = 0;
    for (name, value) in members.filter_map(|(name, value)| Some((name, value.as_str()?))).take(4) {
        message.push_str(if count == 0 { " (" } else { "; " });
        message.push_str(name);
        message.push_str(": ");
        message.push_str(value);
        count += 1;
    }
    if count > 0 {
        message.push(')');
    }
    message
}

// ---- request builders ----

fn check_list(options: &ListOptions, accepted: &[&str], problems: &mut Problems) {
    refuse_fields(&list_fields(options), accepted, NAME, problems);
    check_whole_in(options.offset, "offset", 0.0, MAX_WHOLE, problems);
    if options.cursor.as_deref().is_some_and(|c| parse_offset(c).is_none()) {
        problems.add("cursor", "must be a nextCursor returned by list");
    }
    check_uuid(options.workspace_id.as_deref(), "workspaceId", problems);
}

fn list_url(base: &str, options: &ListOptions, include_disabled: Option<bool>) -> String {
    let mut query = Query::new();
    query.push_opt("include_disabled", include_disabled.map(|b| String::from(if b { "true" } else { "false" })));
    query.push_opt("offset", start_offset(options).map(number));
    query.push_opt("workspace_id", options.workspace_id.clone());
    query.append_to(join(base, &[Segment::Lit("keys")]))
}

fn start_offset(options: &ListOptions) -> Option<f64> {
    options.offset.or_else(|| options.cursor.as_deref().and_then(parse_offset))
}

/// OpenRouter takes UTC only; `+00:00` is sent as `Z`.
fn normalize_utc(text: &str) -> Json {
    Json::from(text.strip_suffix("+00:00").map_or(text.to_string(), |t| text!(t, "Z")))
}

// ---- response parsers ----

/// A page of `list` (empty page = last); `active_only` for `listActive`.
fn parse_page(body: Node<'_>, options: &ListOptions, now_ms: f64, active_only: bool) -> Result<Page, Error> {
    let mut page = key_page(body, Some("data"), "data", parse_key, now_ms)?;
    page.next_cursor = page_cursor(body, options);
    if active_only {
        page.retain_active();
    }
    Ok(page)
}

/// The offset after the `data` of `body` (an empty page is the last).
fn page_cursor(body: Node<'_>, options: &ListOptions) -> Option<String> {
    next_offset(start_offset(options).unwrap_or(0.0), Items::of(body.get("data")).len())
}

/// `{"data": key, "key": secret}`: the key's `raw` is `data`.
fn parse_created(body: Node<'_>, now_ms: f64) -> Result<Output, Error> {
    let key = parse_key(object(body.get("data"), "data")?, now_ms)?;
    let secret = req_str(body, "key")?;
    let created = CreatedKey { key, secret: Secret(secret), replaced_key_id: None };
    Ok(Output::CreatedAt(created, RawAt::untouched(Some("data"))))
}

/// A `Key` object: `hash` is required, the rest is read when present.
fn parse_key(raw: Node<'_>, now_ms: f64) -> Result<ApiKey, Error> {
    let mut key = ApiKey::new(Provider::OpenRouter.name(), req_str(raw, "hash")?, Json::Null);
    key.name = opt_str(raw, "name");
    key.created_at = opt_str(raw, "created_at");
    key.updated_at = opt_str(raw, "updated_at");
    fill_common(&mut key, raw, now_ms);
    Ok(key)
}

/// `GET /key` has no hash, name or dates: `id` is left empty.
fn parse_current(raw: Node<'_>, now_ms: f64) -> Result<ApiKey, Error> {
    let mut key = ApiKey::new(Provider::OpenRouter.name(), String::new(), Json::Null);
    fill_common(&mut key, raw, now_ms);
    Ok(key)
}

fn fill_common(key: &mut ApiKey, raw: Node<'_>, now_ms: f64) {
    // `label`: a redacted key (`sk-or-v1-0e6...1c96`) in the spec's property example, the
    // name in its response examples (UNVERIFIED): a hint only where it is not the name.
    key.hint = opt_str(raw, "label").filter(|label| key.name.as_ref() != Some(label));
    key.expires_at = opt_str(raw, "expires_at");
    // On `GET /key` too, in newer answers (the official SDK's `CurrentKey`).
    key.workspace_id = opt_str(raw, "workspace_id");
    key.status = status(raw, key.expires_at.as_deref(), now_ms);
    key.usage = Some(usage(raw));
    key.budget = Some(budget(raw));
}

fn status(raw: Node<'_>, expires_at: Option<&str>, now_ms: f64) -> KeyStatus {
    let expired = is_past(expires_at, now_ms);
    if opt_bool(raw, "disabled") == Some(true) {
        KeyStatus::Disabled
    } else if expired {
        KeyStatus::Expired
    } else {
        KeyStatus::Active
    }
}

fn usage(raw: Node<'_>) -> KeyUsage {
    KeyUsage {
        total: opt_f64(raw, "usage"),
        daily: opt_f64(raw, "usage_daily"),
        weekly: opt_f64(raw, "usage_weekly"),
        monthly: opt_f64(raw, "usage_monthly"),
        requests: None,
        unit: Some(BudgetUnit::Usd),
    }
}

fn budget(raw: Node<'_>) -> Budget {
    let period = opt_str(raw, "limit_reset").and_then(|p| BudgetPeriod::parse(&p));
    let (used_field, byok_field) = match period {
        Some(BudgetPeriod::Daily) => ("usage_daily", "byok_usage_daily"),
        Some(BudgetPeriod::Weekly) => ("usage_weekly", "byok_usage_weekly"),
        Some(BudgetPeriod::Monthly) => ("usage_monthly", "byok_usage_monthly"),
        _ => ("usage", "byok_usage"),
    };
    // Spend through the user's own provider keys counts toward the limit when the key says so.
    let byok = if opt_bool(raw, "include_byok_in_limit") == Some(true) { opt_f64(raw, byok_field) } else { None };
    Budget {
        limit: opt_f64(raw, "limit"),
        period,
        used: opt_f64(raw, used_field).map(|used| used + byok.unwrap_or(0.0)),
        remaining: opt_f64(raw, "limit_remaining"),
        unit: BudgetUnit::Usd,
        resets_at: None,
    }
}

fn check_deleted(response: &HttpResponse) -> Result<Output, Error> {
    match response.json().and_then(|b| b.get("deleted")).and_then(Node::as_bool) {
        Some(false) => Err(Error::format_telling_outcome("OpenRouter answered that the key was not deleted")),
        _ => Ok(Output::Deleted),
    }
}

// ---- error envelope ----

/// OpenRouter's codes are numbers (the HTTP status); a string is taken too, anything else
/// is no code (as the other dialects read theirs).
fn code_text(code: Node<'_>) -> Option<String> {
    code.as_f64().map(number).or_else(|| code.as_str().map(str::to_string))
}

#[cfg(test)]
mod tests;
