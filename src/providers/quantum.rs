//! Quantum AI API keys (`/qai/v1/keys`), per the `quantum-sdk` crates (no OpenAPI spec).
//!
//! Keys are listed whole (no paging), created with an optional USD spend cap that never
//! resets, revoked by `DELETE` (which returns no key), rotated with a grace period, and
//! report per-day usage. Spend is counted in ticks (10^10 per USD). A Zig gateway serves
//! a flat shape (no `id`, ms timestamps, `spend_cap_ticks`, `rate_limit_rpm`); which
//! shape production serves is UNVERIFIED, so both are read.

use crate::prelude::*;
use crate::error::Error;
use crate::json::{Json, Node};
use crate::model::{
    ApiKey, Budget, BudgetInput, BudgetUnit, CreatedKey, Hide, RawAt, KeyStatus, KeyUsage, NewKey, Page, RateLimit, Secret, Usage,
    UsageDay, UsageQuery,
};
use crate::operation::{list_fields, new_key_fields, refuse_fields, usage_fields, Call, Operation};
use crate::providers::{bearer, text, texts, is_past, json_body, json_object, key_page, unsupported_operation, Context, Dialect, Offers, Output, Provider, Step};
use crate::validate::{check_amount, check_id, check_name, check_one_of, check_whole_in, Problems, MAX_WHOLE};
use crate::wire::errors::Envelope;
use crate::wire::fields::{array, object, opt_bool, opt_f64, opt_str, opt_time, req_id, req_str};
use crate::wire::path::{join_under, Segment};
use crate::wire::{HttpRequest, HttpResponse, Method};

// ---- constants and paths ----

const NAME: &str = "Quantum AI";
const JSON_TYPE: &str = "application/json";
const KEYS: &str = "qai/v1/keys";
/// Spend is counted in ticks: `TICKS_PER_USD` in the SDKs.
const TICKS_PER_USD: f64 = 10_000_000_000.0;
const REGIONS: [&str; 3] = ["americas", "europe", "asia"];
const CREATE_FIELDS: [&str; 5] = ["name", "endpoints", "budget", "rateLimit", "region"];
const USAGE_FIELDS: [&str; 1] = ["keyId"];
/// `rate_limit` is an `i32` of requests per minute in the SDK.
const MAX_RATE_LIMIT: f64 = 2_147_483_647.0;

/// The operations the provider offers; the others fail with no request.
pub const OFFERS: Offers =
    Offers::only(&[Operation::List, Operation::ListAll, Operation::Create, Operation::Revoke, Operation::Rotate, Operation::Usage]);

/// The Quantum AI dialect.
pub struct Quantum;

impl Dialect for Quantum {
    fn provider(&self) -> Provider {
        Provider::Quantum
    }

    fn default_base_url(&self) -> &'static str {
        "https://api.quantumencoding.ai"
    }

    fn request_id_header(&self) -> Option<&'static str> {
        Some("x-qai-request-id")
    }

    fn check(&self, call: &Call, _cx: &Context<'_>, problems: &mut Problems) {
        match call {
            Call::Create(key) => check_new_key(key, problems),
            Call::List(options) => refuse_fields(&list_fields(options), &[], NAME, problems),
            // `grace_seconds` is an i64 there.
            Call::Rotate(_, options) => check_whole_in(options.grace_seconds, "graceSeconds", 0.0, MAX_WHOLE, problems),
            Call::Usage(query) => check_usage(query, problems),
            _ => {}
        }
    }

    fn request(&self, call: &Call, _stage: u8, cx: &Context<'_>) -> Result<HttpRequest, Error> {
        let base = &cx.config.base_url;
        let request = match call {
            Call::List(_) => cx.request(Method::Get, url(base, &[])),
            Call::Create(key) => cx.json_request(Method::Post, url(base, &[]), create_body(key), JSON_TYPE),
            // Sent once, as the official SDK does ("DELETE is single-attempt"; a replay's
            // answer is UNVERIFIED): retried only after a 429, like a create.
            Call::Revoke(id) => cx.request(Method::Delete, url(base, &[Segment::Id(id)])).idempotent(false),
            Call::Rotate(id, options) => {
                let grace = Json::from(options.grace_seconds.unwrap_or(0.0));
                let body = json_object(vec![("grace_seconds", Some(grace))]);
                let target = url(base, &[Segment::Id(id), Segment::Lit("rotate")]);
                // The gateway does not dedupe key-minting routes: never replayed blindly.
                cx.json_request(Method::Post, target, body, JSON_TYPE).idempotent(false)
            }
            Call::Usage(query) => {
                let key_id = query.key_id.as_deref().unwrap_or_default();
                cx.request(Method::Get, url(base, &[Segment::Id(key_id), Segment::Lit("usage")]))
            }
            _ => return Err(unsupported_operation(Provider::Quantum, call.operation())),
        };
        let key = cx.config.api_key();
        Ok(request
            .header("authorization", bearer(key))
            .header("x-api-key", key)
            .header("accept", JSON_TYPE))
    }

    fn response(&self, call: &Call, _stage: u8, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error> {
        if let Call::Revoke(id) = call {
            return Ok(Step::Done(revoked_key(id, response)));
        }
        let (body, now) = (json_body(response)?, cx.now_ms);
        let output = match call {
            Call::List(_) => parse_page(body, now).map(Output::Page),
            Call::Create(_) => parse_created(body, None, now),
            Call::Rotate(id, _) => parse_created(body, Some(id), now),
            Call::Usage(query) => parse_usage(body, query),
            _ => Err(unsupported_operation(Provider::Quantum, call.operation())),
        };
        output.map(Step::Done)
    }

    /// Nested `{"error":{"message","type","code"}}` (code preferred over type) or flat
    /// `{"error":"<code>","message":"…"}`; without a message, the code stands in.
    fn envelope(&self, body: Node<'_>) -> Envelope {
        let (code, message) = match body.get("error") {
            Some(nested) if nested.is_object() => {
                (opt_str(nested, "code").or_else(|| opt_str(nested, "type")), opt_str(nested, "message"))
            }
            Some(code) if code.as_str().is_some() => (code.as_str().map(str::to_string), opt_str(body, "message")),
            _ => (None, opt_str(body, "message")),
        };
        Envelope { message: message.or_else(|| code.clone()), code, ..Envelope::default() }
    }
}

// ---- request builders ----

fn check_new_key(key: &NewKey, problems: &mut Problems) {
    refuse_fields(&new_key_fields(key), &CREATE_FIELDS, NAME, problems);
    if key.name.is_none() {
        problems.add("name", "is required");
    }
    check_name(key.name.as_deref(), "name", usize::MAX, problems);
    check_endpoints(key.endpoints.as_deref(), problems);
    if let Some(budget) = &key.budget {
        check_spend_cap(budget, problems);
    }
    if let Some(rate) = &key.rate_limit {
        check_whole_in(rate.requests, "rateLimit.requests", 1.0, MAX_RATE_LIMIT, problems);
        if rate.period_seconds.is_some_and(|seconds| seconds != 60.0) {
            problems.add("rateLimit.periodSeconds", "must be 60: Quantum AI limits requests per minute");
        }
    }
    check_one_of(key.region.as_deref(), "region", &REGIONS, problems);
}

fn check_endpoints(endpoints: Option<&[String]>, problems: &mut Problems) {
    for (i, endpoint) in endpoints.unwrap_or_default().iter().enumerate() {
        if crate::text::is_blank(endpoint) {
            problems.add(&text!("endpoints[", i, "]"), "must not be empty");
        }
    }
}

/// A cap in USD (any amount ≥ 0); Quantum caps do not reset, so a period is refused.
fn check_spend_cap(budget: &BudgetInput, problems: &mut Problems) {
    check_amount(budget.limit.flatten(), "budget.limit", false, problems);
    if let Some(Some(_)) = budget.period {
        problems.add("budget.period", "is not supported by Quantum AI: spend caps never reset (leave it out or pass null)");
    }
}

fn check_usage(query: &UsageQuery, problems: &mut Problems) {
    refuse_fields(&usage_fields(query), &USAGE_FIELDS, NAME, problems);
    let key_id = query.key_id.as_deref().map(Json::from);
    check_id(key_id.as_ref(), "keyId", problems);
}

/// `{base}/qai/v1/keys` followed by `rest`.
fn url(base: &str, rest: &[Segment<'_>]) -> String {
    join_under(base, KEYS, rest)
}

/// `CreateKeyRequest`: `None` fields omitted; a `null` budget limit means no cap.
fn create_body(key: &NewKey) -> Json {
    let cap = key.budget.as_ref().and_then(|b| b.limit.flatten());
    json_object(vec![
        ("name", text(&key.name)),
        ("endpoints", texts(&key.endpoints)),
        ("spend_cap_usd", cap.map(Json::from)),
        ("rate_limit", key.rate_limit.as_ref().and_then(|r| r.requests).map(Json::from)),
        ("region", text(&key.region)),
    ])
}

// ---- response parsers ----

/// `{"keys":[…]}`: the whole list, so there is never a next page.
fn parse_page(body: Node<'_>, now_ms: f64) -> Result<Page, Error> {
    key_page(body, Some("keys"), "keys", parse_key, now_ms)
}

/// `{"key","details","old_key_id"?}`, or the Zig gateway's flat shape where the key's
/// fields sit beside `key`. `rotated` is the id the rotation was asked for.
/// The key's `raw` is `details`, or the flat body without the secret.
fn parse_created(body: Node<'_>, rotated: Option<&str>, now_ms: f64) -> Result<Output, Error> {
    let secret = req_str(body, "key")?;
    let (key, raw) = match body.get_present("details") {
        Some(details) => {
            let key = parse_key(object(Some(details), "details")?, now_ms)?;
            (key, RawAt::untouched(Some("details")))
        }
        None => (parse_key(body, now_ms)?, RawAt { member: None, hide: Hide::Member("key") }),
    };
    let replaced_key_id = opt_str(body, "old_key_id")
        .or_else(|| rotated.filter(|old| *old != key.id).map(str::to_string));
    Ok(Output::CreatedAt(CreatedKey { key, secret: Secret(secret), replaced_key_id }, raw))
}

/// `DELETE` answers `{"status":"revoked","message"?}` and returns no key: the key is
/// built from the id, marked revoked, with the answer kept in `raw`. Any 2xx counts.
fn revoked_key(id: &str, response: &HttpResponse) -> Output {
    let body = response.json();
    let mut key = ApiKey::new(Provider::Quantum.name(), id.to_string(), Json::Null);
    key.hint = body.and_then(|b| opt_str(b, "prefix"));
    key.status = KeyStatus::Revoked;
    match body {
        Some(_) => Output::KeyAt(key, RawAt::untouched(None)),
        None => Output::Key(key),
    }
}

/// `{"days":[{day, requests, cost_usd, input_tokens, output_tokens}], "models", "total_cost_usd"}`.
fn parse_usage(body: Node<'_>, query: &UsageQuery) -> Result<Output, Error> {
    let raw_days = array(body.get("days"), "days")?;
    let mut days = Vec::with_capacity(raw_days.len());
    for (i, raw) in raw_days.enumerate() {
        days.push(parse_day(object(Some(raw), &text!("days[", i, "]"))?)?);
    }
    let total_cost = opt_f64(body, "total_cost_usd").or_else(|| sum(&days, |d| d.cost));
    let usage = Usage {
        key_id: query.key_id.clone(),
        unit: Some(BudgetUnit::Usd),
        total_cost,
        total_requests: sum(&days, |d| d.requests),
        days,
        keys: Vec::new(),
        raw: Json::Null,
    };
    Ok(Output::UsageAt { usage, raw: RawAt::untouched(None), keys: None })
}

fn parse_day(raw: Node<'_>) -> Result<UsageDay, Error> {
    Ok(UsageDay {
        date: req_str(raw, "day")?,
        requests: opt_f64(raw, "requests"),
        cost: opt_f64(raw, "cost_usd"),
        input_tokens: opt_f64(raw, "input_tokens"),
        output_tokens: opt_f64(raw, "output_tokens"),
    })
}

/// The sum when every value is known (zero for none), else `None`.
/// Starts at -0.0 like `Iterator::sum`, so an empty sum is written the same way.
fn sum(days: &[UsageDay], read: fn(&UsageDay) -> Option<f64>) -> Option<f64> {
    let mut total = -0.0;
    for day in days {
        total += read(day)?;
    }
    Some(total)
}

/// A `KeyDetails` object, or the Zig gateway's flat key (no `id`: its `prefix` is the id).
fn parse_key(raw: Node<'_>, now_ms: f64) -> Result<ApiKey, Error> {
    let id = req_id(raw, "id").or_else(|missing| opt_str(raw, "prefix").ok_or(missing))?;
    let mut key = ApiKey::new(Provider::Quantum.name(), id, Json::Null);
    key.name = opt_str(raw, "name");
    key.hint = opt_str(raw, "key_prefix").or_else(|| opt_str(raw, "prefix"));
    key.created_at = time(raw, "created_at");
    key.last_used_at = time(raw, "last_used").or_else(|| time(raw, "last_used_at"));
    key.expires_at = time(raw, "expires_at");
    key.status = status(raw, key.expires_at.as_deref(), now_ms);
    // `spent_ticks` defaults to 0 in the SDK.
    let spent = opt_f64(raw, "spent_ticks").unwrap_or(0.0) / TICKS_PER_USD;
    key.usage = Some(KeyUsage { total: Some(spent), unit: Some(BudgetUnit::Usd), ..KeyUsage::default() });
    key.budget = spend_cap_usd(raw).map(|limit| cap_budget(limit, spent));
    key.rate_limit = opt_f64(raw, "rate_limit")
        .or_else(|| opt_f64(raw, "rate_limit_rpm"))
        .map(|requests| RateLimit { requests, period_seconds: 60.0 });
    Ok(key)
}

/// A timestamp as RFC 3339 text; the Zig gateway's ms numbers are converted, and a
/// number ≤ 0 is read as "none" (UNVERIFIED: else every key would read as 1970).
fn time(raw: Node<'_>, name: &str) -> Option<String> {
    match raw.get(name).and_then(Node::as_f64) {
        Some(n) if n <= 0.0 => None,
        _ => opt_time(raw, name),
    }
}

fn status(raw: Node<'_>, expires_at: Option<&str>, now_ms: f64) -> KeyStatus {
    let expired = is_past(expires_at, now_ms);
    if opt_bool(raw, "revoked") == Some(true) {
        KeyStatus::Revoked
    } else if expired {
        KeyStatus::Expired
    } else {
        KeyStatus::Active
    }
}

/// `spend_cap_usd` (SDK shape) or `spend_cap_ticks` (Go SDK, Zig gateway).
fn spend_cap_usd(raw: Node<'_>) -> Option<f64> {
    opt_f64(raw, "spend_cap_usd").or_else(|| opt_f64(raw, "spend_cap_ticks").map(|t| t / TICKS_PER_USD))
}

/// A cap that never resets.
fn cap_budget(limit: f64, spent: f64) -> Budget {
    Budget {
        limit: Some(limit),
        period: None,
        used: Some(spent),
        remaining: Some(limit - spent),
        unit: BudgetUnit::Usd,
        resets_at: None,
    }
}

#[cfg(test)]
mod tests;
