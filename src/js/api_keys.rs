//! The `ApiKeys` class: one method per operation, each returning a Promise of plain
//! camelCase objects (or rejecting with an `ApiKeysError` subclass).

use crate::prelude::*;
use crate::js::runtime::{build_keys, global_value, key_iterator, raw_at, signal_problem, without_secret};
use crate::client::Client;
use crate::config::{options_error, read_request_options, Config};
use crate::error::{both, Error, FieldError};
use crate::js::convert::{as_function, member_text, to_js, to_json, to_json_taking};
use crate::js::errors::to_js_error;
use crate::client::Exchange;
use crate::js::fetch::{CallSettings, Transport};
use crate::js::flight::{Flight, Launch};
use crate::wire::redact::Secrets;
use crate::js::pager::KeyPager;
use crate::json::to_columns;
use crate::model::{ApiKey, Hide, Page, RawAt, RawSource};
use crate::operation::Operation;
use crate::providers::{unsupported_operation, Output, BUILT};
use js_sys::{Function, Promise, Reflect};
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

/// A client for one provider's key-management API.
#[wasm_bindgen]
pub struct ApiKeys {
    shared: Rc<Shared>,
}

/// What every call of one client uses.
pub(crate) struct Shared {
    pub client: Client,
    pub transport: Transport,
}

#[wasm_bindgen]
impl ApiKeys {
    /// Checks the options (every bad one reported at once) and makes a client.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "ApiKeysOptions")] options: JsValue) -> Result<ApiKeys, JsValue> {
        make_shared(&options).map(|shared| ApiKeys { shared: Rc::new(shared) }).map_err(|e| to_js_error(&e))
    }

    /// The provider's name, e.g. `"openrouter"`.
    #[wasm_bindgen(getter, unchecked_return_type = "ProviderName")]
    pub fn provider(&self) -> JsValue {
        self.shared.client.provider().name().into()
    }

    /// The base URL requests go to.
    #[wasm_bindgen(getter, js_name = baseUrl, unchecked_return_type = "string")]
    pub fn base_url(&self) -> JsValue {
        self.shared.client.config().base_url.as_str().into()
    }

    /// Whether the provider offers operation `op` (a method name such as `"rotate"`).
    /// Anything but such a string is `false`.
    pub fn supports(&self, #[wasm_bindgen(unchecked_param_type = "OperationName")] op: JsValue) -> bool {
        operation_name(&op).and_then(|op| Operation::parse(&op)).is_some_and(|op| self.shared.client.supports(op))
    }

    /// Why the provider does not offer `op` (with what to do instead, where there is an
    /// alternative), or `undefined` when it does (for anything but an operation name, a
    /// sentence saying so).
    #[wasm_bindgen(js_name = unsupportedReason, unchecked_return_type = "string | undefined")]
    pub fn unsupported_reason(&self, #[wasm_bindgen(unchecked_param_type = "OperationName")] op: JsValue) -> JsValue {
        let Some(name) = operation_name(&op) else { return "not an operation of ApiKeys: pass a method name such as \"rotate\"".into() };
        match Operation::parse(&name) {
            Some(op) if self.shared.client.supports(op) => JsValue::UNDEFINED,
            Some(op) => unsupported_operation(self.shared.client.provider(), op).message.as_str().into(),
            None => text!("\"", &name, "\" is not an operation of ApiKeys").as_str().into(),
        }
    }

    /// One page of keys.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::List, None, given(options), request)
    }

    /// Every key, page by page, as an async iterator with `toArray()`. Nothing is checked
    /// or sent until the first `next()`, which rejects on bad options.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "KeyIterator")]
    pub fn list_all(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListAllOptions")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> JsValue {
        let options = given_or_undefined(options);
        let request = given_or_undefined(request);
        let (options, taken) = to_json_taking(&options, &["onPage", "prefetch"], "options");
        let on_page = taken[0].clone();
        let pager = KeyPager::new(self.shared.clone(), options, &request, &taken);
        key_iterator(pager.into(), &on_page)
    }

    /// One key by id.
    #[wasm_bindgen(unchecked_return_type = "Promise<ApiKey>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue, #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue) -> Promise {
        self.run(Operation::Get, Some(id), None, request)
    }

    /// The key the client authenticates with.
    #[wasm_bindgen(unchecked_return_type = "Promise<ApiKey>")]
    pub fn current(&self, #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue) -> Promise {
        self.run(Operation::Current, None, None, request)
    }

    /// Creates a key; the result holds its secret, shown this once.
    #[wasm_bindgen(unchecked_return_type = "Promise<CreatedKey>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NewKey")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::Create, None, Some(input), request)
    }

    /// Changes the given fields of a key.
    #[wasm_bindgen(unchecked_return_type = "Promise<ApiKey>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KeyPatch")] patch: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::Update, Some(id), Some(patch), request)
    }

    /// Revokes (or, where the provider only disables, disables) a key.
    #[wasm_bindgen(unchecked_return_type = "Promise<ApiKey>")]
    pub fn revoke(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue, #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue) -> Promise {
        self.run(Operation::Revoke, Some(id), None, request)
    }

    /// Turns a disabled key back on.
    #[wasm_bindgen(unchecked_return_type = "Promise<ApiKey>")]
    pub fn enable(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue, #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue) -> Promise {
        self.run(Operation::Enable, Some(id), None, request)
    }

    /// Replaces a key's secret; the result holds the new secret.
    #[wasm_bindgen(unchecked_return_type = "Promise<CreatedKey>")]
    pub fn rotate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RotateOptions")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::Rotate, Some(id), given(options), request)
    }

    /// Deletes a key for good.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue, #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue) -> Promise {
        self.run(Operation::Delete, Some(id), None, request)
    }

    /// Sets (or, with `limit: null`, removes) a key's spending limit.
    #[wasm_bindgen(js_name = setBudget, unchecked_return_type = "Promise<ApiKey>")]
    pub fn set_budget(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BudgetToSet")] budget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::SetBudget, Some(id), Some(budget), request)
    }

    /// Starts a key's budget period again.
    #[wasm_bindgen(js_name = resetBudgetPeriod, unchecked_return_type = "Promise<ApiKey>")]
    pub fn reset_budget_period(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ResetOptions")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::ResetBudgetPeriod, Some(id), given(options), request)
    }

    /// Usage statistics.
    #[wasm_bindgen(unchecked_return_type = "Promise<Usage>")]
    pub fn usage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UsageQuery")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::Usage, None, given(query), request)
    }

    /// The active keys (one page).
    #[wasm_bindgen(js_name = listActive, unchecked_return_type = "Promise<Page>")]
    pub fn list_active(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] request: JsValue,
    ) -> Promise {
        self.run(Operation::ListActive, None, given(options), request)
    }

    /// `{ provider, baseUrl }`: never the key.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ provider: ProviderName; baseUrl: string }")]
    pub fn to_json(&self) -> JsValue {
        let out = js_sys::Object::new();
        let _ = Reflect::set(&out, &"provider".into(), &self.provider());
        let _ = Reflect::set(&out, &"baseUrl".into(), &self.base_url());
        out.into()
    }

    /// `ApiKeys(openrouter, https://…)`: never the key.
    #[wasm_bindgen(js_name = toString, unchecked_return_type = "string")]
    pub fn to_string_js(&self) -> JsValue {
        let config = self.shared.client.config();
        text!("ApiKeys(", config.provider.name(), ", ", config.base_url, ")").into()
    }

    fn run(&self, op: Operation, id: Option<JsValue>, input: Option<JsValue>, request: JsValue) -> Promise {
        let request = given_or_undefined(request);
        match self.shared.begin(op, id, input, &request) {
            Ok((exchange, settings)) => Flight::start(self.shared.clone(), exchange, settings, None, Launch::Called),
            Err(error) => Promise::reject(&self.shared.js_error(error, op.name())),
        }
    }
}

impl Shared {
    /// `error` as JS gets it, naming the provider and `operation`.
    pub fn js_error(&self, error: Error, operation: &'static str) -> JsValue {
        to_js_error(&error.without_secrets(&self.client.config().secrets()).with_context(self.client.provider().name(), operation))
    }

    /// Reads the arguments and builds the first request: nothing is sent on an error.
    /// Every argument is read, and all their problems reported at once.
    fn begin(&self, op: Operation, id: Option<JsValue>, input: Option<JsValue>, request: &JsValue) -> Result<(Exchange, CallSettings), Error> {
        let id = id.map(|v| to_json(&v, "id")).transpose();
        let input = input.map(|v| to_json(&v, "input")).transpose();
        let settings = self.settings(request);
        let client = settings.as_ref().map_or(&self.client, |s| &s.client);
        let exchange = match both!(id, input) {
            Ok((id, input)) => client.begin(op, id.as_ref(), input.as_ref(), js_sys::Date::now()),
            Err(error) => Err(error),
        };
        both!(exchange, settings)
    }

    /// The per-call settings: client defaults overridden by `request` options.
    pub fn settings(&self, request: &JsValue) -> Result<CallSettings, Error> {
        let defaults = self.client.config().resilience;
        if request.is_undefined() {
            return Ok(CallSettings { client: self.client.clone(), signals: Vec::new(), timeout_ms: defaults.timeout_ms, retry: defaults.retry });
        }
        let (options, taken) = to_json_taking(request, &["signal"], "options");
        let signal = taken.into_iter().next().unwrap_or(JsValue::UNDEFINED);
        let chosen = options.and_then(|options| read_request_options(&options, defaults));
        let signal = match signal {
            s if s.is_undefined() || s.is_null() => Ok(None),
            s => match signal_problem(&s) {
                None => Ok(Some(s.unchecked_into::<AbortSignal>())),
                Some(problem) => Err(options_error(vec![field_error("signal", &problem)])),
            },
        };
        let (chosen, signal) = both!(chosen, signal)?;
        let client = if chosen.headers.is_empty() { self.client.clone() } else { self.client.with_call_headers(&chosen.headers) };
        let signals = signal.map_or_else(Vec::new, |s| vec![s]);
        Ok(CallSettings { client, signals, timeout_ms: chosen.resilience.timeout_ms, retry: chosen.resilience.retry })
    }
}

/// `op` as a string that could name an operation (none is longer than 64 characters):
/// longer strings are not copied into the wasm.
fn operation_name(op: &JsValue) -> Option<String> {
    op.dyn_ref::<js_sys::JsString>().filter(|name| name.length() <= 64).map(String::from)
}

/// An optional argument: `None` when left out (`undefined`) or `null`. Optional
/// arguments are `JsValue`s, not `Option`s: the wasm's export wrapper puts each in
/// wasm-bindgen's externref table itself, where for an `Option` the glue called into
/// the wasm to do it (smaller glue and wasm, one crossing less per argument).
fn given(value: JsValue) -> Option<JsValue> {
    if value.is_undefined() || value.is_null() { None } else { Some(value) }
}

/// An optional argument, `undefined` when left out or `null`.
fn given_or_undefined(value: JsValue) -> JsValue {
    given(value).unwrap_or(JsValue::UNDEFINED)
}

/// Keys as JS objects. They go as columns (`json::to_columns`: their strings in one text,
/// the rest as numbers), which `buildKeys` in runtime.js turns back into objects. `raw`
/// never goes through the columns: the core leaves it to the caller
/// (`Exchange::receive_leaving_raw`), and where `source` says each key's `raw` sits in the
/// body (no indices: one key, the member itself), JS's own parse of the `body` bytes
/// supplies it; keys without a `source` have none (`null`). With `one`, the first key
/// itself, not an array.
fn keys_to_js(keys: Vec<ApiKey>, source: Option<RawSource>, body: &JsValue, one: bool) -> Result<JsValue, Error> {
    if keys.iter().any(|key| !key.raw.is_null()) {
        return Err(Error::format("a key with its raw copied from the body"));
    }
    let columns = to_columns(&keys);
    let (body, member, indices, (hide_kind, hide_path)) = match &source {
        Some(source) => (kept(body)?, member_js(source.at.member), source.indices.as_slice(), source.at.hide.code()),
        None => (&JsValue::UNDEFINED, JsValue::NULL, &[][..], Hide::Nothing.code()),
    };
    let built = build_keys(&columns.text, &columns.slots, body, &member, indices, hide_kind, hide_path, one);
    if built.is_null() {
        return Err(unparsed());
    }
    Ok(built)
}

/// A single key whose `raw` is at `at` in the body.
fn key_at_to_js(key: ApiKey, at: RawAt, body: &JsValue) -> Result<JsValue, Error> {
    keys_to_js(vec![key], Some(RawSource { at, indices: Vec::new() }), body, true)
}

/// The `raw` at `at` in the body, from JS's own parse of it.
fn raw_to_js(at: RawAt, body: &JsValue) -> Result<JsValue, Error> {
    let (hide_kind, hide_path) = at.hide.code();
    let raw = raw_at(kept(body)?, &member_js(at.member), hide_kind, hide_path);
    if raw.is_undefined() {
        return Err(unparsed());
    }
    Ok(raw)
}

/// The body's bytes, which the call kept for JS to parse.
fn kept(body: &JsValue) -> Result<&JsValue, Error> {
    if body.is_object() { Ok(body) } else { Err(Error::format("the response body was not kept")) }
}

fn member_js(member: Option<&str>) -> JsValue {
    member.map_or(JsValue::NULL, JsValue::from_str)
}

fn unparsed() -> Error {
    Error::format("JSON.parse could not read a body the core had read")
}

/// `result`, written apart from what it holds at `member` (its keys, a usage's `raw`), with `value` put there.
fn with_member(result: Result<JsValue, Error>, member: &str, value: Result<JsValue, Error>) -> Result<JsValue, Error> {
    let (result, value) = (result?, value?);
    Reflect::set(&result, &JsValue::from_str(member), &value).map_err(|_| Error::format("could not convert the result"))?;
    Ok(result)
}

/// A page as JS gets it: `convert` writes it apart from its items ([`Page::apart`]).
pub(crate) fn page_to_js(page: Page, body: &JsValue, convert: &dyn Fn(&Page) -> Result<JsValue, Error>) -> Result<JsValue, Error> {
    let value = convert(&page);
    with_member(value, "items", keys_to_js(page.items, page.raw_source, body, false))
}

/// An operation's result as JS gets it; `body` is the last response's bytes (for pages).
/// Results of operations no provider of this build offers are left out ([`BUILT`]).
pub(crate) fn output_to_js(output: Output, body: &JsValue) -> Result<JsValue, Error> {
    match output {
        Output::Key(key) => keys_to_js(vec![key], None, body, true),
        Output::KeyAt(key, at) => key_at_to_js(key, at, body),
        Output::CreatedAt(created, at) if BUILT.has(Operation::Create) || BUILT.has(Operation::Rotate) => {
            let value = to_js(&created.apart());
            let key = key_at_to_js(created.key, at, body).map(|key| without_secret(key, &created.secret.0));
            with_member(value, "key", key)
        }
        Output::Page(page) => page_to_js(page, body, &|page| to_js(&page.apart())),
        Output::UsageAt { usage, raw, keys } if BUILT.has(Operation::Usage) => {
            let value = with_member(to_js(&usage.apart()), "raw", raw_to_js(raw, body));
            with_member(value, "keys", keys_to_js(usage.keys, keys, body, false))
        }
        Output::Deleted => Ok(JsValue::UNDEFINED),
        // What only `Exchange::receive` gives (the shell calls `receive_leaving_raw`).
        Output::Created(_) | Output::Usage(_) => Err(Error::format("a result with its raw copied from the body")),
        Output::CreatedAt(..) | Output::UsageAt { .. } => Err(Error::format("a result of an operation this build does not offer")),
    }
}

/// Reads the constructor's options; JS-only members (`fetch`, `logger`) are checked here.
fn make_shared(options: &JsValue) -> Result<Shared, Error> {
    let (config, taken) = to_json_taking(options, &["fetch", "logger"], "options");
    let mut problems = Vec::new();
    let fetch = function_option(&taken[0], "fetch", &mut problems).or_else(global_fetch);
    let logger = function_option(&taken[1], "logger", &mut problems);
    if fetch.is_none() && !problems.iter().any(|p| p.field == "fetch") {
        problems.push(field_error("fetch", "is required: this runtime has no global fetch"));
    }
    let config = config.and_then(|json| Config::from_json(&json));
    let (config, fetch) = match (config, fetch) {
        (Ok(config), Some(fetch)) if problems.is_empty() => (config, fetch),
        (config, _) => {
            let mut fields = config.err().map(Error::into_fields).unwrap_or_default();
            fields.extend(problems);
            // The key as typed, for paths that name it: the options may not have been read.
            let typed_key = member_text(options, "apiKey").unwrap_or_default();
            return Err(options_error(fields).without_secrets(&Secrets::key(crate::text::trimmed(&typed_key))));
        }
    };
    let transport = Transport::new(fetch, logger, config.provider.dialect().request_id_header());
    Ok(Shared { client: Client::new(config), transport })
}

fn function_option(value: &JsValue, name: &str, problems: &mut Vec<FieldError>) -> Option<Function> {
    if value.is_undefined() || value.is_null() {
        return None;
    }
    let function = as_function(value);
    if function.is_none() {
        problems.push(field_error(name, "must be a function"));
    }
    function
}

fn field_error(field: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// The runtime's global `fetch`, called later with no `this`.
fn global_fetch() -> Option<Function> {
    as_function(&global_value("fetch"))
}
