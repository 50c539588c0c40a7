# The two commands that matter: `make demo` and `make test` (both set up what is missing).
# Every target installs its own prerequisites through scripts/setup.sh, idempotently.

PORT ?= 8787
SANDBOX := target/release/sandbox
NODE_TESTS := $(sort $(wildcard tests/js/*.test.mjs))

.PHONY: setup build pkg sandbox demo test test-rust test-wasm test-node test-ts test-fuzz-smoke bench fuzz clean

setup:
	@bash scripts/setup.sh

build: setup
	bash scripts/build-wasm.sh
	for provider in gptcore quantum openrouter anthropic fluxbase; do bash scripts/build-wasm.sh $$provider || exit 1; done

pkg: build
	bash scripts/pkg.sh

sandbox:
	cargo build --release -p apikeys-sandbox

demo: pkg sandbox
	$(SANDBOX) --port $(PORT) --www www --pkg pkg

test: setup test-rust pkg sandbox test-wasm test-node test-ts test-fuzz-smoke
	@echo "make test: all suites passed"

test-rust:
	cargo test --workspace

test-wasm: setup
	bash scripts/test-wasm.sh

test-node: pkg sandbox
	node --test --test-concurrency=1 $(NODE_TESTS)

test-ts: pkg
	bash scripts/test-ts.sh

test-fuzz-smoke:
	bash scripts/fuzz.sh smoke

fuzz:
	bash scripts/fuzz.sh

# The build is part of what `make bench` takes; bench/run.sh reports the whole time.
bench:
	started=$$(date +%s) && $(MAKE) pkg sandbox && BENCH_STARTED=$$started bash bench/run.sh

clean:
	rm -rf target/bindgen target/bindgen-* pkg
