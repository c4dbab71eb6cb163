"""webhook endpoints and deliveries

Provincial systems' webhook endpoints (their secrets encrypted), the events sent to them (the
CloudEvent JSON kept once), one delivery per endpoint and event, and every attempt of it
(``gateway.webhooks``). New tables only: nothing before this revision is touched.

Revision ID: 31ce9e8ffd93
Revises: ce8f94941e52
Create Date: 2026-12-06 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "31ce9e8ffd93"
down_revision: str | None = "ce8f94941e52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "unit", sa.String(length=4), nullable=True, comment="filing unit; null: every unit"
        ),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column(
            "event_types",
            postgresql.ARRAY(sa.String(length=200)),
            server_default="{}",
            nullable=False,
            comment="empty: every type",
        ),
        sa.Column("secret_enc", sa.LargeBinary(), nullable=False),
        sa.Column("previous_secret_enc", sa.LargeBinary(), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.String(length=500), nullable=True),
        sa.Column(
            "failing_since",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="first failed attempt since the last success",
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
        schema="gateway",
    )
    op.create_index(
        "ix_webhook_endpoints_unit", "webhook_endpoints", ["unit"], unique=False, schema="gateway"
    )
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=True, comment="the event's province"),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, comment="its time"),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        schema="gateway",
    )
    op.create_index(
        "ix_webhook_events_unit_occurred_at",
        "webhook_events",
        ["unit", "occurred_at"],
        unique=False,
        schema="gateway",
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("endpoint_id", sa.UUID(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column(
            "status", sa.String(length=10), server_default=sa.text("'pending'"), nullable=False
        ),
        sa.Column(
            "tries",
            sa.Integer(),
            server_default=sa.text("0"),
            nullable=False,
            comment="failed tries of the current schedule",
        ),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("lease", sa.UUID(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("succeeded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'succeeded', 'failed')",
            name=op.f("ck_webhook_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["gateway.webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["gateway.webhook_events.id"],
            name=op.f("fk_webhook_deliveries_event_id_webhook_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        schema="gateway",
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["next_attempt_at"],
        unique=False,
        schema="gateway",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint_id_id",
        "webhook_deliveries",
        ["endpoint_id", "id"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        op.f("ix_webhook_deliveries_event_id"),
        "webhook_deliveries",
        ["event_id"],
        unique=False,
        schema="gateway",
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("delivery_id", sa.UUID(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("response_excerpt", sa.Text(), nullable=True, comment="at most 1 KB"),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["gateway.webhook_deliveries.id"],
            name=op.f("fk_webhook_attempts_delivery_id_webhook_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
        schema="gateway",
    )
    op.create_index(
        "ix_webhook_attempts_delivery_id_id",
        "webhook_attempts",
        ["delivery_id", "id"],
        unique=False,
        schema="gateway",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_webhook_attempts_delivery_id_id", table_name="webhook_attempts", schema="gateway"
    )
    op.drop_table("webhook_attempts", schema="gateway")
    op.drop_index(
        op.f("ix_webhook_deliveries_event_id"), table_name="webhook_deliveries", schema="gateway"
    )
    op.drop_index(
        "ix_webhook_deliveries_endpoint_id_id", table_name="webhook_deliveries", schema="gateway"
    )
    op.drop_index(
        "ix_webhook_deliveries_due",
        table_name="webhook_deliveries",
        schema="gateway",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_table("webhook_deliveries", schema="gateway")
    op.drop_index(
        "ix_webhook_events_unit_occurred_at", table_name="webhook_events", schema="gateway"
    )
    op.drop_table("webhook_events", schema="gateway")
    op.drop_index("ix_webhook_endpoints_unit", table_name="webhook_endpoints", schema="gateway")
    op.drop_table("webhook_endpoints", schema="gateway")
