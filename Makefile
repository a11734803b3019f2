# The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/binaryen/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

.PHONY: run cluster test-cluster test tools test-tools build test-rust test-postgres test-e2e sim lint bench bench-batch bench-resolve bench-history

## Build and start the app on http://127.0.0.1:3000 (sandbox mode unless WECHAT_APPID is set).
run: tools
	cargo xtask serve

## PostgreSQL, two replicas and nginx on http://127.0.0.1:3000 (release build; Ctrl-C stops all).
cluster: test-tools
	cargo xtask cluster

## Every test: Rust unit and integration tests (on SQLite, then again on PostgreSQL), the cluster
## test, then Playwright in Chromium.
test: test-tools test-rust test-postgres test-cluster test-e2e

## What the build needs (wasm target, wasm-opt, the print font; wasm-bindgen is a library of
## xtask, at Cargo.lock's version); nothing only tests use.
tools:
	@scripts/install-tools.sh build

## The build's tools, and Chromium, a CJK font and the Playwright packages.
test-tools:
	@scripts/install-tools.sh test

## The release server and target/site, without serving (xtask/: no cargo-leptos to compile).
build: tools
	cargo xtask build

test-rust:
	cargo test -p wxacode -p app -p server -p wxacode-bench -p xtask --features app/ssr

## The API integration suite again, on a throwaway PostgreSQL server (a database per test).
test-postgres: test-tools
	cargo xtask postgres cargo test -p server --test api

## Two replicas of the binary behind nginx on a throwaway PostgreSQL: a 2,000-row job, one replica
## killed with SIGKILL, a strict simulator, a session used on both (server/tests/api/cluster.rs).
test-cluster: test-tools
	cargo xtask postgres cargo test -p server --test api cluster -- --ignored

## Release build, fresh database, sandbox simulator on :3901 (steered by the tests via /__sim/*).
test-e2e: test-tools
	cargo xtask e2e

## A standalone WeChat simulator on 127.0.0.1:8900.
sim:
	cargo run -p wxacode --features simulator --bin wechat-sim -- --addr 127.0.0.1:8900

## Side by side: SQLite vs PostgreSQL, 1 server vs 2 replicas — generate (repeated parameters),
## the history page and a search at 100,000 codes, resolves (a few minutes).
bench: test-tools
	cargo build --release -p wxacode-bench --bin scale
	cargo xtask postgres target/release/scale

## A 5,000-row batch job against the rate limiter's theoretical minimum (about 70 s).
bench-batch:
	cargo run --release -p wxacode-bench --bin wxacode-bench

## The living-code resolve API under load: resolves/s, p50/p99, every scan event counted.
bench-resolve:
	cargo run --release -p wxacode-bench --bin resolve

## The history at 100,000 codes: p50/p99 and req/s per request beside the targets, memory, bundle size.
## Then the first load on a phone (Fast 4G, 4x slower CPU) through the release site in Chromium.
bench-history: test-tools
	cargo run --release -p wxacode-bench --bin history
	cargo xtask e2e --config perf.config.ts

lint:
	cargo fmt --all -- --check
	cargo clippy -p wxacode -p app -p server -p wxacode-bench -p xtask --features app/ssr --all-targets -- -D warnings
