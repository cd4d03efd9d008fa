#!/usr/bin/env python3
"""A software passkey for the black-box tests, on the soft-webauthn package
(a WebAuthn authenticator nobody here wrote) and fido2's CBOR and COSE.

    authenticator.py create STATE ORIGIN < creation-options.json > credential.json
    authenticator.py get STATE ORIGIN < request-options.json > assertion.json

STATE is a JSON file holding the device (its key, credential id and signature
counter) between calls, as a real authenticator keeps them. Options and
answers are the JSON the browser's WebAuthn API takes and gives (binary
fields as base64url). The device verifies its user (as a platform
authenticator with a fingerprint or PIN does): the UV flag is set.
"""

import base64
import json
import sys

from cryptography.hazmat.primitives import serialization
from fido2 import cbor
from soft_webauthn import SoftWebauthnDevice

UP, UV, AT = 0x01, 0x04, 0x40


def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def load(path):
    device = SoftWebauthnDevice()
    try:
        with open(path) as f:
            state = json.load(f)
    except FileNotFoundError:
        return device
    device.credential_id = b64d(state["credential_id"])
    device.private_key = serialization.load_pem_private_key(state["key"].encode(), password=None)
    device.rp_id = state["rp_id"]
    device.user_handle = b64d(state["user_handle"])
    device.sign_count = state["sign_count"]
    return device


def save(path, device):
    key = device.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with open(path, "w") as f:
        json.dump({"credential_id": b64e(device.credential_id), "key": key, "rp_id": device.rp_id,
                   "user_handle": b64e(device.user_handle), "sign_count": device.sign_count}, f)


def with_user_verified(auth_data, flags):
    """The same authenticator data with the flags byte (after the 32-byte RP id hash) replaced."""
    return auth_data[:32] + bytes([flags]) + auth_data[33:]


def create(device, options, origin):
    public_key = options["publicKey"]
    public_key["challenge"] = b64d(public_key["challenge"])
    public_key["user"]["id"] = b64d(public_key["user"]["id"])
    public_key.pop("attestation", None)
    credential = device.create({"publicKey": public_key}, origin)
    attestation = cbor.decode(credential["response"]["attestationObject"])
    attestation["authData"] = with_user_verified(attestation["authData"], UP | UV | AT)
    return {
        "id": b64e(credential["rawId"]),
        "rawId": b64e(credential["rawId"]),
        "type": "public-key",
        "extensions": {},
        "response": {
            "clientDataJSON": b64e(credential["response"]["clientDataJSON"]),
            "attestationObject": b64e(cbor.encode(attestation)),
        },
    }


def get(device, options, origin):
    public_key = options["publicKey"]
    public_key["challenge"] = b64d(public_key["challenge"])
    assertion = device.get({"publicKey": public_key}, origin)
    # Re-sign with UV set: the flags are part of what the signature covers.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.utils import sha256

    auth_data = with_user_verified(assertion["response"]["authenticatorData"], UP | UV)
    client_data = assertion["response"]["clientDataJSON"]
    signature = device.private_key.sign(auth_data + sha256(client_data), ec.ECDSA(hashes.SHA256()))
    return {
        "id": b64e(assertion["rawId"]),
        "rawId": b64e(assertion["rawId"]),
        "type": "public-key",
        "extensions": {},
        "response": {
            "authenticatorData": b64e(auth_data),
            "clientDataJSON": b64e(client_data),
            "signature": b64e(signature),
            "userHandle": b64e(assertion["response"]["userHandle"]),
        },
    }


def main():
    command, state_path, origin = sys.argv[1], sys.argv[2], sys.argv[3]
    options = json.load(sys.stdin)
    device = load(state_path)
    answer = create(device, options, origin) if command == "create" else get(device, options, origin)
    save(state_path, device)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
