# Shared by the drills (sourced): a private PostgreSQL 15 cluster, the `market` processes a drill
# starts, sign-in and psql helpers, the checks common to several drills, and a cleanup trap that
# ends every process the drill started and stops the cluster.
#
#   MARKET_BIN      the binary to drill (default .build/debug/market; copied first, so a rebuild
#                   during the drill does not swap it)
#   DRILL_PG_PORT   first PostgreSQL port to try (default 54371; the next free one is taken)
#   DRILL_HTTP_PORT first server port to try (default 18301)
#   DRILL_KEEP=1    keep the drill's work folder (logs, load results) after the run
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../deploy/lib.sh"
DRILLS="$ROOT/Benchmarks/drills"
cd "$ROOT"

ensure_postgres
command -v curl >/dev/null 2>&1 || { as_root apt-get install -y -qq curl >/dev/null; }
command -v python3 >/dev/null 2>&1 || { as_root apt-get install -y -qq python3 >/dev/null; }

DRILL_NAME="$(basename "$0")"
# One drill at a time: they share the cluster folder.
exec 9>"/tmp/market-drills.lock"
flock -n 9 || { say "another drill is running (/tmp/market-drills.lock)"; exit 2; }

SOURCE_BIN="${MARKET_BIN:-$ROOT/.build/debug/market}"
[ -x "$SOURCE_BIN" ] || { say "no market binary at $SOURCE_BIN (swift build --product market, or set MARKET_BIN)"; exit 2; }

WORK="$(mktemp -d "/tmp/drill-$DRILL_NAME.XXXXXX")"
chmod 755 "$WORK"
LOGS="$WORK/logs"; mkdir -p "$LOGS"
STARTED_PIDS=()
FAILURES=0
PG_STARTED=0

PGBIN="$(pg_bin)"
PSQL="$(command -v psql || echo "$PGBIN/psql")"
ADMIN_EMAIL=drill-admin@example.vn ADMIN_PASSWORD=drill-admin-password-1

# The binary, copied once per drill (a rebuild during the drill does not swap it).
BIN="$WORK/market"
trap 'rm -rf "$WORK"' EXIT  # replaced by cleanup below
cp "$SOURCE_BIN" "$BIN"
export MARKET_MIGRATIONS_DIR="$ROOT/db/migrations"

# ---------------------------------------------------------------------------------------------
# PostgreSQL: a private cluster under .build/drills/pg, kept between runs (a template database
# with the demo data is made once); each drill gets a fresh `market` database copied from it.
# `rm -rf .build/drills/pg` starts over (e.g. after the demo data changed).

PGROOT="$ROOT/.build/drills/pg"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  mkdir -p "$ROOT/.build"
  # The cluster runs as `postgres`, which may not reach a checkout under a private home folder.
  if ! runuser -u postgres -- test -x "$ROOT/.build"; then
    PGROOT="/tmp/market-drills-postgres-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  fi
fi
mkdir -p "$PGROOT/run"
PGDATA_DIR="$PGROOT/data"

run_pg() {
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$PGROOT"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p="$1"; while port_busy "$p"; do p=$((p + 1)); done; echo "$p"; }

pg_start() {
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    say "creating the drill cluster in $PGDATA_DIR"
    run_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if run_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    say "the drill cluster was left running by an earlier drill: stopping it first"
    run_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
  fi
  PGPORT="$(free_port "${DRILL_PG_PORT:-54371}")"
  # Only what this drill adds to the server log is read by check_pg_log.
  PG_LOG_START=$(( $(stat -c %s "$PGROOT/postgres.log" 2>/dev/null || echo 0) + 1 ))
  # fsync=off: the drills kill servers and restart PostgreSQL cleanly; they never crash the machine.
  PG_OPTS="-p $PGPORT -k $PGROOT/run -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
  run_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGROOT/postgres.log" -w -t 60 -o "$PG_OPTS" start >/dev/null
  PG_STARTED=1
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/market?sslmode=disable"
}
pg_stop() { run_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null; }
# Starts the cluster again after pg_stop, on the same port with the same settings.
pg_start_again() { run_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGROOT/postgres.log" -w -t 60 -o "$PG_OPTS" start >/dev/null; }

# psql on the drill database (or another: psql_on DB ...).
psql_on() { local db="$1"; shift; PGOPTIONS='-c client_min_messages=warning' PGUSER=postgres "$PSQL" -h 127.0.0.1 -p "$PGPORT" -X -q -At -v ON_ERROR_STOP=1 "$db" "$@"; }
psql_db() { psql_on market "$@"; }

# A fresh `market` database: a copy of `market_template` (migrated and seeded with the demo data
# once), then `market migrate` and `market seed --demo` (both idempotent: they bring the copy up to
# date with this binary).
make_database() {
  if [ "$(psql_on postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'market_template'")" = 0 ]; then
    say "making the template database (migrate + seed --demo, once)"
    psql_on postgres -c "DROP DATABASE IF EXISTS market_template_new"
    psql_on postgres -c "CREATE DATABASE market_template_new TEMPLATE template0 ENCODING UTF8 LOCALE 'C.UTF-8'"
    DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/market_template_new?sslmode=disable" \
      "$BIN" migrate >"$LOGS/template-migrate.log" 2>&1
    DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/market_template_new?sslmode=disable" \
      "$BIN" seed --demo >"$LOGS/template-seed.log" 2>&1
    psql_on postgres -c "ALTER DATABASE market_template_new RENAME TO market_template"
  fi
  psql_on postgres -c "DROP DATABASE IF EXISTS market WITH (FORCE)"
  psql_on postgres -c "CREATE DATABASE market TEMPLATE market_template"
  "$BIN" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; return 1; }
  "$BIN" seed --demo >"$LOGS/seed.log" 2>&1 || { cat "$LOGS/seed.log" >&2; return 1; }
  psql_db -c "ANALYZE" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Processes

# start_bg NAME CMD...: starts a process in the background, its output in $LOGS/NAME.log.
start_bg() {
  local name="$1"; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  LAST_PID=$pid
}

# start_servers N [ENV=VALUE...]: N `market serve` processes on free ports from DRILL_HTTP_PORT.
# Sets SERVER_PIDS, SERVER_PORTS, SERVER_URLS (comma-separated base URLs).
SERVER_PIDS=() SERVER_PORTS=()
start_servers() {
  local n="$1"; shift
  local port="${DRILL_HTTP_PORT:-18301}"
  for i in $(seq 1 "$n"); do
    port="$(free_port "$port")"
    start_bg "server-$i" env PORT="$port" HOST=127.0.0.1 LOG_LEVEL="${SERVER_LOG_LEVEL:-warning}" \
      MARKET_ADMIN_EMAIL="$ADMIN_EMAIL" MARKET_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$@" "$BIN" serve
    SERVER_PIDS+=("$LAST_PID"); SERVER_PORTS+=("$port")
    port=$((port + 1))
  done
  local urls=()
  for port in "${SERVER_PORTS[@]}"; do urls+=("http://127.0.0.1:$port"); done
  SERVER_URLS="$(IFS=,; echo "${urls[*]}")"
  for i in "${!SERVER_PORTS[@]}"; do
    wait_ready "http://127.0.0.1:${SERVER_PORTS[$i]}" 120 || {
      say "server $((i + 1)) did not become ready"; tail -20 "$LOGS/server-$((i + 1)).log" >&2; return 1; }
  done
}

wait_ready() { # URL SECONDS
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(http_status "$1/readyz")" = 200 ] && return 0
    sleep 0.3
  done
  return 1
}

http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true; }

# kill_hard PID: SIGKILL, and reap it.
kill_hard() {
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-60)) still running 5 s after SIGTERM: SIGKILL"
    fi
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$PG_STARTED" = 1 ]; then pg_stop 2>/dev/null || true; fi
  if [ "${DRILL_KEEP:-0}" = 1 ] || [ "$status" != 0 ]; then
    say "logs and load results kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# HTTP helpers

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# login BASE EMAIL PASSWORD -> token
login() {
  curl -sf -m 10 -X POST "$1/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" | json_field token
}

# new_buyer BASE: registers a fresh buyer and signs in (sets BUYER_EMAIL, BUYER_ID, TOKEN)
new_buyer() {
  BUYER_EMAIL="drill-$(date +%s%N)@example.vn"
  local password=drill-buyer-password-1
  curl -sf -m 10 -o /dev/null -X POST "$1/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$BUYER_EMAIL\",\"password\":\"$password\",\"display_name\":\"Nguyễn Thị Mai\",\"phone\":\"0905123456\"}"
  local code
  code="$(psql_db -c "SELECT params->>'code' FROM outbound_messages WHERE recipient = '$BUYER_EMAIL'
    AND template = 'registration_code' ORDER BY created_at DESC LIMIT 1")"
  curl -sf -m 10 -o /dev/null -X POST "$1/v1/auth/register/confirm" -H 'content-type: application/json' \
    -d "{\"email\":\"$BUYER_EMAIL\",\"code\":\"$code\"}"
  BUYER_ID="$(psql_db -c "SELECT id FROM users WHERE email = '$BUYER_EMAIL'")"
  TOKEN="$(login "$1" "$BUYER_EMAIL" "$password")"
  [ -n "$BUYER_ID" ] && [ -n "$TOKEN" ]
}

# choose_variants N STOCK: N active variants of active products of N different suppliers, their
# stock set to STOCK. Sets VARIANTS (comma-separated).
choose_variants() {
  VARIANTS="$(psql_db -c "
    SELECT string_agg(id::text, ',') FROM (
      SELECT DISTINCT ON (v.supplier_id) v.id FROM product_variants v
      JOIN products p ON p.id = v.product_id JOIN suppliers s ON s.id = v.supplier_id
      WHERE v.is_active AND p.status = 'active' AND p.supplier_active AND s.status = 'active'
      ORDER BY v.supplier_id, v.id LIMIT $1) t")"
  psql_db -c "UPDATE product_variants SET stock_on_hand = $2 WHERE id = ANY(string_to_array('$VARIANTS', ',')::uuid[])"
  local got; got="$(psql_db -c "SELECT count(*) FROM product_variants WHERE id = ANY(string_to_array('$VARIANTS', ',')::uuid[]) AND stock_on_hand = $2")"
  [ "$got" = "$1" ] || { say "could only stock $got of $1 variants"; return 1; }
}

# ---------------------------------------------------------------------------------------------
# Checks: each prints one line, PASS or FAIL, and counts failures.

check() { # NAME OK(0|1) DETAIL
  if [ "$2" = 0 ]; then printf 'PASS  %s: %s\n' "$1" "$3"; else printf 'FAIL  %s: %s\n' "$1" "$3"; FAILURES=$((FAILURES + 1)); fi
}

# The order checks (a)–(c) of checks.py, on the load result; each line printed, failures counted.
check_orders() { # LOAD_JSON STARTING_STOCK
  local out status=0
  out="$(python3 "$DRILLS/checks.py" orders --load "$1" --buyer "$BUYER_ID" --variants "$VARIANTS" \
    --start-stock "$2" --psql "$PSQL" --port "$PGPORT")" || status=$?
  printf '%s\n' "$out"
  FAILURES=$((FAILURES + $(grep -c '^FAIL' <<<"$out" || true)))
  [ "$status" -le 1 ] || { check "order checks ran" 1 "checks.py exited $status"; }
}

check_ledger() {
  local status=0
  "$BIN" ledger check >"$LOGS/ledger-check.log" 2>&1 || status=$?
  local oks fails
  oks=$(grep -c '^ok' "$LOGS/ledger-check.log" || true); fails=$(grep -c '^FAIL' "$LOGS/ledger-check.log" || true)
  check "(d) market ledger check" "$([ "$status" = 0 ] && echo 0 || echo 1)" \
    "exit $status; $oks invariants ok, $fails failing"
  [ "$status" = 0 ] || sed 's/^/      /' "$LOGS/ledger-check.log"
}

# check_in_flight INDEX...: each server (1-based index into SERVER_PORTS) has no request still running
# and no pool connection leased (from its /metrics), once the load is over. A request the client
# gave up on that never ends holds a pool connection for good.
check_in_flight() {
  local i port text
  for i in "$@"; do
    port="${SERVER_PORTS[$((i - 1))]}"
    text="$(curl -s -m 5 "http://127.0.0.1:$port/metrics" || true)"
    printf '%s\n' "$text" >"$WORK/metrics-after-$i.txt"
    local line; line="$(python3 - "$WORK/metrics-after-$i.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def gauge(pattern):
    m = re.search(r"^" + pattern + r" ([0-9.]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0
posts = gauge(r'http_server_active_requests\{http_request_method="POST"\}')
gets = gauge(r'http_server_active_requests\{http_request_method="GET"\}')
leased, waiting = gauge("db_pool_connections_in_use"), gauge("db_pool_waiting_requests")
ok = text.strip() != "" and posts == 0 and gets <= 1 and leased == 0 and waiting == 0
print(0 if ok else 1, f"/metrics: {posts:g} POST and {max(gets - 1, 0):g} GET requests still running (besides this scrape), "
      f"{leased:g} pool connections leased, {waiting:g} callers waiting" if text.strip() else "no /metrics answer")
PY
)"
    check "server $i has nothing left in flight after the load" "${line%% *}" "${line#* }"
  done
}

info() { printf 'INFO  %s\n' "$*"; }

# PostgreSQL's own log since the drill started: deadlocks are reported there (and to the client as
# SQLSTATE 40P01).
check_pg_log() {
  local log="$WORK/postgres.log"
  tail -c +"$PG_LOG_START" "$PGROOT/postgres.log" >"$log" 2>/dev/null || true
  local deadlocks; deadlocks=$(grep -c "deadlock detected" "$log" || true)
  local statements
  statements=$(grep -A12 "deadlock detected" "$log" | grep -o "Process [0-9]*: [A-Z]* [a-z_]*[^$]*" \
    | sed -E 's/Process [0-9]+: //; s/(SET [a-z_]+ = [a-z_.]+ [-+]).*/\1 …/' | sort | uniq -c | sort -rn | head -4 | sed 's/^ *//' | paste -sd ';' - || true)
  check "PostgreSQL logged no deadlock" "$([ "$deadlocks" = 0 ] && echo 0 || echo 1)" \
    "$deadlocks 'deadlock detected' in the server log during the drill${statements:+ (statements in the cycles: $statements)}"
}

finish() {
  echo
  if [ "$FAILURES" = 0 ]; then
    echo "$DRILL_NAME: all checks passed"
  else
    echo "$DRILL_NAME: $FAILURES check(s) FAILED (logs in $WORK)"
    DRILL_KEEP=1
    exit 1
  fi
}

# ---------------------------------------------------------------------------------------------
# --cluster (or DRILL_CLUSTER=1): the drill runs against deploy/local-cluster instead of its own
# PostgreSQL and servers: a primary with a streaming replica, three `market serve` behind nginx and
# (unless DRILL_CLUSTER_WORKERS=0) one `market worker`, in .build/drill-cluster on ports of its own
# (DRILL_CLUSTER_PORT, 18320: nginx, the APIs the next three; PostgreSQL 18330 and 18331). The
# functions above keep their names and meaning; only these change:
#   pg_start          points the drill at the cluster's primary (DATABASE_URL, PGPORT; the superuser
#                     signs in over TCP with the cluster's password)
#   make_database     nothing: `local-cluster up` migrates and seeds the demo data once; the data is
#                     kept between drills (each drill's checks concern its own buyer and variants,
#                     and the whole-database ones hold for any earlier drill's data too)
#   start_servers N [ENV=VALUE...]
#                     `local-cluster up` with those settings; SERVER_PIDS/PORTS/URLS are the first N
#                     APIs, CLUSTER_URL is nginx
#   pg_stop, pg_start_again
#                     stop the primary, start it again (`local-cluster up` starts what is down)
# The drill's exit stops the whole cluster (`local-cluster down`); check_pg_log reads the primary's log.
DRILL_CLUSTER="${DRILL_CLUSTER:-0}"
drill_args=()
for drill_arg in "$@"; do
  if [ "$drill_arg" = --cluster ]; then DRILL_CLUSTER=1; else drill_args+=("$drill_arg"); fi
done
# Sourced without arguments, this file shares the drill's: the drill's own parsing never sees --cluster.
set -- "${drill_args[@]+"${drill_args[@]}"}"

if [ "$DRILL_CLUSTER" = 1 ]; then
  CLUSTER_CTL="$ROOT/deploy/local-cluster"
  export LOCAL_CLUSTER_DIR="$ROOT/.build/drill-cluster"
  export LOCAL_CLUSTER_PORT="${DRILL_CLUSTER_PORT:-18320}"
  export LOCAL_CLUSTER_PG_PORT=$((LOCAL_CLUSTER_PORT + 10))
  export MARKET_BIN="$BIN"
  CLUSTER_UP=0 CLUSTER_ENV=()

  pg_start() {
    eval "$("$CLUSTER_CTL" env)"
    PGPORT="$LOCAL_CLUSTER_PRIMARY_PORT"
    # psql_on and checks.py reach PostgreSQL over TCP as postgres: the cluster asks for a password.
    export PGPASSWORD=postgres DATABASE_URL
    # check_pg_log reads "$PGROOT/postgres.log": here that is the primary's log.
    PGROOT="$WORK/cluster-pg"; mkdir -p "$PGROOT"
    ln -sf "$(dirname "$LOCAL_CLUSTER_PRIMARY_DATA")/primary.log" "$PGROOT/postgres.log"
    PG_LOG_START=$(( $(stat -L -c %s "$PGROOT/postgres.log" 2>/dev/null || echo 0) + 1 ))
  }
  make_database() { :; }
  cluster_up() {
    env MARKET_ADMIN_EMAIL="$ADMIN_EMAIL" MARKET_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
      LOG_LEVEL="${SERVER_LOG_LEVEL:-warning}" LOCAL_CLUSTER_WORKERS="${DRILL_CLUSTER_WORKERS:-1}" \
      "${CLUSTER_ENV[@]+"${CLUSTER_ENV[@]}"}" "$CLUSTER_CTL" up >"$LOGS/cluster-up.log" 2>&1 \
      || { say "local-cluster up failed"; tail -20 "$LOGS/cluster-up.log" >&2; return 1; }
  }
  start_servers() {
    local n="$1"; shift
    [ "$n" -le 3 ] || { say "the local cluster has three APIs, not $n"; return 1; }
    CLUSTER_ENV=("$@")
    CLUSTER_UP=1
    cluster_up
    psql_db -c "ANALYZE" >/dev/null
    CLUSTER_URL="$LOCAL_CLUSTER_URL"
    local ports i urls=()
    read -r -a ports <<<"$LOCAL_CLUSTER_API_PORTS"
    SERVER_PIDS=() SERVER_PORTS=()
    for i in $(seq 1 "$n"); do
      SERVER_PIDS+=("$(cat "$LOCAL_CLUSTER_PIDS/api-$i.pid")"); SERVER_PORTS+=("${ports[$((i - 1))]}")
      urls+=("http://127.0.0.1:${ports[$((i - 1))]}")
    done
    SERVER_URLS="$(IFS=,; echo "${urls[*]}")"
    # The servers' own logs, where a drill looks for them.
    for i in $(seq 1 "$n"); do ln -sf "$LOCAL_CLUSTER_DIR/logs/api-$i.log" "$LOGS/server-$i.log"; done
  }
  pg_stop() { "$CLUSTER_CTL" stop primary >>"$LOGS/cluster-up.log" 2>&1; }
  pg_start_again() { cluster_up; }

  cluster_exit() {
    local status=$?
    trap - EXIT
    if [ "$CLUSTER_UP" = 1 ]; then
      "$CLUSTER_CTL" down >"$LOGS/cluster-down.log" 2>&1 \
        || { say "local-cluster down failed"; cat "$LOGS/cluster-down.log" >&2; status=1; }
    fi
    PG_STARTED=0
    (exit "$status")
    cleanup  # ends what the drill started itself (load, extra workers), keeps or removes $WORK
  }
  trap cluster_exit EXIT
fi
