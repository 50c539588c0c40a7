//! Conversions between JS values and the core's JSON, in one place.

use crate::error::{Error, ErrorKind};
use crate::json::Json;
use crate::json::to_json_text;
use js_sys::{Function, Object, Reflect, JSON};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Reads caller data (an options object, an input) as JSON.
/// `undefined` and `null` read as `Json::Null`; functions, symbols and bigints are refused.
pub fn to_json(value: &JsValue, what: &str) -> Result<Json, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| {
        let mut error = Error::new(ErrorKind::Validation, format!("invalid input: {} must be plain JSON data ({})", what, e));
        error.fields.push(crate::error::FieldError { field: what.to_string(), message: "must be plain JSON data".into() });
        error
    })
}

/// Takes the members named in `names` out of a plain-object copy of `value`, so the
/// rest can be read as JSON. Returns the copy and the taken values (undefined if absent).
pub fn split_members(value: &JsValue, names: &[&str]) -> (JsValue, Vec<JsValue>) {
    if !value.is_object() || value.is_instance_of::<Function>() {
        return (value.clone(), names.iter().map(|_| JsValue::UNDEFINED).collect());
    }
    let copy = Object::assign(&Object::new(), value.unchecked_ref());
    let taken = names
        .iter()
        .map(|name| {
            let key = JsValue::from_str(name);
            let member = Reflect::get(&copy, &key).unwrap_or(JsValue::UNDEFINED);
            let _ = Reflect::delete_property(&copy, &key);
            member
        })
        .collect();
    (copy.into(), taken)
}

/// Any serializable output as a plain JS value (objects; `None` as `null`): written as
/// JSON text in the wasm and parsed once by JS's `JSON.parse`, so it crosses as one string.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    let failed = |e: String| Error::new(ErrorKind::ResponseFormat, format!("could not convert the result: {}", e));
    let text = to_json_text(value).map_err(|e| failed(e.to_string()))?;
    JSON::parse(&text).map_err(|_| failed("invalid JSON text".into()))
}

/// `value` as a function, when it is one.
pub fn as_function(value: &JsValue) -> Option<Function> {
    value.dyn_ref::<Function>().cloned()
}
