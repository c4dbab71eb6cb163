"""Plan queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import Plan, PlanFiling


async def get(session: AsyncSession, plan_id: uuid.UUID, *, lock: bool = False) -> Plan | None:
    """The plan; locked (and read afresh) for a change of it or a count over its classes."""
    return await session.get(Plan, plan_id, with_for_update=lock, populate_existing=lock)


async def get_one(session: AsyncSession, plan_id: uuid.UUID) -> Plan:
    return await session.get_one(Plan, plan_id)


async def get_locked(session: AsyncSession, plan_id: uuid.UUID) -> Plan:
    return await session.get_one(Plan, plan_id, with_for_update=True, populate_existing=True)


async def taken(session: AsyncSession, province: str, period: str) -> bool:
    found = await session.scalar(
        select(Plan.id).where(Plan.province == province, Plan.period == period)
    )
    return found is not None


async def period(session: AsyncSession, plan_id: uuid.UUID) -> str:
    return str(await session.scalar(select(Plan.period).where(Plan.id == plan_id)))


async def periods(session: AsyncSession, plan_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not plan_ids:
        return {}
    rows = await session.execute(select(Plan.id, Plan.period).where(Plan.id.in_(plan_ids)))
    return {plan_id: str(p) for plan_id, p in rows}


async def filings(
    session: AsyncSession, plan_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[PlanFiling]]:
    """Each plan's filings, oldest version first: a page's in one query."""
    out: dict[uuid.UUID, list[PlanFiling]] = {i: [] for i in plan_ids}
    if plan_ids:
        rows = await session.scalars(
            select(PlanFiling)
            .where(PlanFiling.plan_id.in_(plan_ids))
            .order_by(PlanFiling.plan_id, PlanFiling.version)
        )
        for f in rows:
            out[f.plan_id].append(f)
    return out


async def search(
    session: AsyncSession,
    *,
    province: str | None,
    period: str | None,
    window: Window,
) -> list[Plan]:
    query = select(Plan)
    if province:
        query = query.where(Plan.province == province)
    if period:
        query = query.where(Plan.period == period)
    query = window.over(query, Plan.id)
    return list(await session.scalars(query))
