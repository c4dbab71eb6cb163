"""Engagement queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.models import Engagement, Transition
from diagnosis.rules import OPEN


async def get(
    session: AsyncSession,
    engagement_id: uuid.UUID,
    visible: ColumnElement[bool],
    *,
    lock: bool = False,
) -> Engagement | None:
    query = select(Engagement).where(Engagement.id == engagement_id, visible)
    if lock:
        query = query.with_for_update()
    found: Engagement | None = await session.scalar(query)
    return found


async def open_one(session: AsyncSession, uscc: str, kind: str, batch: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(Engagement.id).where(
            Engagement.enterprise_uscc == uscc,
            Engagement.kind == kind,
            Engagement.batch == batch,
            Engagement.state.in_([s.value for s in OPEN]),
        )
    )
    return found


async def search(
    session: AsyncSession,
    visible: ColumnElement[bool],
    *,
    kind: str | None,
    unit: str | None,
    state: str | None,
    batch: str | None,
    window: Window,
) -> list[Engagement]:
    query = select(Engagement).where(visible)
    for column, value in (
        (Engagement.kind, kind),
        (Engagement.unit, unit),
        (Engagement.state, state),
        (Engagement.batch, batch),
    ):
        if value:
            query = query.where(column == value)
    return list(await session.scalars(window.over(query, Engagement.id)))


async def history(session: AsyncSession, engagement_id: uuid.UUID) -> list[Transition]:
    rows = await session.scalars(
        select(Transition).where(Transition.engagement_id == engagement_id).order_by(Transition.id)
    )
    return list(rows)
