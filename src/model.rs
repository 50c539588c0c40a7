//! The canonical model: one shape for a key on every provider, camelCase on the JS side.
//!
//! Outputs (`ApiKey`, `CreatedKey`, `Page`, `Usage`) always carry every field, `null`
//! when the provider does not report it, and keep the provider's JSON in `raw`.
//! Inputs (`NewKey`, `KeyPatch`, `ListOptions`, …) are read from JSON by [`crate::validate`].

use crate::prelude::*;
use crate::json::{Columns, Items, Json, Node, WriteColumns};
use serde::Serialize;
use core::fmt;

/// The state of a key, folded from each provider's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyStatus {
    Active,
    /// Switched off but can be switched on again (OpenRouter `disabled`, Anthropic `inactive`).
    Disabled,
    /// Permanently revoked.
    Revoked,
    Expired,
    /// Anthropic `archived`.
    Archived,
}

/// How often a budget starts again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BudgetPeriod {
    Daily,
    Weekly,
    Monthly,
    Yearly,
    Lifetime,
}

impl BudgetPeriod {
    pub const ALL: [BudgetPeriod; 5] = [
        BudgetPeriod::Daily,
        BudgetPeriod::Weekly,
        BudgetPeriod::Monthly,
        BudgetPeriod::Yearly,
        BudgetPeriod::Lifetime,
    ];

    /// The names of [`BudgetPeriod::ALL`], in its order: messages list them with no
    /// `Vec` collected.
    pub const NAMES: [&'static str; 5] = ["daily", "weekly", "monthly", "yearly", "lifetime"];

    pub fn as_str(self) -> &'static str {
        BudgetPeriod::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<BudgetPeriod> {
        BudgetPeriod::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl fmt::Display for BudgetPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a budget's numbers count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BudgetUnit {
    Usd,
    Credits,
}

/// A key's spending limit as the provider reports it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    /// The limit; `null` means unlimited.
    pub limit: Option<f64>,
    /// When the limit starts again; `null` means it never resets.
    pub period: Option<BudgetPeriod>,
    /// Spent in the current period.
    pub used: Option<f64>,
    pub remaining: Option<f64>,
    pub unit: BudgetUnit,
    pub resets_at: Option<String>,
}

/// Spending and traffic totals reported on a key.
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyUsage {
    pub total: Option<f64>,
    pub daily: Option<f64>,
    pub weekly: Option<f64>,
    pub monthly: Option<f64>,
    pub requests: Option<f64>,
    pub unit: Option<BudgetUnit>,
}

/// A rate limit: `requests` per `periodSeconds`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    pub requests: f64,
    pub period_seconds: f64,
}

/// A rate limit to set: `periodSeconds` is `None` when not given (GPT Core's `create`
/// sends 60 then; its `update` leaves the key's period as it is). `requests` is `None`
/// only in input that validation refuses ("is required"), read on so that the rest of
/// it is checked too.
#[derive(Clone, Debug, PartialEq)]
pub struct RateLimitInput {
    pub requests: Option<f64>,
    pub period_seconds: Option<f64>,
}

/// One API key, in the canonical shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub provider: &'static str,
    pub id: String,
    pub name: Option<String>,
    /// A non-secret hint of the key (prefix or redacted form).
    pub hint: Option<String>,
    pub status: KeyStatus,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub budget: Option<Budget>,
    pub usage: Option<KeyUsage>,
    pub rate_limit: Option<RateLimit>,
    pub scopes: Option<Vec<String>>,
    pub workspace_id: Option<String>,
    /// The provider's JSON for this key, untouched.
    pub raw: Json,
}

impl ApiKey {
    /// An active key with only its id and raw JSON; dialects fill in the rest.
    /// Not inlined: one copy of the defaults instead of one per dialect.
    #[inline(never)]
    pub fn new(provider: &'static str, id: String, raw: Json) -> ApiKey {
        ApiKey {
            provider,
            id,
            name: None,
            hint: None,
            status: KeyStatus::Active,
            created_at: None,
            updated_at: None,
            last_used_at: None,
            expires_at: None,
            budget: None,
            usage: None,
            rate_limit: None,
            scopes: None,
            workspace_id: None,
            raw,
        }
    }
}

impl KeyStatus {
    /// The status as results carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "active",
            KeyStatus::Disabled => "disabled",
            KeyStatus::Revoked => "revoked",
            KeyStatus::Expired => "expired",
            KeyStatus::Archived => "archived",
        }
    }
}

/// A key as columns, in the order of [`KEY_FIELDS`] (which `keyFromColumns` in runtime.js
/// reads). `raw` is always absent here: the shell takes it from JS's own parse of the body.
impl WriteColumns for ApiKey {
    fn write_columns(&self, out: &mut Columns) {
        out.has(Some(()));
        out.text(Some(self.provider));
        out.text(Some(&self.id));
        for text in [&self.name, &self.hint] {
            out.text(text.as_deref());
        }
        out.text(Some(self.status.as_str()));
        for text in [&self.created_at, &self.updated_at, &self.last_used_at, &self.expires_at] {
            out.text(text.as_deref());
        }
        if let Some(budget) = out.has(self.budget.as_ref()) {
            out.number(budget.limit);
            out.text(budget.period.map(BudgetPeriod::as_str));
            out.number(budget.used);
            out.number(budget.remaining);
            out.text(Some(budget.unit.as_str()));
            out.text(budget.resets_at.as_deref());
        }
        if let Some(usage) = out.has(self.usage.as_ref()) {
            for number in [usage.total, usage.daily, usage.weekly, usage.monthly, usage.requests] {
                out.number(number);
            }
            out.text(usage.unit.map(BudgetUnit::as_str));
        }
        if let Some(rate) = out.has(self.rate_limit.as_ref()) {
            out.number(Some(rate.requests));
            out.number(Some(rate.period_seconds));
        }
        out.texts(self.scopes.as_deref());
        out.text(self.workspace_id.as_deref());
        out.text(None);
    }
}

/// A field of a struct that lists write as columns (`json::to_columns`): its JSON name and,
/// when its value is a struct too, that struct's fields. JS rebuilds the objects in this
/// order (`keyFromColumns` in `runtime.js`); a test checks it against the serialized order.
pub struct Field {
    pub name: &'static str,
    pub nested: &'static [Field],
}

const fn plain(name: &'static str) -> Field {
    Field { name, nested: &[] }
}

const BUDGET_FIELDS: &[Field] =
    &[plain("limit"), plain("period"), plain("used"), plain("remaining"), plain("unit"), plain("resetsAt")];
const USAGE_FIELDS: &[Field] =
    &[plain("total"), plain("daily"), plain("weekly"), plain("monthly"), plain("requests"), plain("unit")];
const RATE_LIMIT_FIELDS: &[Field] = &[plain("requests"), plain("periodSeconds")];

/// The fields of [`ApiKey`], in the order they are serialized.
pub const KEY_FIELDS: &[Field] = &[
    plain("provider"),
    plain("id"),
    plain("name"),
    plain("hint"),
    plain("status"),
    plain("createdAt"),
    plain("updatedAt"),
    plain("lastUsedAt"),
    plain("expiresAt"),
    Field { name: "budget", nested: BUDGET_FIELDS },
    Field { name: "usage", nested: USAGE_FIELDS },
    Field { name: "rateLimit", nested: RATE_LIMIT_FIELDS },
    plain("scopes"),
    plain("workspaceId"),
    plain("raw"),
];

/// `fields` as JSON for JS: a name per plain field, `[name, [fields]]` per nested struct.
pub fn fields_json(fields: &[Field]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| match f.nested {
            [] => Json::from(f.name).to_string(),
            nested => text!("[", Json::from(f.name), ",", fields_json(nested), "]"),
        })
        .collect();
    text!("[", parts.join(","), "]")
}

/// The secret of a new (or rotated) key. Shown once: its `Debug` never prints it.
#[derive(Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A key just created or rotated, with its secret (returned this once).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    pub key: ApiKey,
    pub secret: Secret,
    /// After a rotation, the id of the key that was replaced when it differs.
    pub replaced_key_id: Option<String>,
}

/// One page of keys; `nextCursor` is `null` on the last page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub items: Vec<ApiKey>,
    pub next_cursor: Option<String>,
    /// Where each item's `raw` sits in the response body, so a shell that parses the
    /// body itself can take `raw` from there instead of copying it again. Not serialized.
    #[serde(skip)]
    pub raw_source: Option<RawSource>,
}

impl Page {
    /// Keeps only the active keys (and their places in the body).
    pub fn retain_active(&mut self) {
        let active = |key: &ApiKey| key.status == KeyStatus::Active;
        if let Some(source) = &mut self.raw_source {
            let mut items = self.items.iter();
            source.indices.retain(|_| items.next().is_some_and(active));
        }
        self.items.retain(active);
    }

    /// Takes the first `count` keys out (and their places in the body).
    pub fn drop_first(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        self.items = self.items.split_off(count.min(self.items.len()));
        if let Some(source) = &mut self.raw_source {
            source.indices = source.indices.split_off(count.min(source.indices.len()));
        }
    }

    /// Copies each item's `raw` from the response `body`, where [`Page::raw_source`] says
    /// it is (dialects leave it to the caller: the wasm shell takes it from JS's own parse).
    pub fn fill_raw(&mut self, body: Node<'_>) {
        if let Some(source) = &self.raw_source {
            source.fill(&mut self.items, body);
        }
    }
}

/// The array of a response body that a page's items were read from.
#[derive(Clone, Debug, PartialEq)]
pub struct RawSource {
    /// The array (the body's member, or the body itself), and what each item's `raw`
    /// leaves out.
    pub at: RawAt,
    /// Each item's index in that array.
    pub indices: Vec<u32>,
}

impl RawSource {
    /// Copies each of `keys`' `raw` from the response `body`, where this says it is.
    pub fn fill(&self, keys: &mut [ApiKey], body: Node<'_>) {
        let mut list = Items::of(self.at.value(body)).enumerate();
        for (key, &index) in keys.iter_mut().zip(&self.indices) {
            if let Some((_, raw)) = list.find(|(at, _)| *at == index as usize) {
                key.raw = self.at.hide.apply(Json::from(raw));
            }
        }
    }
}

/// Where a single value's `raw` sits in a response body: the body's `member`, or the
/// body itself when `None`, less what `hide` says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RawAt {
    pub member: Option<&'static str>,
    pub hide: Hide,
}

/// What a `raw` leaves out of the provider's JSON: where the provider puts the secret.
/// The wasm shell hands it to runtime.js (`hide`), which applies it to its own parse of
/// the body as [`Hide::apply`] does to a tree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hide {
    Nothing,
    /// The member of this name is removed.
    Member(&'static str),
    /// The member at this dotted path is set to `null` where it is there and not `null`;
    /// an array on the way stands for each of its items.
    Nulled(&'static str),
}

impl RawAt {
    /// The body's `member` (or the body itself) as the provider sent it, nothing hidden.
    pub const fn untouched(member: Option<&'static str>) -> RawAt {
        RawAt { member, hide: Hide::Nothing }
    }

    /// The value this points to in the response `body`, before hiding.
    pub fn value(self, body: Node<'_>) -> Option<Node<'_>> {
        match self.member {
            Some(name) => body.get(name),
            None => Some(body),
        }
    }

    /// The `raw` this points to in the response `body` (`null` if it is not there).
    pub fn read(self, body: Node<'_>) -> Json {
        self.value(body).map_or(Json::Null, |raw| self.hide.apply(Json::from(raw)))
    }
}

impl Hide {
    /// `raw` less what this hides.
    pub fn apply(self, raw: Json) -> Json {
        match self {
            Hide::Nothing => raw,
            Hide::Member(name) => raw.without(name),
            Hide::Nulled(path) => nulled(raw, &path.split('.').collect::<Vec<_>>()),
        }
    }

    /// How runtime.js's `hide` takes it: what to do (0 nothing, 1 remove, 2 set `null`) and
    /// the member or dotted path.
    pub fn code(self) -> (u8, &'static str) {
        match self {
            Hide::Nothing => (0, ""),
            Hide::Member(name) => (1, name),
            Hide::Nulled(path) => (2, path),
        }
    }
}

fn nulled(value: Json, path: &[&str]) -> Json {
    let Some((name, rest)) = path.split_first() else { return value };
    if let Json::Array(items) = value {
        return Json::Array(items.into_iter().map(|item| nulled(item, path)).collect());
    }
    let Some(member) = value.get(name).filter(|m| !m.is_null()).cloned() else { return value };
    let mut value = value;
    value.set(name, if rest.is_empty() { Json::Null } else { nulled(member, rest) });
    value
}

/// One day of usage.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageDay {
    pub date: String,
    pub requests: Option<f64>,
    pub cost: Option<f64>,
    pub input_tokens: Option<f64>,
    pub output_tokens: Option<f64>,
}

/// Usage statistics: per key (`keys`) and/or over time (`days`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub key_id: Option<String>,
    pub unit: Option<BudgetUnit>,
    pub total_cost: Option<f64>,
    pub total_requests: Option<f64>,
    pub days: Vec<UsageDay>,
    pub keys: Vec<ApiKey>,
    pub raw: Json,
}

// ---- results as the wasm shell writes them: keys travel apart, as columns ----
//
// The shell writes a result's other members as JSON text (one `JSON.parse` in JS), with
// `null` where its keys go: it puts them in from `json::to_columns`, so the member keeps
// its place in the result's order. Built as `Json` (which the wasm has for request bodies
// anyway) rather than by serde, so the wasm needs no second JSON writer.

/// Where a result's keys go when they travel apart.
pub const KEYS_APART: Option<Json> = Some(Json::Null);

/// `value` as a member, `null` when absent.
pub fn or_null<T: Into<Json>>(value: Option<T>) -> Option<Json> {
    Some(value.map_or(Json::Null, Into::into))
}

impl Page {
    /// The page without its items.
    pub fn apart(&self) -> Json {
        Json::object_from(vec![("items", KEYS_APART), ("nextCursor", or_null(self.next_cursor.as_deref()))])
    }
}

impl CreatedKey {
    /// The result without its key.
    pub fn apart(&self) -> Json {
        let secret = Some(Json::from(self.secret.0.as_str()));
        Json::object_from(vec![("key", KEYS_APART), ("secret", secret), ("replacedKeyId", or_null(self.replaced_key_id.as_deref()))])
    }
}

impl Usage {
    /// The usage without its keys and its `raw` (the shell puts both in, `raw` from JS's
    /// own parse of the body): no copy of `raw`, so the wasm links no `Json` clone.
    pub fn apart(&self) -> Json {
        let mut days = Vec::new(); // a loop: `map(..).collect()` links an iterator fold of its own
        for day in &self.days {
            days.push(day.to_json());
        }
        Json::object_from(vec![
            ("keyId", or_null(self.key_id.as_deref())),
            ("unit", or_null(self.unit.map(BudgetUnit::as_str))),
            ("totalCost", or_null(self.total_cost)),
            ("totalRequests", or_null(self.total_requests)),
            ("days", Some(Json::Array(days))),
            ("keys", KEYS_APART),
            ("raw", Some(Json::Null)),
        ])
    }
}

impl UsageDay {
    fn to_json(&self) -> Json {
        Json::object_from(vec![
            ("date", Some(Json::from(self.date.as_str()))),
            ("requests", or_null(self.requests)),
            ("cost", or_null(self.cost)),
            ("inputTokens", or_null(self.input_tokens)),
            ("outputTokens", or_null(self.output_tokens)),
        ])
    }
}

impl BudgetUnit {
    /// The unit's name as results carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetUnit::Usd => "usd",
            BudgetUnit::Credits => "credits",
        }
    }
}

/// Input of `create`. Fields a provider does not know are refused by its validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewKey {
    pub name: Option<String>,
    pub expires_at: Option<String>,
    pub budget: Option<BudgetInput>,
    pub include_byok_in_limit: Option<bool>,
    pub workspace_id: Option<String>,
    pub creator_user_id: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub description: Option<String>,
    pub rate_limit: Option<RateLimitInput>,
    pub endpoints: Option<Vec<String>>,
    pub region: Option<String>,
    pub key_type: Option<String>,
    pub tenant_id: Option<String>,
    pub application_id: Option<String>,
    pub user_id: Option<String>,
}

/// Input of `update`: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyPatch {
    pub name: Option<String>,
    pub disabled: Option<bool>,
    pub archived: Option<bool>,
    pub budget: Option<BudgetInput>,
    pub include_byok_in_limit: Option<bool>,
    pub scopes: Option<Vec<String>>,
    pub description: Option<String>,
    pub rate_limit: Option<RateLimitInput>,
}

/// A budget to set. Each field is `None` when not given, `Some(None)` when given as
/// `null` (`limit: null` removes the limit, `period: null` stops resets).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BudgetInput {
    pub limit: Option<Option<f64>>,
    pub period: Option<Option<BudgetPeriod>>,
}

impl BudgetInput {
    /// The limit for a request body: omitted when not given, `null` when given as `null`.
    pub fn limit_json(&self) -> Option<Json> {
        self.limit.map(|limit| limit.map_or(Json::Null, Json::from))
    }

    /// The period for a request body, like [`BudgetInput::limit_json`].
    pub fn period_json(&self) -> Option<Json> {
        self.period.map(|period| period.map_or(Json::Null, |p| Json::from(p.as_str())))
    }
}

/// Options of `list`, `listAll` and `listActive`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListOptions {
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// Start at this offset (offset-paged providers).
    pub offset: Option<f64>,
    /// Page size (providers that take one).
    pub limit: Option<f64>,
    pub include_disabled: Option<bool>,
    pub workspace_id: Option<String>,
    pub status: Option<String>,
    pub created_by_user_id: Option<String>,
    pub user_id: Option<String>,
}

/// Options of `rotate`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RotateOptions {
    /// Seconds the old secret keeps working (Quantum AI).
    pub grace_seconds: Option<f64>,
}

/// Options of `usage`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UsageQuery {
    pub key_id: Option<String>,
    pub tenant_id: Option<String>,
    pub key_type: Option<String>,
}

/// Options of `resetBudgetPeriod`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResetOptions {
    /// When the new period starts (RFC 3339); the provider's "now" when absent.
    pub period_started_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key with every field set, so every nested struct is written.
    fn full_key() -> ApiKey {
        let mut key = ApiKey::new("openrouter", "k1".into(), Json::object());
        key.name = Some("n".into());
        key.budget = Some(Budget { limit: Some(1.0), period: None, used: None, remaining: None, unit: BudgetUnit::Usd, resets_at: None });
        key.usage = Some(KeyUsage::default());
        key.rate_limit = Some(RateLimit { requests: 1.0, period_seconds: 60.0 });
        key.scopes = Some(vec!["read".into()]);
        key
    }

    #[test]
    fn hide_removes_a_member_or_nulls_one_at_a_path_through_arrays() {
        let json = |text: &str| Json::parse(text).unwrap();
        assert_eq!(Hide::Member("key").apply(json(r#"{"id":1,"key":"s"}"#)), json(r#"{"id":1}"#));
        assert_eq!(Hide::Member("key").apply(json(r#"["key"]"#)), json(r#"["key"]"#), "only an object has members");
        let secret = Hide::Nulled("data.attributes.secret");
        let body = r#"{"data":[{"attributes":{"secret":"s","n":1}},{"attributes":{"secret":null}},{"attributes":{}},{"attributes":7},3],"m":{}}"#;
        let hidden = r#"{"data":[{"attributes":{"secret":null,"n":1}},{"attributes":{"secret":null}},{"attributes":{}},{"attributes":7},3],"m":{}}"#;
        assert_eq!(secret.apply(json(body)), json(hidden), "set null where there, nothing added where not");
        assert_eq!(Hide::Nothing.apply(json(body)), json(body));
    }

    fn names_in_order(value: &Json, fields: &[Field]) {
        let object = value.as_object().expect("a struct writes as an object");
        let names: Vec<&str> = object.iter().map(|(k, _)| k.as_str()).collect();
        let expected: Vec<&str> = fields.iter().map(|f| f.name).collect();
        assert_eq!(names, expected);
        for field in fields.iter().filter(|f| !f.nested.is_empty()) {
            names_in_order(value.get(field.name).unwrap(), field.nested);
        }
    }

    #[test]
    fn key_fields_name_what_serde_writes_in_that_order() {
        let written = crate::json::to_json_text(&full_key()).unwrap();
        names_in_order(&Json::parse(&written).unwrap(), KEY_FIELDS);
        let columns = crate::json::to_columns(&[full_key()]);
        assert_eq!(columns.text, "openrouterk1nactiveusdread");
        let slots: Vec<String> = columns.slots.iter().map(|n| n.to_string()).collect();
        // count, struct, 9 plain fields, budget, usage, rateLimit, scopes, workspaceId, raw
        let expected = "1 1 10 2 1 NaN 6 NaN NaN NaN NaN 1 1 NaN NaN NaN 3 NaN 1 NaN NaN NaN NaN NaN NaN 1 1 60 1 4 NaN NaN";
        assert_eq!(slots.join(" "), expected);
        // Every field set, each value distinct: the columns follow KEY_FIELDS.
        let mut key = full_key();
        (key.hint, key.status, key.workspace_id) = (Some("h".into()), KeyStatus::Archived, Some("w".into()));
        (key.created_at, key.updated_at, key.last_used_at, key.expires_at) = (Some("c".into()), Some("u".into()), Some("l".into()), Some("e".into()));
        key.budget = Some(Budget { limit: Some(1.0), period: Some(BudgetPeriod::Weekly), used: Some(2.0), remaining: Some(-0.0), unit: BudgetUnit::Credits, resets_at: Some("r".into()) });
        key.usage = Some(KeyUsage { total: Some(3.0), daily: Some(4.0), weekly: Some(5.0), monthly: Some(6.0), requests: Some(f64::INFINITY), unit: Some(BudgetUnit::Usd) });
        key.scopes = Some(vec!["a".into(), "b".into()]);
        let columns = crate::json::to_columns(&[key]);
        assert_eq!(columns.text, "openrouterk1nharchivedculeweeklycreditsrusdabw");
        let slots: Vec<String> = columns.slots.iter().map(|n| n.to_string()).collect();
        let expected = "1 1 10 2 1 1 8 1 1 1 1 1 1 6 2 0 7 1 1 3 4 5 6 NaN 3 1 1 60 2 1 1 1 NaN";
        assert_eq!(slots.join(" "), expected);
        let statuses = [KeyStatus::Active, KeyStatus::Disabled, KeyStatus::Revoked, KeyStatus::Expired, KeyStatus::Archived];
        let names: Vec<String> = statuses.iter().map(|s| text!("\"", s.as_str(), "\"")).collect();
        assert_eq!(crate::json::to_json_text(&statuses).unwrap(), text!("[", names.join(","), "]"), "KeyStatus::as_str is its serialized name");
        assert!(fields_json(KEY_FIELDS).contains(r#"["rateLimit",["requests","periodSeconds"]]"#));
    }

    /// A result written apart is the result with its keys' member `null`, in the same order.
    #[test]
    fn results_written_apart_differ_only_by_their_keys() {
        let apart = |value: &dyn erased::Write, member: &str| {
            let mut json = Json::parse(&value.text()).unwrap();
            json.set(member, Json::Null);
            json.to_string()
        };
        let page = Page { items: vec![full_key()], next_cursor: Some("2".into()), raw_source: None };
        assert_eq!(apart(&page, "items"), page.apart().to_string());
        let created = CreatedKey { key: full_key(), secret: Secret("s".into()), replaced_key_id: Some("old".into()) };
        assert_eq!(apart(&created, "key"), created.apart().to_string());
        let day = UsageDay { date: "2026-01-01".into(), requests: Some(1.0), cost: None, input_tokens: None, output_tokens: Some(2.0) };
        let usage = Usage { key_id: Some("k".into()), unit: Some(BudgetUnit::Usd), total_cost: Some(1.5), total_requests: None, days: vec![day], keys: vec![full_key()], raw: Json::object() };
        let usage_apart = {
            let mut json = Json::parse(&apart(&usage, "keys")).unwrap();
            json.set("raw", Json::Null);
            json.to_string()
        };
        assert_eq!(usage_apart, usage.apart().to_string());
        let usd = crate::json::to_json_text(&[BudgetUnit::Usd, BudgetUnit::Credits]).unwrap();
        assert_eq!(usd, r#"["usd","credits"]"#, "BudgetUnit::as_str is its serialized name");
    }

    /// Writing any model value as JSON text, behind one type.
    mod erased {
        pub trait Write {
            fn text(&self) -> String;
        }
        impl<T: serde::Serialize> Write for T {
            fn text(&self) -> String {
                crate::json::to_json_text(self).unwrap()
            }
        }
    }

    /// runtime.js reads keys' columns in the order of its copy of `KEY_FIELDS`.
    #[test]
    fn runtime_js_copy_of_key_fields_matches() {
        let runtime = include_str!("js/runtime.js");
        let start = runtime.find("const KEY_FIELDS_JSON =").expect("runtime.js defines KEY_FIELDS_JSON");
        let declaration = &runtime[start..start + runtime[start..].find(';').unwrap()];
        let copy: String = declaration.split('\'').skip(1).step_by(2).collect();
        assert_eq!(copy, fields_json(KEY_FIELDS), "update KEY_FIELDS_JSON and keyFromColumns in src/js/runtime.js");
    }
}
