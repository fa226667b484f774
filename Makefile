# onbehalf: `make dev` and `make test` are the two commands; everything else supports them.
# Tools are installed on first use and reused: cargo tools under $(TOOLS_DIR) (outside the clone, so
# that a fresh clone on the same machine starts warm), JS tools in node_modules from package-lock.json.

SHELL := /bin/bash
.SHELLFLAGS := -e -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

include tools.mk

TOOLS_DIR ?= $(HOME)/.cache/onbehalf/tools
TOOLS_BUILD_DIR ?= $(HOME)/.cache/onbehalf/tool-build
STATE := .state
DEV_PORT ?= 8787
DEV_DB := $(STATE)/dev-d1
DEMO_CUSTOMERS ?= 200

export PATH := $(TOOLS_DIR)/bin:$(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export WASM_BINDGEN_BIN := $(TOOLS_DIR)/bin/wasm-bindgen
export WASM_OPT_BIN := $(CURDIR)/node_modules/.bin/wasm-opt
export ESBUILD_BIN := $(CURDIR)/node_modules/.bin/esbuild
export CLOUDFLARE_CF_FETCH_ENABLED := false
export WRANGLER_SEND_METRICS := false
export WRANGLER_SEND_ERROR_REPORTS := false
export WRANGLER_LOG_PATH := $(CURDIR)/$(STATE)/wrangler-logs
export CHROMEDRIVER := /usr/bin/chromedriver
export CHROME_BIN := /usr/bin/chromium

RUST_SRC := $(shell find src -type f) Cargo.toml Cargo.lock

.PHONY: help dev dev-reset test lint bench screens package tools tools-rust tools-js tools-browser tools-python tools-fuzz worker browser migrate-dev seed-dev \
        test-core test-wasm test-http test-api-fuzz fuzz deploy-check clean

help:
	@echo "make dev    # install what is missing, build, migrate, seed, serve API + portal on 127.0.0.1:$(DEV_PORT)"
	@echo "make test   # install what is missing and run every test level"
	@echo "make bench  # wasm sizes; browser module speed; orders per second; Huawei requests and latency per order; directory sync at 10k and 100k; Customer Management latency at 10k and 100k"

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
tools: tools-rust tools-js

tools-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@mkdir -p $(TOOLS_DIR)
	@if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)"; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  CARGO_TARGET_DIR=$(TOOLS_BUILD_DIR) cargo install --force --root $(TOOLS_DIR) wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@if ! worker-build --version 2>/dev/null | grep -qx "$(WORKER_BUILD_VERSION)"; then \
	  echo "installing worker-build $(WORKER_BUILD_VERSION)"; \
	  CARGO_TARGET_DIR=$(TOOLS_BUILD_DIR) cargo install --force --locked --root $(TOOLS_DIR) worker-build --version $(WORKER_BUILD_VERSION); fi
	@if ! wasm-pack --version 2>/dev/null | grep -qx "wasm-pack $(WASM_PACK_VERSION)"; then \
	  echo "installing wasm-pack $(WASM_PACK_VERSION)"; \
	  CARGO_TARGET_DIR=$(TOOLS_BUILD_DIR) cargo install --force --locked --root $(TOOLS_DIR) wasm-pack --version $(WASM_PACK_VERSION); fi

tools-js: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The API fuzzer (Schemathesis, pinned in tests/schemathesis/requirements.txt) in a venv outside the clone.
VENV ?= $(HOME)/.cache/onbehalf/venv
# The same venv holds the official Huawei Cloud SDK models the emulator checks bodies against.
tools-python: $(VENV)/.installed-$(SCHEMATHESIS_VERSION)-$(HUAWEI_SDK_VERSION)

$(VENV)/.installed-$(SCHEMATHESIS_VERSION)-$(HUAWEI_SDK_VERSION): tests/schemathesis/requirements.txt tests/huawei-emulator/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/schemathesis/requirements.txt -r tests/huawei-emulator/requirements.txt
	@touch $@

# cargo-fuzz for `make fuzz` (nightly toolchain; not needed by `make test`).
tools-fuzz:
	@if ! cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)"; then \
	  echo "installing cargo-fuzz $(CARGO_FUZZ_VERSION)"; \
	  CARGO_TARGET_DIR=$(TOOLS_BUILD_DIR) cargo install --force --locked --root $(TOOLS_DIR) cargo-fuzz --version $(CARGO_FUZZ_VERSION); fi

# Debian's Chromium and its matching chromedriver, for wasm-bindgen-test and the page tests.
tools-browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "installing chromium and chromium-driver from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; fi

# ---------------------------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------------------------
worker: build/index.js www/v1/openapi.json

# The OpenAPI document as a static asset, from the same code as the worker (error codes, regions).
www/v1/openapi.json: $(RUST_SRC)
	@mkdir -p www/v1
	cargo run --quiet --bin onbehalf-openapi > $@.tmp && mv $@.tmp $@

# worker-build keeps the wasm names section (its wasm-opt step passes --debuginfo); panics abort and
# internals are logged by message, so the names buy little: strip them (-15 % raw, -12 % gzip), unless
# WORKER_NAMES=1 (scripts/profile-worker.mjs); a change of WORKER_NAMES rebuilds.
WASM_FEATURES := --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory \
                 --enable-multivalue --enable-reference-types --enable-exception-handling
WORKER_NAMES ?=
$(STATE)/worker-names: FORCE
	@mkdir -p $(STATE) && (echo "$(WORKER_NAMES)" | cmp -s - $@ || echo "$(WORKER_NAMES)" > $@)
build/index.js: $(RUST_SRC) $(STATE)/worker-names | tools
	worker-build --release --features worker
	@mkdir -p $(STATE) && cp target/wasm32-unknown-unknown/release/onbehalf.wasm $(STATE)/worker-named.wasm
	$(if $(WORKER_NAMES),@echo "worker: names kept (WORKER_NAMES)",wasm-opt $(WASM_FEATURES) --strip-debug --strip-producers build/index_bg.wasm -o build/index_bg.wasm)

.PHONY: FORCE
FORCE:

browser: www/pkg/onbehalf.js

# The browser module as an npm package (dist/onbehalf-browser/ and dist/onbehalf-browser-<version>.tgz),
# assembled from the files the portal uses.
package: browser
	@node scripts/package.mjs

www/pkg/onbehalf.js: $(RUST_SRC) | tools
	wasm-pack build --release --target web --out-dir www/pkg --out-name onbehalf --no-pack -- --no-default-features --features browser
	@rm -f www/pkg/.gitignore

# ---------------------------------------------------------------------------------------------
# Dev server: migrate and seed once (a second run starts in seconds), then serve.
# ---------------------------------------------------------------------------------------------
$(STATE)/dev-seeded: migrations/*.sql src/demo.rs src/bin/seed.rs | worker
	@mkdir -p $(STATE)
	rm -rf $(DEV_DB)
	wrangler d1 migrations apply DB --local --persist-to $(DEV_DB)
	cargo run --quiet --bin onbehalf-seed -- --now "$$(date -u +%Y-%m-%dT%H:%M:%SZ)" --customers $(DEMO_CUSTOMERS) \
	  --origin http://127.0.0.1:$(DEV_PORT) --sql $(STATE)/dev-seed.sql --credentials $(STATE)/demo.json
	wrangler d1 execute DB --local --persist-to $(DEV_DB) --file $(STATE)/dev-seed.sql >/dev/null
	@touch $@

# UPSTREAM=huawei-emulator serves the same with orders going to the local Huawei Cloud emulator
# (scripts/dev-huawei.mjs); the simulated upstream stays the default.
UPSTREAM ?= simulated
DEV_EXTRA := $(if $(filter huawei-emulator,$(UPSTREAM)),tools-python,)

dev: tools worker browser $(STATE)/dev-seeded .dev.vars $(DEV_EXTRA)
	@grep -q '^VAULT_KEY=' .dev.vars || node -e "console.log('VAULT_KEY=' + require('crypto').randomBytes(32).toString('hex'))" >> .dev.vars
	@node scripts/print-demo.mjs $(STATE)/demo.json http://127.0.0.1:$(DEV_PORT)
ifeq ($(UPSTREAM),huawei-emulator)
	ONBEHALF_PYTHON=$(VENV)/bin/python node scripts/dev-huawei.mjs --port $(DEV_PORT) --db $(DEV_DB) --demo $(STATE)/demo.json
else
	wrangler dev --local --ip 127.0.0.1 --port $(DEV_PORT) --persist-to $(DEV_DB) --var MODE:development \
	  --show-interactive-dev-session=false
endif

# The secret that signs session tokens, made once per checkout (wrangler dev reads .dev.vars;
# production uses `wrangler secret put SESSION_SECRET`).
.dev.vars:
	@node -e "const r = () => require('crypto').randomBytes(32).toString('hex'); console.log('SESSION_SECRET=' + r() + '\\nVAULT_KEY=' + r())" > $@

# Forget the dev database; the next `make dev` migrates and seeds afresh (new consent link, fresh times).
dev-reset:
	rm -rf $(DEV_DB) $(STATE)/dev-seeded

# ---------------------------------------------------------------------------------------------
# Tests: core (host), browser module (wasm-bindgen-test in Chromium), HTTP + page (real wrangler dev + local D1)
# ---------------------------------------------------------------------------------------------
test: tools tools-browser tools-python
	$(MAKE) test-core
	$(MAKE) test-wasm
	$(MAKE) deploy-check
	$(MAKE) test-http
	$(MAKE) test-api-fuzz

# The format and lint gates first. JS and CSS (www/, scripts/, tests/): Biome, pinned in package.json,
# configured in biome.json. Rust: rustfmt.toml is the one style; clippy denies every warning for the host
# build and tests, each wasm feature and the fuzz targets (rustfmt and clippy ship with the toolchain).
test-core: lint
	cargo test --locked

lint: | tools-js
	biome ci --error-on-warnings
	cargo fmt --check
	cd fuzz && cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --features worker -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features browser --lib --test browser -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --no-default-features --features boundary-bench -- -D warnings
	cd fuzz && cargo clippy --locked -- -D warnings

test-wasm: | tools tools-browser
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner WASM_BINDGEN_TEST_TIMEOUT=120 \
	  cargo test --locked --target wasm32-unknown-unknown --no-default-features --features browser --test browser

# The Huawei Cloud emulator checks itself first (its signature verifier against the official SDK's
# Signer, its model checker), then serves the Huawei tests (a second worker with UPSTREAM=huawei).
test-http: worker browser package | tools tools-browser tools-python
	cd tests/huawei-emulator && $(VENV)/bin/python models.py && $(VENV)/bin/python selftest.py
	ONBEHALF_PYTHON=$(VENV)/bin/python node scripts/run-http-tests.mjs

# Schemathesis against GET /v1/openapi.json of a fresh worker: every check, fixed seed, ~60 s.
test-api-fuzz: worker | tools tools-python
	SCHEMATHESIS_BIN=$(VENV)/bin/st node scripts/run-schemathesis.mjs

# cargo fuzz on every decoder (fuzz/fuzz_targets), FUZZ_SECONDS each, corpora in fuzz/corpus/.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS := json_body order_draft request_bodies customer_query tokens
fuzz: tools-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  echo "== $$t"; \
	  (cd fuzz && cargo +nightly fuzz run -O -s none $$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 | grep -E 'stat::number_of_executed_units|stat::new_units_added|ERROR|panicked|Done' ) || exit 1; \
	done

# ---------------------------------------------------------------------------------------------
# Evidence and figures
# ---------------------------------------------------------------------------------------------
# Sizes of both wasm artifacts, then Customer Management latency through the worker at 10k and 100k
# customers (BENCH_SIZES, BENCH_RUNS; BENCH_ONLY=regex picks cases). Databases are built once under .state/.
BENCH_SIZES ?= 10000,100000
BENCH_RUNS ?= 40
BENCH_DIRECTORY ?= 10000,100000
bench: worker browser $(STATE)/pkg-boundary/onbehalf.js | tools-python
	@node scripts/sizes.mjs build/index_bg.wasm www/pkg/onbehalf_bg.wasm
	node scripts/wasm-cost.mjs
	node scripts/bench-wasm.mjs $(BENCH_CALLS)
	node scripts/bench-orders.mjs $(BENCH_ORDERS) 8
	ONBEHALF_PYTHON=$(VENV)/bin/python node scripts/bench-huawei.mjs 20
	ONBEHALF_PYTHON=$(VENV)/bin/python node scripts/bench-directory.mjs $(BENCH_DIRECTORY)
	node scripts/bench-query.mjs $(BENCH_SIZES) $(BENCH_RUNS)
	node scripts/bench-roundtrips.mjs $(BENCH_ROUNDTRIP_RUNS)

# The README's screenshots of the reseller and distributor journeys (docs/screens/*.jpg).
screens: worker browser | tools-browser
	node scripts/screens.mjs

# The browser module plus measurement-only exports (other boundary crossings), for bench-wasm.mjs.
BENCH_CALLS ?= 20000
BENCH_ROUNDTRIP_RUNS ?= 30
BENCH_ORDERS ?= 300
$(STATE)/pkg-boundary/onbehalf.js: $(RUST_SRC) | tools
	wasm-pack build --release --target web --out-dir $(STATE)/pkg-boundary --out-name onbehalf --no-pack -- --no-default-features --features boundary-bench

# Builds the deployable bundle without network access; prints its size and bindings.
deploy-check: worker
	wrangler deploy --dry-run --outdir $(STATE)/deploy 2>&1 | grep -vE '^\s*$$'
	@test -s $(STATE)/deploy/index.js

clean:
	rm -rf build www/pkg $(STATE) target
