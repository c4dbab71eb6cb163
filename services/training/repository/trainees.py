"""Trainee (学员) queries; who sees a trainee is the caller's ``scope.visible_trainees``."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import EnterpriseReplica, Trainee


async def get(session: AsyncSession, trainee_id: uuid.UUID) -> Trainee | None:
    return await session.get(Trainee, trainee_id)


async def get_visible(
    session: AsyncSession, trainee_id: uuid.UUID, visible: ColumnElement[bool]
) -> Trainee | None:
    return await session.scalar(select(Trainee).where(Trainee.id == trainee_id, visible))


async def id_number_taken(session: AsyncSession, index: bytes) -> bool:
    found = await session.scalar(select(Trainee.id).where(Trainee.id_number_index == index))
    return found is not None


async def names(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Trainee.id, Trainee.name).where(Trainee.id.in_(ids)))
    return {trainee_id: name for trainee_id, name in rows}


async def enterprise_names(session: AsyncSession, usccs: set[str]) -> dict[str, str]:
    if not usccs:
        return {}
    rows = await session.execute(
        select(EnterpriseReplica.uscc, EnterpriseReplica.name).where(
            EnterpriseReplica.uscc.in_(usccs)
        )
    )
    return {uscc: name for uscc, name in rows}


async def search(
    session: AsyncSession,
    visible: ColumnElement[bool],
    *,
    enterprise_uscc: str | None,
    province: str | None,
    window: Window,
) -> list[Trainee]:
    query = select(Trainee).where(visible)
    if enterprise_uscc:
        query = query.where(Trainee.enterprise_uscc == enterprise_uscc)
    if province:
        query = query.where(Trainee.province == province)
    query = window.over(query, Trainee.id)
    return list(await session.scalars(query))
