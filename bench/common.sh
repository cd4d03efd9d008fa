# Helpers shared by the bench scripts.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
# EHC_BENCH_BINARY names a build to measure (e.g. an earlier commit's, to
# compare two builds on the same machine and data).
hub_binary() {
  if [ -n "${EHC_BENCH_BINARY:-}" ]; then echo "$EHC_BENCH_BINARY"
  elif [ -x target/release/ehc-hub ]; then echo target/release/ehc-hub
  else cargo build -q --workspace && echo target/debug/ehc-hub; fi
}
# login EMAIL PASSWORD BASE OUTBOX -> prints "access_token user_id session_id"
login() {
  local step mfa code tokens
  step=$(curl -fsS -XPOST "$3/api/v1/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}")
  mfa=$(echo "$step" | python3 -c 'import sys,json; print(json.load(sys.stdin)["mfa_token"])')
  code=$(python3 -c "import json,glob; f=sorted(glob.glob('$4/*sms*.json'))[-1]; print(json.load(open(f))['body'][:6])")
  tokens=$(curl -fsS -XPOST "$3/api/v1/auth/mfa/verify" -H 'content-type: application/json' -d "{\"mfa_token\":\"$mfa\",\"code\":\"$code\"}")
  echo "$tokens" | python3 -c '
import sys, json, base64
t = json.load(sys.stdin)["access_token"]
p = t.split(".")[1]; p += "=" * (-len(p) % 4)
c = json.loads(base64.urlsafe_b64decode(p))
print(t, c["sub"], c["sid"])'
}

# start_loaded_hub: a fresh ehc_bench database with CASES cases, the hub
# serving it on a free port. Needs PG, CASES, CONNECTIONS and work; sets bin,
# port, hub_pid, token, uid and sid (a professional from the dataset).
start_loaded_hub() {
  psql "$PG/postgres" -qc "drop database if exists ehc_bench with (force)" -c "create database ehc_bench"
  export EHC_DATA_DIR="$work" EHC_DATABASE_URL="$PG/ehc_bench" EHC_LOG=warn EHC_JOBS=false
  [ -n "${POOL:-}" ] && export EHC_DB_POOL_SIZE=$POOL
  bin=$(hub_binary)
  echo "binary: $bin"
  local loaded email
  loaded=$("$bin" seed-load --cases "$CASES")
  echo "$loaded"
  email=$(echo "$loaded" | grep -o 'pro0-[a-z0-9]*@load.example')
  psql "$PG/ehc_bench" -qc "analyze"
  port=$(free_port)
  EHC_LISTEN=127.0.0.1:$port "$bin" serve 2>"$work/hub.log" & hub_pid=$!
  wait_http "http://127.0.0.1:$port/readyz"
  read -r token uid sid < <(login "$email" "load test lantern orbit 2026" "http://127.0.0.1:$port" "$work/outbox")
}

# restart_hub: the same hub binary and data on the same port, with fresh
# database connections (so a changed database setting takes effect).
restart_hub() {
  kill $hub_pid; wait $hub_pid 2>/dev/null || true
  EHC_LISTEN=127.0.0.1:$port "$bin" serve 2>"$work/hub.log" & hub_pid=$!
  wait_http "http://127.0.0.1:$port/readyz"
}

# start_embedded_hub: as start_loaded_hub, on SQLite in $work.
start_embedded_hub() {
  export EHC_DATA_DIR="$work" EHC_DATABASE_URL="sqlite://$work/bench.db" EHC_LOG=warn EHC_JOBS=false
  bin=$(hub_binary)
  echo "binary: $bin"
  local loaded email
  loaded=$("$bin" seed-load --cases "$CASES")
  echo "$loaded"
  email=$(echo "$loaded" | grep -o 'pro0-[a-z0-9]*@load.example')
  port=$(free_port)
  EHC_LISTEN=127.0.0.1:$port "$bin" serve 2>"$work/hub.log" & hub_pid=$!
  wait_http "http://127.0.0.1:$port/readyz"
  read -r token uid sid < <(login "$email" "load test lantern orbit 2026" "http://127.0.0.1:$port" "$work/outbox")
}
