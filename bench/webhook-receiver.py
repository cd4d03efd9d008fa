"""The receiving end of bench/webhooks.sh: verifies every POST with the
`standardwebhooks` package (as a partner's system would) and counts.

    webhook-receiver.py PORT SECRET

GET /stats answers {"verified": n, "distinct": ids, "rejected": n}.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET = int(sys.argv[1]), sys.argv[2]
hook = Webhook(SECRET)
lock = threading.Lock()
verified, rejected, ids = 0, 0, set()


class Receiver(BaseHTTPRequestHandler):
    # Keep-alive, as a partner's web server does.
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global verified, rejected
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            hook.verify(body, headers)
        except WebhookVerificationError:
            with lock:
                rejected += 1
            self.send_response(400)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        with lock:
            verified += 1
            ids.add(headers.get("webhook-id"))
        self.send_response(204)
        self.end_headers()

    def do_GET(self):
        with lock:
            body = json.dumps({"verified": verified, "distinct": len(ids), "rejected": rejected}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops connections opened at once
    # (the dispatcher sends 20 together), and each waits a second for the
    # retried SYN; a partner's web server listens with a longer queue.
    request_queue_size = 128
    daemon_threads = True


Server(("127.0.0.1", PORT), Receiver).serve_forever()
