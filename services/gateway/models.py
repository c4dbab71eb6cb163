"""Gateway read models (schema ``gateway``), fed only by other services' events.

Tier counts are kept as day deltas per province and tier: +1 on the first day an enterprise
holds a tier, -1 on the day it stops. The count on any date is the sum of deltas up to it,
so the overview costs O(provinces × tiers × distinct dates), never a scan of enterprises.
"""

from __future__ import annotations

import uuid
from datetime import date

from kit.db import schema_metadata
from kit.tables import add_kit_tables
from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = schema_metadata("gateway")


kit_tables = add_kit_tables(Base.metadata)


class EnterpriseReplica(Base):
    """Where an enterprise is (its tiers count in that province)."""

    __tablename__ = "enterprises"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    province: Mapped[str] = mapped_column(String(2))
    version: Mapped[int] = mapped_column(Integer)


class RecognitionReplica(Base):
    __tablename__ = "recognitions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18))
    tier: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_recognitions_uscc_tier", "uscc", "tier"),)


class TierDelta(Base):
    """Change in the number of enterprises holding ``tier`` in ``province`` on ``day``."""

    __tablename__ = "tier_deltas"

    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    tier: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    delta: Mapped[int] = mapped_column(Integer)


class ProvinceCount(Base):
    """Enterprises registered per province (kept by the consumer, read by the overview)."""

    __tablename__ = "province_counts"

    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    enterprises: Mapped[int] = mapped_column(Integer)
