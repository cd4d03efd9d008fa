#!/usr/bin/env bash
# A production-like EHC hub on one machine (INFRA.md): PostgreSQL, Garage as
# the S3 store, an SMTP sink (aiosmtpd), a GOV.UK Notify stand-in for SMS and
# voice, and the hub in production mode. For trying a real deployment, not
# for production itself.
#
#   deploy/local-stack.sh up      # start everything; prints the admin link
#   deploy/local-stack.sh down    # stop everything
#
# State lives in $EHC_STACK_DIR (default /tmp/ehc-stack).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${EHC_STACK_DIR:-/tmp/ehc-stack}
PG_PORT=55432 S3_PORT=3900 GARAGE_RPC=3901 GARAGE_ADMIN=3903 SMTP_PORT=8025 NOTIFY_PORT=8026 CLAMD_PORT=8027 HUB_PORT=8080
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
wait_for() { for _ in $(seq 1 150); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "not ready: $1" >&2; return 1; }
garage_cli() { "$GARAGE" -c "$W/garage.toml" "$@"; }

down() {
  for f in "$W"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
  [ -d "$W/pg" ] && as_postgres "$pg_bin/pg_ctl" -D "$W/pg" -m fast stop >/dev/null 2>&1 || true
  echo "stopped (state kept in $W)"
}

up() {
  mkdir -p "$W" && chmod 755 "$W"
  GARAGE=$(command -v garage || echo "$HOME/.cargo/bin/garage")
  [ -x "$GARAGE" ] || { echo "installing Garage (15-25 minutes, once)"; cargo install garage --locked; }
  python3 -c 'import aiosmtpd' 2>/dev/null || pip install -q aiosmtpd

  # PostgreSQL: a cluster of its own.
  if [ ! -d "$W/pg" ]; then
    mkdir -p "$W/pg" && { [ "$(id -u)" = 0 ] && chown postgres "$W/pg" || true; } && chmod 700 "$W/pg"
    as_postgres "$pg_bin/initdb" -D "$W/pg" -U postgres --auth=trust >/dev/null
  fi
  as_postgres "$pg_bin/pg_ctl" -D "$W/pg" -o "-p $PG_PORT -k $W/pg -c listen_addresses=127.0.0.1" -w start >/dev/null
  psql "postgres://postgres@127.0.0.1:$PG_PORT/postgres" -tAc "select 1 from pg_database where datname='ehc_hub'" | grep -q 1 \
    || psql "postgres://postgres@127.0.0.1:$PG_PORT/postgres" -qc "create database ehc_hub"

  # Garage, one node.
  if [ ! -f "$W/garage.toml" ]; then
    cat > "$W/garage.toml" <<TOML
metadata_dir = "$W/garage/meta"
data_dir = "$W/garage/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:$GARAGE_RPC"
rpc_public_addr = "127.0.0.1:$GARAGE_RPC"
rpc_secret = "$(openssl rand -hex 32)"
[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$S3_PORT"
root_domain = ".s3.garage.localhost"
[admin]
api_bind_addr = "127.0.0.1:$GARAGE_ADMIN"
admin_token = "$(openssl rand -hex 32)"
TOML
  fi
  "$GARAGE" -c "$W/garage.toml" server >"$W/garage.log" 2>&1 & echo $! > "$W/garage.pid"
  wait_for "http://127.0.0.1:$GARAGE_ADMIN/health" || true
  sleep 1
  if [ ! -f "$W/s3.env" ]; then
    node=$(garage_cli status 2>/dev/null | awk '/^[0-9a-f]{16}/ {print $1; exit}')
    garage_cli layout assign -z dc1 -c 1G "$node" >/dev/null
    garage_cli layout apply --version 1 >/dev/null
    key=$(garage_cli key create ehc-hub-key)
    key_id=$(echo "$key" | awk -F': *' '/Key ID/ {print $2; exit}')
    secret=$(echo "$key" | awk -F': *' '/Secret key/ {print $2; exit}')
    garage_cli bucket create ehc-hub-documents >/dev/null
    garage_cli bucket allow --read --write --owner ehc-hub-documents --key ehc-hub-key >/dev/null
    printf 'EHC_S3_ACCESS_KEY_ID=%s\nEHC_S3_SECRET_ACCESS_KEY=%s\n' "$key_id" "$secret" > "$W/s3.env"
  fi

  # Mail sink and the Notify stand-in.
  python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$W/maildir" >"$W/smtp.log" 2>&1 & echo $! > "$W/smtp.pid"
  service_id=$(python3 -c 'import uuid; print(uuid.uuid4())'); notify_secret=$(python3 -c 'import uuid; print(uuid.uuid4())')
  voice_token=$(openssl rand -hex 16)
  python3 deploy/notify-standin.py "$NOTIFY_PORT" "$W/notify" "$service_id" "$notify_secret" "$voice_token" >"$W/notify.log" 2>&1 & echo $! > "$W/notify.pid"

  # ClamAV: production refuses to start unscanned unless told. Signature
  # downloads are impossible on a closed network, so the daemon gets the
  # EICAR test signature (replace with freshclam's databases for real use).
  scanning="EHC_CLAMD_ADDR=127.0.0.1:$CLAMD_PORT"
  clamd_bin=$(command -v clamd || echo /usr/sbin/clamd)
  if [ -x "$clamd_bin" ]; then
    mkdir -p "$W/clamdb"
    echo 'Local.EICAR.NDB:0:*:58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e4441' > "$W/clamdb/local.ndb"
    printf 'Foreground yes\nDatabaseDirectory %s\nTCPSocket %s\nTCPAddr 127.0.0.1\nStreamMaxLength 300M\n' "$W/clamdb" "$CLAMD_PORT" > "$W/clamd.conf"
    "$clamd_bin" -c "$W/clamd.conf" >"$W/clamd.log" 2>&1 & echo $! > "$W/clamd.pid"
  else
    echo "ClamAV is not installed (apt-get install clamav-daemon): the hub runs with EHC_SCANNING=off"
    scanning="EHC_SCANNING=off"
  fi

  # The hub, in production mode. Secrets are generated per stack.
  [ -f "$W/secrets.env" ] || printf 'EHC_SIGNING_KEY=%s\nEHC_ENCRYPTION_KEY=%s\n' "$(openssl rand -base64 48 | tr -d '\n')" "$(openssl rand -base64 32)" > "$W/secrets.env"
  cargo build --workspace -q
  set -a
  . "$W/secrets.env"; . "$W/s3.env"
  EHC_ENV=production EHC_LISTEN=127.0.0.1:$HUB_PORT EHC_PUBLIC_URL=https://ehc-hub.localhost
  EHC_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/ehc_hub
  EHC_BLOB_STORE=s3 EHC_S3_ENDPOINT=http://127.0.0.1:$S3_PORT EHC_S3_REGION=garage EHC_S3_BUCKET=ehc-hub-documents EHC_S3_PATH_STYLE=true
  EHC_EMAIL=smtp EHC_SMTP_HOST=127.0.0.1 EHC_SMTP_PORT=$SMTP_PORT EHC_SMTP_TLS=none EHC_MAIL_FROM="EHC Hub <hub@ehc-hub.localhost>"
  EHC_SMS=notify EHC_NOTIFY_API_KEY="local-$service_id-$notify_secret" EHC_NOTIFY_BASE_URL=http://127.0.0.1:$NOTIFY_PORT
  EHC_NOTIFY_EMAIL_TEMPLATE_ID=$(python3 -c 'import uuid; print(uuid.uuid4())') EHC_NOTIFY_SMS_TEMPLATE_ID=$(python3 -c 'import uuid; print(uuid.uuid4())')
  EHC_VOICE=http EHC_VOICE_URL=http://127.0.0.1:$NOTIFY_PORT/voice EHC_VOICE_TOKEN=$voice_token
  export "${scanning?}"
  set +a
  target/debug/ehc-hub migrate >/dev/null
  target/debug/ehc-hub serve >"$W/hub.log" 2>&1 & echo $! > "$W/hub.pid"
  wait_for "http://127.0.0.1:$HUB_PORT/readyz"
  echo "EHC hub (production mode) on http://127.0.0.1:$HUB_PORT — /readyz answers: database and Garage reachable"
  echo "e-mail: $W/maildir/new   SMS and voice: $W/notify   logs: $W/*.log"
  target/debug/ehc-hub create-admin --email admin@council.example --local-authority "Local Stack Council" 2>/dev/null || true
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
