"""Queries of the registry replicas (enterprises, recognitions, institutions, contracts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kit import tiers
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import EnterpriseReplica, RecognitionReplica


async def enterprise(session: AsyncSession, uscc: str) -> EnterpriseReplica | None:
    return await session.get(EnterpriseReplica, uscc)


async def holds_tier(session: AsyncSession, uscc: str, held: list[str], on: date) -> bool:
    """The enterprise holds one of the tiers ``held`` on ``on`` (``kit.tiers``)."""
    found = await session.scalar(
        select(RecognitionReplica.id)
        .where(
            RecognitionReplica.uscc == uscc,
            RecognitionReplica.tier.in_(held),
            tiers.held_on(RecognitionReplica, on),
        )
        .limit(1)
    )
    return found is not None


async def upsert(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows``; an existing row is replaced only by a newer ``version`` (rows without
    one, contracts, never change)."""
    stmt = insert(model).values(rows)
    pk = [c.name for c in model.__table__.primary_key]
    updated = {c: stmt.excluded[c] for c in rows[0] if c not in pk}
    if "version" in rows[0]:
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=pk,
                set_=updated,
                where=model.version < stmt.excluded.version,
            )
        )
    else:
        await session.execute(stmt.on_conflict_do_nothing(index_elements=pk))
