"""the replica's 附1-3 enterprise fields

The shared replica (``kit.registry_replica``) keeps what training's 附1-3 export shows of an
enterprise (企业情况: website, listing, IPO plan, titles); the gateway's copy has the same
columns. Rows replicated before have nulls there until the enterprise's next event.

Revision ID: e8b1f5a3c927
Revises: 9a4f6e1c3d85
Create Date: 2026-12-05 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e8b1f5a3c927"
down_revision: str | None = "9a4f6e1c3d85"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"
NOT_KEPT = "null on rows replicated before it was kept"
IPO_PLAN = "registry IpoPlan {stage, board}; null: none, or " + NOT_KEPT


def upgrade() -> None:
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
