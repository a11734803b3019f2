#!/usr/bin/env bash
# Builds the release app, serves it with a fresh database and runs Playwright.
# cargo-leptos 0.3.10 can exit 0 when a build fails, so success is read from
# Playwright's own summary as well as from the exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/e2e
rm -rf "$dir" && mkdir -p "$dir"
log="$dir/e2e.log"
set +e
# The first admin the tests sign in as (end2end/tests/fixtures.ts: ADMIN).
export WXACODE_ADMIN_EMAIL="${E2E_ADMIN_EMAIL:-admin@example.com}"
export WXACODE_ADMIN_PASSWORD="${E2E_ADMIN_PASSWORD:-e2e admin password}"
DATABASE_URL="sqlite://$dir/wxacode.db" WXACODE_SANDBOX_ADDR=127.0.0.1:3901 LEPTOS_SITE_ADDR=127.0.0.1:3000 \
  cargo leptos end-to-end --release --precompress 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "end-to-end run failed (exit $status)" >&2
  exit "$status"
fi
if ! grep -Eq '^ +[0-9]+ passed' "$log" || grep -Eq '^ +[0-9]+ (failed|flaky)' "$log"; then
  echo "end-to-end tests did not all pass (see $log)" >&2
  exit 1
fi
