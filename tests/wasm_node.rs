//! The wasm suite in Node (`wasm-bindgen-test-runner`).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/scenarios.rs"]
mod scenarios;
