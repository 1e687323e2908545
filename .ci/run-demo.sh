#!/usr/bin/env bash
# `make run`: build for release, start the mail catcher, seed the demo creditor into
# data/amiable.db, print one link per demo debtor, and serve on http://127.0.0.1:3000.
# The release build is what a newcomer should judge: the Wasm a phone downloads for the
# schedule page is ~100 KB there, several MB in a debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
. .ci/services.sh

echo "==> building for release (cargo leptos build --release --precompress; the first build takes 10-20 minutes on 2 cores)"
cargo leptos build --release --precompress

echo "==> mail catcher: read the portal's mail at http://127.0.0.1:1080"
start_maildev 1025 1080
trap 'stop_maildev 1025; stop_stripe 8420' EXIT

# Card payments: with real Stripe test keys in the environment (DEMO_STRIPE_PUBLISHABLE_KEY,
# DEMO_STRIPE_SECRET_KEY, DEMO_STRIPE_WEBHOOK_SECRET) the demo uses Stripe itself; otherwise
# it starts the local Stripe-compatible sandbox on :8420 (pay with 4242 4242 4242 4242).
if [ -z "${DEMO_STRIPE_SECRET_KEY:-}" ]; then
  echo "==> Stripe sandbox (localstripe) on http://127.0.0.1:8420"
  start_stripe 8420
  export STRIPE_API_URL=http://127.0.0.1:8420 STRIPE_JS_URL=http://127.0.0.1:8420/js.stripe.com/v3/
  export DEMO_STRIPE_PUBLISHABLE_KEY=pk_test_demo DEMO_STRIPE_SECRET_KEY=sk_test_demo
  export DEMO_STRIPE_WEBHOOK_SECRET=whsec_demo_local_sandbox_only
  register_stripe_webhook 8420 demo "http://127.0.0.1:3000/webhooks/stripe/durand" "$DEMO_STRIPE_WEBHOOK_SECRET"
fi

export DATABASE_URL=${DATABASE_URL:-sqlite://data/amiable.db?mode=rwc}
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}
export LEPTOS_SITE_ROOT=target/site
./target/release/server serve --demo
