"""The training part of the read model: counters per (scope, period) — period a plan period
or ``all`` — kept by the consumer beside version-guarded replicas of classes and enrollments
and the memberships that make the distinct counts reversible. Classes and certificates are
dated (a class counts from its first day, a certificate from its issue), so they are day
deltas as tiers are (``gateway.registry.models``).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.base import Base
from gateway.counters import counter

ALL_PERIODS = "all"  # the period row that accumulates every plan period
UNDATED = date(1, 1, 1)  # the day of classes and certificates counted before days were kept


class TrainingCount(Base):
    """Undated training figures of a scope in a plan period (or all of them)."""

    __tablename__ = "training_counts"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    trainees: Mapped[int] = counter()
    enterprises_trained: Mapped[int] = counter()
    responses: Mapped[int] = counter()
    satisfied: Mapped[int] = counter()


class TrainingDayCount(Base):
    """Change in the classes (by first day) and certificates (by issue day) of a scope in a
    plan period on ``day``; rows counted before days were kept carry ``UNDATED``."""

    __tablename__ = "training_day_counts"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    classes: Mapped[int] = counter()
    certificates: Mapped[int] = counter()


class ClassReplica(Base):
    """培训班: where and when it counts (organising province first, then joint provinces)."""

    __tablename__ = "training_classes"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    period: Mapped[str] = mapped_column(String(9))
    provinces: Mapped[list[str]] = mapped_column(ARRAY(String(4)))
    start_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)


class EnrollmentReplica(Base):
    """The latest known state of an enrollment (its events may arrive out of order)."""

    __tablename__ = "training_enrollments"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    trainee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    enterprise_uscc: Mapped[str] = mapped_column(String(18))
    province: Mapped[str] = mapped_column(String(4))  # the trainee's enterprise's
    class_province: Mapped[str] = mapped_column(String(4))  # the organising province
    # The enterprise's city, once the registry's events have told where the enterprise is
    # (the two streams are not ordered with each other).
    city: Mapped[str | None] = mapped_column(String(6))
    period: Mapped[str] = mapped_column(String(9))
    state: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_training_enrollments_enterprise_uscc", "enterprise_uscc"),
        Index("ix_training_enrollments_trainee_id", "trainee_id"),
    )


class TraineeMembership(Base):
    """A trainee counted in (scope, period): ``enrollments`` is how many of their confirmed
    or completed enrollments put them there; the trainee leaves the count when it is 0."""

    __tablename__ = "training_trainee_members"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    trainee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    enrollments: Mapped[int] = mapped_column(Integer)


class TrainedEnterprise(Base):
    """An enterprise with a completed enrollment in (scope, period), as for trainees; its
    rows of the national scope are the coverage numerator's candidates."""

    __tablename__ = "training_enterprise_members"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    enrollments: Mapped[int] = mapped_column(Integer)


class CountedCertificate(Base):
    """结业证书 already counted: an issue re-emitted under a new event id counts once.
    ``city`` is null until the enterprise's city is known, then it counts there too."""

    __tablename__ = "training_certificates"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Null on certificates counted before cities were kept: they never count in a city.
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    period: Mapped[str | None] = mapped_column(String(9))
    issued_on: Mapped[date | None] = mapped_column(Date)
    city: Mapped[str | None] = mapped_column(String(6))


class CountedSurvey(Base):
    """满意度评价 already counted (as for certificates); it counts in the city of its
    trainee's enterprise once an enrollment of the trainee has placed it."""

    __tablename__ = "training_surveys"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # Null on surveys counted before cities were kept (as for certificates).
    trainee_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    period: Mapped[str | None] = mapped_column(String(9))
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    city: Mapped[str | None] = mapped_column(String(6))
