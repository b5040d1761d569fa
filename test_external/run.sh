#!/usr/bin/env bash
# Runs the black-box conformance suite against freshly built servers:
#   1. --test-mode (in-memory, auth optional)
#   2. file mode (--data-dir, --token): the suite with EVENTODB_TOKEN, then a
#      restart on the same data directory and a "data survives a restart" check
#   3. PostgreSQL (--db-url "$EVENTODB_TEST_PG_URL"), only when that variable is set;
#      skipped with a message when the server does not start on it
#   4. started as the existing server's harnesses start it: no command, one-dash
#      flags, sqlite://:memory:
#   5. the benchmark's tooling tests (benchmarks/*.test.ts but the benchmark itself:
#      compare-benchmark, floors, `bun run bench` output), then a short benchmark
#      report compared with benchmarks/baseline.json: printed with its exit
#      status, never counted as a failure (timings on a shared machine vary)
# Usage: test_external/run.sh [bun test filters, default tests/]; with filters,
#   phase 5 is skipped
#   EVENTODB_BIN=path      use a prebuilt server instead of building ./cmd/eventodb
#   BENCH_REPORT=0         skip the benchmark report; BENCH_REPORT_OPS operations
#                          per row (default 300)
# Exits non-zero on any failure. Servers are always stopped.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/eventodb-external.XXXXXX")"
BIN="$WORK/eventodb"
SERVER_PID=""
TOTAL_PASS=0
TOTAL_FAIL=0
TOTAL_SKIP=0
FAILED_PHASES=()

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  SERVER_PID=""
}

cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n=== %s\n' "$*"; }

# --- tools -------------------------------------------------------------------
cd "$HERE" || exit 1
if [[ ! -x node_modules/.bin/bun ]]; then
  log "installing Bun and TypeScript (npm ci)"
  npm ci --no-audit --no-fund || exit 1
fi
BUN="$HERE/node_modules/.bin/bun"

if [[ -n "${EVENTODB_BIN:-}" ]]; then
  BIN="$(cd "$(dirname "$EVENTODB_BIN")" && pwd)/$(basename "$EVENTODB_BIN")"
  log "using the prebuilt server $BIN (EVENTODB_BIN)"
else
  log "building the server (go build -o $BIN ./cmd/eventodb)"
  (cd "$ROOT" && go build -o "$BIN" ./cmd/eventodb) || { echo "test_external: build failed"; echo "test_external: 0 passed, 1 failed"; exit 1; }
fi

free_port() {
  "$BUN" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# A valid token for the default namespace: ns_<base64url("default")>_<64 hex>.
make_token() {
  local ns_b64
  ns_b64="$(printf '%s' "$1" | base64 | tr '+/' '-_' | tr -d '=\n')"
  printf 'ns_%s_%s' "$ns_b64" "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
}

# Servers read requests with a 5 s timeout (the default is 30 s), so the
# suite can check that a request whose body never comes is cut off in time.
export EVENTODB_READ_TIMEOUT=5s EVENTODB_EXPECT_READ_TIMEOUT=5

# How start_server runs the binary: "eventodb serve ... --port N" unless a phase
# starts it the existing server's way (no command, one-dash flags).
SERVE_CMD=(serve)
PORT_FLAG=--port

# start_server NAME ARGS... : starts the server on a free port, waits for GET /health.
# Sets URL and SERVER_PID; returns non-zero when it does not come up.
start_server() {
  local name="$1"
  shift
  local port
  port="$(free_port)"
  URL="http://127.0.0.1:$port"
  SERVER_LOG="$WORK/server-$name.log"
  (cd "$WORK" && exec "$BIN" "${SERVE_CMD[@]}" "$@" "$PORT_FLAG" "$port") >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server ($name) exited early; last log lines:"
      tail -n 30 "$SERVER_LOG"
      SERVER_PID=""
      return 1
    fi
    if curl -fsS "$URL/health" >/dev/null 2>&1; then
      echo "server ($name) is up at $URL (pid $SERVER_PID)"
      return 0
    fi
    sleep 0.1
  done
  echo "server ($name) did not answer GET /health within 30 s; last log lines:"
  tail -n 30 "$SERVER_LOG"
  stop_server
  return 1
}

# run_suite PHASE [bun test args...] with EVENTODB_URL etc. already exported.
run_suite() {
  local phase="$1"
  shift
  local out="$WORK/bun-$phase.out"
  # The server's pid lets the suite read its memory use from /proc.
  EVENTODB_SERVER_PID="$SERVER_PID" "$BUN" test --timeout 60000 "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  local p f s
  p="$(grep -Eo '^ *[0-9]+ pass' "$out" | tail -1 | grep -Eo '[0-9]+')"
  f="$(grep -Eo '^ *[0-9]+ fail' "$out" | tail -1 | grep -Eo '[0-9]+')"
  s="$(grep -Eo '^ *[0-9]+ skip' "$out" | tail -1 | grep -Eo '[0-9]+')"
  p="${p:-0}" f="${f:-0}" s="${s:-0}"
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi # a crash or no tests counts as a failure
  TOTAL_PASS=$((TOTAL_PASS + p))
  TOTAL_FAIL=$((TOTAL_FAIL + f))
  TOTAL_SKIP=$((TOTAL_SKIP + s))
  echo "--- $phase: $p passed, $f failed, $s skipped (bun exit $rc)"
  if [[ $rc -ne 0 ]]; then FAILED_PHASES+=("$phase"); fi
}

SUITE_ARGS=("$@")
WHOLE_SUITE=0
[[ ${#SUITE_ARGS[@]} -eq 0 ]] && SUITE_ARGS=(tests/) WHOLE_SUITE=1

# --- 1. test mode ------------------------------------------------------------
log "phase 1: --test-mode"
if start_server testmode --test-mode; then
  EVENTODB_URL="$URL" EVENTODB_TOKEN="" EVENTODB_BACKEND="" run_suite test-mode "${SUITE_ARGS[@]}"
  stop_server
else
  TOTAL_FAIL=$((TOTAL_FAIL + 1))
  FAILED_PHASES+=("test-mode (server did not start)")
fi

# --- 2. file mode + restart --------------------------------------------------
log "phase 2: file mode (--data-dir, --token)"
DATA_DIR="$WORK/data"
mkdir -p "$DATA_DIR"
ADMIN_TOKEN="$(make_token default)"
if start_server file --data-dir "$DATA_DIR" --token "$ADMIN_TOKEN"; then
  EVENTODB_URL="$URL" EVENTODB_TOKEN="$ADMIN_TOKEN" EVENTODB_BACKEND=sqlite run_suite file-mode "${SUITE_ARGS[@]}"
  log "phase 2b: data survives a restart"
  STATE="$WORK/restart-state.json"
  EVENTODB_URL="$URL" EVENTODB_TOKEN="$ADMIN_TOKEN" RESTART_PHASE=write RESTART_STATE="$STATE" run_suite restart-write restart/
  stop_server
  if start_server file-restarted --data-dir "$DATA_DIR" --token "$ADMIN_TOKEN"; then
    EVENTODB_URL="$URL" EVENTODB_TOKEN="$ADMIN_TOKEN" RESTART_PHASE=verify RESTART_STATE="$STATE" run_suite restart-verify restart/
    stop_server
  else
    TOTAL_FAIL=$((TOTAL_FAIL + 1))
    FAILED_PHASES+=("restart (server did not start again on its data dir)")
  fi
else
  TOTAL_FAIL=$((TOTAL_FAIL + 1))
  FAILED_PHASES+=("file-mode (server did not start)")
fi

# --- 3. PostgreSQL -----------------------------------------------------------
if [[ -n "${EVENTODB_TEST_PG_URL:-}" ]]; then
  log "phase 3: PostgreSQL (--db-url \$EVENTODB_TEST_PG_URL)"
  # A database may outlive this run and keeps its default-namespace token, so
  # the token is fixed (EVENTODB_TEST_PG_TOKEN overrides it).
  PG_TOKEN="${EVENTODB_TEST_PG_TOKEN:-ns_ZGVmYXVsdA_$(printf '7e57%.0s' $(seq 1 16))}"
  if start_server postgres --db-url "$EVENTODB_TEST_PG_URL" --token "$PG_TOKEN"; then
    EVENTODB_URL="$URL" EVENTODB_TOKEN="$PG_TOKEN" EVENTODB_BACKEND=postgres run_suite postgres "${SUITE_ARGS[@]}"

    log "phase 3b: a second node on the same database"
    NODE_A_URL="$URL" NODE_A_PID="$SERVER_PID"
    if start_server postgres-node-b --db-url "$EVENTODB_TEST_PG_URL" --token "$PG_TOKEN"; then
      EVENTODB_URL="$NODE_A_URL" EVENTODB_URL_2="$URL" EVENTODB_TOKEN="$PG_TOKEN" run_suite two-nodes multinode/
      stop_server
    else
      TOTAL_FAIL=$((TOTAL_FAIL + 1))
      FAILED_PHASES+=("two-nodes (the second node did not start)")
    fi
    SERVER_PID="$NODE_A_PID"
    stop_server
  else
    # The variable promises a database: a server that cannot use it is a failure.
    TOTAL_FAIL=$((TOTAL_FAIL + 1))
    FAILED_PHASES+=("postgres (server did not start with --db-url \$EVENTODB_TEST_PG_URL)")
  fi
else
  log "phase 3: PostgreSQL skipped (EVENTODB_TEST_PG_URL is not set)"
fi

# --- 4. started as the existing server's harnesses start it -----------------
log "phase 4: started the existing server's way (eventodb -test-mode -token … -db-url sqlite://:memory:)"
SERVE_CMD=() PORT_FLAG=-port
if start_server legacy -test-mode -token "$(make_token default)" -db-url "sqlite://:memory:" -data-dir "$WORK/legacy-data"; then
  EVENTODB_URL="$URL" EVENTODB_TOKEN="" EVENTODB_BACKEND="" run_suite legacy-start tests/messagedb-compat.test.ts tests/system.test.ts
  if [[ -e "$WORK/legacy-data" ]]; then
    echo "sqlite://:memory: created $WORK/legacy-data: it must keep everything in memory"
    TOTAL_FAIL=$((TOTAL_FAIL + 1))
    FAILED_PHASES+=("legacy-start (files written for sqlite://:memory:)")
  fi
  stop_server
else
  TOTAL_FAIL=$((TOTAL_FAIL + 1))
  FAILED_PHASES+=("legacy-start (server did not start from flags without a command)")
fi
SERVE_CMD=(serve) PORT_FLAG=--port

# --- 5. the benchmark's tooling, and a benchmark report ------------------------
if [[ $WHOLE_SUITE -eq 1 ]]; then
  log "phase 5: the benchmark's tooling (compare-benchmark, floors, bun run bench output)"
  # bench-output.test.ts runs the benchmark, which starts its own server from $BIN.
  EVENTODB_BIN="$BIN" run_suite bench-tools ./benchmarks/compare-benchmark.test.ts ./benchmarks/floors.test.ts ./benchmarks/bench-output.test.ts

  if [[ "${BENCH_REPORT:-1}" != 0 ]]; then
    BENCH_REPORT_OPS="${BENCH_REPORT_OPS:-300}"
    log "benchmark report: bun run bench with BENCH_OPS=$BENCH_REPORT_OPS, then compare-benchmark.sh against benchmarks/baseline.json (a report: it never fails the build)"
    BENCH_RESULTS="$WORK/bench-results.json"
    # It starts its own server from $BIN (EVENTODB_URL would point it elsewhere).
    env -u EVENTODB_URL -u EVENTODB_TOKEN -u BENCH_SERVER -u BENCH_JSON \
      EVENTODB_BIN="$BIN" BENCH_OPS="$BENCH_REPORT_OPS" BENCH_SECONDS=5 \
      timeout --kill-after=10 120 "$BUN" run benchmarks/performance.bench.ts >"$BENCH_RESULTS"
    echo "--- bench: exit status $?"
    bash "$HERE/compare-benchmark.sh" "$BENCH_RESULTS" "$HERE/benchmarks/baseline.json" 20
    echo "--- compare-benchmark: exit status $? (0: every row within 20 % of the baseline; 1: a row degraded more; 2: bad input) — shown, not counted"
  fi
fi

# --- summary -----------------------------------------------------------------
echo
if [[ ${#FAILED_PHASES[@]} -gt 0 ]]; then
  echo "test_external: failed phases: ${FAILED_PHASES[*]}"
fi
echo "test_external: $TOTAL_PASS passed, $TOTAL_FAIL failed, $TOTAL_SKIP skipped"
[[ $TOTAL_FAIL -eq 0 && ${#FAILED_PHASES[@]} -eq 0 ]]
