"""A webhook receiver for the tests, verifying with the `standardwebhooks`
package (an implementation of Standard Webhooks that is not the hub's).

    receiver.py PORT SECRET_FILE OUT_FILE

Until SECRET_FILE exists the receiver is "down" and answers 503. Then each
POST is verified with the secret in SECRET_FILE: a valid one is appended
to OUT_FILE as a JSON line (its headers and body) and answered 204, an
invalid one is answered 400 and appended to OUT_FILE.rejected.
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET_FILE, OUT_FILE = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if not os.path.exists(SECRET_FILE):
            self.send_response(503)
            self.end_headers()
            return
        with open(SECRET_FILE) as f:
            secret = f.read().strip()
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = {"headers": headers, "body": body.decode()}
        try:
            Webhook(secret).verify(body, headers)
        except WebhookVerificationError as e:
            record["error"] = str(e)
            with open(OUT_FILE + ".rejected", "a") as f:
                f.write(json.dumps(record) + "\n")
            self.send_response(400)
            self.end_headers()
            return
        with open(OUT_FILE, "a") as f:
            f.write(json.dumps(record) + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
