#!/usr/bin/env bash
# Builds the wasm, binds it with wasm-bindgen (--target web) and shrinks it with wasm-opt.
# Output: target/bindgen/{apikeys.js, apikeys_bg.wasm, apikeys.d.ts, snippets/}.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bindgen
if [ "$(cat target/wasm-toolchain 2>/dev/null)" = debian ]; then
  RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --release --target wasm32-unknown-unknown -p apikeys --no-default-features -Zbuild-std=std,panic_abort
else
  cargo build --release --target wasm32-unknown-unknown -p apikeys --no-default-features
fi
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name apikeys target/wasm32-unknown-unknown/release/apikeys.wasm
node_modules/.bin/wasm-opt -Oz --converge "$out/apikeys_bg.wasm" -o "$out/apikeys_bg.wasm"
