#!/usr/bin/env bash
# Two builds of the hub on the same loaded database, measured in turn (A, B,
# A, B, ...) with wrk, so that a noisy shared machine affects both alike.
#   bench/compare.sh OLD_BINARY NEW_BINARY     # ROUNDS=4, SECONDS_RUN=10, CASES=25000
# Each round measures GET /api/v1/me/requests and the audited GET
# /api/v1/cases/{id} on each build. Needs PostgreSQL and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
A=$1 B=$2
CASES=${CASES:-25000} CONNECTIONS=${CONNECTIONS:-64} SECONDS_RUN=${SECONDS_RUN:-10} ROUNDS=${ROUNDS:-4}
PG=${EHC_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d /tmp/ehc-bench.XXXXXX)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill $hub_pid 2>/dev/null; rm -rf "$work"' EXIT

# The dataset and the login come from B; A serves the same database.
EHC_BENCH_BINARY=$B start_loaded_hub
case_id=$(curl -fsS "http://127.0.0.1:$port/api/v1/me/requests" -H "authorization: Bearer $token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["case_id"])')
kill $hub_pid; wait $hub_pid 2>/dev/null || true; hub_pid=""
# Logged in; no background work shares the database with what is measured.
export EHC_DISPATCHER=false

measure() { # binary label
  EHC_LISTEN=127.0.0.1:$port "$1" serve 2>>"$work/hub.log" & hub_pid=$!
  wait_http "http://127.0.0.1:$port/readyz"
  for path in "/api/v1/me/requests" "/api/v1/cases/$case_id"; do
    rps=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" \
      | awk '/Requests\/sec/ {r=$2} $1=="99%" {p=$2} END {print r, p}')
    echo "$2 ${path%%/cases/*}$( [[ $path == */cases/* ]] && echo /cases/{id}) $rps" | tee -a "$work/results.txt"
  done
  kill $hub_pid; wait $hub_pid 2>/dev/null || true; hub_pid=""
}
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  measure "$A" A
  measure "$B" B
done
echo
echo "SUMMARY (cases=$CASES, connections=$CONNECTIONS, ${SECONDS_RUN}s each, $ROUNDS rounds; req/s min/median/max)"
python3 - "$work/results.txt" <<'PY'
import sys, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    build, path, rps, _p99 = line.split()
    runs[(path, build)].append(float(rps))
for path in sorted({p for p, _ in runs}):
    a, b = runs[(path, "A")], runs[(path, "B")]
    print(f"{path:32} A {min(a):7.0f} {statistics.median(a):7.0f} {max(a):7.0f}   B {min(b):7.0f} {statistics.median(b):7.0f} {max(b):7.0f}   B/A {statistics.median(b)/statistics.median(a):.3f}")
PY
