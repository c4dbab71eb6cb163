"""Queries of the registry replicas (enterprises, recognitions, institutions, contracts)."""

from __future__ import annotations

from datetime import date

from kit import tiers
from sqlalchemy import select
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
