//! GPT Core admin API keys (`/admin/api-keys`), a JSON:API resource of type `api_key`,
//! per `shared/specs/gptcore-api-keys.openapi.json` (the client API; the admin API
//! serves the same resource under `/admin`, its bodies assumed equal: UNVERIFIED).
//!
//! Bodies are `{"data":{"type":"api_key",…}}` in `application/vnd.api+json`, and the
//! API version rides in `Accept`. Paging is `page[limit]`/`page[offset]`. Budgets are
//! whole credits per period. The secret comes back once, in `generated_api_key`, after
//! create and rotate; it is kept out of `raw`.

use crate::prelude::*;
use crate::error::Error;
use crate::json::{Items, Json, Node};
use crate::model::{
    ApiKey, Budget, BudgetInput, BudgetPeriod, BudgetUnit, CreatedKey, Hide, RawAt, KeyPatch, KeyStatus, KeyUsage, ListOptions, NewKey,
    Page, RateLimit, RateLimitInput, Secret, Usage, UsageQuery,
};
use crate::operation::{list_fields, new_key_fields, patch_fields, refuse_fields, rotate_fields, usage_fields, Call, Operation};
use crate::providers::{bearer, text, texts, is_past, json_body, json_object, key_page, unsupported_operation, Context, Dialect, Offers, Output, Provider, Step};
use crate::validate::{check_budget, check_future_utc, check_name, check_one_of, check_utc, check_uuid, check_whole_in, Problems, MAX_WHOLE};
use crate::wire::errors::{seconds_to_ms, Envelope};
use crate::wire::fields::{object, opt_f64, opt_str, opt_strings, opt_time, req_id, req_str};
use crate::wire::paging::{next_offset, parse_offset};
use crate::wire::path::{join_under, number, Query, Segment};
use crate::wire::redact::quoted;
use crate::wire::{HttpRequest, HttpResponse, Method};

// ---- constants and paths ----

const NAME: &str = "GPT Core";
const MEDIA_TYPE: &str = "application/vnd.api+json";
const KEYS: &str = "admin/api-keys";
const RESOURCE: &str = "api_key";
const SECRET_FIELD: &str = "generated_api_key";
/// Every attribute of `api_key` in the spec but the secret (see [`naming`]).
macro_rules! key_attributes {
    () => {
        "prefix,name,key_type,status,application_id,tenant_id,user_id,workspace_id,scopes,\
current_scopes,expires_at,last_used_at,total_requests,total_credits_used,rate_limit_requests,\
rate_limit_period_seconds,credit_limit,credit_limit_period,period_credits_used,period_started_at,\
budget_remaining,budget_resets_at"
    };
}
const KEY_ATTRIBUTES: &str = key_attributes!();
/// Every attribute, `SECRET_FIELD` included: what create and rotate ask for.
const WITH_THE_SECRET: &str = concat!(key_attributes!(), ",generated_api_key");
/// Where a key's secret sits (`SECRET_FIELD` in `attributes`): a `raw` has it `null`, so
/// the secret lives only in [`Secret`] (whose `Debug` hides it).
const SECRET_IN_KEY: Hide = Hide::Nulled("attributes.generated_api_key");
/// A single key's `raw`: the body's `data`, without the secret.
const KEY_RAW: RawAt = RawAt { member: Some("data"), hide: SECRET_IN_KEY };
/// What a usage's `raw` (the whole body) leaves out: each key's secret, in `data`.
const SECRETS_IN_USAGE: Hide = Hide::Nulled("data.attributes.generated_api_key");
const KEY_TYPES: [&str; 4] = ["user", "application", "system", "server"];
const STATUSES: [&str; 3] = ["active", "revoked", "expired"];
const CREATE_FIELDS: [&str; 10] = [
    "name",
    "keyType",
    "scopes",
    "applicationId",
    "tenantId",
    "userId",
    "workspaceId",
    "budget",
    "rateLimit",
    "expiresAt",
];
const UPDATE_FIELDS: [&str; 4] = ["name", "scopes", "budget", "rateLimit"];
const LIST_FIELDS: [&str; 4] = ["cursor", "offset", "limit", "status"];
const USAGE_FIELDS: [&str; 2] = ["tenantId", "keyType"];
const DEFAULT_PAGE_SIZE: f64 = 20.0;

/// The operations the provider offers; the others fail with no request.
pub const OFFERS: Offers = Offers::all_but(&[Operation::Current, Operation::Enable]);

/// The GPT Core dialect.
pub struct GptCore;

impl Dialect for GptCore {
    fn provider(&self) -> Provider {
        Provider::GptCore
    }

    fn default_base_url(&self) -> &'static str {
        "https://api.gpt-core.com"
    }

    fn default_api_version(&self) -> &'static str {
        "2025-12-03"
    }

    fn check(&self, call: &Call, cx: &Context<'_>, problems: &mut Problems) {
        match call {
            Call::Create(key) => check_new_key(key, cx.now_ms, problems),
            Call::Update(_, patch) => check_patch(patch, problems),
            Call::SetBudget(_, budget) => check_budget(budget, "", &BudgetPeriod::NAMES, true, NAME, problems),
            Call::ResetBudgetPeriod(_, reset) => check_utc(reset.period_started_at.as_deref(), "periodStartedAt", problems),
            Call::Rotate(_, options) => refuse_fields(&rotate_fields(options), &[], NAME, problems),
            Call::List(options) => check_list(options, problems),
            Call::ListActive(options) => refuse_fields(&list_fields(options), &[], NAME, problems),
            Call::Usage(query) => check_usage(query, problems),
            _ => {}
        }
    }

    fn request(&self, call: &Call, _stage: u8, cx: &Context<'_>) -> Result<HttpRequest, Error> {
        let base = &cx.config.base_url;
        let request = match call {
            Call::List(options) => cx.request(Method::Get, list_url(base, options)),
            Call::ListActive(_) => cx.request(Method::Get, naming(url(base, &[Segment::Lit("active")]), KEY_ATTRIBUTES)),
            Call::Get(id) => cx.request(Method::Get, naming(url(base, &[Segment::Id(id)]), KEY_ATTRIBUTES)),
            Call::Create(key) => {
                let body = document(None, create_attributes(key));
                cx.json_request(Method::Post, naming(url(base, &[]), WITH_THE_SECRET), body, MEDIA_TYPE)
            }
            Call::Update(id, patch) => patch_request(cx, id, None, update_attributes(patch), KEY_ATTRIBUTES),
            Call::Revoke(id) => patch_request(cx, id, Some("revoke"), Json::object(), KEY_ATTRIBUTES),
            // A second rotate would mint another secret: never replayed blindly.
            Call::Rotate(id, _) => patch_request(cx, id, Some("rotate"), Json::object(), WITH_THE_SECRET).idempotent(false),
            Call::SetBudget(id, budget) => patch_request(cx, id, Some("set-budget"), budget_attributes(budget), KEY_ATTRIBUTES),
            Call::ResetBudgetPeriod(id, reset) => {
                // Left out when not given: whether `null` means "now" or "no start" is not documented.
                let attributes = json_object(vec![("period_started_at", reset.period_started_at.as_deref().map(Json::from))]);
                patch_request(cx, id, Some("reset-period"), attributes, KEY_ATTRIBUTES)
            }
            Call::Delete(id) => cx.request(Method::Delete, url(base, &[Segment::Id(id)])),
            Call::Usage(query) => cx.request(Method::Get, usage_url(base, query)),
            Call::Current | Call::Enable(_) => return Err(unsupported_operation(Provider::GptCore, call.operation())),
        };
        Ok(request
            .header("authorization", bearer(cx.config.api_key()))
            .header("accept", text!(MEDIA_TYPE, "; version=", cx.config.api_version)))
    }

    fn response(&self, call: &Call, _stage: u8, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error> {
        // "Deleted successfully" has no documented body (UNVERIFIED): any 2xx will do.
        if let Call::Delete(_) = call {
            return Ok(Step::Done(Output::Deleted));
        }
        let (body, now) = (json_body(response)?, cx.now_ms);
        let output = match call {
            Call::List(options) => parse_page(body, Some(options), now).map(Output::Page),
            Call::ListActive(_) => parse_page(body, None, now).map(Output::Page),
            Call::Create(_) => parse_created(body, None, cx),
            Call::Rotate(id, _) => parse_created(body, Some(id), cx),
            Call::Usage(_) => parse_usage(body, now),
            _ => parse_one(body, now),
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
        let errors = Items::of(body.get("errors"));
        // Every error's message joined by "; "; the first retry hint.
        let (mut message, mut retry_after) = (None::<String>, None);
        for error in errors.clone() {
            if let Some(text) = error_message(error) {
                message = Some(match message {
                    Some(joined) => joined + "; " + &text,
                    None => text,
                });
            }
            retry_after = retry_after.or_else(|| seconds_to_ms(error.get("meta").and_then(|m| m.get("retry_after"))));
        }
        Envelope {
            code: errors.clone().next().and_then(|e| opt_str(e, "code").or_else(|| opt_str(e, "title"))),
            message: message.or_else(|| opt_str(body, "message")),
            retry_after_ms: retry_after,
            ..Envelope::default()
        }
    }
}

// ---- request builders ----

fn check_new_key(key: &NewKey, now_ms: f64, problems: &mut Problems) {
    refuse_fields(&new_key_fields(key), &CREATE_FIELDS, NAME, problems);
    check_name(key.name.as_deref(), "name", usize::MAX, problems);
    check_one_of(key.key_type.as_deref(), "keyType", &KEY_TYPES, problems);
    check_uuid(key.application_id.as_deref(), "applicationId", problems);
    check_uuid(key.tenant_id.as_deref(), "tenantId", problems);
    check_uuid(key.user_id.as_deref(), "userId", problems);
    check_uuid(key.workspace_id.as_deref(), "workspaceId", problems);
    if let Some(budget) = &key.budget {
        check_budget(budget, "budget", &BudgetPeriod::NAMES, true, NAME, problems);
    }
    check_rate_limit(key.rate_limit.as_ref(), problems);
    check_future_utc(key.expires_at.as_deref(), "expiresAt", now_ms, problems);
}

fn check_patch(patch: &KeyPatch, problems: &mut Problems) {
    refuse_fields(&patch_fields(patch), &UPDATE_FIELDS, NAME, problems);
    check_name(patch.name.as_deref(), "name", usize::MAX, problems);
    if let Some(budget) = &patch.budget {
        check_budget(budget, "budget", &BudgetPeriod::NAMES, true, NAME, problems);
    }
    check_rate_limit(patch.rate_limit.as_ref(), problems);
}

/// `rate_limit_requests` and `rate_limit_period_seconds` are integers; zero makes no sense.
fn check_rate_limit(rate: Option<&RateLimitInput>, problems: &mut Problems) {
    let Some(rate) = rate else { return };
    check_whole_in(rate.requests, "rateLimit.requests", 1.0, MAX_WHOLE, problems);
    check_whole_in(rate.period_seconds, "rateLimit.periodSeconds", 1.0, MAX_WHOLE, problems);
}

fn check_list(options: &ListOptions, problems: &mut Problems) {
    refuse_fields(&list_fields(options), &LIST_FIELDS, NAME, problems);
    // The reference gives no largest page size; a server may return fewer (see `page_cursor`).
    check_whole_in(options.limit, "limit", 1.0, MAX_WHOLE, problems);
    check_whole_in(options.offset, "offset", 0.0, MAX_WHOLE, problems);
    if options.cursor.as_deref().is_some_and(|c| parse_offset(c).is_none()) {
        problems.add("cursor", "must be a nextCursor returned by list");
    }
    check_one_of(options.status.as_deref(), "status", &STATUSES, problems);
}

fn check_usage(query: &UsageQuery, problems: &mut Problems) {
    refuse_fields(&usage_fields(query), &USAGE_FIELDS, NAME, problems);
    if query.tenant_id.is_none() {
        problems.add("tenantId", "is required: GPT Core reports usage per tenant");
    }
    check_uuid(query.tenant_id.as_deref(), "tenantId", problems);
    check_one_of(query.key_type.as_deref(), "keyType", &KEY_TYPES, problems);
}

/// `{base}/admin/api-keys` followed by `rest`.
fn url(base: &str, rest: &[Segment<'_>]) -> String {
    join_under(base, KEYS, rest)
}

fn list_url(base: &str, options: &ListOptions) -> String {
    let mut query = Query::new();
    query.push("page[limit]", number(page_size(options)));
    query.push("page[offset]", number(start_offset(options)));
    // The spec's documented form, `filter[field][operator]` (Ash also reads `filter[field]`).
    query.push_opt("filter[status][eq]", options.status.clone());
    query.push("fields[api_key]", KEY_ATTRIBUTES);
    query.append_to(url(base, &[]))
}

fn usage_url(base: &str, usage: &UsageQuery) -> String {
    let mut query = Query::new();
    query.push_opt("tenant_id", usage.tenant_id.clone());
    query.push_opt("key_type", usage.key_type.clone());
    query.push("fields[api_key]", KEY_ATTRIBUTES);
    query.append_to(url(base, &[Segment::Lit("stats")]))
}

fn page_size(options: &ListOptions) -> f64 {
    options.limit.unwrap_or(DEFAULT_PAGE_SIZE)
}

fn start_offset(options: &ListOptions) -> f64 {
    options
        .offset
        .or_else(|| options.cursor.as_deref().and_then(parse_offset))
        .unwrap_or(0.0)
}

/// `PATCH /admin/api-keys/{id}[/action]` with a `data` document for the key, naming `fields`.
fn patch_request(cx: &Context<'_>, id: &str, action: Option<&str>, attributes: Json, fields: &str) -> HttpRequest {
    let parts = match action {
        Some(action) => vec![Segment::Id(id), Segment::Lit(action)],
        None => vec![Segment::Id(id)],
    };
    let body = document(Some(id), attributes);
    cx.json_request(Method::Patch, naming(url(&cx.config.base_url, &parts), fields), body, MEDIA_TYPE)
}

/// `url` asking for `fields` by name: AshJsonApi sends an attribute not "included by
/// default" (the budget's remaining and reset time, the secret) only when `fields[api_key]`
/// names it, and then only the ones named. Whether create and rotate send the secret
/// unasked is UNVERIFIED.
fn naming(url: String, fields: &str) -> String {
    let mut query = Query::new();
    query.push("fields[api_key]", fields);
    query.append_to(url)
}

/// `{"data":{"id"?,"type":"api_key","attributes":…}}`; POST bodies carry no id.
fn document(id: Option<&str>, attributes: Json) -> Json {
    let data = json_object(vec![
        ("id", id.map(Json::from)),
        ("type", Some(Json::from(RESOURCE))),
        ("attributes", Some(attributes)),
    ]);
    json_object(vec![("data", Some(data))])
}

fn create_attributes(key: &NewKey) -> Json {
    let budget = key.budget.as_ref();
    let rate = key.rate_limit.as_ref();
    json_object(vec![
        ("name", text(&key.name)),
        ("key_type", text(&key.key_type)),
        ("scopes", texts(&key.scopes)),
        ("application_id", text(&key.application_id)),
        ("tenant_id", text(&key.tenant_id)),
        ("user_id", text(&key.user_id)),
        ("workspace_id", text(&key.workspace_id)),
        ("credit_limit", budget.and_then(BudgetInput::limit_json)),
        ("credit_limit_period", budget.and_then(BudgetInput::period_json)),
        ("rate_limit_requests", rate.and_then(|r| r.requests).map(Json::from)),
        ("rate_limit_period_seconds", rate.map(|r| Json::from(r.period_seconds.unwrap_or(60.0)))),
        ("expires_at", text(&key.expires_at)),
    ])
}

fn update_attributes(patch: &KeyPatch) -> Json {
    let budget = patch.budget.as_ref();
    let rate = patch.rate_limit.as_ref();
    json_object(vec![
        ("name", text(&patch.name)),
        ("scopes", texts(&patch.scopes)),
        ("credit_limit", budget.and_then(BudgetInput::limit_json)),
        ("credit_limit_period", budget.and_then(BudgetInput::period_json)),
        ("rate_limit_requests", rate.and_then(|r| r.requests).map(Json::from)),
        // Only when given: the key's own period stays (a default would reset it to 60 s).
        ("rate_limit_period_seconds", rate.and_then(|r| r.period_seconds).map(Json::from)),
    ])
}

fn budget_attributes(budget: &BudgetInput) -> Json {
    json_object(vec![("credit_limit", budget.limit_json()), ("credit_limit_period", budget.period_json())])
}

// ---- response parsers ----

/// The keys of `data`, their `raw` without a secret.
fn parse_keys(body: Node<'_>, now_ms: f64) -> Result<Page, Error> {
    let mut page = key_page(body, Some("data"), "data", parse_key, now_ms)?;
    if let Some(source) = &mut page.raw_source {
        source.at.hide = SECRET_IN_KEY;
    }
    Ok(page)
}

/// The key of the body's `data`, its `raw` without the secret.
fn parse_one(body: Node<'_>, now_ms: f64) -> Result<Output, Error> {
    let key = parse_key(object(body.get("data"), "data")?, now_ms)?;
    Ok(Output::KeyAt(key, KEY_RAW))
}

/// A page of `list` (offset-paged) or `listActive` (one page).
fn parse_page(body: Node<'_>, options: Option<&ListOptions>, now_ms: f64) -> Result<Page, Error> {
    let mut page = parse_keys(body, now_ms)?;
    page.next_cursor = options.and_then(|o| page_cursor(body, o));
    Ok(page)
}

/// The offset after the `data` of `body`. A page shorter than `page[limit]` is not taken
/// as the last: a server may cap its pages below what was asked (Ash at its
/// `max_page_size`), and stopping there would drop keys without a word. So an empty page
/// ends the walk, or `meta.page.total` once the keys so far reach it (`meta` is free-form,
/// its members UNVERIFIED: read when present, as the sandbox sends them).
fn page_cursor(body: Node<'_>, options: &ListOptions) -> Option<String> {
    let offset = start_offset(options);
    let items = Items::of(body.get("data")).len();
    let total = body.get("meta").and_then(|meta| meta.get("page")).and_then(|page| opt_f64(page, "total"));
    if total.is_some_and(|total| offset + items as f64 >= total) {
        return None;
    }
    next_offset(offset, items)
}

/// A created or rotated key; `rotated` is the id the rotation was asked for.
fn parse_created(body: Node<'_>, rotated: Option<&str>, cx: &Context<'_>) -> Result<Output, Error> {
    let data = object(body.get("data"), "data")?;
    let attributes = object(data.get("attributes"), "attributes")?;
    let key = parse_key(data, cx.now_ms)?;
    // The key exists by now: an error without its id would leave it unfindable. The id is
    // the server's text, so it is quoted as every such text is (redacted, then cut).
    let Some(secret) = opt_str(attributes, SECRET_FIELD) else {
        let done = if rotated.is_some() { "rotated" } else { "created" };
        let id = quoted(&key.id, &cx.config.secrets());
        let message = text!("the response lacks the new secret (\"", SECRET_FIELD, "\"), though key ", id, " was ", done, ": rotate it to get one, or revoke it");
        return Err(Error::format_telling_outcome(message));
    };
    let replaced_key_id = rotated.filter(|old| *old != key.id).map(str::to_string);
    Ok(Output::CreatedAt(CreatedKey { key, secret: Secret(secret), replaced_key_id }, KEY_RAW))
}

/// The keys of `data` and their totals; `raw` is the body, without any key's secret.
fn parse_usage(body: Node<'_>, now_ms: f64) -> Result<Output, Error> {
    let page = parse_keys(body, now_ms)?;
    let keys = page.items;
    let usage = Usage {
        key_id: None,
        unit: Some(BudgetUnit::Credits),
        total_cost: Some(sum_known(&keys, |u| u.total)),
        total_requests: Some(sum_known(&keys, |u| u.requests)),
        days: Vec::new(),
        raw: Json::Null,
        keys,
    };
    let raw = RawAt { member: None, hide: SECRETS_IN_USAGE };
    Ok(Output::UsageAt { usage, raw, keys: page.raw_source })
}

/// The sum of the values the keys report (-0.0 for none, like `Iterator::sum`).
fn sum_known(keys: &[ApiKey], read: fn(&KeyUsage) -> Option<f64>) -> f64 {
    let mut total = -0.0;
    for value in keys.iter().filter_map(|k| k.usage.as_ref().and_then(read)) {
        total += value;
    }
    total
}

/// An `api_key` resource object: `id`, `attributes` and `attributes.status` are required.
fn parse_key(raw: Node<'_>, now_ms: f64) -> Result<ApiKey, Error> {
    let id = req_id(raw, "id")?;
    let a = object(raw.get("attributes"), "attributes")?;
    let status_word = req_str(a, "status")?;
    let mut key = ApiKey::new(Provider::GptCore.name(), id, Json::Null);
    key.name = opt_str(a, "name");
    key.hint = opt_str(a, "prefix");
    // Not in the schema (so not named in `fields[api_key]`): read when a server sends them
    // anyway (one that ignores sparse fieldsets, or `usage`'s keys).
    key.created_at = opt_time(a, "created_at").or_else(|| opt_time(a, "inserted_at"));
    key.updated_at = opt_time(a, "updated_at");
    key.last_used_at = opt_time(a, "last_used_at");
    key.expires_at = opt_time(a, "expires_at");
    key.status = status(&status_word, key.expires_at.as_deref(), now_ms);
    key.budget = Some(budget(a));
    key.usage = Some(usage(a));
    key.rate_limit = rate_limit(a);
    key.scopes = opt_strings(a, "scopes");
    key.workspace_id = opt_str(a, "workspace_id");
    Ok(key)
}

/// `active|revoked|expired`; an active key past its `expires_at` is expired. A word the
/// spec does not list is reported as `Disabled` (not usable); `raw` keeps the word.
fn status(word: &str, expires_at: Option<&str>, now_ms: f64) -> KeyStatus {
    let expired = is_past(expires_at, now_ms);
    match word {
        "revoked" => KeyStatus::Revoked,
        "expired" => KeyStatus::Expired,
        "active" if expired => KeyStatus::Expired,
        "active" => KeyStatus::Active,
        _ => KeyStatus::Disabled,
    }
}

fn budget(a: Node<'_>) -> Budget {
    Budget {
        limit: opt_f64(a, "credit_limit"),
        period: opt_str(a, "credit_limit_period").and_then(|p| BudgetPeriod::parse(&p)),
        used: opt_f64(a, "period_credits_used"),
        remaining: opt_f64(a, "budget_remaining"),
        unit: BudgetUnit::Credits,
        resets_at: opt_time(a, "budget_resets_at"),
    }
}

fn usage(a: Node<'_>) -> KeyUsage {
    KeyUsage {
        total: opt_f64(a, "total_credits_used"),
        requests: opt_f64(a, "total_requests"),
        unit: Some(BudgetUnit::Credits),
        ..KeyUsage::default()
    }
}

fn rate_limit(a: Node<'_>) -> Option<RateLimit> {
    Some(RateLimit {
        requests: opt_f64(a, "rate_limit_requests")?,
        period_seconds: opt_f64(a, "rate_limit_period_seconds")?,
    })
}

// ---- error envelope ----

/// One JSON:API error as `field: detail` (field from `source.pointer`/`parameter`).
fn error_message(error: Node<'_>) -> Option<String> {
    let text = opt_str(error, "detail").or_else(|| opt_str(error, "title"))?;
    let source = error.get("source");
    let field = source
        .and_then(|s| opt_str(s, "pointer").map(|p| pointer_field(&p)).or_else(|| opt_str(s, "parameter")))
        .filter(|f| !f.is_empty());
    Some(match field {
        Some(field) => field + ": " + &text,
        None => text,
    })
}

/// `/data/attributes/name` → `name`.
fn pointer_field(pointer: &str) -> String {
    let field = pointer
        .strip_prefix("/data/attributes/")
        .or_else(|| pointer.strip_prefix("/data/"))
        .unwrap_or(pointer);
    // By bytes: `trim_start_matches` links a pattern searcher.
    let slashes = field.bytes().take_while(|&b| b == b'/').count();
    field.get(slashes..).unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests;
