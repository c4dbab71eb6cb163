"""The coverage counts on a date: a sum over the kept deltas of the scopes asked for
(``service.coverage_counts`` keeps them), a few rows whatever the number of trainees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kit.codes import unit_of
from kit.tiers import held_on_sql
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import CoverageTarget

COUNTS = """
SELECT scope, kind, period, sum(delta)::int AS n FROM training.coverage_deltas
WHERE scope = ANY(:scopes) AND day <= :as_of GROUP BY scope, kind, period
"""

# The scan the counts replace, kept as their reference (the tests compare both, the bench
# times both): every completed enrollment, and the valid 小巨人 on the date, of the region.
SCAN = f"""
WITH valid AS (
    SELECT DISTINCT e.uscc, e.province FROM training.recognitions r
    JOIN training.enterprises e ON e.uscc = r.uscc
    WHERE r.tier = ANY(:tiers) AND {held_on_sql("r", ":as_of")} AND e.region_code LIKE :region
), trained AS (
    SELECT e.province, en.enterprise_uscc AS uscc, p.period FROM training.enrollments en
    JOIN training.classes c ON c.id = en.class_id
    JOIN training.plans p ON p.id = c.plan_id
    JOIN training.enterprises e ON e.uscc = en.enterprise_uscc
    WHERE en.state = 'completed' AND e.region_code LIKE :region
    GROUP BY e.province, en.enterprise_uscc, p.period
), first AS (SELECT province, uscc, min(period) AS period FROM trained GROUP BY province, uscc)
SELECT 'batch' AS kind, t.province, t.period, count(*) AS n, count(v.uscc) AS n_valid
FROM trained t LEFT JOIN valid v ON v.uscc = t.uscc GROUP BY t.province, t.period
UNION ALL
SELECT 'first', f.province, f.period, count(*), count(v.uscc)
FROM first f LEFT JOIN valid v ON v.uscc = f.uscc GROUP BY f.province, f.period
UNION ALL
SELECT 'valid', province, NULL, count(*), count(*) FROM valid GROUP BY province
"""

# (kind, province, period) → (enterprises, those holding 小巨人 on the date); kind is
# ``batch`` (trained in the period), ``first`` (first trained in it) or ``valid`` (the
# valid 小巨人, period None).
Counts = dict[tuple[str, str, str | None], tuple[int, int]]


async def counts(session: AsyncSession, scopes: list[str], as_of: date) -> Counts:
    """The counts of each scope (a unit, city or county prefix) on ``as_of``, keyed by the
    scope's unit."""
    found: dict[tuple[str, str, str], int] = {}
    for scope, kind, period, n in await session.execute(
        text(COUNTS), {"scopes": scopes, "as_of": as_of}
    ):
        found[unit_of(scope), kind, period] = n
    out: Counts = {}
    for (province, kind, period), n in found.items():
        if kind == "valid":
            out["valid", province, None] = (n, n)
        elif kind in ("batch", "first"):
            out[kind, province, period] = (n, found.get((province, kind + "_valid", period), 0))
    return out


async def targets(session: AsyncSession, provinces: list[str]) -> list[CoverageTarget]:
    rows = await session.scalars(
        select(CoverageTarget)
        .where(CoverageTarget.province.in_(provinces))
        .order_by(CoverageTarget.province, CoverageTarget.period)
    )
    return list(rows)


async def set_target(
    session: AsyncSession, province: str, period: str, target: Decimal, source: str
) -> CoverageTarget:
    stmt = insert(CoverageTarget).values(
        province=province, period=period, target=target, source=source
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["province", "period"],
            set_={"target": target, "source": source, "updated_at": func.now()},
        )
    )
    row = await session.get(CoverageTarget, (province, period), populate_existing=True)
    assert row is not None
    return row
