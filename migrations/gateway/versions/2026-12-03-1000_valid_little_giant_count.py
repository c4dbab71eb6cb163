"""valid 小巨人 count

A 重点“小巨人” also holds 小巨人 (DESIGN.md §5): the tier counts gain ``valid_little_giant``,
each enterprise holding either tier counted once over the union of those recognitions'
periods, and coverage divides by it. Its day deltas are derived here from the replica, as
the consumer derives them (``gateway.registry.handlers``): an enterprise's spans merged into
islands, +1 on an island's first day and -1 on the first day after it, in the enterprise's
province and city.

Revision ID: 6a3c9e1b4d53
Revises: 4d2b7e9a1c52
Create Date: 2026-12-03 10:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6a3c9e1b4d53"
down_revision: str | None = "4d2b7e9a1c52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
WITH spans AS (
    SELECT r.uscc, e.province, left(e.region_code, 4) || '00' AS city, r.valid_from AS s,
           least(r.valid_until + 1, coalesce(r.revoked_on, 'infinity'::date)) AS e
    FROM gateway.recognitions r JOIN gateway.enterprises e ON e.uscc = r.uscc
    WHERE r.tier IN ('little_giant', 'key_little_giant')
), held AS (
    SELECT * FROM spans WHERE s < e
), marked AS (
    SELECT *, CASE WHEN s <= max(e) OVER (
        PARTITION BY uscc ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) THEN 0 ELSE 1 END AS starts
    FROM held
), islands AS (
    SELECT uscc, province, city, min(s) AS s, max(e) AS e
    FROM (SELECT *, sum(starts) OVER (PARTITION BY uscc ORDER BY s, e) AS island FROM marked) m
    GROUP BY uscc, province, city, island
), deltas AS (
    SELECT province AS scope, s AS day, 1 AS delta FROM islands
    UNION ALL SELECT city, s, 1 FROM islands
    UNION ALL SELECT province, e, -1 FROM islands WHERE e <> 'infinity'
    UNION ALL SELECT city, e, -1 FROM islands WHERE e <> 'infinity'
)
INSERT INTO gateway.tier_deltas (scope, tier, day, delta)
SELECT scope, 'valid_little_giant', day, sum(delta) FROM deltas GROUP BY scope, day
HAVING sum(delta) <> 0
"""


def upgrade() -> None:
    op.execute(BACKFILL)


def downgrade() -> None:
    op.execute("DELETE FROM gateway.tier_deltas WHERE tier = 'valid_little_giant'")
