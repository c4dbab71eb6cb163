"""Plan queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.models import Plan


async def get(session: AsyncSession, plan_id: uuid.UUID, *, lock: bool = False) -> Plan | None:
    return await session.get(Plan, plan_id, with_for_update=lock)


async def search(
    session: AsyncSession,
    *,
    unit: str | None,
    kind: str | None,
    year: int | None,
    window: Window,
) -> list[Plan]:
    query = select(Plan)
    if unit:
        query = query.where(Plan.unit == unit)
    if kind:
        query = query.where(Plan.kind == kind)
    if year:
        query = query.where(Plan.year == year)
    return list(await session.scalars(window.over(query, Plan.id)))
