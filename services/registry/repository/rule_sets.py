"""Versioned rule sets, picked by code, date and jurisdiction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import RuleSet


async def in_force(session: AsyncSession, code: str, on: date, jurisdiction: str) -> RuleSet | None:
    """The set in force on ``on``: the jurisdiction's own first, else the latest of any."""
    return await session.scalar(
        select(RuleSet)
        .where(
            RuleSet.code == code,
            RuleSet.effective_from <= on,
            or_(RuleSet.effective_until.is_(None), RuleSet.effective_until > on),
        )
        .order_by(
            case((RuleSet.jurisdiction == jurisdiction, 0), else_=1), RuleSet.effective_from.desc()
        )
        .limit(1)
    )


async def all_sets(session: AsyncSession) -> list[RuleSet]:
    rows = await session.scalars(
        select(RuleSet).order_by(RuleSet.code, RuleSet.jurisdiction, RuleSet.effective_from)
    )
    return list(rows)
