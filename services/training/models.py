"""Training tables, schema ``training``.

The replicas (enterprises, recognitions, institutions, contracts) are built from registry
events only: enrollment checks eligibility against them, never by calling the registry.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kit import registry_replica
from kit.columns import Timestamped, uuid7_key
from kit.db import schema_metadata
from kit.registry_replica import RegistryReplica
from kit.tables import add_kit_tables
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = schema_metadata("training")


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


# ---- 师资库 ---------------------------------------------------------------------------------


class Teacher(Timestamped, Base):
    __tablename__ = "teachers"

    id: Mapped[uuid.UUID] = uuid7_key()
    province: Mapped[str] = mapped_column(String(4), index=True)  # who keeps the record
    name: Mapped[str] = mapped_column(String(100))
    affiliation_kind: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    topics: Mapped[list[str]] = mapped_column(ARRAY(String(40)))


# ---- plans and their filings ----------------------------------------------------------------


class Plan(Timestamped, Base):
    """A province's training plan for a period; ``version`` counts its filings' amendments."""

    __tablename__ = "plans"

    id: Mapped[uuid.UUID] = uuid7_key()
    province: Mapped[str] = mapped_column(String(4))
    period: Mapped[str] = mapped_column(String(9))
    eligible_tiers: Mapped[list[str]] = mapped_column(ARRAY(String(30)))
    # Courses averaging under this in the surveys are flagged for adjustment.
    course_flag_threshold: Mapped[Decimal] = mapped_column(
        Numeric(3, 2), server_default=text("4.00")
    )
    # The most live enrollments an enterprise holds, per plan period or per class (001).
    per_enterprise_limit: Mapped[int] = mapped_column(SmallInteger, server_default=text("2"))
    per_enterprise_scope: Mapped[str] = mapped_column(String(5), server_default=text("'plan'"))
    # The attendance share a 结业证书 needs (001 备注: 90%).
    certificate_threshold: Mapped[Decimal] = mapped_column(
        Numeric(3, 2), server_default=text("0.90")
    )
    status: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("province", "period"),
        CheckConstraint("per_enterprise_limit BETWEEN 1 AND 20", name="per_enterprise_limit"),
        CheckConstraint("per_enterprise_scope IN ('plan', 'class')", name="per_enterprise_scope"),
        CheckConstraint("certificate_threshold BETWEEN 0.5 AND 1", name="certificate_threshold"),
    )


class PlanFiling(Base):
    """One filing (填报) of a plan version: kept forever, the plan as it was filed."""

    __tablename__ = "plan_filings"

    id: Mapped[uuid.UUID] = uuid7_key()
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.plans.id"))
    version: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    on_time: Mapped[bool] = mapped_column(Boolean)
    filed_by: Mapped[str] = mapped_column(String(100))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)

    __table_args__ = (UniqueConstraint("plan_id", "version"),)


class PlanCourse(Timestamped, Base):
    """A course of the plan's own (计划自设课程), besides the 11 key courses of 附1-1.

    ``code`` is generated and unique across plans: surveys keep their scores under it, and a
    plan's report pools the surveys of earlier plans, so two plans' courses never merge.
    """

    __tablename__ = "plan_courses"

    id: Mapped[uuid.UUID] = uuid7_key()
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.plans.id"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("plan_id", "name"),)


# ---- classes ------------------------------------------------------------------------------


class TrainingClass(Timestamped, Base):
    """A 班次. ``provinces`` = the organising province followed by its joint provinces."""

    __tablename__ = "classes"

    id: Mapped[uuid.UUID] = uuid7_key()
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.plans.id"), index=True)
    province: Mapped[str] = mapped_column(String(4))
    provinces: Mapped[list[str]] = mapped_column(ARRAY(String(4)))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    industry: Mapped[str | None] = mapped_column(String(100))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    institution_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    institution_name: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    onsite_items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    teacher_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    backfilled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A class a provincial system synced (补录 in bulk): its own id, and what it sent.
    external_id: Mapped[str | None] = mapped_column(String(100))
    sync_digest: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("start_on <= end_on", name="dates_ordered"),
        Index(
            "uq_classes_external_id",
            "province",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL"),
        ),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        Index(None, "provinces", postgresql_using="gin"),
    )


class ClassSession(Base):
    """A day of teaching; attendance is taken per session."""

    __tablename__ = "class_sessions"

    id: Mapped[uuid.UUID] = uuid7_key()
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.classes.id"))
    day: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("class_id", "day"),)


# ---- trainees and enrollment ------------------------------------------------------------------


class Trainee(Timestamped, Base):
    """学员 (附1-3): ID number, mobile and email encrypted; the ID number blind-indexed."""

    __tablename__ = "trainees"

    id: Mapped[uuid.UUID] = uuid7_key()
    enterprise_uscc: Mapped[str] = mapped_column(String(18), index=True)
    region_code: Mapped[str] = mapped_column(String(6))  # the enterprise's, for city scoping
    province: Mapped[str] = mapped_column(String(4), index=True)
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str] = mapped_column(String(6))
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_index: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    mobile_enc: Mapped[bytes] = mapped_column(LargeBinary)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    political_status: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[str] = mapped_column(String(100))
    management_years: Mapped[int | None] = mapped_column(SmallInteger)
    address: Mapped[str | None] = mapped_column(String(300))
    education: Mapped[str | None] = mapped_column(String(20))
    school: Mapped[str | None] = mapped_column(String(200))
    major: Mapped[str | None] = mapped_column(String(200))
    # 起止时间 as YYYY-MM text (kit.fields.YearMonth), which orders as the months do.
    studied_from: Mapped[str | None] = mapped_column(String(7))
    studied_until: Mapped[str | None] = mapped_column(String(7))
    degree: Mapped[str | None] = mapped_column(String(20))
    social_roles: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    honours: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer)


class Enrollment(Timestamped, Base):
    __tablename__ = "enrollments"

    id: Mapped[uuid.UUID] = uuid7_key()
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.classes.id"))
    trainee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.trainees.id"), index=True)
    enterprise_uscc: Mapped[str] = mapped_column(String(18))
    province: Mapped[str] = mapped_column(String(4))  # the trainee's enterprise's
    state: Mapped[str] = mapped_column(String(12))
    backfilled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    reason: Mapped[str | None] = mapped_column(String(500))
    attendance_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("class_id", "trainee_id"),
        Index(None, "class_id", "enterprise_uscc"),
        Index(None, "province", "enterprise_uscc"),
    )


class Attendance(Base):
    __tablename__ = "attendance"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training.class_sessions.id"), primary_key=True
    )
    trainee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training.trainees.id"), primary_key=True
    )
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.classes.id"), index=True)
    present: Mapped[bool] = mapped_column(Boolean)


class Certificate(Base):
    """结业证书, verifiable by its number."""

    __tablename__ = "certificates"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training.enrollments.id"), unique=True
    )
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.classes.id"), index=True)
    trainee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.trainees.id"), index=True)
    attendance_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    # The training institution in whose name it is issued (001:212), as named on issuing.
    institution_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)


class Survey(Base):
    """满意度评价: one per trainee per class, scores 1–5."""

    __tablename__ = "surveys"

    id: Mapped[uuid.UUID] = uuid7_key()
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.classes.id"))
    trainee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training.trainees.id"))
    arrangement: Mapped[int] = mapped_column(SmallInteger)
    content: Mapped[int] = mapped_column(SmallInteger)
    effect: Mapped[int] = mapped_column(SmallInteger)
    overall: Mapped[Decimal] = mapped_column(Numeric(3, 2))
    courses: Mapped[dict[str, int]] = mapped_column(JSONB)
    comment: Mapped[str | None] = mapped_column(String(1000))
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (UniqueConstraint("class_id", "trainee_id"),)


class TrainedEnterprise(Base):
    """An enterprise trained in a plan period: one of its managers completed a class of the
    period's plan. Coverage's numerator counts these (``CoverageDelta``)."""

    __tablename__ = "trained_enterprises"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)


class CoverageDelta(Base):
    """Change on ``day`` in a coverage count of ``scope`` (a province, city or county code
    prefix: 42, 4201, 420102), kept as classes close and the replica changes, so that
    coverage on any date is a sum over a few rows, never a scan of enrollments.

    ``kind``: ``valid`` (valid 小巨人, ``period`` empty), ``batch`` / ``first`` (enterprises
    trained in the period / first trained in it, dated ``UNDATED``) and ``batch_valid`` /
    ``first_valid`` (those of them holding 小巨人 on the day).
    """

    __tablename__ = "coverage_deltas"

    scope: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(9))
    day: Mapped[date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)

    # The key carries the delta: a read of the counts is an index-only scan.
    __table_args__ = (
        PrimaryKeyConstraint("scope", "kind", "period", "day", postgresql_include=["delta"]),
    )


class CoverageTarget(Timestamped, Base):
    """A unit's own cumulative coverage target for a plan period (its work plan's 绩效目标;
    001's 30% / 全覆盖 are Hubei's), with where it comes from."""

    __tablename__ = "coverage_targets"

    province: Mapped[str] = mapped_column(String(4), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    target: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    source: Mapped[str] = mapped_column(String(300))

    __table_args__ = (CheckConstraint("target > 0 AND target <= 1", name="share"),)
