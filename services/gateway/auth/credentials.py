"""Client secrets: made at random, shown once, kept as a scrypt hash (RFC 7914).

The stored form names its parameters (``scrypt$n$r$p$salt$hash``), so raising the cost later
still verifies the secrets hashed before. Hashing takes ~50 ms of CPU and 16 MiB: callers
run it in a worker thread.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import secrets

SECRET_BYTES = 32  # 256 bits of randomness; the secret is 43 URL-safe characters
SALT_BYTES = 16
HASH_BYTES = 32
# scrypt's interactive cost (RFC 7914 §2: N = 2^14, r = 8, p = 1), 16 MiB per hash.
N, R, P = 2**14, 8, 1
MAX_SECRET_LENGTH = 256  # what is hashed at all: longer ones cannot be ours


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=256 * n * r
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_secret(secret: str) -> str:
    salt = os.urandom(SALT_BYTES)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(_scrypt(secret, salt, N, R, P))}"


def verify_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` is the one ``stored`` was made from (constant-time comparison)."""
    if len(secret) > MAX_SECRET_LENGTH:
        return False
    try:
        kind, n, r, p, salt, expected = stored.split("$")
        if kind != "scrypt":
            return False
        actual = _scrypt(secret, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(actual, base64.b64decode(expected))
    except (ValueError, binascii.Error):
        return False


@functools.cache
def _decoy() -> str:
    return hash_secret(new_secret())


def spend_as_verifying() -> None:
    """The time a secret check takes, for a client id that names no usable client: the
    answer's delay must not tell a registered id from a made-up one."""
    verify_secret(new_secret(), _decoy())
