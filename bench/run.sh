#!/usr/bin/env bash
# `make bench`: size, start-up, throughput, memory and a CPU profile of apikeys-wasm beside the
# official SDKs; writes docs/benchmarks.md and docs/benchmarks.svg. Needs pkg/ and the sandbox
# (the Makefile builds both first). BENCH_QUICK=1 shortens every loop (smoke test only).
set -euo pipefail
cd "$(dirname "$0")"

# Install the pinned comparison packages only when missing or not at the locked versions.
if ! node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["@openrouter/sdk", "@anthropic-ai/sdk", "esbuild"]) {
    const want = lock["node_modules/" + name].version;
    const have = require("./node_modules/" + name + "/package.json").version;
    if (have !== want) process.exit(1);
  }' 2>/dev/null; then
  npm ci --no-audit --no-fund
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
start=$(date +%s)
rm -f results/duration.json
step() { echo "== bench: $1 ($(($(date +%s) - start)) s)" >&2; }
step size;       node size.mjs
step start-up;   node startup.mjs
step throughput; node --expose-gc throughput.mjs
step memory;     node memory.mjs
step profile;    node profile.mjs
step report;     echo "{\"seconds\": $(($(date +%s) - ${BENCH_STARTED:-$start})), \"buildIncluded\": $built}" > results/duration.json; node report.mjs
echo "bench: done in $(($(date +%s) - start)) s: docs/benchmarks.md, docs/benchmarks.svg" >&2
