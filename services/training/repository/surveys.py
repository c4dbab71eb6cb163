"""Survey queries, the course averages in raw SQL (``jsonb_each_text`` over the answers)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import Survey

# Course → (responses, average).
Averages = dict[str, tuple[int, Decimal]]

_OF_CLASS = """
SELECT kv.key, count(*), avg(kv.value::numeric) FROM training.surveys s,
jsonb_each_text(s.courses) kv
WHERE s.class_id = :class_id GROUP BY kv.key
"""
# For each plan asked about: the surveys of its province's classes of earlier periods.
_BEFORE_PLANS = """
SELECT pp.id, kv.key, count(*), avg(kv.value::numeric) FROM training.plans pp
JOIN training.plans p ON p.province = pp.province AND p.period < pp.period
JOIN training.classes c ON c.plan_id = p.id
JOIN training.surveys s ON s.class_id = c.id, jsonb_each_text(s.courses) kv
WHERE pp.id = ANY(:plan_ids) GROUP BY pp.id, kv.key
"""


async def course_averages_of_class(session: AsyncSession, class_id: uuid.UUID) -> Averages:
    rows = await session.execute(text(_OF_CLASS), {"class_id": class_id})
    return {key: (int(n), avg) for key, n, avg in rows}


async def course_averages_before(
    session: AsyncSession, plan_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Averages]:
    """Per plan, the course averages of its province's earlier periods: a page's in one query."""
    out: dict[uuid.UUID, Averages] = {i: {} for i in plan_ids}
    if plan_ids:
        rows = await session.execute(text(_BEFORE_PLANS), {"plan_ids": plan_ids})
        for plan_id, key, n, avg in rows:
            out[plan_id][key] = (int(n), avg)
    return out


async def of_class(session: AsyncSession, class_id: uuid.UUID) -> list[Survey]:
    return list(await session.scalars(select(Survey).where(Survey.class_id == class_id)))
