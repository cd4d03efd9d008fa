#!/usr/bin/env bash
# A login storm: LOGINS first steps (POST /api/v1/auth/login) at CONCURRENCY,
# each for an unknown address from its own client address (so neither rate
# limit answers before the password is checked: each costs one argon2id
# verification, as credential stuffing does). Prints the hub's RSS before
# and after, its logins per second, and the anchor: the argon2 crate's own
# verifications per second at the same parameters on the same cores. And
# GET /api/v1/me/requests' p99 (wrk, READERS connections) on a seeded
# dataset (CASES), quiet and then during the storm.
#   bench/login-storm.sh                    # LOGINS=2000 CONCURRENCY=16
#   EHC_BENCH_BINARY=old/ehc-hub bench/login-storm.sh   # another build
# Embedded (SQLite): the storm is about hashing and memory, not the database.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
LOGINS=${LOGINS:-2000} CONCURRENCY=${CONCURRENCY:-16} CASES=${CASES:-2500} READERS=${READERS:-16}
work=$(mktemp -d /tmp/ehc-bench.XXXXXX)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill $hub_pid 2>/dev/null; rm -rf "$work"' EXIT

export EHC_TRUSTED_PROXIES=127.0.0.1/32
start_embedded_hub
export EHC_DISPATCHER=false
restart_hub
reads() { # seconds -> p99 of /me/requests
  wrk -t1 -c"$READERS" -d"${1}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me/requests" \
    | awk '$1=="99%" {print $2}'
}
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$hub_pid/status"; }
# The anchor always comes from this checkout's build (an older build may
# not have the command); measured before and after the storms, the two
# averaged, as the machine's speed drifts.
anchor_bin=$(EHC_BENCH_BINARY="" hub_binary)
anchor_rate() { "$anchor_bin" argon2-rate --seconds 5 | awk '{print $5}'; }
storm() { # first-address -> "logins/s seconds statuses"
python3 - "$port" "$LOGINS" "$CONCURRENCY" "$1" <<'PY'
import http.client, json, sys, threading, time
port, logins, concurrency, first = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
statuses, lock, next_n = {}, threading.Lock(), [0]
def worker():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while True:
        with lock:
            n = first + next_n[0]; next_n[0] += 1
        if n >= first + logins:
            return
        body = json.dumps({"email": f"storm{n}@nowhere.example", "password": "not the password at all"})
        ip = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        conn.request("POST", "/api/v1/auth/login", body, {"content-type": "application/json", "x-forwarded-for": ip})
        r = conn.getresponse(); r.read()
        with lock:
            statuses[r.status] = statuses.get(r.status, 0) + 1
started = time.time()
threads = [threading.Thread(target=worker) for _ in range(concurrency)]
for t in threads: t.start()
for t in threads: t.join()
took = time.time() - started
print(f"{logins / took:.1f} {took:.1f} {json.dumps(statuses, separators=(',', ':'))}")
PY
}
anchor_before=$(anchor_rate)
before=$(rss)
# 1. The storm alone: logins against the raw verifier.
read -r rate took statuses < <(storm 0)
after_one=$(rss)
# 2. /me/requests quietly, then during a second storm (new addresses).
quiet_p99=$(reads 10)
(sleep 2; reads 8 > "$work/storm_p99.txt") & readers=$!
read -r rate2 took2 statuses2 < <(storm 1000000)
wait $readers
after=$(rss)
anchor_after=$(anchor_rate)
anchor=$(python3 -c "print(f'{(float($anchor_before) + float($anchor_after)) / 2:.1f}')")
echo
echo "SUMMARY (logins=$LOGINS, concurrency=$CONCURRENCY)"
echo "hub RSS: $before MiB before, $after_one MiB after $LOGINS logins, $after MiB after both storms ($((2 * LOGINS)) logins)"
echo "storm alone: $rate logins/s over ${took}s, answers $statuses"
echo "anchor: the argon2 crate's verifier, one thread per core: $anchor_before/s before, $anchor_after/s after, mean $anchor/s"
python3 -c "print(f'ratio logins/s to raw verifies/s: {float($rate)/float($anchor):.2f}')"
echo "storm with readers: $rate2 logins/s over ${took2}s, answers $statuses2"
echo "GET /me/requests p99 ($READERS connections): quiet $quiet_p99, during the storm $(cat "$work/storm_p99.txt")"
