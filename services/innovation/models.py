"""Innovation tables, schema ``innovation``.

The replicas (enterprises, recognitions, institutions, contracts) are built from registry
events only: a demand's eligibility and a project's institution are checked against them,
never by calling the registry.
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
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.functions import Function


class Base(DeclarativeBase):
    metadata = schema_metadata("innovation")


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


# ---- the unit's setting, demands ----------------------------------------------------------


class UnitSetting(Base):
    """Whether a unit runs the task (000:39) and the tiers its demands must hold."""

    __tablename__ = "unit_settings"

    unit: Mapped[str] = mapped_column(String(4), primary_key=True)
    runs: Mapped[bool] = mapped_column()
    eligible_tiers: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Demand(Timestamped, Base):
    """企业技术创新需求 (001 附件1-3), from its submission to the 需求库 and beyond."""

    __tablename__ = "demands"

    id: Mapped[uuid.UUID] = uuid7_key()
    enterprise_uscc: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(4))  # the enterprise's filing unit
    region_code: Mapped[str] = mapped_column(String(6))  # the enterprise's, for city scoping
    # 企业类型: the highest admitted tier the enterprise held on the filing date.
    enterprise_tier: Mapped[str] = mapped_column(String(20))
    # 专项联系人及职务, 电话: the phone encrypted (DESIGN.md §4 PII).
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_title: Mapped[str | None] = mapped_column(String(100))
    contact_phone_enc: Mapped[bytes] = mapped_column(LargeBinary)
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    title: Mapped[str] = mapped_column(String(200))
    # 需求详情: 具体要求及需要解决的问题 · 技术或项目基础情况 · 时间要求 (prose, with an
    # optional date where the enterprise names one).
    problem: Mapped[str] = mapped_column(String(5000))
    basis: Mapped[str] = mapped_column(String(5000))
    time_requirement: Mapped[str] = mapped_column(String(1000))
    due_on: Mapped[date | None] = mapped_column(Date)
    quantitative_targets: Mapped[str] = mapped_column(String(5000))  # 量化指标
    necessity: Mapped[str] = mapped_column(String(5000))  # 必要性
    budget_wan_yuan: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # 经费投入预算
    past_cooperation: Mapped[list[dict[str, Any]]] = mapped_column(  # 过往技术合作案例
        JSONB, server_default=text("'[]'::jsonb")
    )
    onsite_needed: Mapped[bool] = mapped_column()
    publishable: Mapped[bool] = mapped_column()  # 技术需求是否可公开发布
    submitted_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(15))
    decline_reason: Mapped[str | None] = mapped_column(String(1000))
    # The selection round that took the demand up (selected, or not when it closed).
    round_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("innovation.rounds.id"))
    batch: Mapped[str | None] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index(None, "unit", "state", "id"),
        Index(None, "enterprise_uscc"),
        # GET /demands/public: the publishable pool of every unit, in keyset order.
        Index(
            "ix_demands_public",
            "id",
            postgresql_where=text("state = 'pooled' AND publishable"),
        ),
        CheckConstraint("budget_wan_yuan >= 0", name="budget_not_negative"),
        CheckConstraint("cardinality(categories) >= 1", name="one_category_at_least"),
    )


# GET /demands/public?q=: the searched text (title and problem) as its 1- and 2-character
# grams, lowercased, in a GIN index of the public pool. Chinese has no spaces for a word
# index, and pg_trgm keeps no CJK trigram under the C locale (nor under the builtin
# C.UTF-8 one); two characters make most Chinese words. The two SQL functions are the
# migration's (2026-12-03-1930_public_text_index): every demand whose title or problem holds
# a text holds that text's ``search_grams`` among its ``demand_grams``.
def demand_grams() -> Function[list[str]]:
    return func.innovation.demand_grams(Demand.title, Demand.problem, type_=ARRAY(Text))


def search_grams(query: str) -> Function[list[str]]:
    return func.innovation.search_grams(query, type_=ARRAY(Text))


Index(
    "ix_demands_public_text",
    demand_grams(),
    postgresql_using="gin",
    postgresql_with={"fastupdate": "off"},
    postgresql_where=text("state = 'pooled' AND publishable"),
)


class Round(Timestamped, Base):
    """A unit's selection round for a batch (001:18: 需求库 100 项 → 择优遴选 16 个): selections
    of its pooled demands while open, at most ``quota`` when it closes."""

    __tablename__ = "rounds"

    id: Mapped[uuid.UUID] = uuid7_key()
    unit: Mapped[str] = mapped_column(String(4))
    batch: Mapped[str] = mapped_column(String(50))
    quota: Mapped[int] = mapped_column(Integer)
    eligible_tiers: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    state: Mapped[str] = mapped_column(String(10))
    selected: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    not_selected: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        # One open round per unit × batch: a second one would split the quota.
        Index(
            "uq_rounds_open_unit_batch",
            "unit",
            "batch",
            unique=True,
            postgresql_where=text("state = 'open'"),
        ),
        CheckConstraint("quota >= 1", name="quota_positive"),
    )


class Selection(Base):
    """A demand chosen in a round, with its score and the reason (择优遴选)."""

    __tablename__ = "selections"

    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("innovation.rounds.id"), primary_key=True
    )
    demand_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("innovation.demands.id"), primary_key=True, unique=True
    )
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    reason: Mapped[str] = mapped_column(String(2000))
    selected_by: Mapped[str] = mapped_column(String(200))
    selected_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (CheckConstraint("score >= 0 AND score <= 100", name="score_range"),)


class DemandTransition(Step, Base):
    """Each step of a demand: who moved it, when, and why (a decline's reason)."""

    __tablename__ = "demand_transitions"

    demand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("innovation.demands.id"), index=True)


# ---- service projects ----------------------------------------------------------------------


class Project(Timestamped, Base):
    """A selected demand's service project, run by an engaged innovation-service institution
    (000 附件4), free to the enterprise (000:47), milestone by milestone to its 验收."""

    __tablename__ = "projects"

    id: Mapped[uuid.UUID] = uuid7_key()
    demand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("innovation.demands.id"), unique=True)
    enterprise_uscc: Mapped[str] = mapped_column(String(18))
    unit: Mapped[str] = mapped_column(String(4))
    region_code: Mapped[str] = mapped_column(String(6))
    batch: Mapped[str] = mapped_column(String(50))
    institution_id: Mapped[uuid.UUID] = mapped_column()
    institution_name: Mapped[str] = mapped_column(String(200))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    services: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # {category, content}
    fee_to_enterprise: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    state: Mapped[str] = mapped_column(String(15))
    milestones: Mapped[int] = mapped_column(Integer)
    milestones_done: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    acceptance_result: Mapped[str | None] = mapped_column(String(10))
    acceptance_body: Mapped[str | None] = mapped_column(String(20))
    accepted_on: Mapped[date | None] = mapped_column(Date)
    award_wan_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    acceptance_remarks: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index(None, "unit", "batch", "state"),
        Index(None, "institution_id"),
        Index(None, "enterprise_uscc"),
        CheckConstraint("fee_to_enterprise = 0", name="free_to_enterprise"),
        CheckConstraint("milestones_done <= milestones", name="milestones_done_of_all"),
    )


class Milestone(Base):
    """A project's milestone, numbered from 1 in the order they are completed."""

    __tablename__ = "milestones"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("innovation.projects.id"), primary_key=True
    )
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(2000))


class ProjectTransition(Step, Base):
    """Each step of a project: who moved it, when, and why (a failed 验收's remarks)."""

    __tablename__ = "project_transitions"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("innovation.projects.id"), index=True)


class ProjectSurvey(Base):
    """The enterprise's 满意度评价 of its accepted project (1–5 per dimension), once."""

    __tablename__ = "project_surveys"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("innovation.projects.id"), primary_key=True
    )
    unit: Mapped[str] = mapped_column(String(4))
    batch: Mapped[str] = mapped_column(String(50))
    scores: Mapped[dict[str, int]] = mapped_column(JSONB)
    overall: Mapped[Decimal] = mapped_column(Numeric(3, 2))
    satisfied: Mapped[bool] = mapped_column()
    comment: Mapped[str | None] = mapped_column(String(1000))
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
