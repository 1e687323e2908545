#!/usr/bin/env bash
# `make run`: build, start the mail catcher, seed the demo creditor into data/amiable.db,
# print one link per demo debtor, and serve on http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
. .ci/services.sh

echo "==> building (cargo leptos build; the first build takes several minutes)"
cargo leptos build

echo "==> mail catcher: read the portal's mail at http://127.0.0.1:1080"
start_maildev 1025 1080
trap 'stop_maildev 1025' EXIT

export DATABASE_URL=${DATABASE_URL:-sqlite://data/amiable.db?mode=rwc}
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}
export LEPTOS_SITE_ROOT=target/site
./target/debug/server serve --demo
