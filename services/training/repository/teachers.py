"""Teacher (师资库) queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import Teacher


async def get(session: AsyncSession, teacher_id: uuid.UUID) -> Teacher | None:
    return await session.get(Teacher, teacher_id)


async def existing(session: AsyncSession, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` are teachers."""
    return set(await session.scalars(select(Teacher.id).where(Teacher.id.in_(ids))))


async def search(
    session: AsyncSession,
    *,
    province: str | None,
    topic: str | None,
    affiliation_kind: str | None,
    window: Window,
) -> list[Teacher]:
    query = select(Teacher)
    if province:
        query = query.where(Teacher.province == province)
    if topic:
        query = query.where(Teacher.topics.contains([topic]))
    if affiliation_kind:
        query = query.where(Teacher.affiliation_kind == affiliation_kind)
    query = window.over(query, Teacher.id)
    return list(await session.scalars(query))
