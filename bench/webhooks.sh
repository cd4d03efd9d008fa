#!/usr/bin/env bash
# Webhook deliveries against a bare HTTP POST loop to the same receiver.
#   bench/webhooks.sh          # 5,000 events; EVENTS=N to change
# The events are written to the feed as the changes' own transactions write
# them (no position yet); the hub then starts with its dispatcher on and
# sequences, fans out, signs, POSTs and records each one. The receiver
# (bench/webhook-receiver.py) verifies every message with the
# standardwebhooks package. The anchor is wrk POSTing one signed message to
# the same receiver in a loop: one at a time, and 20 at a time (the
# dispatcher's batch). Needs PostgreSQL (EHC_BENCH_PG_URL), wrk and python3
# with standardwebhooks.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
EVENTS=${EVENTS:-5000} SECONDS_RUN=${SECONDS_RUN:-10}
PG=${EHC_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
DB=ehc_bench_webhooks
work=$(mktemp -d /tmp/ehc-bench.XXXXXX)
hub_pid="" recv_pid=""
trap '[ -n "$hub_pid" ] && kill $hub_pid 2>/dev/null; [ -n "$recv_pid" ] && kill $recv_pid 2>/dev/null; rm -rf "$work"' EXIT
sql() { psql "$PG/$DB" -tAc "$1"; }
# CPU seconds used so far by a process, and by all of PostgreSQL's.
cpu_of() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
cpu_pg() { local t=0; for p in $(pgrep -x postgres); do t=$(python3 -c "print($t + $(cpu_of "$p" 2>/dev/null || echo 0))"); done; echo "$t"; }

psql "$PG/postgres" -qc "drop database if exists $DB with (force)" -c "create database $DB"
# LOG_SQL=1: every statement's time in PostgreSQL's log, to see where it goes.
[ -n "${LOG_SQL:-}" ] && psql "$PG/postgres" -qc "alter database $DB set log_min_duration_statement = 0"
export EHC_METRICS_TOKEN=bench-metrics-token-0123456789abcdef0123
# The dispatcher stays off until the events are all written.
export EHC_DATA_DIR="$work" EHC_DATABASE_URL="$PG/$DB" EHC_LOG=warn EHC_JOBS=false EHC_DISPATCHER=false EHC_WEBHOOKS_ALLOW_LOCAL=true
bin=$(hub_binary)
echo "binary: $bin"
password=$("$bin" seed-demo | sed -n 's/.*password: "\(.*\)"$/\1/p')
port=$(free_port) rport=$(free_port)
base=http://127.0.0.1:$port
start_hub() { EHC_LISTEN=127.0.0.1:$port "$bin" serve 2>>"$work/hub.log" & hub_pid=$!; wait_http "$base/readyz"; }
start_receiver() {
  python3 bench/webhook-receiver.py "$rport" "$secret" & recv_pid=$!
  wait_http "http://127.0.0.1:$rport/stats"
}
stop_receiver() { kill $recv_pid; wait $recv_pid 2>/dev/null || true; recv_pid=""; }
stats() { curl -fsS "http://127.0.0.1:$rport/stats"; }
field() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }

start_hub
read -r admin _ _ < <(login admin@demo-borough.example "$password" "$base" "$work/outbox")
client=$(curl -fsS -XPOST "$base/api/v1/api-clients" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
  -d '{"name":"Bench receiver","contact_email":"ict@demo-borough.example","scopes":["webhooks:manage"]}')
client_id=$(echo "$client" | field '["client"]["id"]') client_secret=$(echo "$client" | field '["client_secret"]')
ctoken=$(curl -fsS -u "$client_id:$client_secret" -d grant_type=client_credentials "$base/api/v1/oauth/token" | field '["access_token"]')
secret=$(curl -fsS -XPOST "$base/api/v1/webhooks/endpoints" -H "authorization: Bearer $ctoken" -H 'content-type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$rport/hook\",\"event_types\":[\"case.created\"]}" | field '["secret"]')

# The events, as a change's transaction writes them: no position yet.
sql "insert into events (id, position, event_type, local_authority_id, case_id, case_reference, request_id, subject_id, team_id, occurred_at)
     select gen_random_uuid()::text, null, 'case.created', c.local_authority_id, c.id, c.reference, null, c.id, null,
            (now() at time zone 'utc') + make_interval(secs => g / 1000.0)
     from generate_series(1, $EVENTS) g, (select * from cases order by id limit 1) c" >/dev/null
expected=$(sql "select count(*) from events where position is null and event_type = 'case.created'")

echo "== the anchor: wrk POSTing one signed message to the receiver, ${SECONDS_RUN}s"
python3 - "$secret" "$work/post.lua" <<'PY'
import json, sys, time
from standardwebhooks.webhooks import Webhook
secret, out = sys.argv[1], sys.argv[2]
body = json.dumps({"type": "case.created", "timestamp": "2026-12-01T00:00:00.000Z", "data": {"id": "0190c0de-0000-7000-8000-000000000000"}})
ts = int(time.time())
sig = Webhook(secret).sign("0190c0de-0000-7000-8000-000000000000", __import__("datetime").datetime.fromtimestamp(ts, __import__("datetime").timezone.utc), body)
lua = f'''wrk.method = "POST"
wrk.body = {json.dumps(body)}
wrk.headers["content-type"] = "application/json"
wrk.headers["webhook-id"] = "0190c0de-0000-7000-8000-000000000000"
wrk.headers["webhook-timestamp"] = "{ts}"
wrk.headers["webhook-signature"] = "{sig}"
'''
open(out, "w").write(lua)
PY
declare -A anchor
for c in 1 20; do
  start_receiver
  anchor[$c]=$(wrk -t1 -c$c -d"${SECONDS_RUN}s" -s "$work/post.lua" "http://127.0.0.1:$rport/hook" | awk '/Requests\/sec/ {print $2}')
  echo "concurrency $c: ${anchor[$c]} POSTs/s, receiver: $(stats)"
  stop_receiver
done

echo "== the hub: $expected events, dispatcher on"
start_receiver
kill $hub_pid; wait $hub_pid 2>/dev/null || true
pg_before=$(cpu_pg) recv_before=$(cpu_of $recv_pid)
started=$(date +%s.%N)
EHC_DISPATCHER=true start_hub
while :; do
  done_count=$(sql "select count(*) from webhook_deliveries where delivered_at is not null or failed_at is not null")
  [ "$done_count" -ge "$expected" ] && break
  sleep 0.2
done
finished=$(date +%s.%N)
hub_cpu=$(cpu_of $hub_pid) pg_cpu=$(python3 -c "print(f'{$(cpu_pg) - $pg_before:.2f}')") recv_cpu=$(python3 -c "print(f'{$(cpu_of $recv_pid) - $recv_before:.2f}')")
received=$(stats)
delivered=$(sql "select count(*) from webhook_deliveries where delivered_at is not null")
failed=$(sql "select count(*) from webhook_deliveries where failed_at is not null")
attempts=$(sql "select count(*) from webhook_attempts")
# The dispatcher's own span: from the first fan-out to the last delivery.
span=$(sql "select extract(epoch from max(delivered_at) - min(created_at)) from webhook_deliveries")
span_rate=$(python3 -c "print(f'{$expected / float($span):.1f}')")
echo "== the hub's /metrics after the run"
curl -sS "$base/metrics" -H "authorization: Bearer $EHC_METRICS_TOKEN" | grep -E '^ehc_(webhook|db_pool)' || true
rate=$(python3 -c "print(f'{$expected / ($finished - $started):.1f}')")
echo
echo "SUMMARY (events=$expected)"
echo "hub: $expected deliveries in $(python3 -c "print(f'{$finished - $started:.2f}')") s from start: $rate deliveries/s; delivered $delivered, failed $failed, attempts $attempts"
echo "dispatcher span (first fan-out to last delivery): $(python3 -c "print(f'{float($span):.2f}')") s: $span_rate deliveries/s"
echo "receiver: $received"
echo "CPU seconds while delivering: hub $hub_cpu, PostgreSQL $pg_cpu, receiver $recv_cpu (of $(python3 -c "print(f'{2 * ($finished - $started):.1f}')") on 2 cores)"
for c in 1 20; do
  echo "anchor, concurrency $c: ${anchor[$c]} POSTs/s; hub / anchor: $(python3 -c "print(f'{$span_rate / ${anchor[$c]}:.2f}')") (span), $(python3 -c "print(f'{$rate / ${anchor[$c]}:.2f}')") (from start)"
done
distinct=$(echo "$received" | field '["distinct"]')
[ "$distinct" -eq "$expected" ] && [ "$failed" -eq 0 ] && echo "none lost: every event verified once at the receiver" || { echo "LOST: $distinct of $expected"; exit 1; }
