#!/usr/bin/env bash
# GET /api/v1/cases/{id} under load: a read that also appends to the audit
# log's hash chain (one serialised append per request), next to
# GET /api/v1/me/requests, which is not audited, on the same hub and data.
#   bench/audited-read.sh            # 25,000 cases; CASES=2500 for a quick run
# Needs PostgreSQL (EHC_BENCH_PG_URL, default the local one) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
CASES=${CASES:-25000} CONNECTIONS=${CONNECTIONS:-64} SECONDS_RUN=${SECONDS_RUN:-20}
PG=${EHC_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d /tmp/ehc-bench.XXXXXX)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill $hub_pid 2>/dev/null; rm -rf "$work"' EXIT

start_loaded_hub
case_id=$(curl -fsS "http://127.0.0.1:$port/api/v1/me/requests" -H "authorization: Bearer $token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["case_id"])')

for path in "/api/v1/cases/$case_id" "/api/v1/me/requests"; do
  echo "== wrk: $CONNECTIONS connections, ${SECONDS_RUN}s, GET $path"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" | tee "$work/wrk-$(echo "$path" | tr '/{}' '___').txt"
done
# verify links what is waiting first, then checks every entry.
verify=$(EHC_DATABASE_URL="$PG/ehc_bench" "$bin" audit verify 2>&1 || true)
entries=$(psql "$PG/ehc_bench" -tAc "select count(*) from audit_log")
echo
echo "SUMMARY (cases=$CASES, connections=$CONNECTIONS)"
for f in "$work"/wrk-*.txt; do
  echo "$(basename "$f" .txt): $(awk '/Requests\/sec/ {print $2}' "$f") req/s, p50 $(awk '$1=="50%" {print $2}' "$f"), p99 $(awk '$1=="99%" {print $2}' "$f")"
done
case_rate=$(awk '/Requests\/sec/ {print $2}' "$work"/wrk-_api_v1_cases_*.txt)
list_rate=$(awk '/Requests\/sec/ {print $2}' "$work"/wrk-_api_v1_me_requests.txt)
python3 -c "print(f'audited read / unaudited list: {float($case_rate) / float($list_rate):.2f} (goal 0.8)')"
echo "audit entries written: $entries; $verify"
