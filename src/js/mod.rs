//! The wasm shell: the only code that sees `JsValue`.
//!
//! Rule: nothing here decides anything about providers, validation or retries. It
//! converts JS values to the core's JSON and back, performs `fetch` and timers, and
//! maps core errors to JS `Error` subclasses (defined in `errors.js`).

mod api_keys;
mod convert;
mod errors;
mod fetch;
mod flight;
mod pager;
mod runtime;

pub use api_keys::ApiKeys;
pub use pager::KeyPager;

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");
