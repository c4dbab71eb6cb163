"""Training plans (培训计划) and their filings (000 附件1 §三(二))."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from contracts.vocabulary import LITTLE_GIANTS, Tier
from kit.fields import ProvinceCode
from pydantic import BaseModel, ConfigDict, Field

from training.enums import Period, PlanStatus
from training.schemas.surveys import CourseScore


class PlanCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "province": "42",
                    "period": "2026",
                    "eligible_tiers": ["little_giant", "key_little_giant"],
                    "course_flag_threshold": "4.00",
                }
            ]
        },
    )

    province: ProvinceCode
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
    courses_to_adjust: list[CourseScore] = Field(
        description="本省以往周期培训中满意度低于阈值、应在本计划中调整优化的课程"
    )
    status: PlanStatus
    version: int = Field(description="当前版本（修订一次加一）")
    due_on: date
    filings: list[FilingRead] = Field(description="历次填报（含修订），最早的在前")
    created_at: datetime
