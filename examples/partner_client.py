#!/usr/bin/env python3
"""A small partner system talking to an EHC Hub: the council's case-management
system, say. It uses only the standard library, PyJWT (for private_key_jwt)
and `standardwebhooks` (to check a webhook): nothing of the hub's own code.

    partner_client.py keygen DIR
        Writes DIR/client-key.pem (keep it) and DIR/client-jwk.json (give it to
        the council's administrator, who registers it with the client).

    partner_client.py run --hub URL --public-url URL --client-id ID \
                          --client-secret SECRET [--key DIR/client-key.pem]
        Gets a token with client_secret_basic (and with private_key_jwt when a
        key is given), opens a case safely retried with an Idempotency-Key,
        and reads the events feed to its end. Prints what it did as JSON.

    partner_client.py verify SECRET
        Reads a webhook (headers as JSON on the first line, the body after it)
        from stdin and checks its signature.
"""

import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def call(method, url, token=None, body=None, headers=None, form=None, basic=None):
    """One HTTP call: (status, headers, parsed JSON body)."""
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    if basic:
        # RFC 6749 §2.3.1: id and secret are form-encoded before base64.
        pair = f"{urllib.parse.quote(basic[0], safe='')}:{urllib.parse.quote(basic[1], safe='')}"
        all_headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, dict(error.headers), json.loads(raw) if raw else None


def token_with_secret(hub, client_id, secret):
    status, _, body = call("POST", f"{hub}/api/v1/oauth/token", form={"grant_type": "client_credentials"},
                           basic=(client_id, secret))
    if status != 200:
        raise SystemExit(f"token refused: {status} {body}")
    return body


def signed_assertion(key_file, client_id, audience):
    import jwt  # PyJWT

    with open(key_file, "rb") as f:
        key = f.read()
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "jti": str(uuid.uuid4()),
              "iat": now, "exp": now + 120}
    return jwt.encode(claims, key, algorithm="ES256")


def token_with_key(hub, client_id, assertion):
    form = {"grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion}
    return call("POST", f"{hub}/api/v1/oauth/token", form=form)


def run(args):
    report = {}
    granted = token_with_secret(args.hub, args.client_id, args.client_secret)
    report["secret_token_scope"] = granted["scope"]
    token = granted["access_token"]

    if args.key:
        audience = f"{args.public_url}/api/v1/oauth/token"
        assertion = signed_assertion(args.key, args.client_id, audience)
        status, _, body = token_with_key(args.hub, args.client_id, assertion)
        report["key_token_status"] = status
        if status == 200:
            token = body["access_token"]
        # The same assertion again is a replay (its jti was used).
        status, _, body = token_with_key(args.hub, args.client_id, assertion)
        report["replayed_assertion"] = [status, (body or {}).get("error")]

    # Opening a case, retried as a network failure would make us retry it.
    key = str(uuid.uuid4())
    case = {"given_name": "Example", "family_name": "Partner", "date_of_birth": "2016-02-03",
            "request_received_on": "2026-11-02", "request_source": "school"}
    first = call("POST", f"{args.hub}/api/v1/cases", token, case, {"Idempotency-Key": key})
    again = call("POST", f"{args.hub}/api/v1/cases", token, case, {"Idempotency-Key": key})
    report["case"] = {"statuses": [first[0], again[0]], "same_case": first[2]["id"] == again[2]["id"],
                      "replayed": again[1].get("Idempotent-Replayed") or again[1].get("idempotent-replayed")}

    # The events feed, from the start to its end, keeping the cursor.
    cursor, events = None, []
    while True:
        query = "limit=50" + (f"&cursor={cursor}" if cursor else "")
        status, _, page = call("GET", f"{args.hub}/api/v1/events?{query}", token)
        if status != 200:
            raise SystemExit(f"feed refused: {status} {page}")
        if not page["items"]:
            break
        events.extend(page["items"])
        cursor = page["next_cursor"]
    report["events"] = [e["type"] for e in events]
    report["cursor"] = cursor
    print(json.dumps(report))


def keygen(directory):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    numbers = key.public_key().public_numbers()

    def b64(n):
        return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()

    jwk = {"kty": "EC", "crv": "P-256", "x": b64(numbers.x), "y": b64(numbers.y), "use": "sig", "alg": "ES256"}
    with open(f"{directory}/client-key.pem", "wb") as f:
        f.write(pem)
    with open(f"{directory}/client-jwk.json", "w") as f:
        json.dump(jwk, f)


def verify(secret):
    from standardwebhooks.webhooks import Webhook

    headers = json.loads(sys.stdin.readline())
    body = sys.stdin.read()
    print(json.dumps(Webhook(secret).verify(body, headers)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("keygen")
    generate.add_argument("directory")
    talk = commands.add_parser("run")
    talk.add_argument("--hub", required=True, help="where to call the hub")
    talk.add_argument("--public-url", required=True, help="the hub's public URL (the assertion's audience)")
    talk.add_argument("--client-id", required=True)
    talk.add_argument("--client-secret", required=True)
    talk.add_argument("--key", help="the private key for private_key_jwt")
    check = commands.add_parser("verify")
    check.add_argument("secret")
    args = parser.parse_args()
    if args.command == "keygen":
        keygen(args.directory)
    elif args.command == "run":
        run(args)
    else:
        verify(args.secret)


if __name__ == "__main__":
    main()
