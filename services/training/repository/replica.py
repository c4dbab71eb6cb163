"""Queries of the registry replicas (enterprises, recognitions, institutions, contracts)."""

from __future__ import annotations

from kit.registry_replica import in_array
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import EnterpriseReplica


async def enterprise(session: AsyncSession, uscc: str) -> EnterpriseReplica | None:
    return await session.get(EnterpriseReplica, uscc)


async def enterprises(session: AsyncSession, usccs: list[str]) -> dict[str, EnterpriseReplica]:
    found = await session.scalars(
        select(EnterpriseReplica).where(in_array(EnterpriseReplica.uscc, usccs))
    )
    return {e.uscc: e for e in found}
