//! The operations, and reading each one's input from caller JSON into a typed [`Call`].
//!
//! This step checks shapes and types only (the same for every provider); what a
//! provider accepts is checked by its dialect afterwards. Both add to one
//! [`Problems`], so the caller sees every bad field at once.

use crate::prelude::*;
use crate::json::Json;
use crate::model::{
    BudgetInput, BudgetPeriod, KeyPatch, ListOptions, NewKey, RateLimitInput, ResetOptions,
    RotateOptions, UsageQuery,
};
use crate::providers::BUILT;
use crate::validate::{check_id, quoted_list, Problems, Reader};

/// Every operation of the `ApiKeys` class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    List,
    ListAll,
    Get,
    Current,
    Create,
    Update,
    Revoke,
    Enable,
    Rotate,
    Delete,
    SetBudget,
    ResetBudgetPeriod,
    Usage,
    ListActive,
}

impl Operation {
    pub const ALL: [Operation; 14] = [
        Operation::List,
        Operation::ListAll,
        Operation::Get,
        Operation::Current,
        Operation::Create,
        Operation::Update,
        Operation::Revoke,
        Operation::Enable,
        Operation::Rotate,
        Operation::Delete,
        Operation::SetBudget,
        Operation::ResetBudgetPeriod,
        Operation::Usage,
        Operation::ListActive,
    ];

    /// The method name on the JS class.
    pub fn name(self) -> &'static str {
        match self {
            Operation::List => "list",
            Operation::ListAll => "listAll",
            Operation::Get => "get",
            Operation::Current => "current",
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Revoke => "revoke",
            Operation::Enable => "enable",
            Operation::Rotate => "rotate",
            Operation::Delete => "delete",
            Operation::SetBudget => "setBudget",
            Operation::ResetBudgetPeriod => "resetBudgetPeriod",
            Operation::Usage => "usage",
            Operation::ListActive => "listActive",
        }
    }

    pub fn parse(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// One operation with its checked input.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    List(ListOptions),
    Get(String),
    Current,
    Create(NewKey),
    Update(String, KeyPatch),
    Revoke(String),
    Enable(String),
    Rotate(String, RotateOptions),
    Delete(String),
    SetBudget(String, BudgetInput),
    ResetBudgetPeriod(String, ResetOptions),
    Usage(UsageQuery),
    ListActive(ListOptions),
}

impl Call {
    pub fn operation(&self) -> Operation {
        match self {
            Call::List(_) => Operation::List,
            Call::Get(_) => Operation::Get,
            Call::Current => Operation::Current,
            Call::Create(_) => Operation::Create,
            Call::Update(..) => Operation::Update,
            Call::Revoke(_) => Operation::Revoke,
            Call::Enable(_) => Operation::Enable,
            Call::Rotate(..) => Operation::Rotate,
            Call::Delete(_) => Operation::Delete,
            Call::SetBudget(..) => Operation::SetBudget,
            Call::ResetBudgetPeriod(..) => Operation::ResetBudgetPeriod,
            Call::Usage(_) => Operation::Usage,
            Call::ListActive(_) => Operation::ListActive,
        }
    }

    /// Reads `op`'s arguments: `id` for per-key operations, then `input` (an options object).
    /// `listAll` reads as `List` (its pages are `list` calls). `None` for an operation no
    /// provider of this build offers: each arm is guarded by the constant [`BUILT`], so a
    /// one-provider build leaves out the readers of what its provider does not offer. (Per
    /// arm, where `op` is known, the guard folds to a constant; one test before the `match`
    /// does not, measured: the Anthropic wasm 0.6 KB larger.)
    pub fn read(op: Operation, id: Option<&Json>, input: Option<&Json>, problems: &mut Problems) -> Option<Call> {
        let mut key_id = || check_id(id, "id", problems);
        let call = match op {
            Operation::List | Operation::ListAll => Call::List(read_list_options(input, problems)),
            Operation::ListActive if BUILT.has(op) => Call::ListActive(read_list_options(input, problems)),
            Operation::Get if BUILT.has(op) => Call::Get(key_id()),
            Operation::Current if BUILT.has(op) => Call::Current,
            Operation::Create if BUILT.has(op) => Call::Create(read_new_key(input, problems)),
            Operation::Update if BUILT.has(op) => {
                let id = key_id();
                Call::Update(id, read_patch(input, problems))
            }
            Operation::Revoke if BUILT.has(op) => Call::Revoke(key_id()),
            Operation::Enable if BUILT.has(op) => Call::Enable(key_id()),
            Operation::Rotate if BUILT.has(op) => {
                let id = key_id();
                Call::Rotate(id, read_rotate(input, problems))
            }
            Operation::Delete if BUILT.has(op) => Call::Delete(key_id()),
            Operation::SetBudget if BUILT.has(op) => {
                let id = key_id();
                Call::SetBudget(id, read_budget_to_set(input, problems))
            }
            Operation::ResetBudgetPeriod if BUILT.has(op) => {
                let id = key_id();
                Call::ResetBudgetPeriod(id, read_reset(input, problems))
            }
            Operation::Usage if BUILT.has(op) => Call::Usage(read_usage(input, problems)),
            _ => return None,
        };
        Some(call)
    }
}

/// Input of `create`.
pub fn read_new_key(input: Option<&Json>, problems: &mut Problems) -> NewKey {
    if input.is_none_or(Json::is_null) {
        problems.add("input", "is required: pass the new key's fields as an object, e.g. { name: \"CI\" }");
    }
    let mut r = Reader::new(input, "", problems);
    let key = NewKey {
        name: r.string("name", problems),
        expires_at: r.time("expiresAt", problems),
        budget: r.object("budget", problems, read_budget),
        include_byok_in_limit: r.bool("includeByokInLimit", problems),
        workspace_id: r.string("workspaceId", problems),
        creator_user_id: r.string("creatorUserId", problems),
        scopes: r.strings("scopes", problems),
        description: r.string("description", problems),
        rate_limit: r.object("rateLimit", problems, read_rate_limit),
        endpoints: r.strings("endpoints", problems),
        region: r.string("region", problems),
        key_type: r.string("keyType", problems),
        tenant_id: r.string("tenantId", problems),
        application_id: r.string("applicationId", problems),
        user_id: r.string("userId", problems),
    };
    r.finish(problems);
    key
}

/// Input of `update`; at least one field must be given.
pub fn read_patch(input: Option<&Json>, problems: &mut Problems) -> KeyPatch {
    let mut r = Reader::new(input, "", problems);
    let patch = KeyPatch {
        name: r.string("name", problems),
        disabled: r.bool("disabled", problems),
        archived: r.bool("archived", problems),
        budget: r.object("budget", problems, read_budget),
        include_byok_in_limit: r.bool("includeByokInLimit", problems),
        scopes: r.strings("scopes", problems),
        description: r.string("description", problems),
        rate_limit: r.object("rateLimit", problems, read_rate_limit),
    };
    // `null` members, and objects with none (`budget: {}`), change nothing.
    let no_change = |v: &Json| v.is_null() || v.as_object().is_some_and(|o| o.iter().next().is_none());
    let empty = input.and_then(Json::as_object).is_none_or(|m| m.iter().all(|(_, v)| no_change(v)));
    r.finish(problems);
    if empty {
        problems.add("input", "must change at least one field");
    }
    patch
}

/// A budget inside `create`/`update`: `{ limit, period }`, both optional.
fn read_budget(r: &mut Reader<'_>, problems: &mut Problems) -> BudgetInput {
    let limit_given = r.has_key("limit");
    let period_given = r.has_key("period");
    let limit = r.number("limit", problems);
    let period = read_period(r, problems);
    BudgetInput {
        limit: limit_given.then_some(limit),
        period: period_given.then_some(period),
    }
}

fn read_period(r: &mut Reader<'_>, problems: &mut Problems) -> Option<BudgetPeriod> {
    let text = r.string("period", problems)?;
    let period = BudgetPeriod::parse(&text);
    if period.is_none() {
        problems.add(&r.path("period"), text!("must be one of ", quoted_list(&BudgetPeriod::NAMES), " or null"));
    }
    period
}

/// Input of `setBudget`: `limit` is required (`null` removes the limit).
fn read_budget_to_set(input: Option<&Json>, problems: &mut Problems) -> BudgetInput {
    let mut r = Reader::new(input, "", problems);
    if !r.has_key("limit") {
        problems.add("limit", "is required (a number, or null to remove the limit)");
    }
    let budget = read_budget(&mut r, problems);
    r.finish(problems);
    budget
}

fn read_rate_limit(r: &mut Reader<'_>, problems: &mut Problems) -> RateLimitInput {
    let requests = r.number("requests", problems);
    let period_seconds = r.number("periodSeconds", problems);
    if !r.has("requests") {
        problems.add(&r.path("requests"), "is required");
    }
    RateLimitInput { requests, period_seconds }
}

/// Options of `list`, `listAll`, `listActive`.
pub fn read_list_options(input: Option<&Json>, problems: &mut Problems) -> ListOptions {
    let mut r = Reader::new(input, "", problems);
    let options = ListOptions {
        cursor: r.string("cursor", problems),
        offset: r.number("offset", problems),
        limit: r.number("limit", problems),
        include_disabled: r.bool("includeDisabled", problems),
        workspace_id: r.string("workspaceId", problems),
        status: r.string("status", problems),
        created_by_user_id: r.string("createdByUserId", problems),
        user_id: r.string("userId", problems),
    };
    r.finish(problems);
    if options.cursor.is_some() && options.offset.is_some() {
        problems.add("offset", "cannot be combined with cursor");
    }
    options
}

fn read_rotate(input: Option<&Json>, problems: &mut Problems) -> RotateOptions {
    let mut r = Reader::new(input, "", problems);
    let options = RotateOptions { grace_seconds: r.number("graceSeconds", problems) };
    r.finish(problems);
    options
}

fn read_reset(input: Option<&Json>, problems: &mut Problems) -> ResetOptions {
    let mut r = Reader::new(input, "", problems);
    let options = ResetOptions { period_started_at: r.time("periodStartedAt", problems) };
    r.finish(problems);
    options
}

fn read_usage(input: Option<&Json>, problems: &mut Problems) -> UsageQuery {
    let mut r = Reader::new(input, "", problems);
    let query = UsageQuery {
        key_id: r.string("keyId", problems),
        tenant_id: r.string("tenantId", problems),
        key_type: r.string("keyType", problems),
    };
    r.finish(problems);
    query
}

/// The names whose flag is set (`names` and `set` in the same order).
fn given(names: &[&'static str], set: &[bool]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (name, on) in names.iter().zip(set) {
        if *on {
            out.push(*name);
        }
    }
    out
}

/// The names of the `NewKey` fields that are set, as the caller spells them.
pub fn new_key_fields(key: &NewKey) -> Vec<&'static str> {
    const NAMES: [&str; 15] = [
        "name", "expiresAt", "budget", "includeByokInLimit", "workspaceId", "creatorUserId", "scopes",
        "description", "rateLimit", "endpoints", "region", "keyType", "tenantId", "applicationId", "userId",
    ];
    let set = [
        key.name.is_some(),
        key.expires_at.is_some(),
        key.budget.is_some(),
        key.include_byok_in_limit.is_some(),
        key.workspace_id.is_some(),
        key.creator_user_id.is_some(),
        key.scopes.is_some(),
        key.description.is_some(),
        key.rate_limit.is_some(),
        key.endpoints.is_some(),
        key.region.is_some(),
        key.key_type.is_some(),
        key.tenant_id.is_some(),
        key.application_id.is_some(),
        key.user_id.is_some(),
    ];
    given(&NAMES, &set)
}

/// The names of the `KeyPatch` fields that are set.
pub fn patch_fields(patch: &KeyPatch) -> Vec<&'static str> {
    const NAMES: [&str; 8] =
        ["name", "disabled", "archived", "budget", "includeByokInLimit", "scopes", "description", "rateLimit"];
    let set = [
        patch.name.is_some(),
        patch.disabled.is_some(),
        patch.archived.is_some(),
        patch.budget.is_some(),
        patch.include_byok_in_limit.is_some(),
        patch.scopes.is_some(),
        patch.description.is_some(),
        patch.rate_limit.is_some(),
    ];
    given(&NAMES, &set)
}

/// The names of the `ListOptions` fields that are set.
pub fn list_fields(options: &ListOptions) -> Vec<&'static str> {
    const NAMES: [&str; 8] =
        ["cursor", "offset", "limit", "includeDisabled", "workspaceId", "status", "createdByUserId", "userId"];
    let set = [
        options.cursor.is_some(),
        options.offset.is_some(),
        options.limit.is_some(),
        options.include_disabled.is_some(),
        options.workspace_id.is_some(),
        options.status.is_some(),
        options.created_by_user_id.is_some(),
        options.user_id.is_some(),
    ];
    given(&NAMES, &set)
}

/// The names of the `UsageQuery` fields that are set.
pub fn usage_fields(query: &UsageQuery) -> Vec<&'static str> {
    let set = [query.key_id.is_some(), query.tenant_id.is_some(), query.key_type.is_some()];
    given(&["keyId", "tenantId", "keyType"], &set)
}

/// The names of the `RotateOptions` fields that are set.
pub fn rotate_fields(options: &RotateOptions) -> Vec<&'static str> {
    if options.grace_seconds.is_some() {
        vec!["graceSeconds"]
    } else {
        Vec::new()
    }
}

/// Reports each field in `given` that is not in `accepted`, naming the provider.
pub fn refuse_fields(given: &[&str], accepted: &[&str], provider: &str, problems: &mut Problems) {
    for field in given.iter().filter(|f| !accepted.contains(f)) {
        problems.refuse(field, text!("is not supported by ", provider));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn every_operation_has_a_js_name_that_parses_back() {
        for op in Operation::ALL {
            assert_eq!(Operation::parse(op.name()), Some(op));
        }
        assert_eq!(Operation::parse("explode"), None);
    }

    #[test]
    fn create_input_problems_are_all_reported() {
        let input = json(r#"{"name":1,"budget":{"limit":"ten","period":"hourly"},"bogus":true}"#);
        let mut problems = Problems::new();
        read_new_key(Some(&input), &mut problems);
        let fields: Vec<&str> = problems.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "budget.limit", "budget.period", "bogus"]);
    }

    #[test]
    fn update_needs_a_change_and_set_budget_needs_a_limit() {
        for nothing in ["{}", r#"{"name":null}"#, r#"{"budget":{}}"#] {
            let mut problems = Problems::new();
            read_patch(Some(&json(nothing)), &mut problems);
            assert_eq!(problems.fields()[0].field, "input", "{nothing}");
        }
        let mut problems = Problems::new();
        let patch = read_patch(Some(&json(r#"{"budget":{"limit":null}}"#)), &mut problems);
        assert!(problems.is_empty(), "removing the limit is a change");
        assert_eq!(patch.budget.map(|b| b.limit), Some(Some(None)));
        let mut problems = Problems::new();
        let budget = read_budget_to_set(Some(&json(r#"{"limit":null}"#)), &mut problems);
        assert!(problems.is_empty());
        assert_eq!(budget.limit, Some(None));
        assert_eq!(budget.period, None);
        let mut problems = Problems::new();
        read_budget_to_set(Some(&json(r#"{"period":"daily"}"#)), &mut problems);
        assert_eq!(problems.fields()[0].field, "limit");
    }

    #[test]
    fn per_key_operations_check_the_id() {
        let mut problems = Problems::new();
        let call = Call::read(Operation::Get, Some(&Json::from("")), None, &mut problems);
        assert_eq!(call, Some(Call::Get(String::new())));
        assert_eq!(problems.fields()[0].field, "id");
    }
}
