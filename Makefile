# The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/binaryen/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test tools build test-rust test-e2e sim lint bench bench-resolve bench-history

## Build and start the app on http://127.0.0.1:3000 (sandbox mode unless WECHAT_APPID is set).
run: tools
	cargo leptos serve --release --precompress

## Every test: Rust unit and integration tests, then Playwright in Chromium.
test: tools test-rust test-e2e

tools:
	@scripts/install-tools.sh

build: tools
	cargo leptos build --release --precompress

test-rust:
	cargo test -p wxacode -p app -p server -p wxacode-bench --features app/ssr

## Release build, fresh database, sandbox simulator on :3901 (steered by the tests via /__sim/*).
test-e2e: tools
	scripts/e2e.sh

## A standalone WeChat simulator on 127.0.0.1:8900.
sim:
	cargo run -p wxacode --features simulator --bin wechat-sim -- --addr 127.0.0.1:8900

## A 5,000-row batch job against the rate limiter's theoretical minimum (about 70 s).
bench:
	cargo run --release -p wxacode-bench --bin wxacode-bench

## The living-code resolve API under load: resolves/s, p50/p99, every scan event counted.
bench-resolve:
	cargo run --release -p wxacode-bench --bin resolve

## The history at 100,000 codes: p50/p99 and req/s per request beside the targets, memory, bundle size.
bench-history:
	cargo run --release -p wxacode-bench --bin history

lint:
	cargo fmt --all -- --check
	cargo clippy -p wxacode -p app -p server -p wxacode-bench --features app/ssr --all-targets -- -D warnings
