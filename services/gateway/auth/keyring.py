"""The keyring that signs provincial systems' tokens, and its rotation without downtime.

The keys live in the gateway's database (``signing_keys``), private keys encrypted with the
PII cipher, so every gateway replica signs with the same active key. The first token makes
the first key. A rotation makes a new active key at once; the old one stops signing and is
served in the JWK Set until every token it signed has expired (the token lifetime and a
minute for clocks that disagree), then it is deleted. The local key (``ZJTX_JWT_*`` or the
development key, which ``zjtx token`` signs with) is not part of the keyring: it is always
valid, and served beside the keyring's keys.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from kit import jwks
from kit.auth import load_public_key
from kit.context import ServiceContext
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth import repository as repo
from gateway.auth.models import SigningKey
from gateway.auth.schemas import KeyRotation

CLOCK_SKEW = timedelta(minutes=1)


def _context(kid: str) -> str:
    """Associated data of a sealed private key: it opens only as the key of its kid."""
    return f"gateway.signing_key\x00{kid}"


def _new_key(ctx: ServiceContext) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    public = jwks.public_jwk(private.public_key())
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    kid = public["kid"]
    return SigningKey(
        kid=kid,
        public_jwk=public,
        private_key=ctx.pii.encrypt_bytes(der, context=_context(kid)),
        active=True,
    )


def _open(ctx: ServiceContext, key: SigningKey) -> jwks.SigningKey:
    der = ctx.pii.decrypt_bytes(key.private_key, context=_context(key.kid))
    private = serialization.load_der_private_key(der, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return jwks.SigningKey(key.kid, private)


async def signing_key(session: AsyncSession, ctx: ServiceContext) -> jwks.SigningKey:
    """The active key; the first one is made here (one replica wins, the others take it)."""
    key = await repo.active_key(session)
    if key is None:
        fresh = _new_key(ctx)
        key = fresh if await repo.add_active_key(session, fresh) else await repo.active_key(session)
        assert key is not None
    return _open(ctx, key)


async def rotate(session: AsyncSession, ctx: ServiceContext, now: datetime) -> KeyRotation:
    await repo.lock_keyring(session)
    old = await repo.active_key(session)
    verify_until = None
    if old is not None:
        verify_until = now + timedelta(seconds=ctx.settings.oauth_token_ttl_seconds) + CLOCK_SKEW
        await repo.retire(session, old.kid, now, verify_until)
    await repo.purge_expired_keys(session, now)
    fresh = _new_key(ctx)
    added = await repo.add_active_key(session, fresh)
    assert added, "the keyring lock keeps a second active key out"
    return KeyRotation(
        kid=fresh.kid,
        retired_kid=old.kid if old else None,
        retired_verifies_until=verify_until,
    )


async def jwk_set(session: AsyncSession, ctx: ServiceContext, now: datetime) -> dict[str, Any]:
    """Every key a valid token may be signed with: the local key and the keyring's."""
    local = jwks.public_jwk(load_public_key(ctx.settings))
    keys = [local, *(k.public_jwk for k in await repo.verifying_keys(session, now))]
    return {"keys": keys}
