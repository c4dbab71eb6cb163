"""The diagnosis part of the read model (质量诊断 + 管理诊断): counters per (scope, kind,
batch) — batch the engagement's 培育赋能工作批次 as published (``第一批``) or ``all`` — and the
quality level distribution per (scope, batch), kept by the consumer beside a version-guarded
replica of each engagement (what its last known state counts) and the activities counted.

Scopes are the engagement's unit and its city (``gateway.base``): an engagement belongs to
exactly one unit, so the nation's figures are the sum of the units', added up when read.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Integer, String, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.base import Base
from gateway.counters import counter

QUALITY = "quality"  # the kind with levels (management reports have none)
# The figures of ``DiagnosisCount``, each kept per (scope, kind, batch).
FIGURES = (
    "requested",
    "self_assessed",
    "diagnosed",
    "reports_with_suggestions",
    "typical_cases",
    "activities",
    "responses",
    "satisfied",
)


class DiagnosisCount(Base):
    """The diagnosis figures of a scope for one kind (quality, management) in a batch."""

    __tablename__ = "diagnosis_counts"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    batch: Mapped[str] = mapped_column(String(50), primary_key=True)
    requested: Mapped[int] = counter()
    self_assessed: Mapped[int] = counter()
    diagnosed: Mapped[int] = counter()
    reports_with_suggestions: Mapped[int] = counter()
    typical_cases: Mapped[int] = counter()
    # Activities carry no batch: counted in ``all`` and in their unit only.
    activities: Mapped[int] = counter()
    responses: Mapped[int] = counter()
    satisfied: Mapped[int] = counter()


class DiagnosisLevelCount(Base):
    """Diagnosed quality engagements of a scope in a batch at ``level`` (the spot check's
    level where the ministry checked, else the report's)."""

    __tablename__ = "diagnosis_level_counts"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    batch: Mapped[str] = mapped_column(String(50), primary_key=True)
    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    engagements: Mapped[int] = counter()


class EngagementReplica(Base):
    """诊断: the latest known state of an engagement — what it counts — and its survey's
    rating. A survey may arrive before any state of its engagement: the replica then knows
    only the survey (``state`` null, ``version`` 0, no city yet)."""

    __tablename__ = "diagnosis_engagements"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(4))
    city: Mapped[str | None] = mapped_column(String(6))
    batch: Mapped[str] = mapped_column(String(50))
    state: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(12))
    spot_level: Mapped[str | None] = mapped_column(String(12))
    suggestions: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    typical_case: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    satisfied: Mapped[bool | None] = mapped_column(Boolean)  # its survey's; null: none yet
    version: Mapped[int] = mapped_column(Integer)


class CountedActivity(Base):
    """活动 already counted: an activity re-emitted under a new event id counts once."""

    __tablename__ = "diagnosis_activities"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(4))
