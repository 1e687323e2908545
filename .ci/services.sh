# Sourced by the scripts: starts and stops the real services the portal talks to, on loopback,
# with their state under .scratch/ in the clone. Every start waits until the service answers.

SCRATCH=${SCRATCH:-$PWD/.scratch}
mkdir -p "$SCRATCH"

free_port() { # a TCP port nobody listens on now, so we never talk to someone else's server
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # wait_for WHAT SECONDS COMMAND...: polls until COMMAND succeeds
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "$what did not start within ${secs}s" >&2; return 1
}

# start_maildev SMTP_PORT WEB_PORT: a real SMTP server with an HTTP API and a web page.
start_maildev() {
  local smtp=$1 web=$2 dir="$SCRATCH/maildev-$1"
  if curl -fsS "http://127.0.0.1:$web/healthz" >/dev/null 2>&1; then return 0; fi
  rm -rf "$dir"; mkdir -p "$dir"
  maildev --smtp "$smtp" --web "$web" --ip 127.0.0.1 --mail-directory "$dir" --silent >"$dir.log" 2>&1 &
  echo $! >"$dir.pid"
  wait_for "maildev" 30 curl -fsS "http://127.0.0.1:$web/healthz"
}

stop_maildev() {
  local f="$SCRATCH/maildev-$1.pid"
  if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  rm -f "$f"
}

# start_postgres PORT: a throwaway cluster (Debian's PostgreSQL) on loopback, trust auth.
# initdb refuses to run as root, so the server runs as the postgres user, in a temp directory of
# its own (the clone may sit in a directory that user cannot enter).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
# From /: the postgres user may not be allowed into the current directory.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
start_postgres() {
  local port=$1 dir
  stop_postgres "$port"
  dir=$(mktemp -d /tmp/amiable-pg-XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  echo "$dir" >"$SCRATCH/pg-$port.dir"
  as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U amiable >"$SCRATCH/pg-$port-initdb.log" 2>&1
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    -l "$dir/log" -w start >/dev/null
}

stop_postgres() {
  local f="$SCRATCH/pg-$1.dir" dir
  [ -f "$f" ] || return 0
  dir=$(cat "$f")
  if [ -f "$dir/data/postmaster.pid" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir" "$f"
}

# start_stripe PORT: localstripe (PyPI), a Stripe-compatible sandbox, through our launcher
# (.ci/stripe_sandbox.py: loopback only, state in memory, the fields async-stripe requires).
LOCALSTRIPE_PY="$AMIABLE_TOOLS/localstripe-$LOCALSTRIPE_VERSION/bin/python"
start_stripe() {
  local port=$1
  if curl -fsS "http://127.0.0.1:$port/js.stripe.com/v3/" >/dev/null 2>&1; then return 0; fi
  "$LOCALSTRIPE_PY" "$PWD/.ci/stripe_sandbox.py" "$port" >"$SCRATCH/stripe-$port.log" 2>&1 &
  echo $! >"$SCRATCH/stripe-$port.pid"
  wait_for "the Stripe sandbox" 30 curl -fsS "http://127.0.0.1:$port/js.stripe.com/v3/"
}

# register_stripe_webhook PORT ID URL SECRET: localstripe's private route for webhook endpoints.
register_stripe_webhook() {
  curl -fsS -X POST "http://127.0.0.1:$1/_config/webhooks/$2" --data-urlencode "url=$3" --data-urlencode "secret=$4" >/dev/null
}

stop_stripe() {
  local f="$SCRATCH/stripe-$1.pid"
  if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  rm -f "$f"
}

# start_bouncer PORT CATCHER_SMTP_PORT: OpenSMTPD (Debian's) on loopback, a real mail server
# that refuses every recipient at refused.test with a permanent 550, as a mailbox provider
# answers for an unknown user, and relays every other mail to the catcher. Runs in the
# foreground (-d) as root, which it needs; its queue is the system's (/var/spool/smtpd).
start_bouncer() {
  local port=$1 catcher=$2 conf="$SCRATCH/bouncer-$1.conf"
  if [ "$(id -u)" -ne 0 ]; then echo "start_bouncer: OpenSMTPD needs root (run as root or in the CI container)" >&2; return 1; fi
  stop_bouncer "$port"
  cat >"$conf" <<CONF
listen on 127.0.0.1 port $port
action "catcher" relay host smtp://127.0.0.1:$catcher
match from any for domain "refused.test" reject
match from any for any action "catcher"
CONF
  chmod 600 "$conf"
  /usr/sbin/smtpd -d -f "$conf" >"$SCRATCH/bouncer-$port.log" 2>&1 &
  echo $! >"$SCRATCH/bouncer-$port.pid"
  wait_for "OpenSMTPD" 30 python3 -c "import smtplib; smtplib.SMTP('127.0.0.1', $port, timeout=2).quit()"
}

stop_bouncer() {
  local f="$SCRATCH/bouncer-$1.pid"
  if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  rm -f "$f"
}
