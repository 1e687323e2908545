#!/usr/bin/env bash
# `make bench`: the release build, measured. Prints figures, never pass/fail; the goals are
# issue 12's and are printed beside each figure.
#  1. What a phone downloads: Wasm and JS per page, and the Wasm by crate (twiggy).
#  2. The statement under load (10,000 debtors, 500,000 invoices on SQLite, 64 connections):
#     requests/s, p50/p99, the server's CPU per request from /proc, against a trivial route and
#     against the very same bytes served from memory through the same middleware (the ceiling).
#  3. RSS and errors over a soak (BENCH_SOAK_SECONDS, default 300).
#  4. Lighthouse (mobile, simulated slow 4G) on the statement and the schedule page.
#  5. PostgreSQL: two instances behind nginx (deploy/nginx's proxy settings) on one database,
#     against SQLite's single instance.
#  6. A reminder run on SQLite over 10,000 debtors / 100,000 invoices, then 100,000 / 1,000,000:
#     the time to decide and queue every email (issue 13's goal: 20 s or less for 1,000,000).
# BENCH_SECONDS (15) sets each wrk run; BENCH_SKIP="lighthouse postgres soak reminders" skips parts.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
export SCRATCH=$PWD/.scratch/bench
mkdir -p "$SCRATCH"
. .ci/services.sh

DEBTORS=${BENCH_DEBTORS:-10000}; INVOICES=${BENCH_INVOICES:-500000}
DURATION=${BENCH_SECONDS:-15}; SOAK=${BENCH_SOAK_SECONDS:-300}; CONNECTIONS=64
SKIP=" ${BENCH_SKIP:-} "
PORT=3100
TICK=$(getconf CLK_TCK)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$SCRATCH/nginx.pid" ] && kill "$(cat "$SCRATCH/nginx.pid")" 2>/dev/null || true
  stop_postgres 3150 || true
}
trap cleanup EXIT

echo "==> release build (cargo leptos build --release --precompress)"
cargo leptos build --release --precompress 2>&1 | grep -E '^(error|warning: unused)|Finished' || true
[ -x target/release/server ] || { echo "release build failed" >&2; exit 1; }

# ---- 1. What a phone downloads ----------------------------------------------------------------
pkg=target/site/pkg
wasm=$pkg/amiable.wasm js=$pkg/amiable.js
wasm_raw=$(stat -c %s "$wasm"); wasm_gz=$(gzip -9 -c "$wasm" | wc -c); wasm_br=$(stat -c %s "$wasm.br")
js_gz=$(gzip -9 -c "$js" | wc -c)
printf '\n== Wasm (release, after wasm-opt) ==\n'
printf 'amiable.wasm: %d bytes raw, %d gzip -9, %d brotli (what is served); JS glue %d gzip -9\n' \
  "$wasm_raw" "$wasm_gz" "$wasm_br" "$js_gz"
printf 'by crate (the same Wasm rebuilt with its names kept, twiggy):\n'
named=$SCRATCH/named
rm -rf "$named"; mkdir -p "$named"
wasm-bindgen target/front/wasm32-unknown-unknown/wasm-release/app.wasm --out-dir "$named" \
  --out-name amiable --target web --keep-debug --no-typescript
wasm-opt -Oz -g "$named/amiable_bg.wasm" -o "$named/named.wasm"
twiggy top -n 1000000 --format csv "$named/named.wasm" | python3 .ci/wasm_crates.py 12

# ---- 2. The statement under load --------------------------------------------------------------
db="$SCRATCH/bench-$DEBTORS-$INVOICES.db"
common_env() {
  export LEPTOS_SITE_ROOT=target/site PUBLIC_URL="http://127.0.0.1:$PORT" \
    LINK_SECRET="bench-secret-0123456789-0123456789-01" SMTP_URL="smtp://127.0.0.1:1" RUST_LOG=warn
}
common_env
echo
echo "==> data: $DEBTORS debtors, $INVOICES invoices on SQLite (the first run loads them)"
link=$(DATABASE_URL="sqlite://$db?mode=rwc" ./target/release/server bench-seed "$DEBTORS" "$INVOICES" | tail -n1)

start_server() { # start_server NAME PORT DATABASE_URL [VAR=VALUE...]: sets SERVER_PID
  local name=$1 port=$2 url=$3; shift 3
  env DATABASE_URL="$url" BIND_ADDR="127.0.0.1:$port" "$@" ./target/release/server serve >"$SCRATCH/$name.log" 2>&1 &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  wait_for "the portal ($name)" 60 curl -fsS "http://127.0.0.1:$port/readyz"
}
session_for() { # session_for BASE LINK: the session cookie a link opens
  curl -s -o /dev/null -D - "$1/l/${2##*/l/}" | grep -i '^set-cookie: amiable_session=' \
    | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }

# wrk_run NAME URL PID SECONDS: runs wrk with the session and compressed pages, as a browser asks;
# prints "rps p50 p99 cpu_ms_per_request errors"
wrk_run() {
  local name=$1 url=$2 pid=$3 secs=$4 f="$SCRATCH/wrk-$1.txt" t0 t1
  t0=$(cpu_ticks "$pid")
  wrk -t2 -c"$CONNECTIONS" -d"${secs}s" --latency -H "Cookie: $cookie" -H "Accept-Encoding: br, gzip" "$url" >"$f"
  t1=$(cpu_ticks "$pid")
  local rps p50 p99 reqs errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$f")
  reqs=$(awk '/requests in/ {print $1}' "$f")
  errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}' "$f")
  p50=$(awk '$1=="50%" {print $2}' "$f"); p99=$(awk '$1=="99%" {print $2}' "$f")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $(awk -v a="$t0" -v b="$t1" -v n="$reqs" -v t="$TICK" 'BEGIN { printf "%.3f", (b - a) * 1000 / t / n }') $errors"
}

base="http://127.0.0.1:$PORT"
start_server sqlite "$PORT" "sqlite://$db?mode=rwc"; pid=$SERVER_PID
cookie=$(session_for "$base" "$link")
[ -n "$cookie" ] || { echo "could not open the bench link" >&2; exit 1; }
curl -fsS -H "Cookie: $cookie" "$base/statement" >"$SCRATCH/statement.html"
grep -q 'BF-000042-' "$SCRATCH/statement.html" || { echo "the statement is not the bench debtor's" >&2; exit 1; }
curl -fsS -H "Cookie: $cookie" "$base/schedule" >"$SCRATCH/schedule.html"

printf '\n== what each page loads ==\n'
for page in statement schedule; do
  if grep -q 'amiable.js\|leptos-island' "$SCRATCH/$page.html"; then
    printf '/%-10s Wasm %d + JS %d bytes (brotli as served: %d + %d)\n' "$page" "$wasm_gz" "$js_gz" "$wasm_br" "$(stat -c %s "$js.br")"
  else
    printf '/%-10s no Wasm, no script of ours\n' "$page"
  fi
done
printf 'goals: statement no Wasm (or <= 60 KB with its glue), schedule <= 150 KB = 153600 bytes gzipped\n'

# The ceiling: the very same statement bytes, from memory, through the same middleware.
kill "$pid"; wait "$pid" 2>/dev/null || true
start_server sqlite "$PORT" "sqlite://$db?mode=rwc" BENCH_CEILING_FILE="$SCRATCH/statement.html"; pid=$SERVER_PID
cookie=$(session_for "$base" "$link")

echo
echo "==> wrk: $CONNECTIONS connections, ${DURATION}s per route, Accept-Encoding: br, gzip"
read -r s_rps s_p50 s_p99 s_cpu s_err < <(wrk_run statement "$base/statement" "$pid" "$DURATION")
read -r c_rps c_p50 c_p99 c_cpu c_err < <(wrk_run ceiling "$base/bench/ceiling" "$pid" "$DURATION")
read -r t_rps t_p50 t_p99 t_cpu t_err < <(wrk_run trivial "$base/healthz" "$pid" "$DURATION")
rss_load=$(rss_mb "$pid")

printf '\n%-34s %10s %8s %8s %12s %7s\n' "route" "req/s" "p50 ms" "p99 ms" "CPU ms/req" "errors"
printf '%-34s %10.0f %8s %8s %12s %7s\n' "/statement (50 invoices, $(wc -c <"$SCRATCH/statement.html") B)" "$s_rps" "$s_p50" "$s_p99" "$s_cpu" "$s_err"
printf '%-34s %10.0f %8s %8s %12s %7s\n' "/bench/ceiling (same bytes)" "$c_rps" "$c_p50" "$c_p99" "$c_cpu" "$c_err"
printf '%-34s %10.0f %8s %8s %12s %7s\n' "/healthz (trivial)" "$t_rps" "$t_p50" "$t_p99" "$t_cpu" "$t_err"
printf '\nstatement ÷ ceiling: %s   (goal >= 0.2)\n' "$(awk -v a="$s_rps" -v b="$c_rps" 'BEGIN { printf "%.3f", a/b }')"
printf 'statement ÷ trivial: %s\n' "$(awk -v a="$s_rps" -v b="$t_rps" 'BEGIN { printf "%.3f", a/b }')"
printf 'statement CPU: %s ms per request (goal <= 0.4); p99 %s ms (goal <= 25)\n' "$s_cpu" "$s_p99"
printf 'server RSS after the runs: %s MB\n' "$rss_load"
echo "machine: $(nproc) cores; wrk and the server share them"

# ---- 3. Soak --------------------------------------------------------------------------------
if [[ $SKIP != *" soak "* ]]; then
  echo
  echo "==> soak: /statement for ${SOAK}s at $CONNECTIONS connections, RSS every 10 s"
  (wrk -t2 -c"$CONNECTIONS" -d"${SOAK}s" -H "Cookie: $cookie" -H "Accept-Encoding: br, gzip" "$base/statement" >"$SCRATCH/wrk-soak.txt") &
  wrk_pid=$!
  samples=()
  while kill -0 "$wrk_pid" 2>/dev/null; do samples+=("$(rss_mb "$pid")"); sleep 10; done
  wait "$wrk_pid" || true
  soak_err=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}' "$SCRATCH/wrk-soak.txt")
  printf 'RSS MB over the soak: %s\n' "${samples[*]}"
  printf 'first %s, last %s, highest %s MB (goal <= 100, flat); %s requests/s; errors %s (goal 0)\n' \
    "${samples[0]}" "${samples[-1]}" "$(printf '%s\n' "${samples[@]}" | sort -n | tail -n1)" \
    "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$SCRATCH/wrk-soak.txt")" "$soak_err"
fi

# ---- 4. Lighthouse ----------------------------------------------------------------------------
if [[ $SKIP != *" lighthouse "* ]]; then
  echo
  echo "==> Lighthouse $LIGHTHOUSE_VERSION (mobile, simulated slow 4G), Debian's Chromium"
  printf '%-12s %11s %13s %8s %8s\n' "page" "performance" "accessibility" "LCP ms" "TBT ms"
  for page in statement schedule; do
    out="$SCRATCH/lighthouse-$page.json"
    CHROME_PATH=/usr/bin/chromium lighthouse "$base/$page" --quiet --output=json --output-path="$out" \
      --only-categories=performance,accessibility --form-factor=mobile --throttling-method=simulate \
      --extra-headers="{\"Cookie\":\"$cookie\"}" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      >/dev/null 2>"$SCRATCH/lighthouse-$page.log" || { echo "lighthouse failed on /$page: $(tail -n3 "$SCRATCH/lighthouse-$page.log")"; continue; }
    python3 - "$out" "$page" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, a = r["categories"], r["audits"]
print(f'{"/" + sys.argv[2]:<12} {c["performance"]["score"]:>11.2f} {c["accessibility"]["score"]:>13.2f} '
      f'{a["largest-contentful-paint"]["numericValue"]:>8.0f} {a["total-blocking-time"]["numericValue"]:>8.0f}')
PY
  done
  echo "goals: performance >= 0.95, accessibility 1.00, LCP <= 1500 ms, TBT <= 100 ms"
fi
kill "$pid"; wait "$pid" 2>/dev/null || true

# ---- 5. PostgreSQL: two instances behind nginx ------------------------------------------------
if [[ $SKIP != *" postgres "* ]]; then
  echo
  echo "==> PostgreSQL: two instances behind nginx, one database, the same data"
  start_postgres 3150
  pg="postgres://amiable@127.0.0.1:3150/postgres"
  pg_link=$(DATABASE_URL="$pg" ./target/release/server bench-seed "$DEBTORS" "$INVOICES" | tail -n1)
  start_server pg-a 3151 "$pg"; a=$SERVER_PID
  start_server pg-b 3152 "$pg"; b=$SERVER_PID
  conf="$SCRATCH/nginx.conf" site="$SCRATCH/nginx-site.conf"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=portal.example.com \
    -keyout "$SCRATCH/tls.key" -out "$SCRATCH/tls.crt" 2>/dev/null
  sed -e "s|listen 80;|listen 127.0.0.1:3180;|; /listen \[::\]/d; s|listen 443 ssl http2;|listen 127.0.0.1:3443 ssl http2;|" \
      -e "s|127.0.0.1:3000|127.0.0.1:3151|; s|127.0.0.1:3001|127.0.0.1:3152|" \
      -e "s|/etc/letsencrypt/live/portal.example.com/fullchain.pem|$SCRATCH/tls.crt|; s|/etc/letsencrypt/live/portal.example.com/privkey.pem|$SCRATCH/tls.key|" \
      -e "s|/etc/nginx/snippets/amiable-proxy.conf|$PWD/deploy/nginx/amiable-proxy.conf|" deploy/nginx/amiable.conf >"$site"
  sed -e "s|@PROXY@|$PWD/deploy/nginx/amiable-proxy.conf|; s|@SITE@|$site|; s|@SCRATCH@|$SCRATCH|g" .ci/bench-nginx.conf >"$conf"
  nginx -t -q -c "$conf" -p "$SCRATCH" -g "pid $SCRATCH/nginx.pid;"
  nginx -c "$conf" -p "$SCRATCH" -g "pid $SCRATCH/nginx.pid;"
  wait_for "nginx" 10 curl -fsS "http://127.0.0.1:3160/healthz"
  # deploy/nginx/amiable.conf as shipped: http goes to https, TLS answers from both instances,
  # /metrics stays closed.
  for _ in 1 2 3 4; do curl -fsSk -o /dev/null https://127.0.0.1:3443/healthz; done
  redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1:3180/statement)
  metrics=$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:3443/metrics)
  served=0
  for port in 3151 3152; do
    curl -fsS "http://127.0.0.1:$port/metrics" | grep -q 'route="/healthz",status="200"' && served=$((served + 1))
  done
  printf 'deploy/nginx/amiable.conf: http answers %s; https /metrics %s; instances that answered over TLS: %d of 2\n' \
    "$redirect" "$metrics" "$served"
  cookie=$(session_for "http://127.0.0.1:3160" "$pg_link")
  curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:3160/statement" | grep -q 'BF-000042-' \
    || { echo "the statement through nginx is not the bench debtor's" >&2; exit 1; }
  read -r p_rps p_p50 p_p99 p_cpu p_err < <(wrk_run pg "http://127.0.0.1:3160/statement" "$a" "$DURATION")
  printf '%-34s %10.0f %8s %8s %7s\n' "/statement, 2 × PostgreSQL + nginx" "$p_rps" "$p_p50" "$p_p99" "$p_err"
  printf 'PostgreSQL pair ÷ SQLite single: %s   (goal >= 0.8); RSS %s and %s MB\n' \
    "$(awk -v a="$p_rps" -v b="$s_rps" 'BEGIN { printf "%.3f", a/b }')" "$(rss_mb "$a")" "$(rss_mb "$b")"
fi

# ---- 6. A reminder run ------------------------------------------------------------------------
if [[ "$SKIP" != *" reminders "* ]]; then
  echo
  echo "== Reminder run on SQLite: decide and queue every email (goal: <= 20 s for 1,000,000 invoices) =="
  for spec in "10000 100000" "100000 1000000"; do
    read -r rd ri <<<"$spec"
    rdb="$SCRATCH/reminders-$rd-$ri.db"
    # A fresh database each time: the run writes what it decides.
    rm -f "$rdb" "$rdb-wal" "$rdb-shm"
    DATABASE_URL="sqlite://$rdb?mode=rwc" ./target/release/server bench-seed "$rd" "$ri" >/dev/null
    out=$(DATABASE_URL="sqlite://$rdb?mode=rwc" ./target/release/server reminders run | tail -n1)
    printf '%7d debtors, %8d invoices: %s\n' "$rd" "$ri" "$out"
  done
fi
