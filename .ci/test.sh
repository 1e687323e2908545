#!/usr/bin/env bash
# `make test`: build once, then run every stage against that build, and print how long each took.
#   1. build      cargo leptos build (server + Wasm, debug), reused by every stage below
#   2. lint       rustfmt, clippy with warnings as errors, and no cycle in the import graph
#   3. domain     app's domain and UI helpers without features, exactly as they compile for Wasm
#   4. server     unit tests + integration tests on SQLite and on PostgreSQL, real SMTP, real PDF tools
#   5. browser    Playwright in Debian's Chromium against the built server with demo data
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
export SCRATCH=$PWD/.scratch/test
rm -rf "$SCRATCH"; mkdir -p "$SCRATCH"
. .ci/services.sh

# Free ports picked now: a developer's own portal, database or mail catcher may be running.
# (A port from the WHATWG "bad ports" list, such as 10080, would be refused by fetch(); the
# ephemeral range the kernel hands out holds none of them.)
PG_PORT=$(free_port); SMTP_PORT=$(free_port); MAIL_WEB=$(free_port); STRIPE_PORT=$(free_port); BOUNCE_PORT=$(free_port)
timings=()
stage() { # stage NAME COMMAND...: runs a stage and records its duration
  local name=$1; shift
  local t0=$SECONDS rc=0
  printf '\n==> %s\n' "$name"
  "$@" || rc=$?
  timings+=("$(printf '%-10s %4ds%s' "$name" $((SECONDS - t0)) "$([ $rc -eq 0 ] || echo '  FAILED')")")
  return $rc
}
# `cmd || true`, not `[ … ] && cmd`: under set -e a failing last command of an && list ends the
# script, and in this trap it would turn a green run red.
cleanup() {
  stop_postgres "$PG_PORT"; stop_maildev "$SMTP_PORT"; stop_stripe "$STRIPE_PORT"; stop_bouncer "$BOUNCE_PORT"
  if [ -f "$SCRATCH/server.pid" ]; then kill "$(cat "$SCRATCH/server.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Counts of passed/failed tests over all stages, for the closing line.
passed=0; failed=0
count_cargo() { # adds up "test result:" lines of a cargo test log
  local p f
  p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

build() { # quiet when it works, the whole log when it does not
  if ! cargo leptos build >"$SCRATCH/build.log" 2>&1; then tail -n 80 "$SCRATCH/build.log"; return 1; fi
  tail -n 2 "$SCRATCH/build.log"
}

lint() { # every check runs; any failure fails the stage
  local rc=0
  cargo fmt --all -- --check >"$SCRATCH/fmt.log" 2>&1 || { head -n 40 "$SCRATCH/fmt.log"; echo "rustfmt: run cargo fmt --all"; rc=1; }
  if ! cargo clippy --all-targets -p server -p app -- -D warnings >"$SCRATCH/clippy.log" 2>&1; then
    grep -E -A 12 '^(error|warning)' "$SCRATCH/clippy.log" | head -n 80; rc=1
  fi
  python3 .ci/imports.py server/src app/src >"$SCRATCH/imports.log" || { grep -E 'CYCLE|cycle' "$SCRATCH/imports.log"; rc=1; }
  tail -n 1 "$SCRATCH/imports.log"
  return $rc
}

domain_tests() {
  cargo test -p app --lib 2>&1 | tee "$SCRATCH/domain.log" | grep -E '^test result|FAILED|panicked' || true
  count_cargo "$SCRATCH/domain.log"
  grep -q 'test result: ok' "$SCRATCH/domain.log"
}

server_tests() {
  start_postgres "$PG_PORT"
  start_maildev "$SMTP_PORT" "$MAIL_WEB"
  start_stripe "$STRIPE_PORT"
  start_bouncer "$BOUNCE_PORT" "$SMTP_PORT"
  export BOUNCE_SMTP="smtp://127.0.0.1:$BOUNCE_PORT"
  export STRIPE_SANDBOX_URL="http://127.0.0.1:$STRIPE_PORT"
  export TEST_POSTGRES_URL="postgres://amiable@127.0.0.1:$PG_PORT/postgres"
  export MAILDEV_API="http://127.0.0.1:$MAIL_WEB" MAILDEV_SMTP="smtp://127.0.0.1:$SMTP_PORT"
  cargo test -p server 2>&1 | tee "$SCRATCH/server.log" | grep -E '^test result|FAILED|panicked|^test .* \.\.\. FAILED' || true
  # The reminder tests once more, as if it were Saturday evening in Paris (libfaketime moves
  # the clock of the test process and of the servers it starts): what they check must not
  # depend on the day or the hour CI runs at.
  local bin at
  [ -n "$FAKETIME_LIB" ] || { echo "libfaketime not found: run .ci/setup.sh"; return 1; }
  bin=$(ls -t target/debug/deps/integration-* | grep -v '\.d$' | head -n1)
  at=$(date -u -d 'next saturday 17:30' '+%Y-%m-%d %H:%M:%S')
  echo "reminder tests at $at UTC:"
  (cd server && FAKETIME="@$at" FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$FAKETIME_LIB" "../$bin" reminder) 2>&1 \
    | tee -a "$SCRATCH/server.log" | grep -E '^test result|FAILED|panicked|^test .* \.\.\. FAILED' || true
  count_cargo "$SCRATCH/server.log"
  ! grep -q 'test result: FAILED\|error: test failed\|could not compile' "$SCRATCH/server.log"
}

browser_tests() {
  start_maildev "$SMTP_PORT" "$MAIL_WEB"
  start_stripe "$STRIPE_PORT"
  local port db="$SCRATCH/e2e.db" stripe="http://127.0.0.1:$STRIPE_PORT" pid started=0
  # The port is picked just before binding, and picked again if another process took it in
  # between: the free ports handed out here are the same ones outgoing connections use.
  for _ in 1 2 3; do
    port=$(free_port)
    export DATABASE_URL="sqlite://$db?mode=rwc" SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" LEPTOS_SITE_ROOT=target/site \
      BIND_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" LINK_SECRET="e2e-secret-0123456789-0123456789-0123" \
      STRIPE_API_URL="$stripe" STRIPE_JS_URL="$stripe/js.stripe.com/v3/" DEMO_STRIPE_PUBLISHABLE_KEY=pk_test_e2e \
      DEMO_STRIPE_SECRET_KEY=sk_test_e2e DEMO_STRIPE_WEBHOOK_SECRET=whsec_e2e_0123456789
    ./target/debug/server serve --demo >"$SCRATCH/server-e2e.log" 2>&1 &
    pid=$!
    echo $pid >"$SCRATCH/server.pid"
    if wait_for "the portal" 30 curl -fsS "http://127.0.0.1:$port/healthz" && kill -0 $pid 2>/dev/null; then started=1; break; fi
    echo "the portal did not start on port $port:" >&2; grep -m3 -E 'amiable:|Error|panicked' "$SCRATCH/server-e2e.log" >&2 || true
    kill $pid 2>/dev/null || true
  done
  [ $started -eq 1 ] || return 1
  register_stripe_webhook "$STRIPE_PORT" e2e "http://127.0.0.1:$port/webhooks/stripe/durand" "$DEMO_STRIPE_WEBHOOK_SECRET"
  export BASE_URL="http://127.0.0.1:$port" MAILDEV_API="http://127.0.0.1:$MAIL_WEB" SERVER_BIN="$PWD/target/debug/server"
  local rc=0
  (cd end2end && npx playwright test --reporter=line) 2>&1 | tee "$SCRATCH/e2e.log" || rc=$?
  local p f
  p=$(grep -Eo '[0-9]+ passed' "$SCRATCH/e2e.log" | tail -n1 | awk '{print $1+0}')
  f=$(grep -Eo '[0-9]+ failed' "$SCRATCH/e2e.log" | tail -n1 | awk '{print $1+0}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  kill "$(cat "$SCRATCH/server.pid")" 2>/dev/null || true
  return $rc
}

status=0
stage build build
stage lint lint || status=1
stage domain domain_tests || status=1
stage server server_tests || status=1
stage browser browser_tests || status=1

printf '\n==> time per stage\n'
printf '  %s\n' "${timings[@]}"
echo "total: $passed passed, $failed failed"
exit $status
