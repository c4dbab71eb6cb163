"""Webhooks for provincial systems (Standard Webhooks): endpoints, the events they were sent,
deliveries and every attempt.

An event's body is kept once (``webhook_events``), whatever the number of deliveries of it;
a delivery is one endpoint's copy of one event, retried on a schedule by the delivery worker
(``gateway.webhooks.worker``), each try logged in ``webhook_attempts``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from kit.columns import Timestamped
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column
from uuid6 import uuid7

from gateway.base import Base

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


class WebhookEndpoint(Timestamped, Base):
    """A provincial system's receiving URL: its unit's events (every unit's when ``unit`` is
    null, the ministry's only), of the types it names (every type when none)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    unit: Mapped[str | None] = mapped_column(String(4), comment="filing unit; null: every unit")
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(String(500))
    event_types: Mapped[list[str]] = mapped_column(
        ARRAY(String(200)), server_default="{}", comment="empty: every type"
    )
    # The signing secret, encrypted with the PII cipher (bound to the endpoint's id): it is
    # needed in the clear to sign, so it cannot be hashed.
    secret_enc: Mapped[bytes] = mapped_column(LargeBinary)
    # After a rotation the old secret signs beside the new one until it expires.
    previous_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enabled: Mapped[bool] = mapped_column(server_default=text("true"))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    failing_since: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), comment="first failed attempt since the last success"
    )
    created_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_webhook_endpoints_unit", "unit"),)


class WebhookEvent(Base):
    """An event that matched an endpoint: its CloudEvent JSON exactly as received, kept once."""

    __tablename__ = "webhook_events"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    type: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(4), comment="the event's province")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), comment="its time")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        Index("ix_webhook_events_unit_occurred_at", "unit", "occurred_at"),
        Index("ix_webhook_events_received_at", "received_at"),  # retention
    )


class WebhookDelivery(Base):
    """One endpoint's copy of one event (a replay or a fan-out makes one)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_events.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), server_default=text(f"'{PENDING}'"))
    tries: Mapped[int] = mapped_column(
        Integer, server_default=text("0"), comment="failed tries of the current schedule"
    )
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # Set while a worker holds the delivery: it updates the row only if still its own.
    lease: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    succeeded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(f"status IN ('{PENDING}', '{SUCCEEDED}', '{FAILED}')", name="status"),
        Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
        # What the worker claims: due pending deliveries, soonest first.
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=text(f"status = '{PENDING}'"),
        ),
        # What retention purges (``rules.RETENTION``): settled deliveries by their last try.
        Index(
            "ix_webhook_deliveries_settled",
            func.coalesce(text("last_attempt_at"), text("created_at")),
            postgresql_where=text(f"status <> '{PENDING}'"),
        ),
    )


class WebhookAttempt(Base):
    """One try of a delivery: when, the response's status and an excerpt, or the error."""

    __tablename__ = "webhook_attempts"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text, comment="at most 1 KB")
    error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_webhook_attempts_delivery_id_id", "delivery_id", "id"),)
