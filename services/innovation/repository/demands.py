"""Demand and unit-setting queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import ColumnElement, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from innovation.enums import DemandState
from innovation.models import Demand, DemandTransition, UnitSetting, demand_grams, search_grams


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
    holds exactly them); ``text`` is a substring of the title or the problem, as ILIKE finds it.
    Chinese has no spaces for a word index: the grams index (``ix_demands_public_text``)
    finds the demands holding each of the text's grams, ILIKE keeps those that hold it."""
    # As the indexes' predicate reads, for every plan the statement gets: ``state = $1`` or
    # ``publishable IS true`` would not imply it.
    query = select(Demand).where(
        Demand.state == literal(DemandState.POOLED.value, literal_execute=True),
        Demand.publishable,
    )
    if category:
        query = query.where(Demand.categories.contains([category]))
    if text:
        query = query.where(
            demand_grams().contains(search_grams(text)),
            Demand.title.icontains(text, autoescape=True)
            | Demand.problem.icontains(text, autoescape=True),
        )
    return list(await session.scalars(window.over(query, Demand.id)))
