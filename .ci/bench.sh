#!/usr/bin/env bash
# `make bench`: release build; load 10,000 debtors and 500,000 invoices into SQLite (once; reused
# while the file exists); then wrk at 64 connections on the statement page and on a trivial
# route of the same server. Prints throughput, p50/p99 and their ratio, and the Wasm size.
# Figures, not a pass/fail: goals are ratio >= 0.4, p99 <= 25 ms, Wasm <= 200 KB gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
export SCRATCH=$PWD/.scratch/bench
mkdir -p "$SCRATCH"
. .ci/services.sh

DEBTORS=${BENCH_DEBTORS:-10000}; INVOICES=${BENCH_INVOICES:-500000}
DURATION=${BENCH_SECONDS:-15}; CONNECTIONS=64; PORT=3100

echo "==> release build (cargo leptos build --release)"
cargo leptos build --release 2>&1 | grep -E '^(error|warning: unused)|Finished' || true
[ -x target/release/server ] || { echo "release build failed" >&2; exit 1; }

wasm=target/site/pkg/amiable.wasm
raw=$(stat -c %s "$wasm"); gz=$(gzip -9 -c "$wasm" | wc -c)
js=target/site/pkg/amiable.js; jsgz=$(gzip -9 -c "$js" | wc -c)

export DATABASE_URL="sqlite://$SCRATCH/bench-$DEBTORS-$INVOICES.db?mode=rwc" LEPTOS_SITE_ROOT=target/site \
  BIND_ADDR="127.0.0.1:$PORT" PUBLIC_URL="http://127.0.0.1:$PORT" LINK_SECRET="bench-secret-0123456789-0123456789-01" \
  SMTP_URL="smtp://127.0.0.1:1" RUST_LOG=warn
echo "==> data: $DEBTORS debtors, $INVOICES invoices (first run loads them)"
link=$(./target/release/server bench-seed "$DEBTORS" "$INVOICES" | tail -n1)

./target/release/server serve >"$SCRATCH/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_for "the portal" 30 curl -fsS "http://127.0.0.1:$PORT/healthz"
cookie=$(curl -s -o /dev/null -D - "$link" | grep -i '^set-cookie: amiable_session=' | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')
[ -n "$cookie" ] || { echo "could not open the bench link" >&2; exit 1; }
curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$PORT/statement" | grep -q 'BF-000042-' || { echo "statement page is not the bench debtor's" >&2; exit 1; }

run() { # run PATH: prints "rps p50_ms p99_ms"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$PORT$1" >"$SCRATCH/wrk$(echo "$1" | tr / _).txt"
  local f="$SCRATCH/wrk$(echo "$1" | tr / _).txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$f")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$f")
  [ -z "$non2xx" ] || { echo "$1 answered $non2xx non-2xx responses" >&2; cat "$f" >&2; exit 1; }
  p50=$(awk '$1=="50%" {print $2}' "$f"); p99=$(awk '$1=="99%" {print $2}' "$f")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }

echo "==> wrk: $CONNECTIONS connections, ${DURATION}s per route"
read -r s_rps s_p50 s_p99 < <(run /statement)
read -r t_rps t_p50 t_p99 < <(run /healthz)
ratio=$(awk -v a="$s_rps" -v b="$t_rps" 'BEGIN { printf "%.3f", a/b }')
size=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$PORT/statement" | wc -c)

printf '\n%-28s %12s %10s %10s\n' "route" "requests/s" "p50 ms" "p99 ms"
printf '%-28s %12.0f %10s %10s\n' "/statement (50 invoices)" "$s_rps" "$s_p50" "$s_p99"
printf '%-28s %12.0f %10s %10s\n' "/healthz (trivial)" "$t_rps" "$t_p50" "$t_p99"
printf '\nratio statement/trivial: %s   (goal >= 0.4)\n' "$ratio"
printf 'statement p99: %s ms        (goal <= 25 ms)\n' "$s_p99"
printf 'statement page: %d bytes of HTML\n' "$size"
printf 'release Wasm: %d bytes raw, %d bytes gzipped (goal <= 200 KB = 204800); JS glue %d bytes gzipped\n' "$raw" "$gz" "$jsgz"
echo "machine: $(nproc) cores; wrk and the server share them"
