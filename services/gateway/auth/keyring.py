"""The keyring that signs provincial systems' tokens, and its rotation without downtime.

The keys live in the gateway's database (``signing_keys``), private keys encrypted with the
PII cipher, so every gateway replica signs with the same active key. The first token makes
the keyring: an active key, and the next one. The next key is published in the JWK Set
before it signs anything, so every service, which fetches the set at least every
``jwks_max_age_seconds``, already knows it when its first token arrives. A rotation makes
the next key active at once and a new next key; the old active key stops signing and stays
published until every token it signed has expired (the token lifetime, and a minute for
clocks that disagree), then it is deleted. The local key (``ZJTX_JWT_*`` or the development
key, which ``zjtx token`` signs with) is not part of the keyring: it is always valid, and
published beside the keyring's keys.
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
ACTIVE, NEXT, RETIRED = "active", "next", "retired"


def _context(kid: str) -> str:
    """Associated data of a sealed private key: it opens only as the key of its kid."""
    return f"gateway.signing_key\x00{kid}"


def _new_key(ctx: ServiceContext, state: str) -> SigningKey:
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
        state=state,
    )


def _open(ctx: ServiceContext, key: SigningKey) -> jwks.SigningKey:
    der = ctx.pii.decrypt_bytes(key.private_key, context=_context(key.kid))
    private = serialization.load_der_private_key(der, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return jwks.SigningKey(key.kid, private)


async def signing_key(session: AsyncSession, ctx: ServiceContext) -> jwks.SigningKey:
    """The active key; the first token makes the keyring (replicas take turns at the lock)."""
    key = await repo.key_in(session, ACTIVE)
    if key is None:
        await repo.lock_keyring(session)
        key = await repo.key_in(session, ACTIVE)  # another replica's, made while this waited
        if key is None:
            key = _new_key(ctx, ACTIVE)
            await repo.add_key(session, key)
            await repo.add_key(session, _new_key(ctx, NEXT))
    return _open(ctx, key)


async def rotate(session: AsyncSession, ctx: ServiceContext, now: datetime) -> KeyRotation:
    await repo.lock_keyring(session)
    old = await repo.key_in(session, ACTIVE)
    waiting = await repo.key_in(session, NEXT)
    verify_until = None
    if old is not None:
        verify_until = now + timedelta(seconds=ctx.settings.oauth_token_ttl_seconds) + CLOCK_SKEW
        await repo.set_state(session, old.kid, RETIRED, retired_at=now, verify_until=verify_until)
    if waiting is None:  # a keyring never used: nothing was published ahead
        waiting = _new_key(ctx, ACTIVE)
        await repo.add_key(session, waiting)
    else:
        await repo.set_state(session, waiting.kid, ACTIVE)
    upcoming = _new_key(ctx, NEXT)
    await repo.add_key(session, upcoming)
    await repo.purge_expired_keys(session, now)
    return KeyRotation(
        kid=waiting.kid,
        next_kid=upcoming.kid,
        retired_kid=old.kid if old else None,
        retired_verifies_until=verify_until,
    )


async def jwk_set(session: AsyncSession, ctx: ServiceContext, now: datetime) -> dict[str, Any]:
    """Every key a valid token may be signed with, and the next one: the local key first."""
    local = jwks.public_jwk(load_public_key(ctx.settings))
    keys = [local, *(k.public_jwk for k in await repo.published_keys(session, now))]
    return {"keys": keys}
