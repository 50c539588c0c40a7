//! The five emulated providers and the helpers they share.
//!
//! Each provider file has the same sections: constants and paths, stored and wire shapes, request
//! validation, route handlers, auth, error envelope, seed data, tests. Dispatch on [`ProviderId`].

pub mod anthropic;
pub mod fluxbase;
pub mod gptcore;
pub mod openrouter;
pub mod quantum;

use crate::error::ApiError;
use crate::http::{Request, Response};
use crate::store::{State, Store, STATE_VERSION};
use serde_json::{Map, Value};

/// One of the emulated providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderId {
    OpenRouter,
    GptCore,
    Quantum,
    Anthropic,
    Fluxbase,
}

/// Per-request context handed to provider handlers.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub store: &'a Store,
    /// Request time, ms since the epoch.
    pub now: i64,
    /// This request's id (sent as a header by Anthropic and Quantum).
    pub request_id: String,
    /// OpenRouter list page size.
    pub page_size: usize,
}

impl ProviderId {
    pub const ALL: [ProviderId; 5] = [
        ProviderId::OpenRouter,
        ProviderId::GptCore,
        ProviderId::Quantum,
        ProviderId::Anthropic,
        ProviderId::Fluxbase,
    ];

    /// Lower-case name used in URLs and the control API.
    pub fn name(self) -> &'static str {
        match self {
            ProviderId::OpenRouter => "openrouter",
            ProviderId::GptCore => "gptcore",
            ProviderId::Quantum => "quantum",
            ProviderId::Anthropic => "anthropic",
            ProviderId::Fluxbase => "fluxbase",
        }
    }

    pub fn from_name(name: &str) -> Option<ProviderId> {
        ProviderId::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Path prefix of the provider's base URL.
    pub fn prefix(self) -> &'static str {
        match self {
            ProviderId::OpenRouter => openrouter::PREFIX,
            ProviderId::GptCore => gptcore::PREFIX,
            ProviderId::Quantum => quantum::PREFIX,
            ProviderId::Anthropic => anthropic::PREFIX,
            ProviderId::Fluxbase => fluxbase::PREFIX,
        }
    }

    /// The fixed management key.
    pub fn management_key(self) -> &'static str {
        match self {
            ProviderId::OpenRouter => openrouter::MANAGEMENT_KEY,
            ProviderId::GptCore => gptcore::MANAGEMENT_KEY,
            ProviderId::Quantum => quantum::MANAGEMENT_KEY,
            ProviderId::Anthropic => anthropic::MANAGEMENT_KEY,
            ProviderId::Fluxbase => fluxbase::MANAGEMENT_KEY,
        }
    }

    /// The provider owning `path` and the rest of the path after its prefix.
    pub fn route(path: &str) -> Option<(ProviderId, &str)> {
        ProviderId::ALL.into_iter().find_map(|p| {
            let rest = path.strip_prefix(p.prefix())?;
            (rest.is_empty() || rest.starts_with('/')).then_some((p, rest))
        })
    }

    /// A fresh request id in the provider's format.
    pub fn new_request_id(self) -> String {
        match self {
            ProviderId::Anthropic => anthropic::request_id(),
            _ => crate::ids::uuid_v4(),
        }
    }

    /// Handles a request for `sub` (the path after the prefix).
    pub fn handle(self, ctx: &Ctx, req: &Request, sub: &str) -> Result<Response, ApiError> {
        match self {
            ProviderId::OpenRouter => openrouter::handle(ctx, req, sub),
            ProviderId::GptCore => gptcore::handle(ctx, req, sub),
            ProviderId::Quantum => quantum::handle(ctx, req, sub),
            ProviderId::Anthropic => anthropic::handle(ctx, req, sub),
            ProviderId::Fluxbase => fluxbase::handle(ctx, req, sub),
        }
    }

    /// Renders `err` in the provider's error envelope.
    pub fn render_error(self, err: &ApiError, ctx: &Ctx) -> Response {
        match self {
            ProviderId::OpenRouter => openrouter::render_error(err),
            ProviderId::GptCore => gptcore::render_error(err),
            ProviderId::Quantum => quantum::render_error(err),
            ProviderId::Anthropic => anthropic::render_error(err, &ctx.request_id),
            ProviderId::Fluxbase => fluxbase::render_error(err),
        }
    }

    /// Adds the headers the provider puts on every response.
    pub fn decorate(self, resp: &mut Response, ctx: &Ctx) {
        match self {
            ProviderId::Anthropic => resp.set_header("request-id", &ctx.request_id),
            ProviderId::Quantum => resp.set_header("X-QAI-Request-Id", &ctx.request_id),
            _ => {}
        }
    }

    /// Every stored key in its wire shape (no secrets), for test assertions.
    pub fn public_keys(self, state: &State, now: i64) -> Vec<Value> {
        match self {
            ProviderId::OpenRouter => state
                .openrouter
                .iter()
                .map(openrouter::StoredKey::to_wire)
                .collect(),
            ProviderId::GptCore => state.gptcore.iter().map(|k| k.to_wire(now)).collect(),
            ProviderId::Quantum => state.quantum.iter().map(|k| k.to_wire(now)).collect(),
            ProviderId::Anthropic => state.anthropic.iter().map(|k| k.to_wire(now)).collect(),
            ProviderId::Fluxbase => state
                .fluxbase
                .iter()
                .map(fluxbase::StoredKey::to_wire)
                .collect(),
        }
    }

    /// Creates `count` plain keys named `{prefix}-{i}` (secrets discarded).
    pub fn bulk_create(self, state: &mut State, count: usize, prefix: &str, now: i64) {
        for i in 0..count {
            let name = format!("{prefix}-{i}");
            match self {
                ProviderId::OpenRouter => state
                    .openrouter
                    .push(openrouter::StoredKey::new_plain(&name, now).0),
                ProviderId::GptCore => state
                    .gptcore
                    .push(gptcore::StoredKey::new_plain(&name, now).0),
                ProviderId::Quantum => state
                    .quantum
                    .push(quantum::StoredKey::new_plain(&name, now).0),
                ProviderId::Anthropic => state
                    .anthropic
                    .push(anthropic::StoredKey::new_plain(&name, None, now).0),
                ProviderId::Fluxbase => state
                    .fluxbase
                    .push(fluxbase::StoredKey::new_plain(&name, now).0),
            }
        }
    }

    /// The id of the stored key whose secret is `secret`, if that key can currently authenticate.
    pub fn verify(self, state: &State, secret: &str, now: i64) -> Option<String> {
        let hash = crate::ids::sha256_hex(secret);
        match self {
            ProviderId::OpenRouter => {
                openrouter::find_usable(state, &hash, now).map(|k| k.hash.clone())
            }
            ProviderId::GptCore => gptcore::find_usable(state, &hash, now).map(|k| k.id.clone()),
            ProviderId::Quantum => quantum::find_usable(state, &hash, now).map(|k| k.id.clone()),
            ProviderId::Anthropic => {
                anthropic::find_usable(state, &hash, now).map(|k| k.id.clone())
            }
            ProviderId::Fluxbase => fluxbase::find_usable(state, &hash, now).map(|k| k.id.clone()),
        }
    }
}

/// The seed state: 3–5 keys per provider, deterministic ids and names.
pub fn seed_state(now: i64) -> State {
    State {
        version: STATE_VERSION,
        openrouter: openrouter::seed(now),
        gptcore: gptcore::seed(now),
        quantum: quantum::seed(now),
        anthropic: anthropic::seed(now),
        fluxbase: fluxbase::seed(now),
    }
}

// ---- shared request helpers -------------------------------------------------------------------

/// The token of `Authorization: Bearer <token>` (scheme case-insensitive).
pub fn bearer(req: &Request) -> Option<&str> {
    auth_scheme(req, "bearer")
}

/// The credentials of `Authorization: <scheme> <credentials>` for `scheme` (case-insensitive).
pub fn auth_scheme<'r>(req: &'r Request, scheme: &str) -> Option<&'r str> {
    let value = req.header("authorization")?.trim();
    let (s, rest) = value.split_once(' ').unwrap_or((value, ""));
    s.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

/// Whether `presented` is exactly `expected` (constant time).
pub fn key_matches(presented: Option<&str>, expected: &str) -> bool {
    presented.is_some_and(|p| crate::ids::constant_time_eq(p, expected))
}

/// Non-empty path segments of `sub`.
pub fn segments(sub: &str) -> Vec<&str> {
    sub.split('/').filter(|s| !s.is_empty()).collect()
}

/// The request body as JSON: `Ok(None)` when empty, `Err(reason)` when not JSON.
pub fn parse_body(req: &Request) -> Result<Option<Value>, String> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&req.body)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// A JSON number, written as an integer when it is whole (as JavaScript servers do).
pub fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// A field read from a JSON object, for create/patch semantics.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    Absent,
    Null,
    Set(T),
}

impl<T> Field<T> {
    /// `Absent` → `keep`; `Null` → `None`; `Set(v)` → `Some(v)`.
    pub fn or_keep(self, keep: Option<T>) -> Option<T> {
        match self {
            Field::Absent => keep,
            Field::Null => None,
            Field::Set(v) => Some(v),
        }
    }

    pub fn into_option(self) -> Option<T> {
        self.or_keep(None)
    }
}

/// JSON type names used in "must be a …" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Integer,
    Boolean,
    StringArray,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Integer => "an integer",
            Kind::Boolean => "a boolean",
            Kind::StringArray => "an array of strings",
        }
    }
}

/// Reads `obj[key]` as `kind`; `Err(kind)` on a wrong JSON type.
pub fn field(obj: &Map<String, Value>, key: &str, kind: Kind) -> Result<Field<Value>, Kind> {
    let v = match obj.get(key) {
        None => return Ok(Field::Absent),
        Some(Value::Null) => return Ok(Field::Null),
        Some(v) => v,
    };
    let ok = match kind {
        Kind::String => v.is_string(),
        Kind::Number => v.is_number(),
        Kind::Integer => v.is_i64() || v.is_u64(),
        Kind::Boolean => v.is_boolean(),
        Kind::StringArray => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
    };
    if ok {
        Ok(Field::Set(v.clone()))
    } else {
        Err(kind)
    }
}

/// `Field<Value>` holding a string → `Field<String>`.
pub fn as_string(f: Field<Value>) -> Field<String> {
    map_field(f, |v| v.as_str().unwrap_or_default().to_string())
}

/// `Field<Value>` holding a string array → `Field<Vec<String>>`.
pub fn as_strings(f: Field<Value>) -> Field<Vec<String>> {
    map_field(f, |v| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    })
}

pub fn map_field<T>(f: Field<Value>, g: impl FnOnce(Value) -> T) -> Field<T> {
    match f {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Set(v) => Field::Set(g(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn routes_by_prefix() {
        assert_eq!(
            ProviderId::route("/openrouter/api/v1/keys"),
            Some((ProviderId::OpenRouter, "/keys"))
        );
        assert_eq!(
            ProviderId::route("/gptcore"),
            Some((ProviderId::GptCore, ""))
        );
        assert_eq!(ProviderId::route("/gptcorex/admin"), None);
        assert_eq!(ProviderId::route("/elsewhere"), None);
    }

    #[test]
    fn reads_typed_fields() {
        let obj = json!({"a": "x", "b": null, "c": 1.5, "d": [1]})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(
            as_string(field(&obj, "a", Kind::String).unwrap()),
            Field::Set("x".into())
        );
        assert_eq!(field(&obj, "b", Kind::Integer).unwrap(), Field::Null);
        assert_eq!(field(&obj, "z", Kind::Boolean).unwrap(), Field::Absent);
        assert_eq!(field(&obj, "c", Kind::Integer), Err(Kind::Integer));
        assert_eq!(field(&obj, "d", Kind::StringArray), Err(Kind::StringArray));
        assert_eq!(num(50.0), json!(50));
        assert_eq!(num(74.5), json!(74.5));
    }

    #[test]
    fn seed_has_three_to_five_keys_each() {
        let s = seed_state(crate::time::now_ms());
        for p in ProviderId::ALL {
            let n = p.public_keys(&s, 0).len();
            assert!((3..=5).contains(&n), "{}: {n}", p.name());
        }
    }
}
