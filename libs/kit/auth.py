"""Bearer JWT (ES256) verification, roles and region scope (DESIGN.md §4 Auth).

A principal sees a region when the record's 6-digit region code falls under its own:
the ministry (100000) sees everything, a province its first two digits, a city its first
four. Enterprises see only their own USCC, institutions only their own records.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kit.keyfiles import write_once
from kit.settings import Settings

NATIONAL = "100000"
ALGORITHM = "ES256"


class Role(StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    CITY = "city"
    INSTITUTION = "institution"
    ENTERPRISE = "enterprise"
    PROVINCE_SYSTEM = "province_system"
    AUDITOR = "auditor"


GOVERNMENT = (Role.MINISTRY, Role.PROVINCE, Role.CITY, Role.PROVINCE_SYSTEM)


@dataclass(frozen=True)
class Principal:
    sub: str
    role: Role
    region: str
    org: str | None = None
    scopes: frozenset[str] = frozenset()

    @property
    def region_prefix(self) -> str:
        """The prefix of region codes this principal may see ('' = all)."""
        if self.region == NATIONAL:
            return ""
        if self.region.endswith("0000"):
            return self.region[:2]
        if self.region.endswith("00"):
            return self.region[:4]
        return self.region

    def sees_region(self, region_code: str) -> bool:
        return region_code.startswith(self.region_prefix)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class AuthError(Exception):
    """The token is missing, malformed, expired or not ours; ``reason`` is for the audit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _dev_key_path(settings: Settings) -> Path:
    return settings.data_dir / "keys" / "jwt-dev-es256.pem"


def load_private_key(settings: Settings) -> ec.EllipticCurvePrivateKey:
    """The signing key: from the environment, or the development key (created on first use)."""
    if settings.jwt_private_key:
        pem = settings.jwt_private_key.encode()
    else:
        path = _dev_key_path(settings)
        if not path.exists():
            write_once(
                path,
                ec.generate_private_key(ec.SECP256R1()).private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ),
            )
        pem = path.read_bytes()
    loaded = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise ValueError("the JWT signing key must be an EC P-256 key")
    return loaded


def load_public_key(settings: Settings) -> ec.EllipticCurvePublicKey:
    if settings.jwt_public_key:
        key = serialization.load_pem_public_key(settings.jwt_public_key.encode())
        assert isinstance(key, ec.EllipticCurvePublicKey)
        return key
    return load_private_key(settings).public_key()


def issue_token(
    settings: Settings,
    *,
    role: str,
    region: str,
    sub: str | None = None,
    org: str | None = None,
    scopes: list[str] | None = None,
    ttl_seconds: int | None = None,
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": sub or f"{role}:{org or region}",
        "role": Role(role).value,
        "region": region,
        "iat": now,
        "exp": now + (ttl_seconds or settings.jwt_ttl_seconds),
    }
    if org:
        claims["org"] = org
    if scopes:
        claims["scope"] = " ".join(scopes)
    return jwt.encode(claims, load_private_key(settings), algorithm=ALGORITHM)


class TokenVerifier:
    """Verifies tokens; remembers verified ones until they expire (ECDSA costs ~100 µs)."""

    def __init__(self, settings: Settings, cache_size: int = 4096) -> None:
        self._key = load_public_key(settings)
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._cache_size = cache_size

    def verify(self, token: str) -> Principal:
        hit = self._cache.get(token)
        if hit is not None:
            if hit[0] > time.time():
                return hit[1]
            del self._cache[token]
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token expired") from exc
        except jwt.PyJWTError as exc:
            raise AuthError(f"invalid token: {exc}") from exc
        principal = _principal(claims)
        self._cache[token] = (float(claims["exp"]), principal)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims["role"])
    except (KeyError, ValueError) as exc:
        raise AuthError("unknown role") from exc
    region = str(claims.get("region", ""))
    if len(region) != 6 or not region.isdigit():
        raise AuthError("region claim must be 6 digits")
    if role is Role.MINISTRY and region != NATIONAL:
        raise AuthError("a ministry token must carry region 100000")
    org = claims.get("org")
    if role in (Role.ENTERPRISE, Role.INSTITUTION) and not org:
        raise AuthError("enterprise and institution tokens must carry org")
    scopes = frozenset(str(claims.get("scope", "")).split())
    return Principal(str(claims["sub"]), role, region, str(org) if org else None, scopes)
