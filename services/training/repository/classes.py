"""Class queries: classes, their sessions (days) and the institutions that may run them."""

from __future__ import annotations

import uuid
from datetime import date

from kit.pagination import Window
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import ClassSession, InstitutionReplica, TrainingClass


async def get(
    session: AsyncSession,
    class_id: uuid.UUID,
    visible: ColumnElement[bool],
    *,
    lock: bool = False,
) -> TrainingClass | None:
    query = select(TrainingClass).where(TrainingClass.id == class_id, visible)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def of_plan(session: AsyncSession, plan_id: uuid.UUID) -> list[TrainingClass]:
    """A plan's classes in 附1-2 order."""
    return list(
        await session.scalars(
            select(TrainingClass)
            .where(TrainingClass.plan_id == plan_id)
            .order_by(TrainingClass.start_on, TrainingClass.id)
        )
    )


async def search(
    session: AsyncSession,
    visible: ColumnElement[bool],
    *,
    plan_id: uuid.UUID | None,
    province: str | None,
    status: str | None,
    window: Window,
) -> list[TrainingClass]:
    query = select(TrainingClass).where(visible)
    if province:
        query = query.where(TrainingClass.provinces.contains([province]))
    if plan_id:
        query = query.where(TrainingClass.plan_id == plan_id)
    if status:
        query = query.where(TrainingClass.status == status)
    query = window.over(query, TrainingClass.id)
    return list(await session.scalars(query))


async def session_days(
    session: AsyncSession, class_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[date]]:
    """Each class's session days in order: a page's in one query."""
    out: dict[uuid.UUID, list[date]] = {i: [] for i in class_ids}
    if class_ids:
        rows = await session.execute(
            select(ClassSession.class_id, ClassSession.day)
            .where(ClassSession.class_id.in_(class_ids))
            .order_by(ClassSession.class_id, ClassSession.day)
        )
        for class_id, day in rows:
            out[class_id].append(day)
    return out


async def session_ids(session: AsyncSession, class_id: uuid.UUID) -> dict[date, uuid.UUID]:
    rows = await session.execute(
        select(ClassSession.day, ClassSession.id).where(ClassSession.class_id == class_id)
    )
    return {day: session_id for day, session_id in rows}


async def synced(session: AsyncSession, province: str, external_id: str) -> TrainingClass | None:
    """The class the unit's system synced as ``external_id``."""
    found: TrainingClass | None = await session.scalar(
        select(TrainingClass).where(
            TrainingClass.province == province, TrainingClass.external_id == external_id
        )
    )
    return found


async def count_sessions(session: AsyncSession, class_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(ClassSession).where(ClassSession.class_id == class_id)
        )
        or 0
    )


async def institution(
    session: AsyncSession, institution_id: uuid.UUID
) -> InstitutionReplica | None:
    return await session.get(InstitutionReplica, institution_id)
