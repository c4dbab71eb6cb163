"""Institution and contract queries."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import Row, Select, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Institution, InstitutionContract


async def exists_uscc(session: AsyncSession, uscc: str) -> bool:
    found = await session.scalar(select(Institution.id).where(Institution.uscc == uscc))
    return found is not None


async def id_of(session: AsyncSession, uscc: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(Institution.id).where(Institution.uscc == uscc)
    )
    return found


async def get(
    session: AsyncSession, institution_id: uuid.UUID, *, lock: bool = False
) -> Institution | None:
    return await session.get(Institution, institution_id, with_for_update=lock)


async def search(
    session: AsyncSession,
    *,
    type_: str | None,
    province: str | None,
    qualified_for: tuple[str, list[str]] | None,
    only: uuid.UUID | None,
    window: Window,
) -> list[Institution]:
    """``qualified_for`` is (type, its mandatory condition codes): the institution holds the
    type, has declared every one of those codes under it and the unit verified them."""
    query = select(Institution)
    if type_:
        query = query.where(Institution.types.contains([type_]))
    if qualified_for:
        held, mandatory = qualified_for
        query = query.where(
            Institution.types.contains([held]),
            Institution.reviews.contains({held: {"state": "verified"}}),
        )
        if mandatory:
            query = query.where(Institution.qualifications[held].has_all(array(mandatory)))
    if province:
        query = query.where(Institution.province == province)
    if only:
        query = query.where(Institution.id == only)
    query = window.over(query, Institution.id)
    return list(await session.scalars(query))


async def contract_exists(
    session: AsyncSession, institution_id: uuid.UUID, province: str, task: str, batch: str
) -> bool:
    found = await session.scalar(
        select(InstitutionContract.id).where(
            InstitutionContract.institution_id == institution_id,
            InstitutionContract.province == province,
            InstitutionContract.task == task,
            InstitutionContract.batch == batch,
        )
    )
    return found is not None


async def contracts(
    session: AsyncSession,
    *,
    institution_id: uuid.UUID | None,
    province: str | None,
    task: str | None,
    batch: str | None,
    window: Window,
) -> list[Row[InstitutionContract, str]]:
    """Contracts with their institution's name, oldest first (ids are UUIDv7)."""
    query: Select[InstitutionContract, str] = select(InstitutionContract, Institution.name).join(
        Institution, Institution.id == InstitutionContract.institution_id
    )
    if institution_id:
        query = query.where(InstitutionContract.institution_id == institution_id)
    if province:
        query = query.where(InstitutionContract.province == province)
    if task:
        query = query.where(InstitutionContract.task == task)
    if batch:
        query = query.where(InstitutionContract.batch == batch)
    query = window.over(query, InstitutionContract.id)
    return list((await session.execute(query)).all())
