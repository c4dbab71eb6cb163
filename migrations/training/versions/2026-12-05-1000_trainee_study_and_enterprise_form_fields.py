"""trainee study period and degree; the replica's 附1-3 enterprise fields

A trainee gains 起止时间 (YYYY-MM text) and 学位 (附1-3 学历/学位), none for existing
trainees. The shared replica (``kit.registry_replica``) keeps what 附1-3's 企业情况 shows
of an enterprise: website, listing, IPO plan, titles. Rows replicated before have nulls
there until the enterprise's next event.

Revision ID: c4a7e2d9b613
Revises: 0e7b4c2d9f18
Create Date: 2026-12-05 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c4a7e2d9b613"
down_revision: str | None = "0e7b4c2d9f18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"
NOT_KEPT = "null on rows replicated before it was kept"
IPO_PLAN = "registry IpoPlan {stage, board}; null: none, or " + NOT_KEPT


def upgrade() -> None:
    for name, length in (("studied_from", 7), ("studied_until", 7), ("degree", 20)):
        op.add_column("trainees", sa.Column(name, sa.String(length), nullable=True), schema=SCHEMA)
    for column in (
        sa.Column("website", sa.String(300), nullable=True),
        sa.Column("listed", sa.Boolean(), nullable=True, comment=NOT_KEPT),
        sa.Column("listing_board", sa.String(20), nullable=True),
        sa.Column("ipo_plan", postgresql.JSONB(), nullable=True, comment=IPO_PLAN),
        sa.Column("titles", postgresql.ARRAY(sa.String(40)), nullable=True, comment=NOT_KEPT),
    ):
        op.add_column("enterprises", column, schema=SCHEMA)


def downgrade() -> None:
    for name in ("titles", "ipo_plan", "listing_board", "listed", "website"):
        op.drop_column("enterprises", name, schema=SCHEMA)
    for name in ("degree", "studied_until", "studied_from"):
        op.drop_column("trainees", name, schema=SCHEMA)
