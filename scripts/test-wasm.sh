#!/usr/bin/env bash
# Runs the wasm-bindgen-test suite in Node, then in headless Chromium (webdriver.json).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown -p apikeys --test wasm_node --test wasm_hostile
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p apikeys --test wasm_browser
