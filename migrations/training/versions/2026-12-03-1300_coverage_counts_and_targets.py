"""coverage counts kept as classes close, and each unit's own coverage targets

Coverage read every completed enrollment per request. It is now kept as day deltas per
scope (province, city, county), kind and period (``training.service.coverage_counts``),
computed here once from what the service already holds: the enterprises trained per
period, and the days each enterprise held 小巨人 (its recognitions' periods merged, as
``kit.tiers.held_intervals`` merges them).

Targets were Hubei's (001: 30% in 2025, 全覆盖 by 2028) for every unit; they become each
unit's data, Hubei's seeded with their source. 30% remains only 附件5's scoring floor.

Revision ID: 5b8e2d4f7a13
Revises: 97dd7e271ae0
Create Date: 2026-12-03 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b8e2d4f7a13"
down_revision: str | None = "97dd7e271ae0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"
HUBEI = "001 湖北省专精特新中小企业培育赋能工作方案：“2025年培训覆盖不少于全省“小巨人”企业总数的30%”“2025年-2028年实现“小巨人”企业全覆盖”"

TRAINED = """
INSERT INTO training.trained_enterprises (uscc, period)
SELECT DISTINCT en.enterprise_uscc, p.period FROM training.enrollments en
JOIN training.classes c ON c.id = en.class_id JOIN training.plans p ON p.id = c.plan_id
WHERE en.state = 'completed'
"""
# The days each enterprise held 小巨人: its recognitions' spans [from, until + 1 or the
# revocation), merged where they touch or overlap (gaps and islands).
DELTAS = """
WITH spans AS (
    SELECT uscc, valid_from AS s,
           LEAST(valid_until + 1, COALESCE(revoked_on, 'infinity'::date)) AS e
    FROM training.recognitions WHERE tier IN ('little_giant', 'key_little_giant')
), marked AS (
    SELECT uscc, s, e, CASE WHEN s <= max(e) OVER (PARTITION BY uscc ORDER BY s, e
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts
    FROM spans WHERE s < e
), grouped AS (
    SELECT uscc, s, e, sum(starts) OVER (PARTITION BY uscc ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS grp
    FROM marked
), held AS (
    SELECT uscc, min(s) AS s, max(e) AS e FROM grouped GROUP BY uscc, grp
), places AS (
    SELECT uscc, unnest(ARRAY[left(region_code, 2), left(region_code, 4), region_code]) AS scope
    FROM training.enterprises
), first AS (
    SELECT uscc, min(period) AS period FROM training.trained_enterprises GROUP BY uscc
), facts AS (
    SELECT 'valid' AS kind, '' AS period, uscc, s, e FROM held
    UNION ALL SELECT 'batch', period, uscc, DATE '0001-01-01', 'infinity'::date
    FROM training.trained_enterprises
    UNION ALL SELECT 'batch_valid', t.period, t.uscc, h.s, h.e
    FROM training.trained_enterprises t JOIN held h USING (uscc)
    UNION ALL SELECT 'first', period, uscc, DATE '0001-01-01', 'infinity'::date FROM first
    UNION ALL SELECT 'first_valid', f.period, f.uscc, h.s, h.e FROM first f JOIN held h USING (uscc)
), deltas AS (
    SELECT p.scope, f.kind, f.period, f.s AS day, 1 AS d FROM facts f JOIN places p USING (uscc)
    UNION ALL
    SELECT p.scope, f.kind, f.period, f.e, -1 FROM facts f JOIN places p USING (uscc)
    WHERE f.e <> 'infinity'::date
)
INSERT INTO training.coverage_deltas (scope, kind, period, day, delta)
SELECT scope, kind, period, day, sum(d) FROM deltas GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0
"""


def upgrade() -> None:
    op.create_table(
        "trained_enterprises",
        sa.Column("uscc", sa.String(18)),
        sa.Column("period", sa.String(9)),
        sa.PrimaryKeyConstraint("uscc", "period", name=op.f("pk_trained_enterprises")),
        schema=SCHEMA,
    )
    op.create_table(
        "coverage_deltas",
        sa.Column("scope", sa.String(6)),
        sa.Column("kind", sa.String(12)),
        sa.Column("period", sa.String(9)),
        sa.Column("day", sa.Date()),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "scope",
            "kind",
            "period",
            "day",
            name=op.f("pk_coverage_deltas"),
            postgresql_include=["delta"],
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "coverage_targets",
        sa.Column("province", sa.String(2)),
        sa.Column("period", sa.String(9)),
        sa.Column("target", sa.Numeric(5, 4), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("target > 0 AND target <= 1", name=op.f("ck_coverage_targets_share")),
        sa.PrimaryKeyConstraint("province", "period", name=op.f("pk_coverage_targets")),
        schema=SCHEMA,
    )
    op.execute(TRAINED)
    op.execute(DELTAS)
    targets = sa.table(
        "coverage_targets",
        sa.column("province", sa.String()),
        sa.column("period", sa.String()),
        sa.column("target", sa.Numeric()),
        sa.column("source", sa.String()),
        schema=SCHEMA,
    )
    op.bulk_insert(
        targets,
        [
            {"province": "42", "period": "2025", "target": 0.30, "source": HUBEI},
            {"province": "42", "period": "2027-2028", "target": 1, "source": HUBEI},
        ],
    )


def downgrade() -> None:
    op.drop_table("coverage_targets", schema=SCHEMA)
    op.drop_table("coverage_deltas", schema=SCHEMA)
    op.drop_table("trained_enterprises", schema=SCHEMA)
