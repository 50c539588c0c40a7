#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ for a fixed, bounded budget each.
#
#   scripts/fuzz.sh            every target for FUZZ_SECONDS (default 60) each   (make fuzz)
#   scripts/fuzz.sh smoke      every target for FUZZ_SMOKE_SECONDS (default 8)   (make test)
#   scripts/fuzz.sh [smoke] responses inputs    only the named targets
#
# Needs the nightly toolchain (libFuzzer instrumentation) and cargo-fuzz, which is
# installed from crates.io when missing. Without nightly the smoke run is skipped
# (with a message saying so); the full run fails.
# New inputs go to fuzz/corpus/<target> (ignored by git), starting from the committed
# fuzz/seeds/<target>. A crash leaves fuzz/artifacts/<target>/crash-*: keep it under
# tests/fixtures/fuzz/<target>/ and name a test for it in tests/hostile.rs.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
if [ "${1:-}" = smoke ]; then mode=smoke; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(responses inputs requests)
if [ "$mode" = smoke ]; then seconds=${FUZZ_SMOKE_SECONDS:-8}; else seconds=${FUZZ_SECONDS:-60}; fi

say() { echo "fuzz: $*"; }

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  if [ "$mode" = smoke ]; then say "skipped: no nightly toolchain (rustup toolchain install nightly)"; exit 0; fi
  say "needs the nightly toolchain: rustup toolchain install nightly"; exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Longest input per target: response bodies need room, ids and inputs less.
max_len() {
  case "$1" in
    responses) echo 262144 ;;
    inputs) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

cd fuzz
say "building ${targets[*]}"
for target in "${targets[@]}"; do
  cargo +nightly fuzz build --sanitizer none "$target" >/dev/null 2>build.log || { cat build.log; exit 1; }
done
rm -f build.log

summary=()
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log=$(mktemp)
  say "$target: ${seconds}s"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a blow-up is a finding.
  if cargo +nightly fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len="$(max_len "$target")" \
      -dict=dict/apikeys.dict -print_final_stats=1 >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    tail -n 60 "$log"
    say "$target failed; the input is in fuzz/artifacts/$target/ (replay: cargo +nightly fuzz run --sanitizer none $target <file>)"
  fi
  runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log" | tail -n 1)
  corpus=$(find "corpus/$target" -type f | wc -l)
  summary+=("$target: $result, ${runs:-?} executions in ${seconds}s, corpus $corpus inputs")
  rm -f "$log"
done

for line in "${summary[@]}"; do say "$line"; done
exit "$status"
