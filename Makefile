# The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/binaryen/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# The end-to-end run gets its own database and a fixed port for the sandbox
# simulator, so the tests can steer it (faults) through /__sim/*.
E2E_DIR := target/e2e
E2E_ENV := DATABASE_URL=sqlite://$(E2E_DIR)/wxacode.db WXACODE_SANDBOX_ADDR=127.0.0.1:3901 LEPTOS_SITE_ADDR=127.0.0.1:3000

.PHONY: run test tools build test-rust test-e2e sim lint bench

## Build and start the app on http://127.0.0.1:3000 (sandbox mode unless WECHAT_APPID is set).
run: tools
	cargo leptos serve --release

## Every test: Rust unit and integration tests, then Playwright in Chromium.
test: tools test-rust test-e2e

tools:
	@scripts/install-tools.sh

build: tools
	cargo leptos build --release

test-rust:
	cargo test -p wxacode -p app -p server --features app/ssr

test-e2e: tools
	rm -rf $(E2E_DIR) && mkdir -p $(E2E_DIR)
	$(E2E_ENV) cargo leptos end-to-end --release

## A standalone WeChat simulator on 127.0.0.1:8900.
sim:
	cargo run -p wxacode --features simulator --bin wechat-sim -- --addr 127.0.0.1:8900

lint:
	cargo fmt --all -- --check
	cargo clippy -p wxacode -p app -p server --features app/ssr --all-targets -- -D warnings
