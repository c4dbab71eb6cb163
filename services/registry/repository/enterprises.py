"""Every enterprise query. Reads on the hot path go straight to asyncpg (see kit.db)."""

from __future__ import annotations

from datetime import date

import asyncpg
from kit import tiers
from kit.db import Database
from kit.pagination import Window
from kit.scope import in_region
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from registry.models import Enterprise, Recognition


def held_on(tier: str | None, on: date) -> ColumnElement[bool]:
    """The enterprise holds ``tier`` (any tier when None) on ``on``: covered, not revoked."""
    conditions = [
        Recognition.uscc == Enterprise.uscc,
        tiers.held_on(Recognition, on),
    ]
    if tier is not None:
        conditions.append(Recognition.tier == tier)
    return exists().where(and_(*conditions))


_GET = f"""
SELECT e.*, coalesce((
    SELECT array_agg(DISTINCT r.tier ORDER BY r.tier) FROM registry.recognitions r
    WHERE r.uscc = e.uscc AND {tiers.held_on_sql("r", "$2")}), '{{}}') AS tiers
FROM registry.enterprises e WHERE e.uscc = $1
"""


async def fetch_with_tiers(db: Database, uscc: str, on: date) -> asyncpg.Record | None:
    return await db.fetchrow(_GET, uscc, on)


async def tiers_held(session: AsyncSession, uscc: str, on: date) -> list[str]:
    rows = await session.scalars(
        select(Recognition.tier)
        .distinct()
        .where(
            Recognition.uscc == uscc,
            tiers.held_on(Recognition, on),
        )
        .order_by(Recognition.tier)
    )
    return list(rows)


async def get_for_update(session: AsyncSession, uscc: str) -> Enterprise | None:
    return await session.get(Enterprise, uscc, with_for_update=True)


async def by_uscc(session: AsyncSession, usccs: list[str]) -> dict[str, Enterprise]:
    rows = await session.scalars(select(Enterprise).where(Enterprise.uscc.in_(usccs)))
    return {e.uscc: e for e in rows}


async def exists_uscc(session: AsyncSession, uscc: str) -> bool:
    return (
        await session.scalar(select(Enterprise.uscc).where(Enterprise.uscc == uscc))
    ) is not None


async def search(
    session: AsyncSession,
    *,
    region_prefix: str,
    only_uscc: str | None,
    tier: str | None,
    valid_on: date,
    industry: str | None,
    q: str | None,
    window: Window,
) -> list[Enterprise]:
    query = select(Enterprise)
    if (region := in_region(region_prefix, Enterprise.region_code)) is not None:
        query = query.where(region)
    if only_uscc is not None:
        query = query.where(Enterprise.uscc == only_uscc)
    if tier is not None:
        query = query.where(held_on(tier, valid_on))
    if industry is not None:
        query = query.where(Enterprise.industry_code == industry)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Enterprise.name.ilike(pattern), Enterprise.uscc.startswith(q)))
    query = window.over(query, Enterprise.uscc)
    return list(await session.scalars(query))


async def tiers_for(session: AsyncSession, usccs: list[str], on: date) -> dict[str, list[str]]:
    if not usccs:
        return {}
    rows = await session.execute(
        select(Recognition.uscc, Recognition.tier)
        .distinct()
        .where(
            Recognition.uscc.in_(usccs),
            tiers.held_on(Recognition, on),
        )
        .order_by(Recognition.uscc, Recognition.tier)
    )
    out: dict[str, list[str]] = {}
    for uscc, tier in rows:
        out.setdefault(uscc, []).append(tier)
    return out
