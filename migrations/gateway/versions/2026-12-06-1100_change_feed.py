"""the change feed: every event of every service, in commit order

``GET /api/v1/column/changes`` reads it; one durable consumer per service stream writes it
(``gateway.changes``), taking ``seq`` under one advisory lock so that ``seq`` order is commit
order. The consumers start from the beginning of each stream, so the feed is filled with
whatever the streams still hold.

Revision ID: c7c45717cdb2
Revises: 31ce9e8ffd93
Create Date: 2026-12-06 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c7c45717cdb2"
down_revision: str | None = "31ce9e8ffd93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column(
            "province",
            sa.String(length=4),
            nullable=True,
            comment="the event's filing unit (CloudEvent extension province)",
        ),
        sa.Column("event", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_changes")),
        sa.UniqueConstraint("event_id", name=op.f("uq_changes_event_id")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_changes_province_seq", "changes", ["province", "seq"], unique=False, schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_index("ix_changes_province_seq", table_name="changes", schema=SCHEMA)
    op.drop_table("changes", schema=SCHEMA)
