"""Versioned rule sets, picked by code, date and jurisdiction."""

from __future__ import annotations

from datetime import date

from kit.codes import NATIONAL
from sqlalchemy import case, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import RuleSet


async def in_force(session: AsyncSession, code: str, on: date, unit: str) -> RuleSet | None:
    """The set in force on ``on`` for a filing unit: its own, else a national one (never
    another unit's)."""
    return await session.scalar(
        select(RuleSet)
        .where(
            RuleSet.code == code,
            RuleSet.jurisdiction.in_([unit, NATIONAL]),
            RuleSet.effective_from <= on,
            or_(RuleSet.effective_until.is_(None), RuleSet.effective_until > on),
        )
        .order_by(case((RuleSet.jurisdiction == unit, 0), else_=1), RuleSet.effective_from.desc())
        .limit(1)
    )


async def all_sets(session: AsyncSession) -> list[RuleSet]:
    rows = await session.scalars(
        select(RuleSet).order_by(RuleSet.code, RuleSet.jurisdiction, RuleSet.effective_from)
    )
    return list(rows)


async def starting(session: AsyncSession, code: str, jurisdiction: str, on: date) -> bool:
    """A set of the jurisdiction taking effect that day already (two would be ambiguous)."""
    found = await session.scalar(
        select(RuleSet.id).where(
            RuleSet.code == code,
            RuleSet.jurisdiction == jurisdiction,
            RuleSet.effective_from == on,
        )
    )
    return found is not None
