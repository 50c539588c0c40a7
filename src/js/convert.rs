//! Conversions between JS values and the core's JSON, in one place.

use crate::prelude::*;
use crate::error::{Error, ErrorKind};
use crate::json::{Json, MAX_DEPTH};
use js_sys::{Array, Function, JsString, Object, Reflect, JSON};
use wasm_bindgen::prelude::wasm_bindgen;
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

#[wasm_bindgen]
extern "C" {
    // The `catch` forms: a caller's getter or Proxy trap that throws becomes an error here
    // instead of an exception unwinding through the wasm.
    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    fn object_entries(object: &Object) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = assign, catch)]
    fn object_assign(target: &Object, source: &Object) -> Result<Object, JsValue>;
    // Throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    // Throws (a URIError) for a lone surrogate: a check of the whole string in one call,
    // where `JsString::is_valid_utf16` crosses once per UTF-16 unit.
    #[wasm_bindgen(js_name = encodeURIComponent, catch)]
    fn encode_uri_component(text: &JsString) -> Result<JsValue, JsValue>;
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
    read_value(value, 0, &mut Budget::default()).map_err(|NotJson { path, reason }| {
        let field = if path.is_empty() { what.to_string() } else { path };
        let mut error = Error::new(ErrorKind::Validation, text!("invalid input: ", &field, " must be plain JSON data (", reason, ")"));
        error.fields.push(crate::error::FieldError { field, message: text!("must be plain JSON data (", reason, ")") });
        error
    })
}

fn read_value(value: &JsValue, depth: usize, budget: &mut Budget) -> Result<Json, NotJson> {
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
    } else if is_array(value).map_err(|_| THREW)? {
        let items: &Array = value.unchecked_ref();
        // `length` through `Reflect.get`: a Proxy's trap may throw.
        let length = Reflect::get(items, &JsValue::from_str("length")).map_err(|_| THREW)?.as_f64().unwrap_or(0.0);
        if length > f64::from(MAX_ITEMS) {
            return Err("arrays of more than 10000 items are not accepted".into());
        }
        let mut values = Vec::new();
        for index in 0..length as u32 {
            let item = Reflect::get_u32(items, index).map_err(|_| THREW)?;
            values.push(read_value(&item, depth + 1, budget).map_err(|e| e.inside(&text!("[", index, "]")))?);
        }
        Ok(Json::Array(values))
    } else if value.is_object() && !value.is_function() {
        read_object(value.unchecked_ref(), depth, budget)
    } else {
        Err("functions, symbols and bigints are not JSON".into())
    }
}

/// A string as UTF-8. A lone surrogate (invalid UTF-16) is refused: read as U+FFFD it would
/// send another id or name than the caller's.
fn read_string(text: &JsString) -> Result<Json, NotJson> {
    let s = String::from(text);
    // Only a string holding U+FFFD (EF BF BD in UTF-8) after decoding can have had one.
    if s.as_bytes().windows(3).any(|w| w == [0xEF, 0xBF, 0xBD]) && encode_uri_component(text).is_err() {
        return Err("a lone surrogate (invalid UTF-16) cannot be sent".into());
    }
    Ok(Json::from(s))
}

fn read_object(object: &Object, depth: usize, budget: &mut Budget) -> Result<Json, NotJson> {
    // A Promise, a Map or a class instance whose fields are getters has no own members:
    // read as `{}`, what it holds would be lost unsaid (a budget not awaited, say).
    if !is_plain(object).map_err(|_| THREW)? {
        return Err(not_plain_reason(object).map_err(|_| THREW)?.into());
    }
    let mut members = Vec::new();
    for entry in object_entries(object).map_err(|_| THREW)?.iter() {
        let entry: Array = entry.unchecked_into();
        let member = entry.get(1);
        if member.is_undefined() {
            continue;
        }
        // `Object.entries` names are strings.
        let name: JsString = entry.get(0).unchecked_into();
        budget.take_text(name.length())?;
        let name = String::from(name);
        let value = read_value(&member, depth + 1, budget).map_err(|e| e.inside(&name))?;
        members.push((name.into(), value));
    }
    Ok(Json::Object(members.into()))
}

/// Whether `object` is a plain object: `{…}` or `Object.create(null)`, so its prototype is
/// `null` or an `Object.prototype` (of any realm: its own prototype is `null`). `Err` when
/// a Proxy's trap throws.
fn is_plain(object: &Object) -> Result<bool, JsValue> {
    let prototype = Reflect::get_prototype_of(object)?;
    Ok(prototype.is_null() || Reflect::get_prototype_of(&prototype)?.is_null())
}

/// Why an object that is not plain is refused, told by what it can do: a `then` is a
/// promise's (an `await` forgotten), a `toISOString` a `Date`'s.
fn not_plain_reason(object: &Object) -> Result<&'static str, JsValue> {
    let has_method = |name: &str| Reflect::get(object, &JsValue::from_str(name)).map(|v| v.is_function());
    Ok(if has_method("then")? {
        "a Promise is not plain JSON: await it first"
    } else if has_method("toISOString")? {
        "a Date is not plain JSON: give a time as its toISOString()"
    } else {
        "an object made by a class (a Map, Set, Headers, class instance, …) is not plain JSON: copy its fields into a plain object"
    })
}

/// Takes the members named in `names` out of a plain-object copy of `value`, so the
/// rest can be read as JSON. Returns the copy and the taken values (undefined if absent).
pub fn split_members(value: &JsValue, names: &[&str]) -> (JsValue, Vec<JsValue>) {
    let mut taken = Vec::new(); // loops: each `map(..).collect()` links an iterator fold of its own
    // An object that is not plain (a Map's copy would be `{}`) is left as it is, for reading it to report it.
    // If copying throws, the original goes on, and reading it reports the problem.
    let copy = match value.is_object() && is_plain(value.unchecked_ref()).unwrap_or(false) {
        true => object_assign(&Object::new(), value.unchecked_ref()).ok(),
        false => None,
    };
    let Some(copy) = copy else {
        for _ in names {
            taken.push(JsValue::UNDEFINED);
        }
        return (value.clone(), taken);
    };
    for name in names {
        let key = JsValue::from_str(name);
        taken.push(Reflect::get(&copy, &key).unwrap_or(JsValue::UNDEFINED));
        let _ = Reflect::delete_property(&copy, &key);
    }
    (copy.into(), taken)
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
