"""shared registry replica

The replica is now ``kit.registry_replica``, the same four tables in every service: each
enterprise keeps its industry (diagnosis admits quality engagements by it), a batch is as
long as the registry's (50: a longer one failed to replicate), and recognitions are indexed
by enterprise and tier. Rows replicated before have no industry until their next event.

Revision ID: 4d2b7e9a1c50
Revises: 9c1e4a7b2d31
Create Date: 2026-12-03 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d2b7e9a1c50"
down_revision: str | None = "9c1e4a7b2d31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"
NO_INDUSTRY = "GB/T 4754 大类; null on rows replicated before it was kept"
NO_BATCH = "null on rows replicated before it was kept"


def upgrade() -> None:
    op.add_column(
        "enterprises",
        sa.Column("industry_code", sa.String(2), nullable=True, comment=NO_INDUSTRY),
        schema=SCHEMA,
    )
    for table in ("recognitions", "contracts"):
        op.alter_column(
            table, "batch", type_=sa.String(50), existing_type=sa.String(40), schema=SCHEMA
        )
    op.alter_column(
        "recognitions",
        "batch",
        comment=NO_BATCH,
        existing_type=sa.String(50),
        existing_nullable=True,
        schema=SCHEMA,
    )
    op.drop_index("ix_recognitions_uscc", "recognitions", schema=SCHEMA)
    op.create_index("ix_recognitions_uscc_tier", "recognitions", ["uscc", "tier"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("ix_recognitions_uscc_tier", "recognitions", schema=SCHEMA)
    op.create_index("ix_recognitions_uscc", "recognitions", ["uscc"], schema=SCHEMA)
    op.alter_column(
        "recognitions",
        "batch",
        comment=None,
        existing_type=sa.String(50),
        existing_nullable=True,
        schema=SCHEMA,
    )
    for table in ("recognitions", "contracts"):
        op.alter_column(
            table, "batch", type_=sa.String(40), existing_type=sa.String(50), schema=SCHEMA
        )
    op.drop_column("enterprises", "industry_code", schema=SCHEMA)
