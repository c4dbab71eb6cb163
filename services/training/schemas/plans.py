"""Training plans (培训计划) and their filings (000 附件1 §三(二))."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from contracts.vocabulary import LITTLE_GIANTS, Tier
from kit.fields import Patch, UnitCode
from pydantic import BaseModel, ConfigDict, Field

from training.enums import Period, PlanStatus, QuotaScope
from training.rules import (
    CERTIFICATE_AT,
    CERTIFICATE_RANGE,
    PER_ENTERPRISE,
    PER_ENTERPRISE_RANGE,
    PER_ENTERPRISE_SCOPE,
)
from training.schemas.surveys import CourseScore


class PlanSettings(BaseModel):
    """The rules a plan sets for its classes (DESIGN.md §5); shared by create and update."""

    model_config = ConfigDict(extra="forbid")

    per_enterprise_limit: int = Field(
        PER_ENTERPRISE,
        ge=PER_ENTERPRISE_RANGE[0],
        le=PER_ENTERPRISE_RANGE[1],
        description="每家企业的参训名额上限（默认 2 人，001：每家企业限定 1-2 人）",
    )
    per_enterprise_scope: QuotaScope = Field(
        PER_ENTERPRISE_SCOPE,
        description="名额上限的计算范围：plan 本计划周期内各班次合计（默认），class 每班分别计算",
    )
    certificate_threshold: Decimal = Field(
        CERTIFICATE_AT,
        ge=CERTIFICATE_RANGE[0],
        le=CERTIFICATE_RANGE[1],
        decimal_places=2,
        description="颁发结业证书的出勤率（默认 0.90，即考勤达 90%）",
    )


class PlanCreate(PlanSettings):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "province": "42",
                    "period": "2026",
                    "eligible_tiers": ["little_giant", "key_little_giant"],
                    "course_flag_threshold": "4.00",
                    "per_enterprise_limit": 2,
                    "per_enterprise_scope": "plan",
                    "certificate_threshold": "0.90",
                }
            ]
        },
    )

    province: UnitCode
    period: Period = Field(description="计划周期：2025、2026、2027-2028")
    eligible_tiers: list[Tier] = Field(
        default=list(LITTLE_GIANTS),
        min_length=1,
        description="可参训企业的层级（默认专精特新“小巨人”，后续批次可扩展至省级专精特新）",
    )
    course_flag_threshold: Decimal = Field(
        Decimal(4),
        ge=1,
        le=5,
        decimal_places=2,
        description="课程满意度阈值：评价平均分低于此值的课程予以标记，在后续计划中调整优化",
    )


class PlanUpdate(Patch, PlanSettings):
    """PATCH of a draft plan's settings: only the fields sent change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"per_enterprise_scope": "class"}]})


class FilingRead(BaseModel):
    version: int
    due_on: date = Field(description="填报截止日期")
    filed_at: datetime
    on_time: bool = Field(description="是否按时填报")
    filed_by: str


class PlanRead(BaseModel):
    id: uuid.UUID
    province: str
    period: Period
    eligible_tiers: list[Tier]
    course_flag_threshold: Decimal
    per_enterprise_limit: int = Field(description="每家企业的参训名额上限")
    per_enterprise_scope: QuotaScope = Field(description="名额上限的计算范围：plan 或 class")
    certificate_threshold: Decimal = Field(description="颁发结业证书的出勤率")
    courses_to_adjust: list[CourseScore] = Field(
        description="本省以往周期培训中满意度低于阈值、应在本计划中调整优化的课程"
    )
    status: PlanStatus
    version: int = Field(description="当前版本（修订一次加一）")
    due_on: date
    filings: list[FilingRead] = Field(description="历次填报（含修订），最早的在前")
    created_at: datetime
