#!/usr/bin/env bash
# Builds the wasm, binds it with wasm-bindgen (--target web) and shrinks it with wasm-opt
# (after dropping closure shims nothing calls and making panic paths trap at once; its
# output's functions ordered for gzip, then shrunk again), has the glue guard each client's
# handle and drops the glue's paths the package never takes, then shortens import and
# export names.
# Output: target/bindgen/{apikeys.js, apikeys_bg.wasm, apikeys.d.ts, snippets/}.
# With a provider name (gptcore, quantum, openrouter, anthropic, fluxbase): a build with only
# that provider's dialect (the `apikeys-wasm/<provider>` entry), in target/bindgen-<provider>/.
set -euo pipefail
cd "$(dirname "$0")/.."
provider=${1:-}
case "$provider" in
  "") out=target/bindgen features=all-providers ;;
  gptcore|quantum|openrouter|anthropic|fluxbase) out=target/bindgen-$provider features=$provider ;;
  *) echo "build-wasm.sh: unknown provider \"$provider\"" >&2; exit 2 ;;
esac
# Source paths in the wasm (panic locations) name no directory of this machine.
sysroot=$(rustc --print sysroot)
commit=$(rustc -vV | sed -n 's/^commit-hash: //p')
# A copy, fill or move of more than 8 bytes (a struct moved, an `Option<Json>` put in a `vec!`)
# is one `memory.copy`/`memory.fill`, not LLVM's default of up to 4 load/store pairs inline
# (8 in code built at opt-level 3): the main wasm 3 KB smaller gzipped; a canned page and get
# within noise side by side (docs/design.md, "Size").
memops="-Cllvm-args=-max-store-memcpy=1 -Cllvm-args=-max-store-memset=1 -Cllvm-args=-max-store-memmove=1"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$sysroot/lib/rustlib/src/rust/library=/rust --remap-path-prefix=/rustc/$commit/library=/rust --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src=/crates --remap-path-prefix=$PWD= $memops"
if [ "$(cat target/wasm-toolchain 2>/dev/null)" = debian ]; then
  RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --release --target wasm32-unknown-unknown -p apikeys --no-default-features --features "$features" -Zbuild-std=std,panic_abort
else
  cargo build --release --target wasm32-unknown-unknown -p apikeys --no-default-features --features "$features"
fi
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name apikeys target/wasm32-unknown-unknown/release/apikeys.wasm
node scripts/drop-closure-shims.mjs "$out"
node scripts/trap-at-once.mjs "$out/apikeys_bg.wasm"
# `--low-memory-unused` (wasm-opt's assumption that nothing lives below 1 KiB, here the far
# end of the 1 MiB stack) lets it fold a pointer's added constant into the load's or store's
# offset: −0.25 KB gzipped. `-ocimfs 30`: a function with one caller is inlined only up to
# 30 bytes (not whatever its size): more code, but the functions kept apart compress better
# once ordered (−1.2 KB gzipped). `-aimfs 3`: any function up to 3 bytes is inlined (2 by
# default; −0.35 KB for the main wasm, the one-provider ones within noise).
node_modules/.bin/wasm-opt -Oz --low-memory-unused -ocimfs 30 -aimfs 3 --converge "$out/apikeys_bg.wasm" -o "$out/apikeys_bg.wasm"
node scripts/order-functions.mjs "$out/apikeys_bg.wasm"
node_modules/.bin/wasm-opt -Oz --low-memory-unused -ocimfs 30 -aimfs 3 --strip-target-features --strip-producers "$out/apikeys_bg.wasm" -o "$out/apikeys_bg.wasm"
node scripts/guard-client.mjs "$out"
node scripts/trim-glue.mjs "$out"
node scripts/shorten-imports.mjs "$out"
