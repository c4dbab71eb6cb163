"""The innovation part of the read model (技术创新服务): counters per (scope, batch) — batch
the selection round's as published (``第一批``) or ``all``; a demand not yet in a round counts
in ``all`` only — kept by the consumer beside a version-guarded replica of each demand and
each project (what its last known state counts), the enterprises served and each unit's
setting (runs the task or not).

Scopes are the unit and the city of the enterprise (``gateway.base``): a demand, a project,
belongs to one unit, so the nation's figures are the sum of the units', added up when read.
"""

from __future__ import annotations

import uuid

from contracts.innovation import CATEGORIES
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.base import Base
from gateway.counters import counter

# The figures of ``InnovationCount``, each kept per (scope, batch); ``category_<c>``: the
# demands of each 需求类别 (001 附件1-3).
FIGURES = (
    "demands",
    *(f"category_{c}" for c in CATEGORIES),
    "pooled",
    "declined",
    "selected",
    "not_selected",
    "projects",
    "enterprises_served",
    "accepted",
    "responses",
    "satisfied",
)


class InnovationCount(Base):
    """The innovation figures of a scope in a batch."""

    __tablename__ = "innovation_counts"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    batch: Mapped[str] = mapped_column(String(50), primary_key=True)
    demands: Mapped[int] = counter()
    category_rd: Mapped[int] = counter()
    category_proof_of_concept: Mapped[int] = counter()
    category_pilot: Mapped[int] = counter()
    category_testing: Mapped[int] = counter()
    category_commercialization: Mapped[int] = counter()
    category_ip: Mapped[int] = counter()
    pooled: Mapped[int] = counter()
    declined: Mapped[int] = counter()
    selected: Mapped[int] = counter()
    not_selected: Mapped[int] = counter()
    projects: Mapped[int] = counter()
    enterprises_served: Mapped[int] = counter()
    accepted: Mapped[int] = counter()
    responses: Mapped[int] = counter()
    satisfied: Mapped[int] = counter()


class DemandReplica(Base):
    """技术创新需求: the latest known state of a demand — what it counts."""

    __tablename__ = "innovation_demands"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    unit: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(6))
    batch: Mapped[str | None] = mapped_column(String(50))  # its round's, once one took it up
    state: Mapped[str] = mapped_column(String(15))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    version: Mapped[int] = mapped_column(Integer)


class ProjectReplica(Base):
    """服务项目: the latest known state of a project and its survey's rating. A survey may
    arrive before any state of its project: the replica then knows only the survey
    (``state`` null, ``version`` 0, no city or enterprise yet)."""

    __tablename__ = "innovation_projects"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    unit: Mapped[str] = mapped_column(String(4))
    city: Mapped[str | None] = mapped_column(String(6))
    batch: Mapped[str] = mapped_column(String(50))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    state: Mapped[str | None] = mapped_column(String(15))
    satisfied: Mapped[bool | None] = mapped_column(Boolean)  # its survey's; null: none yet
    version: Mapped[int] = mapped_column(Integer)


class ServedEnterprise(Base):
    """An enterprise with a project in a scope and batch (附件5 I1 counts each once)."""

    __tablename__ = "innovation_served"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    batch: Mapped[str] = mapped_column(String(50), primary_key=True)
    enterprise_uscc: Mapped[str] = mapped_column(String(18), primary_key=True)


class UnitSetting(Base):
    """Whether a unit runs the task (000:39), as its last ``setting.updated`` said."""

    __tablename__ = "innovation_settings"

    unit: Mapped[str] = mapped_column(String(4), primary_key=True)
    runs: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
