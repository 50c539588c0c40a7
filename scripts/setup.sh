#!/usr/bin/env bash
# Installs what building and testing need, each only when missing: a second run installs nothing.
# Order: the wasm32 Rust target, wasm-bindgen-cli at Cargo.lock's version, npm dev tools,
# Debian's Chromium + ChromeDriver (browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup: $*"; }

wasm_target() {
  # With rustup's target, a marker left by an earlier fallback must not keep the build on Debian's.
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then rm -f target/wasm-toolchain; return; fi
  if rustup target add wasm32-unknown-unknown; then say "added the wasm32-unknown-unknown target"; rm -f target/wasm-toolchain; return; fi
  # Fallback where rustup cannot download: Debian's web toolchain, built with -Zbuild-std.
  say "rustup could not add wasm32; installing Debian's rustc-web toolchain"
  apt-get update -qq && apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22
  mkdir -p target && echo "debian" > target/wasm-toolchain
}

wasm_bindgen_cli() {
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" = "$want" ]; then return; fi
  say "installing wasm-bindgen-cli $want (found '${have:-none}')"
  # No --locked: one locked dependency of the CLI is missing from the registry.
  cargo install wasm-bindgen-cli --version "$want"
}

npm_tools() {
  if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then return; fi
  say "installing npm dev tools"
  npm ci --no-audit --no-fund
}

chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
  say "installing Debian's chromium and chromium-driver"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
}

wasm_target
wasm_bindgen_cli
npm_tools
[ "${SETUP_BROWSER:-1}" = 1 ] && chromium
exit 0
