"""Contact queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Contact


async def mobile_taken(session: AsyncSession, province: str, task: str, index: bytes) -> bool:
    found = await session.scalar(
        select(Contact.id).where(
            Contact.province == province, Contact.task == task, Contact.mobile_index == index
        )
    )
    return found is not None


async def get(session: AsyncSession, contact_id: uuid.UUID) -> Contact | None:
    return await session.get(Contact, contact_id)


async def search(
    session: AsyncSession,
    *,
    province: str | None,
    task: str | None,
    window: Window,
) -> list[Contact]:
    query = select(Contact)
    if province:
        query = query.where(Contact.province == province)
    if task:
        query = query.where(Contact.task == task)
    query = window.over(query, Contact.id)
    return list(await session.scalars(query))


async def of_province(session: AsyncSession, province: str) -> list[Contact]:
    """A province's contacts, oldest first (ids are UUIDv7): one 附件6 sheet is small."""
    return list(
        await session.scalars(
            select(Contact).where(Contact.province == province).order_by(Contact.id)
        )
    )
