"""records keyed by filing unit: a 计划单列市 is a unit of its own

A provincial record's ``province`` is its filing unit's code (``kit.codes.UNITS``): a
province's 2 digits or a 计划单列市's 4 (DESIGN.md §5). The replica's enterprises under a
计划单列市, their trainees and those trainees' enrollments move from their province into it;
plans, classes, teachers and targets were filed by their keepers and stay where they are.
Coverage counts one scope for the unit of a 计划单列市 and its city (the same 4 digits) and
leaves it out of its province: they are rebuilt as the migration that introduced them built
them (``DELTAS``, now with each enterprise's unit).

Revision ID: 0e7b4c2d9f18
Revises: 3b8f1d6c2e47
Create Date: 2026-12-05 09:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op
from kit.migrations import narrow_units, unit_of_sql, widen_units

revision: str = "0e7b4c2d9f18"
down_revision: str | None = "3b8f1d6c2e47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"
COLUMNS = {
    "teachers": ["province"],
    "plans": ["province"],
    "classes": ["province"],
    "trainees": ["province"],
    "enrollments": ["province"],
    "coverage_targets": ["province"],
    "enterprises": ["province"],
    "contracts": ["province"],
}
ARRAYS = {"classes": ["provinces"]}

# The days each enterprise held 小巨人: its recognitions' spans [from, until + 1 or the
# revocation), merged where they touch or overlap (gaps and islands); each fact counts in
# the enterprise's unit, city and county (one scope where a 计划单列市 is unit and city).
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
    SELECT uscc, s, e,
           sum(starts) OVER (PARTITION BY uscc ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS grp
    FROM marked
), held AS (
    SELECT uscc, min(s) AS s, max(e) AS e FROM grouped GROUP BY uscc, grp
), places AS (
    SELECT DISTINCT uscc, unnest(ARRAY[province, left(region_code, 4), region_code]) AS scope
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
    widen_units(SCHEMA, COLUMNS, ARRAYS)
    for table in ("enterprises", "trainees"):
        unit = unit_of_sql("region_code")
        op.execute(f"UPDATE {SCHEMA}.{table} SET province = {unit} WHERE province <> {unit}")
    op.execute(
        f"UPDATE {SCHEMA}.enrollments en SET province = t.province FROM {SCHEMA}.trainees t"
        " WHERE t.id = en.trainee_id AND en.province <> t.province"
    )
    op.execute(f"DELETE FROM {SCHEMA}.coverage_deltas")
    op.execute(DELTAS)


def downgrade() -> None:
    narrow_units(SCHEMA, COLUMNS, ARRAYS)
    # The counts of a 计划单列市 fall back into its province's as they were kept before.
    op.execute(f"DELETE FROM {SCHEMA}.coverage_deltas")
    by_province = "uscc, unnest(ARRAY[left(region_code, 2),"
    op.execute(DELTAS.replace("DISTINCT uscc, unnest(ARRAY[province,", by_province))
