"""Queries of the auth tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from kit.pagination import Window
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.models import OAuthClient, SigningKey

# pg_advisory_xact_lock key of the keyring: rotations and the first key, one at a time.
KEYRING_LOCK = 0x7A6A7478_6B657973  # "zjtxkeys"


async def get_client(
    session: AsyncSession, client_id: uuid.UUID, *, for_update: bool = False
) -> OAuthClient | None:
    return await session.get(
        OAuthClient, client_id, with_for_update=for_update, populate_existing=for_update
    )


async def search_clients(
    session: AsyncSession, *, unit: str | None, include_revoked: bool, window: Window
) -> list[OAuthClient]:
    query = select(OAuthClient)
    if unit:
        query = query.where(OAuthClient.unit == unit)
    if not include_revoked:
        query = query.where(OAuthClient.revoked_at.is_(None))
    return list((await session.scalars(window.over(query, OAuthClient.id))).all())


async def lock_keyring(session: AsyncSession) -> None:
    await session.execute(select(func.pg_advisory_xact_lock(KEYRING_LOCK)))


async def key_in(session: AsyncSession, state: str) -> SigningKey | None:
    """The active or the next key (at most one of each)."""
    return await session.scalar(select(SigningKey).where(SigningKey.state == state))


async def add_key(session: AsyncSession, key: SigningKey) -> None:
    session.add(key)
    await session.flush()


async def set_state(
    session: AsyncSession,
    kid: str,
    state: str,
    *,
    retired_at: datetime | None = None,
    verify_until: datetime | None = None,
) -> None:
    await session.execute(
        update(SigningKey)
        .where(SigningKey.kid == kid)
        .values(state=state, retired_at=retired_at, verify_until=verify_until)
    )


async def published_keys(session: AsyncSession, now: datetime) -> list[SigningKey]:
    """The active and next keys, and the retired ones whose tokens may not all have expired."""
    query = select(SigningKey).where(
        or_(SigningKey.state.in_(("active", "next")), SigningKey.verify_until > now)
    )
    return list((await session.scalars(query.order_by(SigningKey.created_at))).all())


async def purge_expired_keys(session: AsyncSession, now: datetime) -> None:
    """Retired keys that verify nothing any more: their private keys are not kept."""
    await session.execute(
        delete(SigningKey).where(SigningKey.state == "retired", SigningKey.verify_until <= now)
    )
