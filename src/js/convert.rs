//! Conversions between JS values and the core's JSON, in one place.

use crate::prelude::*;
use crate::error::{Error, ErrorKind};
use crate::json::{Json, MAX_DEPTH};
use crate::js::runtime::read_level;
use js_sys::{Array, Function, JsString, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// Longest array accepted in caller data (a huge sparse array would exhaust memory).
const MAX_ITEMS: u32 = 10_000;
/// Most values one argument may hold, and most UTF-16 units its strings may hold in all:
/// caller data is a few fields, and an array that holds another many times over (each
/// within `MAX_ITEMS`), or a string of millions of characters, would fill the wasm's memory.
const MAX_VALUES: u32 = 100_000;
const MAX_TEXT_UNITS: u32 = 1 << 20;

/// What reading one argument has used of [`MAX_VALUES`] and [`MAX_TEXT_UNITS`].
#[derive(Default)]
struct Budget {
    values: u32,
    text_units: u32,
}

impl Budget {
    fn take_value(&mut self) -> Result<(), NotJson> {
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err("more than 100000 values in all are not accepted".into());
        }
        Ok(())
    }

    fn take_text(&mut self, units: u32) -> Result<(), NotJson> {
        self.text_units = self.text_units.saturating_add(units);
        if self.text_units > MAX_TEXT_UNITS {
            return Err("strings of more than 1048576 characters in all are not accepted".into());
        }
        Ok(())
    }
}

const THREW: &str = "reading it threw (a getter or a Proxy)";

/// Where caller data stopped being JSON: the member's path (`headers`, `scopes[2]`; empty
/// for the value itself) and why.
struct NotJson {
    path: String,
    reason: &'static str,
}

impl From<&'static str> for NotJson {
    fn from(reason: &'static str) -> NotJson {
        NotJson { path: String::new(), reason }
    }
}

impl NotJson {
    /// The same problem seen from the parent: `segment` is `.name` or `[i]`.
    fn inside(mut self, segment: &str) -> NotJson {
        let separated = self.path.is_empty() || self.path.starts_with('[');
        let dot = if separated { "" } else { "." };
        self.path = text!(segment, dot, self.path);
        self
    }
}

/// Reads caller data (an options object, an input) as JSON, as `JSON.stringify` would
/// see it, except that `NaN` and `Infinity` stay numbers for validation to name. A member
/// that is `undefined` is left out, as not given (`{ limit: 20, period: undefined }` keeps
/// the period; read as `null` it would remove it); `undefined` elsewhere reads as `null`.
/// Functions, symbols, bigints and objects that are not plain (a `Map`, a `Promise`, a
/// `Date`, a class instance) are refused, naming the member.
pub fn to_json(value: &JsValue, what: &str) -> Result<Json, Error> {
    to_json_taking(value, &[], what).0
}

/// [`to_json`], except that the members of a plain object `value` named in `names` (a
/// function, a signal) are taken as they are, not read: in `names`' order, `undefined` when
/// absent.
pub fn to_json_taking(value: &JsValue, names: &[&str], what: &str) -> (Result<Json, Error>, Vec<JsValue>) {
    let mut taken = Vec::new(); // a loop: `vec![x; n]` clones through the glue
    for _ in names {
        taken.push(JsValue::UNDEFINED);
    }
    let json = read_value(value, 0, &mut Budget::default(), names, &mut taken).map_err(|NotJson { path, reason }| {
        let field = if path.is_empty() { what.to_string() } else { path };
        let mut error = Error::new(ErrorKind::Validation, text!("invalid input: ", &field, " must be plain JSON data (", reason, ")"));
        error.fields.push(crate::error::FieldError { field, message: text!("must be plain JSON data (", reason, ")") });
        error
    });
    (json, taken)
}

/// `names` and `taken` are the top level's ([`to_json_taking`]); nested values have none.
fn read_value(value: &JsValue, depth: usize, budget: &mut Budget, names: &[&str], taken: &mut [JsValue]) -> Result<Json, NotJson> {
    if depth > MAX_DEPTH {
        return Err("nested too deeply".into());
    }
    budget.take_value()?;
    // Strings first: ids and most members are strings, and each test is a crossing.
    if let Some(text) = value.dyn_ref::<JsString>() {
        budget.take_text(text.length())?;
        read_string(text)
    } else if let Some(n) = value.as_f64() {
        Ok(Json::Number(n))
    } else if let Some(b) = value.as_bool() {
        Ok(Json::Bool(b))
    } else if value.is_undefined() || value.is_null() {
        Ok(Json::Null)
    } else if value.is_object() && !value.is_function() {
        let parts = Array::new();
        match read_level(value, MAX_ITEMS, &parts).as_deref() {
            None => read_members(&parts, depth, budget, names, taken),
            Some("array") => read_items(&parts, depth, budget),
            Some("too long") => Err("arrays of more than 10000 items are not accepted".into()),
            Some("promise") => Err("a Promise is not plain JSON: await it first".into()),
            Some("date") => Err("a Date is not plain JSON: give a time as its toISOString()".into()),
            Some("signal") => Err("an AbortSignal goes in a call's request options".into()),
            Some("class") => Err("an object with a prototype of its own (a Map, Set, Headers, String object, class instance, Object.create(…)) is not plain JSON: copy its fields into a plain object".into()),
            Some(_) => Err(THREW.into()),
        }
    } else {
        Err("functions, symbols and bigints are not JSON".into())
    }
}

/// An array's items, as [`read_level`] pushed them.
fn read_items(items: &Array, depth: usize, budget: &mut Budget) -> Result<Json, NotJson> {
    let mut values = Vec::new();
    for index in 0..items.length() {
        let item = read_value(&items.get(index), depth + 1, budget, &[], &mut []);
        values.push(item.map_err(|e| e.inside(&text!("[", index, "]")))?);
    }
    Ok(Json::Array(values))
}

/// A plain object's members, as [`read_level`] pushed them (name, value, …); those named
/// in `names` are taken into `taken`.
fn read_members(parts: &Array, depth: usize, budget: &mut Budget, names: &[&str], taken: &mut [JsValue]) -> Result<Json, NotJson> {
    let mut members = Vec::new();
    // After a member that is not JSON, the rest are only looked through for `names`, so that
    // a `fetch` or `signal` written after it is still checked.
    let mut failed = None;
    for pair in 0..parts.length() / 2 {
        let member = parts.get(2 * pair + 1);
        // `Object.entries` names are strings.
        let name: JsString = parts.get(2 * pair).unchecked_into();
        budget.take_text(name.length())?;
        let name = String::from(name);
        if let Some(slot) = names.iter().position(|wanted| *wanted == name).and_then(|at| taken.get_mut(at)) {
            *slot = member;
        } else if failed.is_none() && !member.is_undefined() {
            match read_value(&member, depth + 1, budget, &[], &mut []) {
                Ok(value) => members.push((name.into(), value)),
                Err(e) => failed = Some(e.inside(&name)),
            }
        }
    }
    failed.map_or_else(|| Ok(Json::Object(members.into())), Err)
}

/// A string as UTF-8. A lone surrogate (invalid UTF-16) is refused: read as U+FFFD it would
/// send another id or name than the caller's.
fn read_string(text: &JsString) -> Result<Json, NotJson> {
    let s = String::from(text);
    // Only a string holding U+FFFD (EF BF BD in UTF-8) after decoding can have had one.
    if s.as_bytes().windows(3).any(|w| w == [0xEF, 0xBF, 0xBD]) && read_level(text, 0, &Array::new()).as_deref() != Some("string") {
        return Err("a lone surrogate (invalid UTF-16) cannot be sent".into());
    }
    Ok(Json::from(s))
}

/// The text of the member `name` of a plain object `value`, if it has one, read through
/// [`read_level`], which never throws (a getter of `value` runs again).
pub fn member_text(value: &JsValue, name: &str) -> Option<String> {
    let parts = Array::new();
    if !value.is_object() || read_level(value, 0, &parts).is_some() {
        return None;
    }
    (0..parts.length() / 2).find(|pair| parts.get(2 * pair).as_string().as_deref() == Some(name)).and_then(|pair| parts.get(2 * pair + 1).as_string())
}

/// A result's members as a plain JS value: written as JSON text in the wasm and parsed
/// once by JS's `JSON.parse`, so it crosses as one string.
pub fn to_js(value: &Json) -> Result<JsValue, Error> {
    JSON::parse(&value.to_string()).map_err(|_| Error::new(ErrorKind::ResponseFormat, "could not convert the result: invalid JSON text"))
}

/// `value` as a function, when it is one. By `typeof`, which never throws, where
/// `instanceof` would ask a Proxy's `getPrototypeOf` trap (and miss another realm's functions).
pub fn as_function(value: &JsValue) -> Option<Function> {
    value.is_function().then(|| value.clone().unchecked_into())
}
