"""records keyed by filing unit: a 计划单列市 is a unit of its own

A provincial record's ``province`` is its filing unit's code (``kit.codes.UNITS``): a
province's 2 digits or a 计划单列市's 4 (DESIGN.md §5). Enterprises and institutions under a
计划单列市 move from their province into it; contracts and contacts were given by their
keepers and stay where they are.

Revision ID: 6c1d9e3a7b52
Revises: d73c939b4ae7
Create Date: 2026-12-05 09:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op
from kit.migrations import narrow_units, unit_of_sql, widen_units

revision: str = "6c1d9e3a7b52"
down_revision: str | None = "d73c939b4ae7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "registry"
COLUMNS = {
    "enterprises": ["province"],
    "institutions": ["province"],
    "institution_contracts": ["province"],
    "contacts": ["province"],
}


def upgrade() -> None:
    widen_units(SCHEMA, COLUMNS, {})
    for table in ("enterprises", "institutions"):
        unit = unit_of_sql("region_code")
        op.execute(f"UPDATE {SCHEMA}.{table} SET province = {unit} WHERE province <> {unit}")


def downgrade() -> None:
    narrow_units(SCHEMA, COLUMNS, {})
