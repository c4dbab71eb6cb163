"""Bearer JWT (ES256) verification, roles and region scope (DESIGN.md §4 Auth).

A principal sees a region when the record's 6-digit region code falls under its own:
the ministry (100000) sees everything, a province its first two digits except its 计划单列市
(units of their own, DESIGN.md §5), a city its first four. Enterprises see only their own
USCC, institutions only their own records.

Scope follows from the region claim alone, so a signed token whose role and region disagree
(a province with 100000, a city with a province's code) is refused rather than trusted:
each role has the region level it acts at (:func:`_check_region`).

Every token names its signing key in its header (``kid``, kit.jwks). The local key (from the
environment, or the development key) is always known; the gateway's keys, which sign the
provincial systems' tokens and rotate, are learned from its JWK Set.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kit.codes import NATIONAL as NATIONAL  # re-exported: the one constant lives in codes
from kit.codes import REGIONS, UNITS, CodeError, unit_of, unit_region, validate_uscc
from kit.jwks import ALGORITHM as ALGORITHM  # re-exported: tokens are ES256 everywhere
from kit.jwks import RemoteKeys, SigningKey, jwks_url, thumbprint
from kit.keyfiles import write_once
from kit.settings import Settings


class Role(StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    CITY = "city"
    INSTITUTION = "institution"
    ENTERPRISE = "enterprise"
    PROVINCE_SYSTEM = "province_system"
    AUDITOR = "auditor"


GOVERNMENT = (Role.MINISTRY, Role.PROVINCE, Role.CITY, Role.PROVINCE_SYSTEM)

ROLE_NAMES_ZH = {
    Role.MINISTRY: "工业和信息化部",
    Role.PROVINCE: "省级主管部门",
    Role.CITY: "市级主管部门",
    Role.INSTITUTION: "服务机构",
    Role.ENTERPRISE: "企业",
    Role.PROVINCE_SYSTEM: "省级系统",
    Role.AUDITOR: "审计员",
}


def region_prefix(region: str) -> str:
    """The prefix of the region codes under ``region``: '' for the nation, a province's two
    digits, a city's four, a county's six."""
    if region == NATIONAL:
        return ""
    if region.endswith("0000"):
        return region[:2]
    if region.endswith("00"):
        return region[:4]
    return region


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
        return region_prefix(self.region)

    def sees_region(self, region_code: str) -> bool:
        prefix = self.region_prefix
        if len(prefix) == 2:  # a province's unit leaves out its 计划单列市
            return unit_of(region_code) == prefix
        return region_code.startswith(prefix)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class AuthError(Exception):
    """The token is missing, malformed, expired or not ours.

    ``reason`` (English, ASCII: it goes into the audit and ``WWW-Authenticate``) and
    ``reason_zh`` are ours, never the decoder's messages, which describe its internals.
    ``missing`` is true when no token came at all (RFC 6750 §3.1: no error code then).
    """

    def __init__(self, reason: str, reason_zh: str, *, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_zh = reason_zh
        self.missing = missing


# The provincial-level filing units (DESIGN.md §5): provinces, 兵团 and the 计划单列市.
FILING_UNITS = frozenset(map(unit_region, UNITS))


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
    key: SigningKey | None = None,
) -> str:
    """A token signed by ``key`` (by default the local key), its kid in the header; refuses
    claims the verifier would refuse (role and region disagreeing)."""
    _check_region(Role(role), region)
    if Role(role) in (Role.ENTERPRISE, Role.INSTITUTION):
        _check_org(Role(role), org)
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
    key = key or SigningKey.of(load_private_key(settings))
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})


class TokenVerifier:
    """Verifies tokens by the key their header names; remembers verified ones until they
    expire (ECDSA costs ~100 µs), as long as their key is still known.

    A token without a kid, or with one neither local nor in the gateway's JWK Set (fetched
    again first, see kit.jwks.RemoteKeys), is refused.
    """

    def __init__(self, settings: Settings, cache_size: int = 4096) -> None:
        local = load_public_key(settings)
        self._local = {thumbprint(local): local}
        self._remote = RemoteKeys(
            jwks_url(settings),
            min_interval=settings.jwks_refresh_seconds,
            max_age=settings.jwks_max_age_seconds,
        )
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._cache: OrderedDict[str, tuple[float, Principal, str]] = OrderedDict()
        self._cache_size = cache_size

    def learn_keys_from(self, url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        """Take the gateway's keys from ``url`` (through ``transport``: tests reach an
        in-process gateway)."""
        self._remote.url, self._remote.transport = url, transport

    async def verify(self, token: str) -> Principal:
        hit = self._cache.get(token)
        if hit is not None:
            expires, principal, signed_by = hit
            if expires > time.time() and (
                signed_by in self._local or self._remote.known(signed_by)
            ):
                return principal
            del self._cache[token]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("malformed token", "令牌格式无效") from exc
        if header.get("alg") != ALGORITHM:  # none, another algorithm, or no JWS header at all
            raise AuthError("malformed token", "令牌格式无效")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("token names no signing key (kid)", "令牌未标明签名密钥（kid）")
        key = self._local.get(kid) or await self._remote.get(kid)
        if key is None:
            raise AuthError("token signed by an unknown key", "令牌的签名密钥未知")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token expired", "令牌已过期") from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthError("signature does not verify", "令牌签名无效") from exc
        except (jwt.InvalidIssuerError, jwt.InvalidAudienceError) as exc:
            raise AuthError("token not issued for this platform", "令牌不是本平台签发的") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError("a required claim is missing", "令牌缺少必需的声明") from exc
        except jwt.PyJWTError as exc:
            raise AuthError("malformed token", "令牌格式无效") from exc
        principal = _principal(claims)
        self._cache[token] = (float(claims["exp"]), principal, kid)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims["role"])
    except (KeyError, ValueError) as exc:
        raise AuthError("unknown role", "令牌角色无效") from exc
    region = claims.get("region")
    if not isinstance(region, str) or len(region) != 6 or not region.isdigit():
        raise AuthError("region claim must be 6 digits", "令牌的行政区划应为 6 位数字")
    _check_region(role, region)
    org = claims.get("org")
    if role in (Role.ENTERPRISE, Role.INSTITUTION):
        _check_org(role, org)
    scope = claims.get("scope", "")
    if not isinstance(scope, str):
        raise AuthError("scope claim must be a string", "令牌的权限范围应为字符串")
    return Principal(
        str(claims["sub"]), role, region, str(org) if org else None, frozenset(scope.split())
    )


def _check_region(role: Role, region: str) -> None:
    """The region level each role acts at; any other region would widen or skew its scope."""
    if role is Role.MINISTRY:
        agrees = region == NATIONAL
        level_en, level_zh = "100000 (national)", "100000（全国）"
    elif role in (Role.PROVINCE, Role.PROVINCE_SYSTEM):
        agrees = region in FILING_UNITS
        level_en = "a provincial-level code (XX0000) or a plan-listed city (e.g. 330200)"
        level_zh = "省级代码（XX0000）或计划单列市代码"
    elif role is Role.CITY:
        agrees = region in REGIONS and region[2:4] != "00" and region[4:] == "00"
        level_en, level_zh = "a city-level code (XXYY00)", "地市级代码（XXYY00）"
    elif role is Role.AUDITOR:
        agrees = region == NATIONAL or region in REGIONS
        level_en, level_zh = "100000 or a GB/T 2260 code", "100000 或 GB/T 2260 代码"
    else:  # enterprises and institutions are confined by org; region says where they are
        agrees = region in REGIONS
        level_en, level_zh = "a GB/T 2260 code, not 100000", "GB/T 2260 代码（不能为 100000）"
    if not agrees:
        raise AuthError(
            f"a {role.value} token must carry {level_en} as its region",
            f"{ROLE_NAMES_ZH[role]}（{role.value}）令牌的行政区划应为{level_zh}",
        )


def _check_org(role: Role, org: object) -> None:
    """Enterprises act as their USCC, institutions as their id: anything else matches nothing
    and would only hide a mis-issued token."""
    if not isinstance(org, str) or not org:
        raise AuthError(
            "enterprise and institution tokens must carry org", "企业和机构令牌必须包含 org"
        )
    if role is Role.ENTERPRISE:
        try:
            valid = validate_uscc(org) == org
        except CodeError:
            valid = False
        if not valid:
            raise AuthError(
                "an enterprise token's org must be its USCC",
                "企业令牌的 org 应为统一社会信用代码",
            )
    else:
        try:
            uuid.UUID(org)
        except ValueError as exc:
            raise AuthError(
                "an institution token's org must be its id (UUID)",
                "机构令牌的 org 应为机构编号（UUID）",
            ) from exc
