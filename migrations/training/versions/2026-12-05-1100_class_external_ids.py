"""classes synced by a provincial system carry its own key

补录 in bulk: a class a provincial system synced keeps the system's id (``external_id``,
unique in its unit) and a digest of what it sent, so that a resend is recognised.

Revision ID: 7d3e9b5f1a26
Revises: c4a7e2d9b613
Create Date: 2026-12-05 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d3e9b5f1a26"
down_revision: str | None = "c4a7e2d9b613"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "training"


def upgrade() -> None:
    op.add_column("classes", sa.Column("external_id", sa.String(100), nullable=True), schema=SCHEMA)
    op.add_column("classes", sa.Column("sync_digest", sa.String(64), nullable=True), schema=SCHEMA)
    op.create_index(
        "uq_classes_external_id",
        "classes",
        ["province", "external_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("external_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_classes_external_id", table_name="classes", schema=SCHEMA)
    op.drop_column("classes", "sync_digest", schema=SCHEMA)
    op.drop_column("classes", "external_id", schema=SCHEMA)
