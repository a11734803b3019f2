#!/usr/bin/env bash
# Installs, only where missing, the tools a step needs. Safe to run again and again.
#   scripts/install-tools.sh build   what `make run` needs: the wasm target, npm's binaryen
#                                    (wasm-opt), and Debian's Noto CJK font, which label sheets
#                                    are printed in (wasm-bindgen: see build_tools)
#   scripts/install-tools.sh test    what `make test` adds: Debian's Chromium, poppler-utils
#                                    (to read printed sheets back), the Playwright packages
set -euo pipefail
cd "$(dirname "$0")/.."

BINARYEN_VERSION=132.0.0
say() { printf '==> %s\n' "$*"; }

# Installs Debian packages; does nothing for an empty list.
apt_install() {
  [ $# -gt 0 ] || return 0
  say "installing Debian's $*"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@"
}

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  # No wasm-bindgen CLI to install: `cargo xtask build` links wasm-bindgen's library at
  # Cargo.lock's version (xtask/src/wasm_bindgen.rs).

  # The print font (WXACODE_PRINT_FONT's default), also the one Chinese pages render in.
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || apt_install fonts-noto-cjk fontconfig

  # wasm-opt for release builds: npm's binaryen (Debian's 108 breaks hydration).
  if [ ! -x tools/binaryen/node_modules/.bin/wasm-opt ]; then
    say "installing binaryen ${BINARYEN_VERSION} from npm"
    mkdir -p tools/binaryen
    echo '{"private":true}' > tools/binaryen/package.json
    (cd tools/binaryen && npm install --no-audit --no-fund "binaryen@${BINARYEN_VERSION}")
  fi
}

test_tools() {
  # Chromium for the browser tests, poppler-utils (pdfinfo, pdftotext) to read label sheets back,
  # systemd-analyze to verify the deployment's unit file, PostgreSQL (server and pg_trgm) for
  # the integration suite's second run, nginx for `make cluster` and its test.
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  apt_install "${missing[@]}"

  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing the end-to-end test packages"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

case "${1:-build}" in
  build) build_tools ;;
  test) build_tools && test_tools ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
