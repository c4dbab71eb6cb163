"""Diagnosis tables, schema ``diagnosis``.

The replicas (enterprises, recognitions, institutions, contracts) are built from registry
events only: a request's eligibility and an assignment's institution are checked against
them, never by calling the registry.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kit import registry_replica
from kit.columns import Timestamped, uuid7_key
from kit.db import schema_metadata
from kit.flow import Step
from kit.registry_replica import RegistryReplica
from kit.tables import add_kit_tables
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from diagnosis.rules import OPEN


class Base(DeclarativeBase):
    metadata = schema_metadata("diagnosis")


kit_tables = add_kit_tables(Base.metadata)


# ---- replicas of the registry (kit.registry_replica) --------------------------------------


class EnterpriseReplica(registry_replica.Enterprise, Base):
    pass


class RecognitionReplica(registry_replica.Recognition, Base):
    pass


class InstitutionReplica(registry_replica.Institution, Base):
    pass


class ContractReplica(registry_replica.Contract, Base):
    pass


REPLICA = RegistryReplica(
    EnterpriseReplica, RecognitionReplica, InstitutionReplica, ContractReplica
)


# ---- plans, engagements -------------------------------------------------------------------


class Plan(Timestamped, Base):
    """A unit's yearly number of enterprises to diagnose, per kind (000 附件2/3 §三)."""

    __tablename__ = "plans"

    id: Mapped[uuid.UUID] = uuid7_key()
    unit: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(SmallInteger)
    planned_enterprises: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("unit", "kind", "year"),
        CheckConstraint("planned_enterprises >= 0", name="planned_not_negative"),
    )


_OPEN = ", ".join(f"'{s.value}'" for s in sorted(OPEN))


class Engagement(Timestamped, Base):
    """One enterprise's diagnosis of one kind in one batch, from its request to the report
    (and, for quality, the ministry's spot check)."""

    __tablename__ = "engagements"

    id: Mapped[uuid.UUID] = uuid7_key()
    kind: Mapped[str] = mapped_column(String(12))
    enterprise_uscc: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(4))  # the enterprise's filing unit
    region_code: Mapped[str] = mapped_column(String(6))  # the enterprise's, for city scoping
    batch: Mapped[str] = mapped_column(String(50))
    mode: Mapped[str] = mapped_column(String(10))
    expected_month: Mapped[int | None] = mapped_column(SmallInteger)
    focus_areas: Mapped[list[str]] = mapped_column(ARRAY(String(30)))
    focus_other: Mapped[str | None] = mapped_column(String(200))
    # 001 附件1-1 工作联系人: the phone and email encrypted (DESIGN.md §4 PII).
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_title: Mapped[str | None] = mapped_column(String(100))
    contact_mobile_enc: Mapped[bytes] = mapped_column(LargeBinary)
    contact_email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    requested_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(15))
    institution_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    institution_name: Mapped[str | None] = mapped_column(String(200))
    # The report's figures (kept here for lists and events): the institution's level
    # (quality), the ministry's spot-check level beside it, the number of suggestions.
    level: Mapped[str | None] = mapped_column(String(12))
    spot_level: Mapped[str | None] = mapped_column(String(12))
    spot_remarks: Mapped[str | None] = mapped_column(String(1000))
    suggestions: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    typical_case: Mapped[bool] = mapped_column(server_default=text("false"))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        # One open engagement per enterprise × kind × batch (API.md: ENGAGEMENT_EXISTS).
        Index(
            "uq_engagements_open",
            "enterprise_uscc",
            "kind",
            "batch",
            unique=True,
            postgresql_where=text(f"state IN ({_OPEN})"),
        ),
        Index(None, "unit", "kind", "batch", "id"),
        Index(None, "institution_id", "id"),
        Index(None, "enterprise_uscc"),
        CheckConstraint("expected_month BETWEEN 1 AND 12", name="expected_month_in_year"),
    )


class Transition(Step, Base):
    """Each step of an engagement: who moved it, when, and why (a return's reasons)."""

    __tablename__ = "engagement_transitions"

    engagement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnosis.engagements.id"), index=True
    )


# ---- the work: self-assessment, visits, report, typical cases -----------------------------


class Questionnaire(Base):
    """A self-assessment questionnaire version: dimensions with weights, items (scale 1–5,
    yes/no, or a number against its full mark), and the levels its total reaches (quality).
    Versions are immutable: an answer is scored by the version it was given on."""

    __tablename__ = "questionnaires"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    sample: Mapped[bool] = mapped_column(server_default=text("false"))
    dimensions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    thresholds: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SelfAssessment(Base):
    """The enterprise's self-assessment, scored once by its questionnaire version."""

    __tablename__ = "self_assessments"

    engagement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnosis.engagements.id"), primary_key=True
    )
    questionnaire_code: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONB)  # per dimension, 0–100
    total: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    indicated_level: Mapped[str | None] = mapped_column(String(12))
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Visit(Base):
    """The assigned institution's review (复核): an on-site or online visit."""

    __tablename__ = "visits"

    id: Mapped[uuid.UUID] = uuid7_key()
    engagement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnosis.engagements.id"), index=True
    )
    visited_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(10))
    experts: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    findings: Mapped[str] = mapped_column(String(5000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Report(Base):
    """诊断评估报告: level (quality, the institution's decision), findings, suggestions."""

    __tablename__ = "reports"

    engagement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnosis.engagements.id"), primary_key=True
    )
    level: Mapped[str | None] = mapped_column(String(12))
    findings: Mapped[str] = mapped_column(String(10000))
    suggestions: Mapped[list[str]] = mapped_column(JSONB)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(Integer)


class TypicalCase(Base):
    """典型案例 (000:275): a confirmed management engagement promoted for exchange."""

    __tablename__ = "typical_cases"

    engagement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnosis.engagements.id"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(5000))
    promoted_by: Mapped[str] = mapped_column(String(200))
    promoted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


# ---- 验收, activities, surveys --------------------------------------------------------------


class Acceptance(Timestamped, Base):
    """验收 of an institution's work for a unit × task × batch (000:243, 000:273): by an
    expert panel (专家评审会) or a third party, with its result and the 奖补 it decides."""

    __tablename__ = "acceptances"

    id: Mapped[uuid.UUID] = uuid7_key()
    institution_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    institution_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(12))
    batch: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(String(20))
    accepted_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(10))
    award_wan_yuan: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    engagement_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    recorded_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("institution_id", "unit", "kind", "batch"),
        CheckConstraint("award_wan_yuan >= 0", name="award_not_negative"),
    )


class Activity(Timestamped, Base):
    """贯标培训 and quality or management activities (附件5 Q1 / M1), with the enterprises
    that took part."""

    __tablename__ = "activities"

    id: Mapped[uuid.UUID] = uuid7_key()
    kind: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(4))
    institution_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(String(200))
    enterprise_usccs: Mapped[list[str]] = mapped_column(ARRAY(String(18)))
    recorded_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index(None, "unit", "kind", "held_on"),)


class Survey(Base):
    """The enterprise's 满意度评价 of its engagement (1–5 per dimension), once."""

    __tablename__ = "surveys"

    engagement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("diagnosis.engagements.id"), primary_key=True
    )
    scores: Mapped[dict[str, int]] = mapped_column(JSONB)
    overall: Mapped[Decimal] = mapped_column(Numeric(3, 2))
    satisfied: Mapped[bool] = mapped_column()
    comment: Mapped[str | None] = mapped_column(String(1000))
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
