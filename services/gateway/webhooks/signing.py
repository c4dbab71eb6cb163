"""Standard Webhooks signatures (https://www.standardwebhooks.com/): secrets ``whsec_`` +
base64 of random bytes, ``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def secret_context(endpoint_id: uuid.UUID) -> str:
    """Associated data of an endpoint's encrypted secret: it decrypts as that endpoint's only."""
    return f"webhook.secret\x00{endpoint_id}"


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """``webhook-signature``: one ``v1,`` signature per secret, space separated (a receiver
    that holds either secret verifies)."""
    return " ".join(signature(s, msg_id, timestamp, body) for s in secrets)
