"""Registry tables (企业库 / 机构库), schema ``registry``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kit.columns import Timestamped
from kit.db import schema_metadata
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
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from uuid6 import uuid7


class Base(DeclarativeBase):
    metadata = schema_metadata("registry")


kit_tables = add_kit_tables(Base.metadata)

Money = Numeric(18, 2)  # 万元


class Enterprise(Timestamped, Base):
    """企业: one row per enterprise, keyed by its 统一社会信用代码."""

    __tablename__ = "enterprises"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(6))
    province: Mapped[str] = mapped_column(String(4))
    industry_code: Mapped[str] = mapped_column(String(2))
    niche_field: Mapped[str | None] = mapped_column(String(200))
    main_product: Mapped[str | None] = mapped_column(String(200))
    scale: Mapped[str | None] = mapped_column(String(10))
    ownership: Mapped[str | None] = mapped_column(String(10))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    registered_on: Mapped[date | None] = mapped_column(Date)
    employees: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    listed: Mapped[bool] = mapped_column(server_default=text("false"))
    listing_board: Mapped[str | None] = mapped_column(String(20))
    registered_capital: Mapped[Decimal | None] = mapped_column(Money, comment="注册资本（万元）")
    main_product_category: Mapped[str | None] = mapped_column(
        String(10), comment="主导产品类别代码（《统计用产品分类目录》）"
    )
    four_basics_kind: Mapped[str | None] = mapped_column(String(20))
    ipo_plan: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    titles: Mapped[list[str]] = mapped_column(ARRAY(String(40)), server_default="{}")
    key_fields: Mapped[list[str]] = mapped_column(ARRAY(String(40)), server_default="{}")
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    __table_args__ = (
        Index("ix_enterprises_province_uscc", "province", "uscc"),
        Index("ix_enterprises_region_code", "region_code"),
        Index("ix_enterprises_industry_code", "industry_code"),
    )


class AnnualIndicator(Timestamped, Base):
    """年度指标 (000/004 forms): one row per enterprise and year."""

    __tablename__ = "annual_indicators"

    uscc: Mapped[str] = mapped_column(
        ForeignKey("enterprises.uscc", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    revenue: Mapped[Decimal | None] = mapped_column(Money)
    main_business_revenue: Mapped[Decimal | None] = mapped_column(Money)
    profit: Mapped[Decimal | None] = mapped_column(Money)
    total_assets: Mapped[Decimal | None] = mapped_column(Money)
    debt_ratio: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    taxes: Mapped[Decimal | None] = mapped_column(Money)
    rd_expense: Mapped[Decimal | None] = mapped_column(Money)
    invention_patents: Mapped[int | None] = mapped_column(Integer)
    rd_institutions: Mapped[int | None] = mapped_column(Integer)
    rd_institutions_national: Mapped[int | None] = mapped_column(Integer)
    rd_institutions_provincial: Mapped[int | None] = mapped_column(Integer)
    standards_led: Mapped[int | None] = mapped_column(Integer)
    standards_joined: Mapped[int | None] = mapped_column(Integer)
    standards_led_national: Mapped[int | None] = mapped_column(Integer)
    standards_led_industry: Mapped[int | None] = mapped_column(Integer)
    standards_joined_national: Mapped[int | None] = mapped_column(Integer)
    standards_joined_industry: Mapped[int | None] = mapped_column(Integer)
    quality_certifications: Mapped[int | None] = mapped_column(Integer)
    foreign_certifications: Mapped[int | None] = mapped_column(Integer)
    main_product_export_share: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class Recognition(Timestamped, Base):
    """梯度认定: a tier granted for a validity period; held while covered and not revoked."""

    __tablename__ = "recognitions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc", ondelete="CASCADE"))
    tier: Mapped[str] = mapped_column(String(20))
    batch: Mapped[str] = mapped_column(String(50))
    recognized_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    authority: Mapped[str] = mapped_column(String(100))
    authority_code: Mapped[str] = mapped_column(
        String(6), comment="who recognised it: 100000 (the ministry) or the filing unit"
    )
    document_number: Mapped[str | None] = mapped_column(String(100), comment="认定文号")
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    __table_args__ = (
        CheckConstraint("valid_from <= valid_until", name="valid_period"),
        UniqueConstraint("uscc", "tier", "valid_from", name="uq_recognitions_uscc_tier_from"),
        Index("ix_recognitions_tier_valid", "tier", "valid_from", "valid_until"),
    )


class RuleSet(Base):
    """A versioned rule set (e.g. 重点小巨人 eligibility of seed 004), evaluated as of a date."""

    __tablename__ = "rule_sets"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(50))
    version: Mapped[str] = mapped_column(String(20))
    jurisdiction: Mapped[str] = mapped_column(String(6), comment="province code or 100000")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)

    __table_args__ = (UniqueConstraint("code", "jurisdiction", "version"),)


class Institution(Timestamped, Base):
    """服务机构: training, diagnosis, innovation and public service platforms."""

    __tablename__ = "institutions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(String(6))
    province: Mapped[str] = mapped_column(String(4), index=True)
    types: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    qualifications: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    # The unit's review of each type's declared conditions: {type: {"state": "verified" |
    # "rejected", "by": subject, "at": ISO time, "reason": text}}; no entry = not yet reviewed.
    reviews: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    platform_level: Mapped[str | None] = mapped_column(String(20))
    staff_count: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class InstitutionContract(Base):
    """服务合同: an institution engaged by a province for a task and batch."""

    __tablename__ = "institution_contracts"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    institution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    province: Mapped[str] = mapped_column(String(4))
    task: Mapped[str] = mapped_column(String(30))
    batch: Mapped[str] = mapped_column(String(50))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    signed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (UniqueConstraint("institution_id", "province", "task", "batch"),)


class Contact(Timestamped, Base):
    """联络人 (000 附件6): phones and email encrypted, with blind indexes."""

    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    province: Mapped[str] = mapped_column(String(4))
    organisation: Mapped[str | None] = mapped_column(String(200))
    task: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    office_phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    mobile_enc: Mapped[bytes] = mapped_column(LargeBinary)
    mobile_index: Mapped[bytes] = mapped_column(LargeBinary)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    email_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The provincial system's own key for the contact (bulk sync), unique in its unit.
    external_id: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    # A mobile is unique among the current contacts of a task; history may repeat it.
    __table_args__ = (
        Index(
            "uq_contacts_current_external_id",
            "province",
            "external_id",
            unique=True,
            postgresql_where=text("replaced_by IS NULL AND external_id IS NOT NULL"),
        ),
        Index(
            "uq_contacts_current_mobile",
            "province",
            "task",
            "mobile_index",
            unique=True,
            postgresql_where=text("replaced_by IS NULL"),
        ),
    )
