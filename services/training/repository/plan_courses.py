"""Plan course queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import PlanCourse, TrainingClass

# Code-point order, the same in SQL and in Python, whatever the database's locale.
_BY_NAME = PlanCourse.name.collate("C")


async def of_plan(session: AsyncSession, plan_id: uuid.UUID) -> list[PlanCourse]:
    """The plan's courses by name."""
    query = select(PlanCourse).where(PlanCourse.plan_id == plan_id).order_by(_BY_NAME)
    return list(await session.scalars(query))


async def by_codes(session: AsyncSession, codes: Iterable[str]) -> dict[str, PlanCourse]:
    """The courses of these codes, of whichever plans: a page's in one query."""
    wanted = list(set(codes))
    if not wanted:
        return {}
    rows = await session.scalars(select(PlanCourse).where(PlanCourse.code.in_(wanted)))
    return {c.code: c for c in rows}


async def get(session: AsyncSession, plan_id: uuid.UUID, code: str) -> PlanCourse | None:
    return await session.scalar(
        select(PlanCourse).where(PlanCourse.plan_id == plan_id, PlanCourse.code == code)
    )


async def name_taken(session: AsyncSession, plan_id: uuid.UUID, name: str) -> bool:
    found = await session.scalar(
        select(PlanCourse.id).where(PlanCourse.plan_id == plan_id, PlanCourse.name == name)
    )
    return found is not None


async def taught(session: AsyncSession, plan_id: uuid.UUID, code: str) -> bool:
    """A class of the plan teaches it. Surveys rate only what their class teaches, and a
    class's topics never change, so this covers the surveys too."""
    query = exists().where(
        TrainingClass.plan_id == plan_id, TrainingClass.topics.contains([{"course": code}])
    )
    return bool(await session.scalar(select(query)))
