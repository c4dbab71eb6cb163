"""Contact queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Contact


async def mobile_taken(
    session: AsyncSession, province: str, task: str, index: bytes, *, besides: uuid.UUID | None
) -> bool:
    """Another current contact of the province's task uses that mobile."""
    found = await session.scalar(
        select(Contact.id).where(
            Contact.province == province,
            Contact.task == task,
            Contact.mobile_index == index,
            Contact.replaced_by.is_(None),
            Contact.id != besides if besides else true(),
        )
    )
    return found is not None


async def id_of(session: AsyncSession, province: str, external_id: str) -> uuid.UUID | None:
    """The current contact the unit's system knows as ``external_id``."""
    found: uuid.UUID | None = await session.scalar(
        select(Contact.id).where(
            Contact.province == province,
            Contact.external_id == external_id,
            Contact.replaced_by.is_(None),
        )
    )
    return found


async def get(
    session: AsyncSession, contact_id: uuid.UUID, *, for_update: bool = False
) -> Contact | None:
    return await session.get(Contact, contact_id, with_for_update=for_update)


async def search(
    session: AsyncSession,
    *,
    province: str | None,
    task: str | None,
    window: Window,
    include_replaced: bool = False,
) -> list[Contact]:
    query = select(Contact)
    if not include_replaced:
        query = query.where(Contact.replaced_by.is_(None))
    if province:
        query = query.where(Contact.province == province)
    if task:
        query = query.where(Contact.task == task)
    query = window.over(query, Contact.id)
    return list(await session.scalars(query))


async def of_province(session: AsyncSession, province: str) -> list[Contact]:
    """A province's current contacts, oldest first (ids are UUIDv7): one 附件6 sheet is small."""
    return list(
        await session.scalars(
            select(Contact)
            .where(Contact.province == province, Contact.replaced_by.is_(None))
            .order_by(Contact.id)
        )
    )
