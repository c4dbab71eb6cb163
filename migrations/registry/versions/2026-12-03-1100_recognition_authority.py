"""recognition authority derived from who recognises

A recognition records who recognised it: the ministry (100000) for 小巨人 and 重点小巨人, the
enterprise's filing unit for 创新型 and 专精特新中小企业 (DESIGN.md §5), and the 认定文号. The
authority text was typed by callers; it is rewritten from the same rule, so every row says
what the code now derives.

Revision ID: 3f8a1c6e2b71
Revises: 9c1e4a7b2d30
Create Date: 2026-12-03 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from kit.codes import NATIONAL, PLAN_CITIES, PROVINCES

revision: str = "3f8a1c6e2b71"
down_revision: str | None = "9c1e4a7b2d30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "registry"
MINISTRY_TIERS = ("little_giant", "key_little_giant")


def upgrade() -> None:
    op.add_column(
        "recognitions",
        sa.Column(
            "authority_code",
            sa.String(6),
            comment="who recognised it: 100000 (the ministry) or the filing unit",
        ),
        schema=SCHEMA,
    )
    op.add_column(
        "recognitions",
        sa.Column("document_number", sa.String(100), comment="认定文号"),
        schema=SCHEMA,
    )
    op.execute(
        sa.text(
            f"UPDATE {SCHEMA}.recognitions SET authority_code = :national, authority = '工业和信息化部' "
            "WHERE tier IN :tiers"
        ).bindparams(sa.bindparam("tiers", expanding=True), national=NATIONAL, tiers=list(MINISTRY_TIERS))
    )
    plan_cities = list(PLAN_CITIES)
    op.execute(
        sa.text(
            f"UPDATE {SCHEMA}.recognitions r SET authority_code = CASE "
            "WHEN left(e.region_code, 4) || '00' IN :cities THEN left(e.region_code, 4) || '00' "
            "ELSE left(e.region_code, 2) || '0000' END "
            f"FROM {SCHEMA}.enterprises e WHERE e.uscc = r.uscc AND r.authority_code IS NULL"
        ).bindparams(sa.bindparam("cities", expanding=True), cities=plan_cities)
    )
    names = {code: name for code, name in PLAN_CITIES.items()}
    names |= {code + "0000": name for code, name in PROVINCES.items()}
    for code, name in names.items():
        op.execute(
            sa.text(
                f"UPDATE {SCHEMA}.recognitions SET authority = :authority "
                "WHERE authority_code = :code"
            ).bindparams(authority=f"{name}中小企业主管部门", code=code)
        )
    op.alter_column("recognitions", "authority_code", nullable=False, schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("recognitions", "document_number", schema=SCHEMA)
    op.drop_column("recognitions", "authority_code", schema=SCHEMA)
