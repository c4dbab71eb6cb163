"""Queries of recognitions and annual indicators."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import AnnualIndicator, Recognition


async def find(
    session: AsyncSession, uscc: str, tier: str, valid_from: object
) -> Recognition | None:
    return await session.scalar(
        select(Recognition).where(
            Recognition.uscc == uscc, Recognition.tier == tier, Recognition.valid_from == valid_from
        )
    )


async def get_for_update(session: AsyncSession, recognition_id: uuid.UUID) -> Recognition | None:
    return await session.get(Recognition, recognition_id, with_for_update=True)


async def of_enterprise(session: AsyncSession, uscc: str) -> list[Recognition]:
    rows = await session.scalars(
        select(Recognition)
        .where(Recognition.uscc == uscc)
        .order_by(Recognition.valid_from, Recognition.tier)
    )
    return list(rows)


async def indicator(session: AsyncSession, uscc: str, year: int) -> AnnualIndicator | None:
    return await session.get(AnnualIndicator, (uscc, year), with_for_update=True)


async def indicators(session: AsyncSession, uscc: str) -> list[AnnualIndicator]:
    rows = await session.scalars(
        select(AnnualIndicator).where(AnnualIndicator.uscc == uscc).order_by(AnnualIndicator.year)
    )
    return list(rows)
