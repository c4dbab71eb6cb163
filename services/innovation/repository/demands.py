"""Demand and unit-setting queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from innovation.enums import DemandState
from innovation.models import Demand, DemandTransition, UnitSetting


async def setting(session: AsyncSession, unit: str, *, lock: bool = False) -> UnitSetting | None:
    query = select(UnitSetting).where(UnitSetting.unit == unit)
    if lock:
        query = query.with_for_update()
    found: UnitSetting | None = await session.scalar(query)
    return found


async def get(
    session: AsyncSession,
    demand_id: uuid.UUID,
    visible: ColumnElement[bool],
    *,
    lock: bool = False,
) -> Demand | None:
    query = select(Demand).where(Demand.id == demand_id, visible)
    if lock:
        query = query.with_for_update()
    found: Demand | None = await session.scalar(query)
    return found


async def search(
    session: AsyncSession,
    visible: ColumnElement[bool],
    *,
    unit: str | None,
    state: str | None,
    category: str | None,
    window: Window,
) -> list[Demand]:
    query = select(Demand).where(visible)
    for column, value in ((Demand.unit, unit), (Demand.state, state)):
        if value:
            query = query.where(column == value)
    if category:
        query = query.where(Demand.categories.contains([category]))
    return list(await session.scalars(window.over(query, Demand.id)))


async def history(session: AsyncSession, demand_id: uuid.UUID) -> list[DemandTransition]:
    rows = await session.scalars(
        select(DemandTransition)
        .where(DemandTransition.demand_id == demand_id)
        .order_by(DemandTransition.id)
    )
    return list(rows)


async def public(
    session: AsyncSession, *, category: str | None, text: str | None, window: Window
) -> list[Demand]:
    """The publishable pooled demands of every unit (the partial index ``ix_demands_public``
    holds exactly them); ``text`` is a substring of the title or the problem — Chinese has no
    spaces for a word index, and the public set is the pool only."""
    query = select(Demand).where(
        Demand.state == DemandState.POOLED.value, Demand.publishable.is_(True)
    )
    if category:
        query = query.where(Demand.categories.contains([category]))
    if text:
        query = query.where(
            Demand.title.icontains(text, autoescape=True)
            | Demand.problem.icontains(text, autoescape=True)
        )
    return list(await session.scalars(window.over(query, Demand.id)))
