//! The hostile-response corpus through the wasm build, in Node (`wasm-bindgen-test-runner`).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/hostile.rs"]
mod hostile;
