#!/usr/bin/env bash
# GET /api/v1/me/requests under load on a large-LA dataset, next to pgbench
# running the SQL the hub really sends for it (captured from PostgreSQL's
# statement log for one request, bench/capture-sql.py) with as many
# connections, and the ratio of the two.
#   bench/me-requests.sh            # 25,000 cases; CASES=2500 for a quick run
#   CASES=650000 bench/me-requests.sh   # England scale (6.5 million requests)
#   BACKEND=sqlite CASES=2500 bench/me-requests.sh   # the embedded store
# Needs PostgreSQL (EHC_BENCH_PG_URL, default the local one; superuser, to
# set log_statement on the bench database), wrk and pgbench. Assumes
# PostgreSQL's default max_connections (100): the hub's pool (POOL, default
# the hub's own) and pgbench's CONNECTIONS run one after the other, never
# together. Prints the hub's /metrics after the run (pool wait, latency).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
CASES=${CASES:-25000} CONNECTIONS=${CONNECTIONS:-64} SECONDS_RUN=${SECONDS_RUN:-20} BACKEND=${BACKEND:-postgres}
PG=${EHC_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_LOG=${EHC_BENCH_PG_LOG:-/var/log/postgresql/postgresql-15-main.log}
work=$(mktemp -d /tmp/ehc-bench.XXXXXX)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill $hub_pid 2>/dev/null; rm -rf "$work"' EXIT
export EHC_METRICS_TOKEN=bench-metrics-token-0123456789abcdef0123
url() { echo "http://127.0.0.1:$port$1"; }

if [ "$BACKEND" = postgres ]; then
  # One request with every statement logged: the anchor's SQL.
  start_loaded_hub
  # Logged in (the login code came through the dispatcher); from here on no
  # background work shares the database with the requests measured.
  export EHC_DISPATCHER=false
  psql "$PG/ehc_bench" -qc "alter database ehc_bench set log_statement = 'all'"
  restart_hub
  curl -fsS "$(url /api/v1/me/requests)" -H "authorization: Bearer $token" >/dev/null
  offset=$(stat -c %s "$PG_LOG")
  curl -fsS "$(url /api/v1/me/requests)" -H "authorization: Bearer $token" >/dev/null
  sleep 0.5
  python3 bench/capture-sql.py "$PG_LOG" "$offset" ehc_bench > "$work/me-requests.sql"
  psql "$PG/ehc_bench" -qc "alter database ehc_bench reset log_statement"
  echo "== the hub's SQL for one request ($(grep -vc '^--' "$work/me-requests.sql") statements)"
  cut -c1-150 "$work/me-requests.sql"
  restart_hub
else
  start_embedded_hub
  export EHC_DISPATCHER=false
  restart_hub
fi
items=$(curl -fsS "$(url /api/v1/me/requests)" -H "authorization: Bearer $token" | python3 -c 'import sys,json; print(len(json.load(sys.stdin)["items"]))')
echo "one professional's outstanding actions on the first page: $items"

echo "== wrk: $CONNECTIONS connections, ${SECONDS_RUN}s, GET /api/v1/me/requests ($BACKEND)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "Authorization: Bearer $token" "$(url /api/v1/me/requests)" | tee "$work/wrk.txt"
echo "== the hub's /metrics after the run"
curl -sS "$(url /metrics)" -H "authorization: Bearer $EHC_METRICS_TOKEN" > "$work/metrics.txt"
grep -E '^ehc_(db_pool|http_request_duration_seconds_(sum|count).*me/requests)' "$work/metrics.txt" || head -c 400 "$work/metrics.txt"
rss=$(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$hub_pid/status)
kill $hub_pid; wait $hub_pid 2>/dev/null || true; hub_pid=""

hub_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
hub_p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
echo
echo "SUMMARY (backend=$BACKEND, cases=$CASES, connections=$CONNECTIONS, hub peak RSS $rss)"
echo "hub  GET /me/requests: $hub_rps req/s, p99 $hub_p99"
if [ "$BACKEND" = postgres ]; then
  echo "== pgbench: the hub's SQL, $CONNECTIONS connections, ${SECONDS_RUN}s"
  (cd "$work" && pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_RUN" -f "$work/me-requests.sql" -l --log-prefix=pg "$PG/ehc_bench" > "$work/pgbench.txt")
  pg_tps=$(awk '/^tps/ {print $3}' "$work/pgbench.txt")
  pg_p99=$(cat "$work"/pg.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.99)]/1000}')
  echo "pgbench, the same SQL: $pg_tps tx/s, p99 ${pg_p99}ms"
  python3 -c "print(f'ratio hub/pgbench: {float(\"$hub_rps\")/float(\"$pg_tps\"):.2f} (goal 0.6); hub p99 $hub_p99 (goal 25ms)')"
fi
