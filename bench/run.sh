#!/usr/bin/env bash
# `make bench`: size, start-up, throughput, memory and a CPU profile of apikeys-wasm beside the
# official SDKs; writes docs/benchmarks.md and docs/benchmarks.svg. Needs pkg/ and the sandbox
# (the Makefile builds both first). BENCH_QUICK=1 shortens every loop (smoke test only).
# results/duration.json records the time taken, whether `npm ci` ran and what the build did.
set -euo pipefail
cd "$(dirname "$0")"

# Install the pinned comparison packages only when missing or not at the locked versions.
npm_ci=false
if ! node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["@openrouter/sdk", "@anthropic-ai/sdk", "esbuild"]) {
    const want = lock["node_modules/" + name].version;
    const have = require("./node_modules/" + name + "/package.json").version;
    if (have !== want) process.exit(1);
  }' 2>/dev/null; then
  npm ci --no-audit --no-fund
  npm_ci=true
fi

for f in ../pkg/node.js ../pkg/apikeys_bg.wasm ../target/release/sandbox; do
  [ -e "$f" ] || { echo "bench: $f is missing; run 'make pkg sandbox' (or 'make bench')" >&2; exit 1; }
done

# `make bench` passes when it started (before building pkg/ and the sandbox).
built=false
case "${BENCH_STARTED:-}" in
  "") ;;
  *[!0-9]*) echo "bench: BENCH_STARTED must be the seconds since 1970 when make bench started, not \"$BENCH_STARTED\"" >&2; exit 2 ;;
  *) built=true ;;
esac
# What `make bench`'s build did, from the compiled files' times (cargo's, for the wasm and the
# sandbox): "clean" when none predates the start, "up to date" when none is newer (pkg/ only
# re-assembled), else "incremental"; "prebuilt" when this script runs alone.
build_state() {
  [ "$built" = true ] || { echo prebuilt; return; }
  local deps=(../target/wasm32-unknown-unknown/release/deps ../target/release/deps)
  local newer older
  newer=$(find "${deps[@]}" -type f -newermt "@$BENCH_STARTED" -print -quit 2>/dev/null || true)
  older=$(find "${deps[@]}" -type f ! -newermt "@$BENCH_STARTED" -print -quit 2>/dev/null || true)
  if [ -z "$newer" ]; then echo "up to date"; elif [ -z "$older" ]; then echo clean; else echo incremental; fi
}
start=$(date +%s)
build="\"build\": \"$(build_state)\", \"buildSeconds\": $((start - ${BENCH_STARTED:-$start})), \"npmCi\": $npm_ci"
rm -f results/duration.json
step() { echo "== bench: $1 ($(($(date +%s) - start)) s)" >&2; }
step size;       node size.mjs
step start-up;   node startup.mjs
step throughput; node --expose-gc throughput.mjs
step memory;     node memory.mjs
step profile;    node profile.mjs
step report;     echo "{\"seconds\": $(($(date +%s) - ${BENCH_STARTED:-$start})), \"buildIncluded\": $built, $build}" > results/duration.json; node report.mjs
echo "bench: done in $(($(date +%s) - start)) s: docs/benchmarks.md, docs/benchmarks.svg" >&2
