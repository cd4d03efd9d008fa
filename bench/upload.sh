#!/usr/bin/env bash
# A 200 MiB upload through the API to a real S3 server (s3s-fs), printing
# throughput and the hub's peak RSS growth, next to `aws s3 cp` of the same
# file to the same server.   bench/upload.sh   (SIZE_MIB=200 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
SIZE_MIB=${SIZE_MIB:-200}
work=$(mktemp -d /tmp/ehc-upload.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done; rm -rf "$work"' EXIT

s3_port=$(free_port)
mkdir -p "$work/s3"
s3s=$(command -v s3s-fs || echo "$HOME/.cargo/bin/s3s-fs")
"$s3s" --host 127.0.0.1 --port "$s3_port" --access-key bench-ak --secret-key bench-sk "$work/s3" >"$work/s3.log" 2>&1 & pids+=($!)
export AWS_ACCESS_KEY_ID=bench-ak AWS_SECRET_ACCESS_KEY=bench-sk AWS_DEFAULT_REGION=us-east-1
sleep 1
aws --endpoint-url "http://127.0.0.1:$s3_port" s3api create-bucket --bucket ehc-bench >/dev/null

export EHC_DATA_DIR="$work/hub" EHC_LOG=warn EHC_BLOB_STORE=s3 EHC_S3_ENDPOINT="http://127.0.0.1:$s3_port" EHC_S3_REGION=us-east-1 \
  EHC_S3_BUCKET=ehc-bench EHC_S3_ACCESS_KEY_ID=bench-ak EHC_S3_SECRET_ACCESS_KEY=bench-sk EHC_MAX_UPLOAD_BYTES=$(( (SIZE_MIB + 10) * 1024 * 1024 ))
bin=$(hub_binary)
echo "binary: $bin"
"$bin" seed-demo >/dev/null
port=$(free_port)
EHC_LISTEN=127.0.0.1:$port "$bin" serve 2>"$work/hub.log" & hub=$!; pids+=($hub)
wait_http "http://127.0.0.1:$port/readyz"
read -r token _ _ < <(login senco@oakfield-primary.example "demo hub lantern orbit 2026" "http://127.0.0.1:$port" "$work/hub/outbox")
request=$(curl -fsS "http://127.0.0.1:$port/api/v1/me/requests" -H "authorization: Bearer $token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["request_id"])')

{ printf '%%PDF-1.7\n'; head -c $(( SIZE_MIB * 1024 * 1024 - 9 )) /dev/urandom; } > "$work/report.pdf"
rss() { awk '/VmRSS/ {print $2}' /proc/$hub/status; }
before=$(rss)
( peak=0; while kill -0 $hub 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r && echo $peak > "$work/peak"; sleep 0.02; done ) & pids+=($!)
start=$(date +%s.%N)
status=$(curl -sS -o "$work/upload.json" -w '%{http_code}' -XPOST "http://127.0.0.1:$port/api/v1/advice-requests/$request/documents" \
  -H "authorization: Bearer $token" -H 'content-type: application/octet-stream' -H 'content-disposition: attachment; filename="report.pdf"' \
  --data-binary @"$work/report.pdf")
end=$(date +%s.%N)
sleep 0.2
[ "$status" = 201 ] || { echo "upload failed: $status $(cat "$work/upload.json")" >&2; exit 1; }
python3 - "$work/upload.json" "$work/report.pdf" <<'PY'
import hashlib, json, sys
doc = json.load(open(sys.argv[1])); h = hashlib.sha256(open(sys.argv[2], 'rb').read()).hexdigest()
assert doc["sha256"] == h, "stored SHA-256 differs"
print("stored SHA-256 matches the file")
PY
api_s=$(echo "$end - $start" | bc -l)
peak=$(cat "$work/peak")
astart=$(date +%s.%N)
aws --endpoint-url "http://127.0.0.1:$s3_port" s3 cp --quiet "$work/report.pdf" s3://ehc-bench/aws-copy.pdf
aend=$(date +%s.%N)
aws_s=$(echo "$aend - $astart" | bc -l)
echo
echo "SUMMARY (${SIZE_MIB} MiB)"
printf 'hub upload:  %.2f s, %.1f MiB/s, RSS before %.1f MiB, peak growth %.1f MiB (limit 64)\n' "$api_s" "$(echo "$SIZE_MIB / $api_s" | bc -l)" "$(echo "$before/1024" | bc -l)" "$(echo "($peak - $before)/1024" | bc -l)"
printf 'aws s3 cp:   %.2f s, %.1f MiB/s\n' "$aws_s" "$(echo "$SIZE_MIB / $aws_s" | bc -l)"
