"""webhook retention: indexes of what the purge (``gateway.webhooks.rules.RETENTION``) finds

Settled deliveries by their last try (or creation), events by when they were received. The
purge itself is a worker (``kit.retention``); nothing is deleted by this revision.

Revision ID: 4d8e2a6c1f07
Revises: b0f66cc3c5c5
Create Date: 2026-12-08 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d8e2a6c1f07"
down_revision: str | None = "b0f66cc3c5c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    op.create_index(
        "ix_webhook_deliveries_settled",
        "webhook_deliveries",
        [sa.text("coalesce(last_attempt_at, created_at)")],
        schema=SCHEMA,
        postgresql_where=sa.text("status <> 'pending'"),
    )
    op.create_index(
        "ix_webhook_events_received_at", "webhook_events", ["received_at"], schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_events_received_at", "webhook_events", schema=SCHEMA)
    op.drop_index("ix_webhook_deliveries_settled", "webhook_deliveries", schema=SCHEMA)
