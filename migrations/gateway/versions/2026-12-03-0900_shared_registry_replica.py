"""shared registry replica

The gateway keeps the same registry replica as every service (``kit.registry_replica``):
enterprises gain their name and industry, recognitions their batch, and institutions and
contracts are replicated too (webhooks and the diagnosis and innovation sections read
them). Rows replicated before carry an empty name and no industry or batch until their
next event; the figures derived from them do not read those columns.

Revision ID: 4d2b7e9a1c52
Revises: 9c1e4a7b2d32
Create Date: 2026-12-03 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "4d2b7e9a1c52"
down_revision: str | None = "9c1e4a7b2d32"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"
NOT_KEPT = "null on rows replicated before it was kept"
NO_INDUSTRY = "GB/T 4754 大类; " + NOT_KEPT


def upgrade() -> None:
    op.add_column(
        "enterprises",
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        schema=SCHEMA,
    )
    op.alter_column("enterprises", "name", server_default=None, schema=SCHEMA)
    op.add_column(
        "enterprises",
        sa.Column("industry_code", sa.String(2), nullable=True, comment=NO_INDUSTRY),
        schema=SCHEMA,
    )
    op.create_index("ix_enterprises_province", "enterprises", ["province"], schema=SCHEMA)
    op.alter_column(
        "recognitions", "tier", type_=sa.String(30), existing_type=sa.String(20), schema=SCHEMA
    )
    op.add_column(
        "recognitions",
        sa.Column("batch", sa.String(50), nullable=True, comment=NOT_KEPT),
        schema=SCHEMA,
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("qualified_types", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_institutions"),
        schema=SCHEMA,
    )
    op.create_table(
        "contracts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("task", sa.String(30), nullable=False),
        sa.Column("batch", sa.String(50), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contracts"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_contracts_institution_id_province_task",
        "contracts",
        ["institution_id", "province", "task"],
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("contracts", schema=SCHEMA)
    op.drop_table("institutions", schema=SCHEMA)
    op.drop_column("recognitions", "batch", schema=SCHEMA)
    op.alter_column(
        "recognitions", "tier", type_=sa.String(20), existing_type=sa.String(30), schema=SCHEMA
    )
    op.drop_index("ix_enterprises_province", "enterprises", schema=SCHEMA)
    op.drop_column("enterprises", "industry_code", schema=SCHEMA)
    op.drop_column("enterprises", "name", schema=SCHEMA)
