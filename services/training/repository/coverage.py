"""The coverage counts (培训覆盖率) in one raw SQL statement; ``bench/training.py`` measures
the endpoint next to this same SQL run directly with asyncpg."""

from __future__ import annotations

from datetime import date

from kit.tiers import held_on_sql
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_VALID = f"""
SELECT DISTINCT e.uscc, e.province FROM training.recognitions r
JOIN training.enterprises e ON e.uscc = r.uscc
WHERE r.tier = ANY(:tiers) AND {held_on_sql("r", ":as_of")} AND e.region_code LIKE :region
"""
_TRAINED = """
SELECT en.province, en.enterprise_uscc AS uscc, p.period FROM training.enrollments en
JOIN training.classes c ON c.id = en.class_id
JOIN training.plans p ON p.id = c.plan_id
JOIN training.enterprises e ON e.uscc = en.enterprise_uscc
WHERE en.state = 'completed' AND e.region_code LIKE :region
GROUP BY en.province, en.enterprise_uscc, p.period
"""
# Per province and period: enterprises trained in it; per province and the period an
# enterprise was first trained in (cumulative counts are running sums of these).
COUNTS = f"""
WITH valid AS ({_VALID}), trained AS ({_TRAINED}),
first AS (SELECT province, uscc, min(period) AS period FROM trained GROUP BY province, uscc)
SELECT 'batch' AS kind, t.province, t.period, count(*) AS n, count(v.uscc) AS n_valid
FROM trained t LEFT JOIN valid v ON v.uscc = t.uscc GROUP BY t.province, t.period
UNION ALL
SELECT 'first', f.province, f.period, count(*), count(v.uscc)
FROM first f LEFT JOIN valid v ON v.uscc = f.uscc GROUP BY f.province, f.period
UNION ALL
SELECT 'valid', province, NULL, count(*), count(*) FROM valid GROUP BY province
"""

# (kind, province, period) → (enterprises, those still valid): see ``COUNTS``.
Counts = dict[tuple[str, str, str | None], tuple[int, int]]


async def counts(session: AsyncSession, tiers: list[str], as_of: date, region: str) -> Counts:
    """The counts of the enterprises under the ``region`` prefix, valid in ``tiers`` on
    ``as_of``."""
    rows = await session.execute(
        text(COUNTS), {"tiers": tiers, "as_of": as_of, "region": region + "%"}
    )
    return {(kind, prov, period): (n, n_valid) for kind, prov, period, n, n_valid in rows}
