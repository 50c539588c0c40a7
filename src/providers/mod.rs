//! The five providers: which one, what each offers, and dispatch to its dialect.
//!
//! A dialect is one file that maps the canonical model to one provider's wire
//! format. Every dialect has the same sections in the same order: constants and
//! paths, request builders, response parsers, error envelope, tests.

use crate::prelude::*;
use crate::config::Config;
use crate::error::Error;
use crate::json::{Json, Node};
use crate::model::{ApiKey, CreatedKey, Page, RawAt, RawSource, Usage};
use crate::time::parse_rfc3339_any_zone;
use crate::operation::{Call, Operation};
use crate::validate::Problems;
use crate::wire::errors::Envelope;
use crate::wire::fields::{array, object};
use crate::wire::{HttpRequest, HttpResponse, Method};

// A build has the dialects of its features (all five by default; see Cargo.toml).
#[cfg(not(any(feature = "gptcore", feature = "quantum", feature = "openrouter", feature = "anthropic", feature = "fluxbase")))]
compile_error!("build with at least one provider feature (gptcore, quantum, openrouter, anthropic, fluxbase)");

#[cfg(feature = "anthropic")]
pub mod anthropic;
#[cfg(feature = "fluxbase")]
pub mod fluxbase;
#[cfg(feature = "gptcore")]
pub mod gptcore;
#[cfg(feature = "openrouter")]
pub mod openrouter;
#[cfg(feature = "quantum")]
pub mod quantum;

/// A provider whose key-management API the client speaks (those of this build); its value
/// is its place in [`PROVIDER_NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    #[cfg(feature = "gptcore")]
    GptCore = 0,
    #[cfg(feature = "quantum")]
    Quantum = 1,
    #[cfg(feature = "openrouter")]
    OpenRouter = 2,
    #[cfg(feature = "anthropic")]
    Anthropic = 3,
    #[cfg(feature = "fluxbase")]
    Fluxbase = 4,
}

/// The `provider` value of every provider the library speaks, in or out of this build.
pub const PROVIDER_NAMES: [&str; 5] = ["gptcore", "quantum", "openrouter", "anthropic", "fluxbase"];

/// The `provider` values of this build, in [`Provider::ALL`]'s order: a constant, so that
/// [`Provider::names`] collects nothing at run time.
const BUILT_NAMES: [&str; Provider::ALL.len()] = {
    let mut names = [""; Provider::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = PROVIDER_NAMES[Provider::ALL[i] as usize];
        i += 1;
    }
    names
};

impl Provider {
    /// The providers of this build.
    pub const ALL: &'static [Provider] = &[
        #[cfg(feature = "gptcore")]
        Provider::GptCore,
        #[cfg(feature = "quantum")]
        Provider::Quantum,
        #[cfg(feature = "openrouter")]
        Provider::OpenRouter,
        #[cfg(feature = "anthropic")]
        Provider::Anthropic,
        #[cfg(feature = "fluxbase")]
        Provider::Fluxbase,
    ];

    /// The `provider` option's value.
    pub fn name(self) -> &'static str {
        PROVIDER_NAMES[self as usize]
    }

    /// The name people use.
    pub fn display_name(self) -> &'static str {
        match self {
            #[cfg(feature = "gptcore")]
            Provider::GptCore => "GPT Core",
            #[cfg(feature = "quantum")]
            Provider::Quantum => "Quantum AI",
            #[cfg(feature = "openrouter")]
            Provider::OpenRouter => "OpenRouter",
            #[cfg(feature = "anthropic")]
            Provider::Anthropic => "Anthropic Admin API",
            #[cfg(feature = "fluxbase")]
            Provider::Fluxbase => "Fluxbase",
        }
    }

    pub fn parse(name: &str) -> Option<Provider> {
        Provider::ALL.iter().copied().find(|p| p.name() == name)
    }

    /// `"a", "b" or "c"`: the accepted `provider` values.
    pub fn names() -> String {
        crate::validate::quoted_list(&BUILT_NAMES)
    }

    pub fn dialect(self) -> &'static dyn Dialect {
        match self {
            #[cfg(feature = "gptcore")]
            Provider::GptCore => &gptcore::GptCore,
            #[cfg(feature = "quantum")]
            Provider::Quantum => &quantum::Quantum,
            #[cfg(feature = "openrouter")]
            Provider::OpenRouter => &openrouter::OpenRouter,
            #[cfg(feature = "anthropic")]
            Provider::Anthropic => &anthropic::Anthropic,
            #[cfg(feature = "fluxbase")]
            Provider::Fluxbase => &fluxbase::Fluxbase,
        }
    }

    pub fn default_base_url(self) -> &'static str {
        self.dialect().default_base_url()
    }

    /// The default of the `apiVersion` option; empty when the provider has none.
    pub fn default_api_version(self) -> &'static str {
        self.dialect().default_api_version()
    }

    /// The values of `authStyle`, default first; fewer than two means no choice.
    pub fn auth_styles(self) -> &'static [&'static str] {
        self.dialect().auth_styles()
    }

    pub fn supports(self, op: Operation) -> bool {
        self.offers().has(op)
    }

    /// The operations the provider offers (its dialect's `OFFERS`).
    pub const fn offers(self) -> Offers {
        match self {
            #[cfg(feature = "gptcore")]
            Provider::GptCore => gptcore::OFFERS,
            #[cfg(feature = "quantum")]
            Provider::Quantum => quantum::OFFERS,
            #[cfg(feature = "openrouter")]
            Provider::OpenRouter => openrouter::OFFERS,
            #[cfg(feature = "anthropic")]
            Provider::Anthropic => anthropic::OFFERS,
            #[cfg(feature = "fluxbase")]
            Provider::Fluxbase => fluxbase::OFFERS,
        }
    }
}

/// A set of operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offers(u16);

impl Offers {
    pub const fn only(ops: &[Operation]) -> Offers {
        let mut bits = 0;
        let mut i = 0;
        while i < ops.len() {
            bits |= 1 << ops[i] as u16;
            i += 1;
        }
        Offers(bits)
    }

    pub const fn all_but(ops: &[Operation]) -> Offers {
        Offers(((1 << Operation::ALL.len()) - 1) & !Offers::only(ops).0)
    }

    pub const fn has(self, op: Operation) -> bool {
        self.0 & (1 << op as u16) != 0
    }
}

/// What some provider of this build offers. Code that only other operations need is
/// guarded by it, so that a one-provider build leaves it out (`Call::read`, `output_to_js`).
pub const BUILT: Offers = {
    let mut bits = 0;
    let mut i = 0;
    while i < Provider::ALL.len() {
        bits |= Provider::ALL[i].offers().0;
        i += 1;
    }
    Offers(bits)
};

/// What one exchange step yields: another request to send, or the result.
#[derive(Debug)]
pub enum Step {
    Send(HttpRequest),
    Done(Output),
}

/// The result of an operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Key(ApiKey),
    Created(CreatedKey),
    Page(Page),
    Usage(Usage),
    Deleted,
    // The `…At` outputs leave a `raw` `null` for the caller, saying where it is in the
    // response body. [`Output::fill_raw`] copies it and makes a `Key`, `Created` or
    // `Usage`; only [`Exchange::receive_leaving_raw`](crate::client::Exchange::receive_leaving_raw)
    // gives them (the wasm shell, whose JS parses the body anyway).
    KeyAt(ApiKey, RawAt),
    CreatedAt(CreatedKey, RawAt),
    /// `raw` is the usage's own; `keys`, where its keys' are.
    UsageAt { usage: Usage, raw: RawAt, keys: Option<RawSource> },
}

/// What a dialect needs besides the call: options and the caller's clock.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub config: &'a Config,
    pub now_ms: f64,
}

impl Context<'_> {
    /// A request to `url` carrying the caller's extra headers; the dialect adds its own.
    pub fn request(&self, method: Method, url: String) -> HttpRequest {
        let mut request = HttpRequest::new(method, url);
        request.headers = self.config.headers.clone();
        request
    }

    /// Like [`Context::request`], with a JSON `body` of `content_type`.
    pub fn json_request(&self, method: Method, url: String, body: Json, content_type: &str) -> HttpRequest {
        self.request(method, url).json(&body, content_type)
    }
}

/// One provider's mapping between the canonical model and its wire format.
///
/// The call protocol (driven by [`crate::client::Exchange`]): `check` the call, then
/// `request(call, 0)`; each 2xx response goes to `response(call, stage)`, which either
/// finishes or asks for `request(call, stage + 1)`; non-2xx responses go to `envelope`.
pub trait Dialect: Sync {
    fn provider(&self) -> Provider;
    fn default_base_url(&self) -> &'static str;
    fn default_api_version(&self) -> &'static str {
        ""
    }
    fn auth_styles(&self) -> &'static [&'static str] {
        &[]
    }
    /// The header carrying the provider's request id, if it sends one.
    fn request_id_header(&self) -> Option<&'static str> {
        None
    }
    /// Provider-specific checks of the input, added to `problems`.
    fn check(&self, call: &Call, cx: &Context<'_>, problems: &mut Problems);
    /// The request for `stage` of `call` (stage 0 first). Only unsupported calls fail.
    fn request(&self, call: &Call, stage: u8, cx: &Context<'_>) -> Result<HttpRequest, Error>;
    /// Reads a 2xx response of `stage`.
    fn response(&self, call: &Call, stage: u8, response: &HttpResponse, cx: &Context<'_>) -> Result<Step, Error>;
    /// The cursor of the page after the list page in `body`, read without reading its
    /// keys, so that `listAll` can ask for that page first; `response` sets the same
    /// cursor on the page it reads. `None`: no page follows. (A list call takes one
    /// request: the walk moves on when its response arrives.)
    fn next_cursor(&self, _call: &Call, _body: Node<'_>) -> Option<String> {
        None
    }
    /// Reads the provider's error envelope from an error body.
    fn envelope(&self, body: Node<'_>) -> Envelope;
}

/// Most keys read from one response. A key takes about 1 KB of wasm memory while it is
/// read, and a body within the 64 MiB limit could list millions of tiny objects, which
/// would exhaust the wasm's 4 GiB; providers page by 100 to 1 000, and those without paging
/// (Quantum AI, Fluxbase) list an account's keys.
pub const MAX_PAGE_KEYS: usize = 250_000;

/// Reads one key object of a response; the `f64` is the caller's clock (ms). It leaves
/// `raw` for the caller to fill: a page's keys point to it in the body ([`RawSource`]).
pub type ParseKey = fn(Node<'_>, f64) -> Result<ApiKey, Error>;

/// The keys of a list response: the array at the body's `member` (or the body itself when
/// `None`), each read with `parse`; `label` names an item in errors (`data[3]`). Their
/// `raw` is left `null` and the page says where it is; [`Page::fill_raw`] copies it.
pub fn key_page(body: Node<'_>, member: Option<&'static str>, label: &str, parse: ParseKey, now_ms: f64) -> Result<Page, Error> {
    let list = match member {
        Some(name) => array(body.get(name), name)?,
        None => array(Some(body), "the body")?,
    };
    if list.len() > MAX_PAGE_KEYS {
        return Err(Error::format(text!("the response lists ", list.len(), " keys, more than the ", MAX_PAGE_KEYS, " read from one response")));
    }
    let mut items = Vec::with_capacity(list.len());
    for (i, raw) in list.enumerate() {
        if !raw.is_object() {
            object(Some(raw), &text!(label, "[", i, "]"))?;
        }
        items.push(parse(raw, now_ms)?);
    }
    let mut indices = Vec::new();
    for index in 0..items.len() as u32 {
        indices.push(index);
    }
    Ok(Page { items, next_cursor: None, raw_source: Some(RawSource { at: RawAt::untouched(member), indices }) })
}

/// A request body object from `(name, value)` pairs, `None` values left out. Taking a
/// `Vec` keeps one copy of `Json::object_from` in the wasm instead of one per array length.
pub fn json_object(members: Vec<(&'static str, Option<Json>)>) -> Json {
    Json::object_from(members)
}

/// An optional text member of a request body (one shared copy of the conversion).
pub fn text(value: &Option<String>) -> Option<Json> {
    value.as_deref().map(Json::from)
}

/// An optional list-of-texts member of a request body.
pub fn texts(value: &Option<Vec<String>>) -> Option<Json> {
    let items = value.as_ref()?;
    let mut array = Vec::new(); // a loop: `map(..).collect()` links an iterator fold of its own
    for item in items {
        array.push(Json::from(item.as_str()));
    }
    Some(Json::Array(array))
}

/// `Bearer <key>`, the `authorization` value most providers take.
pub fn bearer(key: &str) -> String {
    text!("Bearer ", key)
}

/// Whether the RFC 3339 time `at` (in any zone) has passed at `now_ms`; absent or unreadable: no.
pub fn is_past(at: Option<&str>, now_ms: f64) -> bool {
    at.and_then(parse_rfc3339_any_zone).is_some_and(|at| at <= now_ms)
}

/// The key at the body's `member` (the body itself when `None`), read with `parse`;
/// that object is its `raw`, left for the caller to fill ([`Output::KeyAt`]).
pub fn key_output(body: Node<'_>, member: Option<&'static str>, parse: ParseKey, now_ms: f64) -> Result<Output, Error> {
    let at = key_object(body, member)?;
    parse(at, now_ms).map(|key| Output::KeyAt(key, RawAt::untouched(member)))
}

/// The object a single key is read from: the body's `member`, or the body itself.
fn key_object<'a>(body: Node<'a>, member: Option<&str>) -> Result<Node<'a>, Error> {
    match member {
        Some(name) => object(body.get(name), name),
        None => object(Some(body), "key object"),
    }
}

impl Output {
    /// The output with every `raw` copied from the response `body` where the dialect left
    /// it to the caller (the `…At` outputs, [`Page::raw_source`]).
    pub fn fill_raw(self, body: Node<'_>) -> Output {
        match self {
            Output::KeyAt(mut key, at) => {
                key.raw = at.read(body);
                Output::Key(key)
            }
            Output::CreatedAt(mut created, at) => {
                created.key.raw = at.read(body);
                Output::Created(created)
            }
            Output::UsageAt { mut usage, raw, keys } => {
                usage.raw = raw.read(body);
                if let Some(source) = keys {
                    source.fill(&mut usage.keys, body);
                }
                Output::Usage(usage)
            }
            Output::Page(mut page) => {
                page.fill_raw(body);
                Output::Page(page)
            }
            other => other,
        }
    }
}

/// The JSON body of a 2xx response, or a format error saying what came instead.
pub fn json_body(response: &HttpResponse) -> Result<Node<'_>, Error> {
    use crate::wire::Body;
    match &response.body {
        Body::Json(doc) => Ok(doc.root()),
        Body::Empty => Err(Error::format(text!("HTTP ", response.status, " with an empty body where JSON was expected"))),
        Body::NotJson { bytes } => Err(Error::format(text!("HTTP ", response.status, " with a body that is not JSON (", bytes, " bytes)"))),
    }
}

/// The error for an operation `provider` does not offer; no request is sent.
pub fn unsupported_operation(provider: Provider, op: Operation) -> Error {
    let mut message = text!(provider.display_name(), " does not offer the \"", op.name(), "\" operation; no request was sent");
    if let Some(hint) = unsupported_hint(provider, op) {
        message.push_str(" (");
        message.push_str(hint);
        message.push(')');
    }
    Error::new(crate::error::ErrorKind::UnsupportedOperation, message)
}

/// What to do instead, where the provider has an alternative.
fn unsupported_hint(provider: Provider, op: Operation) -> Option<&'static str> {
    match (provider, op) {
        #[cfg(feature = "anthropic")]
        (Provider::Anthropic, Operation::Create | Operation::Delete) => {
            Some("Anthropic keys are created and deleted in the Console; revoke sets a key inactive")
        }
        #[cfg(feature = "quantum")]
        (Provider::Quantum, Operation::Delete) => Some("on Quantum AI, revoke is the DELETE"),
        #[cfg(feature = "quantum")]
        (Provider::Quantum, Operation::Get | Operation::ListActive) => Some("use list and pick or filter the keys"),
        #[cfg(feature = "quantum")]
        (Provider::Quantum, Operation::SetBudget) => Some("set budget.limit when creating the key"),
        #[cfg(feature = "openrouter")]
        (Provider::OpenRouter, Operation::Rotate) => Some("create a new key, then delete the old one"),
        #[cfg(feature = "openrouter")]
        (Provider::OpenRouter, Operation::ResetBudgetPeriod) => Some("OpenRouter resets limits at midnight UTC"),
        #[cfg(feature = "openrouter")]
        (Provider::OpenRouter, Operation::Usage) => Some("each key's usage is in key.usage"),
        _ => None,
    }
}
