"""The change feed's table: every event of every service, once, in the order it was
recorded (``GET /api/v1/column/changes``).

``seq`` is the feed's order. Its values are taken only under one transaction-level advisory
lock (``gateway.changes.handlers``), held until the recording transaction commits, so
``seq`` order is commit order: a reader that saw ``seq`` N never later finds a row below N
(with a bare sequence, a transaction holding a smaller value can commit after one holding
a larger value, and a client reading past the larger one would miss it for good).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.base import Base


class Change(Base):
    """One event as the gateway received it (the CloudEvent whole, which carries no PII)."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_province_seq", "province", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    type: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(
        String(4), comment="the event's filing unit (CloudEvent extension province)"
    )
    event: Mapped[dict[str, Any]] = mapped_column(JSONB)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
