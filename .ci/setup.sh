#!/usr/bin/env bash
# Installs everything Amiable needs to build, run and test. Idempotent: each step checks first
# and returns at once when already done. Long steps say what they are doing.
#   setup.sh              what `make run` and `make test` need
#   setup.sh --bench      that, plus twiggy, Lighthouse and nginx for `make bench`
#   setup.sh --build-only only what building needs (the Rust tools and wasm-opt; no services)
set -euo pipefail
mode=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
mkdir -p "$AMIABLE_TOOLS"
step() { printf '\n==> %s\n' "$*"; }

# Debian packages: PostgreSQL for the multi-instance storage tests, Chromium for the browser
# tests, qpdf/poppler to check PDFs, DejaVu fonts embedded in generated PDFs, wrk for the bench,
# zbar to decode QR codes in tests, sqlite3 for browser tests that move a date in the demo database,
# faketime to run the reminder tests on another day and hour than the machine's, OpenSMTPD as
# a mail server that refuses some recipients for good (the bounce tests).
apt_pkgs=(postgresql chromium qpdf poppler-utils fonts-dejavu-core wrk zbar-tools sqlite3 faketime opensmtpd)
[ "$mode" != --bench ] || apt_pkgs+=(nginx)
[ "$mode" != --build-only ] || apt_pkgs=()
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen CLI: exactly the crate version in Cargo.lock. Not --locked: its lockfile names a
# crate version missing from the registry.
wb="$AMIABLE_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION"
if [ ! -x "$wb/bin/wasm-bindgen" ]; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 7 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$wb.tmp"
  rm -rf "$wb"; mv "$wb.tmp" "$wb"
fi

# cargo-leptos: its lockfile pulls cargo-util-schemas versions that need a newer rustc than
# 1.95. Build it from its own source with that one crate pinned back to 0.14.1. LTO off: the
# install takes ~15 minutes instead of ~35 and the binary works the same.
cl="$AMIABLE_TOOLS/cargo-leptos-$CARGO_LEPTOS_VERSION"
if [ ! -x "$cl/bin/cargo-leptos" ]; then
  step "build cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores)"
  src=$(ls -d "$HOME"/.cargo/registry/src/*/cargo-leptos-"$CARGO_LEPTOS_VERSION" 2>/dev/null | head -n1 || true)
  if [ -z "$src" ]; then
    # Fetching the crate: a plain install unpacks the source, then fails on the rustc version.
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --root "$cl.tmp" >/dev/null 2>&1 || true
    src=$(ls -d "$HOME"/.cargo/registry/src/*/cargo-leptos-"$CARGO_LEPTOS_VERSION" | head -n1)
  fi
  work="$AMIABLE_TOOLS/src/cargo-leptos-$CARGO_LEPTOS_VERSION"
  rm -rf "$work"; mkdir -p "$(dirname "$work")"; cp -r "$src" "$work"
  (cd "$work" && cargo update -q -p cargo-util-schemas --precise 0.14.1 \
    && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
       cargo install --path . --locked --root "$cl.tmp")
  rm -rf "$cl" "$work"; mv "$cl.tmp" "$cl"
fi

npm_tool() { # npm_tool NAME VERSION: installs an npm package into its own versioned folder
  local dir="$AMIABLE_TOOLS/npm-$1-$2"
  if [ ! -f "$dir/.done" ]; then
    step "npm install $1@$2"
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --prefix . "$1@$2" && touch .done)
  fi
}
npm_tool binaryen "$BINARYEN_VERSION"
if [ "$mode" = --build-only ]; then echo "setup: build tools present"; exit 0; fi
npm_tool maildev "$MAILDEV_VERSION"

if [ "$mode" = --bench ]; then
  npm_tool lighthouse "$LIGHTHOUSE_VERSION"
  tw="$AMIABLE_TOOLS/twiggy-$TWIGGY_VERSION"
  if [ ! -x "$tw/bin/twiggy" ]; then
    step "cargo install twiggy $TWIGGY_VERSION (the Wasm size by crate)"
    cargo install twiggy --version "$TWIGGY_VERSION" --locked --root "$tw.tmp"
    rm -rf "$tw"; mv "$tw.tmp" "$tw"
  fi
fi

# The Stripe-compatible sandbox for the demo and the payment tests.
ls_venv="$AMIABLE_TOOLS/localstripe-$LOCALSTRIPE_VERSION"
if [ ! -f "$ls_venv/.done" ]; then
  step "python venv with localstripe $LOCALSTRIPE_VERSION"
  python3 -m venv "$ls_venv"
  "$ls_venv/bin/pip" install -q "localstripe==$LOCALSTRIPE_VERSION" && touch "$ls_venv/.done"
fi

# Browser-test packages, per clone (node_modules is ignored by git).
if [ -f "$here/../end2end/package-lock.json" ]; then
  e2e="$here/../end2end"
  if [ ! -d "$e2e/node_modules" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
    step "npm ci in end2end/"
    (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
echo "setup: all tools present"
