#!/usr/bin/env bash
# GET /api/v1/me/requests under load on a large-LA dataset, next to pgbench
# running the same SQL with the same number of connections.
#   bench/me-requests.sh            # 25,000 cases; CASES=2500 for a quick run
# Needs PostgreSQL (EHC_BENCH_PG_URL, default the local one), wrk, pgbench.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
CASES=${CASES:-25000} CONNECTIONS=${CONNECTIONS:-64} SECONDS_RUN=${SECONDS_RUN:-20}
PG=${EHC_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d /tmp/ehc-bench.XXXXXX)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill $hub_pid 2>/dev/null; rm -rf "$work"' EXIT

start_loaded_hub
items=$(curl -fsS "http://127.0.0.1:$port/api/v1/me/requests" -H "authorization: Bearer $token" | python3 -c 'import sys,json; print(len(json.load(sys.stdin)["items"]))')
echo "one professional's outstanding actions: $items"

echo "== wrk: $CONNECTIONS connections, ${SECONDS_RUN}s, GET /api/v1/me/requests"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me/requests" | tee "$work/wrk.txt"
kill $hub_pid; wait $hub_pid 2>/dev/null || true; hub_pid=""

echo "== pgbench: the same SQL, $CONNECTIONS connections, ${SECONDS_RUN}s"
(cd "$work" && pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_RUN" -f "$OLDPWD/bench/me-requests.sql" -D uid="'$uid'" -D sid="'$sid'" -l --log-prefix=pg "$PG/ehc_bench" | tee "$work/pgbench.txt")
p99=$(cat "$work"/pg.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.99)]/1000}')
echo
echo "SUMMARY (cases=$CASES, connections=$CONNECTIONS)"
echo "hub  GET /me/requests: $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") req/s, p99 $(awk '$1=="99%" {print $2}' "$work/wrk.txt")"
echo "pgbench same SQL:      $(awk '/^tps/ {print $3}' "$work/pgbench.txt") tx/s, p99 ${p99}ms"
