# Clawtower. Two commands do everything on a fresh Debian 12 machine:
#   make run    install what is missing, build, launch the app
#   make test   install what is missing, run every check (lint, unit, bindings, end-to-end)
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CACHE        ?= $(HOME)/.cache/clawtower
TOOLS        := $(CACHE)/tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
TAURI_DRIVER_VERSION := 2.1.0
CARGO_FUZZ   := $(TOOLS)/bin/cargo-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := transcript_line transcript_stream ledger_pipeline cold_archive sqlite_row gateway_frame gateway_payload gateway_url sink_address openclaw_config config_files http_api router_request lifecycle_input timeline_entry
FIXTURE_TRANSCRIPTS := tests/fixtures/openclaw-2026.9.6/state/agents/main/sessions
FIXTURE_FRAMES := tests/fixtures/ws-frames
APP          := target/debug/clawtower-desktop
NPM_STAMP    := node_modules/.clawtower-installed
# Every cargo step builds the app the same way, so tauri compiles once per profile.
APP_FEATURES := --features clawtower-desktop/custom-protocol
export npm_config_cache ?= $(CACHE)/npm
export CARGO_TERM_COLOR ?= never


.PHONY: help run test deps deps-test npm-deps tauri-driver ui app cli bindings engine-deps-check browser-e2e \
        fmt-check module-cycles clippy rust-test ui-check router-test openclaw-test e2e screenshot fuzz bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

run: deps npm-deps app ## Install what is missing, build and launch the desktop app
	@if [[ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]]; then \
	  echo "make run: no display (DISPLAY/WAYLAND_DISPLAY unset). Run it from a desktop session," \
	       "or headless: tests/desktop/run-desktop-session.sh $(APP)"; exit 1; fi
	$(APP)

test: deps-test npm-deps tauri-driver ## Install what is missing, then run every check
	$(MAKE) fmt-check engine-deps-check module-cycles ui clippy rust-test ui-check router-test openclaw-test app e2e browser-e2e
	@echo "make test: all checks passed"

deps: ## Debian packages to build and run the app
	scripts/install-deps.sh build

deps-test: ## Debian packages to build and test (adds Xvfb, WebKitWebDriver, …)
	scripts/install-deps.sh test

npm-deps: $(NPM_STAMP) ## npm dependencies (npm ci, cached under ~/.cache/clawtower/npm)
$(NPM_STAMP): package-lock.json package.json ui/package.json
	npm ci --no-audit --no-fund
	touch $@

tauri-driver: $(TAURI_DRIVER) ## WebDriver bridge for the e2e tests (cargo install into ~/.cache)
$(TAURI_DRIVER):
	cargo install --locked --root $(TOOLS) tauri-driver@$(TAURI_DRIVER_VERSION)

ui: npm-deps ## Build the UI into ui/dist
	npm run build

app: ui ## Build the desktop app (debug, UI embedded)
	cargo build -p clawtower-desktop $(APP_FEATURES)

cli: ui ## Build the clawtower CLI (with the UI `clawtower serve` embeds)
	cargo build -p clawtower-cli

bindings: ## Regenerate ui/src/backend/bindings.ts from the Rust commands
	CLAWTOWER_WRITE_BINDINGS=1 cargo test -p clawtower-desktop $(APP_FEATURES) --quiet checked_in_bindings_are_fresh

module-cycles: ## No module of a crate uses another that uses it back
	python3 scripts/check_module_cycles.py crates

engine-deps-check: ## The engine crates, runtime, API, server and CLI must not depend on tauri, wry, webkit or gtk
	@if cargo tree -p clawtower-core -p clawtower-store -p clawtower-openclaw -p clawtower-ledger -p clawtower-gateway -p clawtower-feeds -p clawtower-control -p clawtower-lifecycle -p clawtower-sessions -p clawtower-usage -p clawtower-router -p clawtower-engine -p clawtower-runtime -p clawtower-api -p clawtower-server -p clawtower-cli -e normal,build | grep -i -E '\b(tauri|wry|webkit2gtk|gtk)\b'; then \
	  echo 'engine-deps-check: the engine or CLI pulls in a webview dependency (above)'; exit 1; fi
	@echo 'engine-deps-check: no tauri/wry/webkit/gtk in the engine or CLI'

fmt-check:
	cargo fmt --all -- --check

clippy: ui
	cargo clippy --workspace --all-targets $(APP_FEATURES) -- -D warnings

rust-test: ui ## Rust unit and integration tests (includes the bindings freshness check)
	cargo nextest run --workspace $(APP_FEATURES) --no-fail-fast

ui-check: npm-deps ## UI typecheck, lint and unit tests
	npm run typecheck
	npm run lint
	npm run test

openclaw-test: cli app tauri-driver ## Clawtower against real OpenClaw gateways (2026.7.1 JSONL, 2026.9.6 SQLite; Node 24 + OpenClaw cached in ~/.cache), the app window's Agents page included
	CLAWTOWER_BIN=$(CURDIR)/target/debug/clawtower CLAWTOWER_APP=$(CURDIR)/$(APP) TAURI_DRIVER=$(TAURI_DRIVER) \
	  tests/openclaw/run.sh

router-test: cli ## The model router under the official openai and anthropic Python SDKs and curl (stub provider on loopback)
	CLAWTOWER_BIN=$(CURDIR)/target/debug/clawtower tests/router/run.sh

e2e: cli app ## End-to-end tests on the real app binary (tauri-driver + WebKitWebDriver under Xvfb)
	TAURI_DRIVER=$(TAURI_DRIVER) CLAWTOWER_APP=$(CURDIR)/$(APP) CLAWTOWER_CLI=$(CURDIR)/target/debug/clawtower \
	  timeout --kill-after=10 900 tests/desktop/run-desktop-session.sh node --test --test-concurrency=1 tests/e2e/app.test.mjs

browser-e2e: cli ## The same flows in headless Chromium against `clawtower serve` (Debian chromium + chromium-driver)
	CLAWTOWER_CLI=$(CURDIR)/target/debug/clawtower timeout --kill-after=10 600 node --test --test-concurrency=1 tests/e2e/browser.test.mjs

screenshot: app tauri-driver ## Refresh docs/screenshot.png (the app) and docs/screenshots/ (each view, in the browser) from real e2e runs
	CLAWTOWER_SCREENSHOT=$(CURDIR)/docs/screenshot.png $(MAKE) e2e
	CLAWTOWER_SCREENSHOTS=$(CURDIR)/docs/screenshots $(MAKE) browser-e2e

$(CARGO_FUZZ):
	cargo install --locked --root $(TOOLS) cargo-fuzz

fuzz: $(CARGO_FUZZ) ## Fuzz every parser of outside input for FUZZ_SECONDS each (stable Rust via RUSTC_BOOTSTRAP)
	for target in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$target; \
	  case $$target in \
	    transcript_*|timeline_*|ledger_*) cp $(FIXTURE_TRANSCRIPTS)/*.jsonl fuzz/corpus/$$target/ ;; \
	    gateway_*) python3 fuzz/seeds.py $$target $(FIXTURE_FRAMES) fuzz/corpus/$$target ;; \
	  esac; \
	  (cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO_FUZZ) run $$target -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536) || exit 1; \
	done

bench: ## Ledger throughput on realistic synthetic homes (both layouts) beside read baselines (BENCH_SIZE=1GB by default)
	scripts/bench.sh

clean:
	cargo clean
	rm -rf ui/dist node_modules ui/node_modules
