#!/usr/bin/env bash
# `make soak RUNS=20`: the whole integration suite, RUNS times in a row, against services
# started once and kept (PostgreSQL, maildev, the Stripe sandbox), as a long-lived setup sees
# it. Counts, per run and in all, the requests that hung
# and the tests that failed for any other reason. A request that hangs meets the server's 30 s
# timeout, which logs "request timed out" in the test's output.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
RUNS=${RUNS:-20}
export SCRATCH=$PWD/.scratch/soak
rm -rf "$SCRATCH"; mkdir -p "$SCRATCH"
. .ci/services.sh

PG_PORT=$(free_port); SMTP_PORT=$(free_port); MAIL_WEB=$(free_port); STRIPE_PORT=$(free_port); BOUNCE_PORT=$(free_port)
trap 'stop_postgres "$PG_PORT"; stop_maildev "$SMTP_PORT"; stop_stripe "$STRIPE_PORT"; stop_bouncer "$BOUNCE_PORT"' EXIT
start_postgres "$PG_PORT"
start_maildev "$SMTP_PORT" "$MAIL_WEB"
start_stripe "$STRIPE_PORT"
start_bouncer "$BOUNCE_PORT" "$SMTP_PORT"
export BOUNCE_SMTP="smtp://127.0.0.1:$BOUNCE_PORT"
export STRIPE_SANDBOX_URL="http://127.0.0.1:$STRIPE_PORT"
export TEST_POSTGRES_URL="postgres://amiable@127.0.0.1:$PG_PORT/postgres"
export MAILDEV_API="http://127.0.0.1:$MAIL_WEB" MAILDEV_SMTP="smtp://127.0.0.1:$SMTP_PORT"

echo "==> building the site (its static files, which some tests serve) and the integration tests"
{ cargo leptos build && cargo test -p server --test integration --no-run; } >"$SCRATCH/build.log" 2>&1 \
  || { tail -n 40 "$SCRATCH/build.log"; exit 1; }

hangs=0; failed_tests=0; failed_runs=0
for run in $(seq 1 "$RUNS"); do
  log="$SCRATCH/run-$run.log"
  t0=$SECONDS
  cargo test -p server --test integration >"$log" 2>&1 && rc=0 || rc=$?
  h=$(grep -c 'request timed out' "$log" || true)
  # A run cut short has no summary line: count its FAILED lines instead, and say it was cut.
  f=$(grep -Eo '[0-9]+ failed' "$log" | tail -n1 | awk '{print $1+0}' || true)
  p=$(grep -Eo '[0-9]+ passed' "$log" | tail -n1 | awk '{print $1+0}' || true)
  if ! grep -q '^test result:' "$log"; then
    f=$(grep -c ' \.\.\. FAILED$' "$log" || true)
    echo "run $run ended without a summary (the test process was stopped); its log: $log"
  fi
  others=$(grep -E '^test .* \.\.\. FAILED' "$log" | sed 's/^test //; s/ \.\.\. FAILED//' | tr '\n' ' ' || true)
  hangs=$((hangs + h)); failed_tests=$((failed_tests + ${f:-0}))
  [ "$rc" -eq 0 ] || failed_runs=$((failed_runs + 1))
  printf 'run %2d: %3ds  passed %s  failed %s  hung requests %s  %s\n' "$run" $((SECONDS - t0)) "${p:-0}" "${f:-0}" "$h" "$others"
done
echo "==> $RUNS runs: $failed_runs failed, $failed_tests failed tests, $hangs hung requests"
[ "$failed_runs" -eq 0 ]
