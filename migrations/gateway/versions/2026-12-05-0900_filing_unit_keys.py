"""figures kept by filing unit: a 计划单列市 is a unit of its own

A scope is a filing unit (``kit.codes.UNITS``: a province's 2 digits or a 计划单列市's 4), a
city or the nation (DESIGN.md §5: a province's row leaves out its 计划单列市). The replica's
enterprises under a 计划单列市 move into it, and so do the figures they count in:

- registry figures (enterprises, tiers held): a 计划单列市's enterprises are exactly those
  of its city scope, so the unit takes the city's deltas and its province gives them up;
- trainees and trained enterprises: rebuilt from the enrollments' replica, as the handlers
  count them (``TRAINEE_MEMBERS``, ``ENTERPRISE_MEMBERS``, ``MEMBER_COUNTS``);
- certificates and survey responses: their events named the organising unit, which the
  gateway does not keep, so the 计划单列市 takes its city's and its province keeps them —
  exact when the class was the province's own (no 计划单列市 could file a class before).

Revision ID: 9a4f6e1c3d85
Revises: bf3c4de4cd4c
Create Date: 2026-12-05 09:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op
from kit.codes import PLAN_CITIES
from kit.migrations import narrow_units, unit_of_sql, widen_units

revision: str = "9a4f6e1c3d85"
down_revision: str | None = "bf3c4de4cd4c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"
COLUMNS = {
    "training_enrollments": ["province", "class_province"],
    "enterprises": ["province"],
    "contracts": ["province"],
}
ARRAYS = {"training_classes": ["provinces"]}
CITIES = ", ".join(f"'{code}'" for code in sorted(PLAN_CITIES))

# Each confirmed or completed enrollment puts its trainee in its enterprise's unit and city,
# its class's unit and the nation ('00'), in its period and in 'all' (the handlers' keys).
TRAINEE_MEMBERS = """
INSERT INTO gateway.training_trainee_members (scope, period, trainee_id, enrollments)
SELECT k.scope, p.period, e.trainee_id, count(*)
FROM gateway.training_enrollments e
CROSS JOIN LATERAL (
    SELECT DISTINCT s FROM unnest(ARRAY[e.province, e.city, e.class_province, '00']) s
    WHERE s IS NOT NULL
) k(scope)
CROSS JOIN LATERAL unnest(ARRAY[e.period, 'all']) p(period)
WHERE e.state IN ('confirmed', 'completed')
GROUP BY 1, 2, 3
"""
# Each completed enrollment puts its enterprise in its unit and city and the nation.
ENTERPRISE_MEMBERS = """
INSERT INTO gateway.training_enterprise_members (scope, period, uscc, enrollments)
SELECT k.scope, p.period, e.enterprise_uscc, count(*)
FROM gateway.training_enrollments e
CROSS JOIN LATERAL (
    SELECT DISTINCT s FROM unnest(ARRAY[e.province, e.city, '00']) s WHERE s IS NOT NULL
) k(scope)
CROSS JOIN LATERAL unnest(ARRAY[e.period, 'all']) p(period)
WHERE e.state = 'completed'
GROUP BY 1, 2, 3
"""
MEMBER_COUNTS = [
    "UPDATE gateway.training_counts SET trainees = 0, enterprises_trained = 0",
    """
    INSERT INTO gateway.training_counts (scope, period, trainees, enterprises_trained)
    SELECT scope, period, sum(t)::int, sum(e)::int FROM (
        SELECT scope, period, 1 AS t, 0 AS e FROM gateway.training_trainee_members
        UNION ALL SELECT scope, period, 0, 1 FROM gateway.training_enterprise_members
    ) m GROUP BY 1, 2
    ON CONFLICT (scope, period) DO UPDATE
    SET trainees = excluded.trainees, enterprises_trained = excluded.enterprises_trained
    """,
]


def _add_cities(table: str, key: list[str], columns: list[str], into: str, sign: str) -> None:
    """Add (``sign`` "") or take out ("-") the 计划单列市' city scopes' figures to the scope
    ``into`` (``left(scope, 4)``: their unit, ``left(scope, 2)``: their province); ``key`` is
    the rest of the table's primary key."""
    keys = ", ".join(["scope", *key])
    cols = ", ".join(columns)
    values = ", ".join([into, *key, *(f"{sign}{c}" for c in columns)])
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    op.execute(
        f"INSERT INTO {SCHEMA}.{table} ({keys}, {cols})"
        f" SELECT {values} FROM {SCHEMA}.{table} WHERE scope IN ({CITIES})"
        f" ON CONFLICT ({keys}) DO UPDATE SET {added}"
    )


def _recount_members() -> None:
    """Trainees and trained enterprises, counted again from the enrollments' replica."""
    op.execute(f"DELETE FROM {SCHEMA}.training_trainee_members")
    op.execute(f"DELETE FROM {SCHEMA}.training_enterprise_members")
    op.execute(TRAINEE_MEMBERS)
    op.execute(ENTERPRISE_MEMBERS)
    for statement in MEMBER_COUNTS:
        op.execute(statement)


# (table, rest of the key, columns, the province gives them up)
MOVED = [
    ("tier_deltas", ["tier", "day"], ["delta"], True),
    ("region_counts", [], ["enterprises"], True),
    ("training_day_counts", ["period", "day"], ["certificates"], False),
    ("training_counts", ["period"], ["responses", "satisfied"], False),
]


def upgrade() -> None:
    widen_units(SCHEMA, COLUMNS, ARRAYS)
    unit = unit_of_sql("region_code")
    op.execute(f"UPDATE {SCHEMA}.enterprises SET province = {unit} WHERE province <> {unit}")
    for table, key, columns, give_up in MOVED:
        _add_cities(table, key, columns, "left(scope, 4)", "")
        if give_up:
            _add_cities(table, key, columns, "left(scope, 2)", "-")
    op.execute(
        f"UPDATE {SCHEMA}.training_enrollments en SET province = e.province"
        f" FROM {SCHEMA}.enterprises e WHERE e.uscc = en.enterprise_uscc"
        " AND en.province <> e.province"
    )
    _recount_members()


def downgrade() -> None:
    # A 计划单列市's figures fall back into its province, as they were kept before.
    for table, key, columns, give_up in MOVED:
        if give_up:
            _add_cities(table, key, columns, "left(scope, 2)", "")
        op.execute(f"DELETE FROM {SCHEMA}.{table} WHERE length(scope) = 4")
    narrow_units(SCHEMA, COLUMNS, ARRAYS)
    _recount_members()
