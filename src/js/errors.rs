//! Core errors become instances of the JS classes in `runtime.js`.

use crate::js::runtime::make_error;
use crate::error::Error;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// The JS error for `error`: an `ApiKeysError` subclass chosen by its kind.
pub fn to_js_error(error: &Error) -> JsValue {
    make_error(error.kind.class_name(), &error.message, &details(error))
}

fn details(error: &Error) -> JsValue {
    let details = Object::new();
    set(&details, "status", error.status.map(|s| JsValue::from(f64::from(s))));
    set(&details, "code", error.code.as_deref().map(JsValue::from_str));
    set(&details, "requestId", error.request_id.as_deref().map(JsValue::from_str));
    set(&details, "provider", error.provider.map(JsValue::from_str));
    set(&details, "operation", error.operation.map(JsValue::from_str));
    set(&details, "retryAfterMs", error.retry_after_ms.map(JsValue::from_f64));
    set(&details, "raw", error.raw.as_deref().map(JsValue::from_str));
    if !error.fields.is_empty() {
        let fields: Array = error.fields.iter().map(field).collect();
        set(&details, "fields", Some(fields.into()));
    }
    details.into()
}

fn field(problem: &crate::error::FieldError) -> JsValue {
    let entry = Object::new();
    set(&entry, "field", Some(JsValue::from_str(&problem.field)));
    set(&entry, "message", Some(JsValue::from_str(&problem.message)));
    entry.into()
}

fn set(target: &Object, name: &str, value: Option<JsValue>) {
    if let Some(value) = value {
        let _ = Reflect::set(target, &JsValue::from_str(name), &value);
    }
}
