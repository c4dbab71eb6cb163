"""Queries of the registry replicas (enterprises, recognitions, institutions, contracts)."""

from __future__ import annotations

from datetime import date

from kit import tiers
from kit.registry_replica import in_array
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


async def enterprises(session: AsyncSession, usccs: list[str]) -> dict[str, EnterpriseReplica]:
    found = await session.scalars(
        select(EnterpriseReplica).where(in_array(EnterpriseReplica.uscc, usccs))
    )
    return {e.uscc: e for e in found}


async def tiers_held(session: AsyncSession, usccs: list[str], on: date) -> dict[str, set[str]]:
    """The tiers each of these enterprises holds on ``on`` (``kit.tiers``)."""
    rows = await session.execute(
        select(RecognitionReplica.uscc, RecognitionReplica.tier)
        .where(in_array(RecognitionReplica.uscc, usccs), tiers.held_on(RecognitionReplica, on))
        .distinct()
    )
    held: dict[str, set[str]] = {}
    for uscc, tier in rows:
        held.setdefault(uscc, set()).add(tier)
    return held
