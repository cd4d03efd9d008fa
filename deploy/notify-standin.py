#!/usr/bin/env python3
"""A local stand-in for GOV.UK Notify (and the voice-provider contract), for
the one-machine stack only. It checks what Notify checks -- an HS256 JWT
signed with the API key's secret, iss = service id, iat within 30 seconds --
and writes each accepted message as JSON into a folder. Never use in
production: it exists because Notify cannot be reached from a closed network.

usage: notify-standin.py PORT OUT_DIR SERVICE_ID SECRET VOICE_TOKEN
"""
import base64, hashlib, hmac, json, os, sys, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, OUT, SERVICE_ID, SECRET, VOICE_TOKEN = sys.argv[1:6]
os.makedirs(OUT, exist_ok=True)


def b64d(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def notify_jwt_ok(auth):
    if not auth.startswith("Bearer "):
        return False
    try:
        header, payload, signature = auth[7:].split(".")
        expected = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, b64d(signature)):
            return False
        if json.loads(b64d(header)).get("alg") != "HS256":
            return False
        claims = json.loads(b64d(payload))
        return claims.get("iss") == SERVICE_ID and abs(time.time() - int(claims.get("iat", 0))) <= 30
    except Exception:
        return False


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        auth = self.headers.get("authorization", "")
        if self.path.startswith("/v2/notifications/"):
            ok = notify_jwt_ok(auth)
        else:
            ok = hmac.compare_digest(auth, f"Bearer {VOICE_TOKEN}")
        if not ok:
            self.send_response(403)
            self.end_headers()
            self.wfile.write(b'{"status_code":403,"errors":[{"error":"AuthError"}]}')
            return
        with open(os.path.join(OUT, f"{time.time():.6f}-{uuid.uuid4()}.json"), "w") as f:
            json.dump({"path": self.path, "body": body}, f, indent=1)
        self.send_response(201)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": str(uuid.uuid4())}).encode())

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler).serve_forever()
