"""Token signing keys by ``kid`` and the JWK Set that publishes them (RFC 7517, RFC 7638).

Every key is an EC P-256 key (ES256) named by its RFC 7638 thumbprint, so a key's id follows
from the key itself: the same key has the same id wherever it is loaded, and a JWK Set entry
whose ``kid`` is not its own thumbprint is not trusted. The gateway publishes its keys at
``/api/v1/auth/jwks``; every service learns them from there (:class:`RemoteKeys`), fetched
with httpx, kept, and fetched again when a token names a key it does not know.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from kit.services import PORTS
from kit.settings import Settings

log = logging.getLogger(__name__)

ALGORITHM = "ES256"
JWKS_PATH = "/api/v1/auth/jwks"
_COORDINATE_BYTES = 32  # P-256
FETCH_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class SigningKey:
    """A private key and its id, as tokens are signed with."""

    kid: str
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def of(cls, private_key: ec.EllipticCurvePrivateKey) -> SigningKey:
        return cls(thumbprint(private_key.public_key()), private_key)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _coordinates(key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = key.public_numbers()
    return {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64url(numbers.x.to_bytes(_COORDINATE_BYTES, "big")),
        "y": _b64url(numbers.y.to_bytes(_COORDINATE_BYTES, "big")),
    }


def thumbprint(key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace."""
    canonical = json.dumps(_coordinates(key), sort_keys=True, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def public_jwk(key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """The JWK Set entry of a verifying key."""
    return {**_coordinates(key), "kid": thumbprint(key), "use": "sig", "alg": ALGORITHM}


def key_from_jwk(jwk: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
    """The P-256 public key of a JWK Set entry; ValueError for anything else (another curve
    or algorithm, an encryption key, a point off the curve, a ``kid`` not its thumbprint)."""
    if (jwk.get("kty"), jwk.get("crv")) != ("EC", "P-256"):
        raise ValueError("not an EC P-256 key")
    if jwk.get("use", "sig") != "sig" or jwk.get("alg", ALGORITHM) != ALGORITHM:
        raise ValueError("not an ES256 signing key")
    x, y = jwk.get("x"), jwk.get("y")
    if not isinstance(x, str) or not isinstance(y, str):
        raise ValueError("coordinates missing")
    try:
        raw_x, raw_y = _unb64url(x), _unb64url(y)
    except (ValueError, TypeError) as exc:
        raise ValueError("coordinates are not base64url") from exc
    if len(raw_x) != _COORDINATE_BYTES or len(raw_y) != _COORDINATE_BYTES:
        raise ValueError("coordinates are not 32 bytes")
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(raw_x, "big"), int.from_bytes(raw_y, "big"), ec.SECP256R1()
    )
    key = numbers.public_key()  # ValueError for a point off the curve
    if jwk.get("kid") != thumbprint(key):
        raise ValueError("kid is not the key's thumbprint")
    return key


def key_set(document: object) -> dict[str, ec.EllipticCurvePublicKey]:
    """The usable keys of a JWK Set by kid; entries this platform cannot use are skipped."""
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWK Set")
    keys: dict[str, ec.EllipticCurvePublicKey] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        try:
            keys[str(entry["kid"])] = key_from_jwk(entry)
        except (ValueError, KeyError) as exc:
            log.warning("JWK Set entry skipped: %s", exc)
    return keys


def jwks_url(settings: Settings) -> str | None:
    """Where this deployment's JWK Set is: the setting, else the gateway on this machine
    (``make run``: kit.services.PORTS); an empty setting means the local key only."""
    if settings.jwks_url is None:
        return f"http://127.0.0.1:{PORTS['gateway']}{JWKS_PATH}"
    return settings.jwks_url or None


class RemoteKeys:
    """The keys of a JWK Set served over HTTP, kept between fetches.

    A kid not known yet fetches the set again, at most once every ``min_interval`` seconds
    (a token naming a made-up kid must not make every request fetch); a set older than
    ``max_age`` is fetched again on the next lookup, so a key the gateway stopped serving is
    forgotten. A failed fetch keeps what was known. Concurrent lookups share one fetch.
    """

    def __init__(
        self,
        url: str | None,
        *,
        min_interval: float,
        max_age: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.transport = transport
        self._min_interval = min_interval
        self._max_age = max_age
        self._keys: dict[str, ec.EllipticCurvePublicKey] = {}
        self._fetched_at = float("-inf")  # last successful fetch (monotonic)
        self._tried_at = float("-inf")  # last attempt, successful or not
        self._lock = asyncio.Lock()

    def known(self, kid: str) -> bool:
        return kid in self._keys

    async def get(self, kid: str) -> ec.EllipticCurvePublicKey | None:
        if self.url is None:
            return None
        now = time.monotonic()
        stale = now - self._fetched_at > self._max_age
        if (kid not in self._keys or stale) and now - self._tried_at >= self._min_interval:
            async with self._lock:
                # Another lookup may have fetched while this one waited for the lock.
                if time.monotonic() - self._tried_at >= self._min_interval:
                    await self._fetch()
        return self._keys.get(kid)

    async def _fetch(self) -> None:
        assert self.url is not None
        self._tried_at = time.monotonic()
        try:
            async with httpx.AsyncClient(
                transport=self.transport, timeout=FETCH_TIMEOUT_SECONDS
            ) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                keys = key_set(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            log.warning(
                "JWK Set %s not fetched (%s): known keys kept", self.url, type(exc).__name__
            )
            return
        self._keys = keys
        self._fetched_at = time.monotonic()
