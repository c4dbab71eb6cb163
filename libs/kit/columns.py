"""Columns every service's models share, written once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column
from uuid6 import uuid7


class Timestamped:
    """When a row was created and last changed (the database's clock), read back by the
    INSERT or UPDATE itself (``RETURNING``): no reload after a flush, and no lazy load of an
    expired timestamp (which an async session cannot do)."""

    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": True}

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def uuid7_key() -> Mapped[uuid.UUID]:
    """A primary key of time-ordered UUIDs (v7): keyset pages follow creation."""
    return mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
