"""Gateway read models (schema ``gateway``), fed only by other services' events.

Tier counts are kept as day deltas per province and tier: +1 on the first day an enterprise
holds a tier, -1 on the day it stops. The count on any date is the sum of deltas up to it,
so the overview costs O(provinces × tiers × distinct dates), never a scan of enterprises.

Training figures are counters per (scope, period) — scope a province or ``00`` for the
nation, period a plan period or ``all`` — kept by the consumer beside version-guarded replicas
of classes and enrollments and the memberships that make the distinct counts reversible.
"""

from __future__ import annotations

import uuid
from datetime import date

from kit.db import schema_metadata
from kit.tables import add_kit_tables
from sqlalchemy import Date, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
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


# ---- training (培训) ----------------------------------------------------------------------

NATIONAL = "00"  # the scope that counts each fact once, however many provinces it touches
ALL_PERIODS = "all"  # the period row that accumulates every plan period


def _count() -> Mapped[int]:
    return mapped_column(Integer, server_default=text("0"))


class TrainingCount(Base):
    """Training figures of a province (or the nation) in a plan period (or all of them)."""

    __tablename__ = "training_counts"

    scope: Mapped[str] = mapped_column(String(2), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    classes: Mapped[int] = _count()
    trainees: Mapped[int] = _count()
    enterprises_trained: Mapped[int] = _count()
    certificates: Mapped[int] = _count()
    responses: Mapped[int] = _count()
    satisfied: Mapped[int] = _count()


class ClassReplica(Base):
    """培训班: where and when it counts (organising province first, then joint provinces)."""

    __tablename__ = "training_classes"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    period: Mapped[str] = mapped_column(String(9))
    provinces: Mapped[list[str]] = mapped_column(ARRAY(String(2)))
    version: Mapped[int] = mapped_column(Integer)


class EnrollmentReplica(Base):
    """The latest known state of an enrollment (its events may arrive out of order)."""

    __tablename__ = "training_enrollments"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    trainee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    enterprise_uscc: Mapped[str] = mapped_column(String(18))
    province: Mapped[str] = mapped_column(String(2))  # the trainee's enterprise's
    class_province: Mapped[str] = mapped_column(String(2))  # the organising province
    period: Mapped[str] = mapped_column(String(9))
    state: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)


class TraineeMembership(Base):
    """A trainee counted in (scope, period): ``enrollments`` is how many of their confirmed
    or completed enrollments put them there; the trainee leaves the count when it is 0."""

    __tablename__ = "training_trainee_members"

    scope: Mapped[str] = mapped_column(String(2), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    trainee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    enrollments: Mapped[int] = mapped_column(Integer)


class TrainedEnterprise(Base):
    """An enterprise with a completed enrollment in (scope, period), as for trainees; its
    rows of the national scope are the coverage numerator's candidates."""

    __tablename__ = "training_enterprise_members"

    scope: Mapped[str] = mapped_column(String(2), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    enrollments: Mapped[int] = mapped_column(Integer)


class CountedCertificate(Base):
    """结业证书 already counted: an issue re-emitted under a new event id counts once."""

    __tablename__ = "training_certificates"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)


class CountedSurvey(Base):
    """满意度评价 already counted (as for certificates)."""

    __tablename__ = "training_surveys"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
