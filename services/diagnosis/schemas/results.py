"""验收, activities, surveys and the figures of a unit's diagnosis work."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from kit import satisfaction as rating
from kit.fields import Day, Text, UnitCode, Uscc
from pydantic import BaseModel, ConfigDict, Field

from diagnosis.enums import AcceptanceBody, AcceptanceResult, ActivityKind, Kind, Level

Score = int


class AcceptanceCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "institution_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802",
                    "unit": "42",
                    "kind": "quality",
                    "batch": "第一批",
                    "body": "expert_panel",
                    "accepted_on": "2025-12-20",
                    "result": "passed",
                    "award_wan_yuan": "30",
                    "engagement_ids": ["0193a4a2-7c1e-7b7e-9f2d-3c4b5a697803"],
                }
            ]
        },
    )

    institution_id: uuid.UUID
    unit: UnitCode
    kind: Kind
    batch: Text = Field(min_length=1, max_length=50)
    body: AcceptanceBody
    accepted_on: Day
    result: AcceptanceResult
    award_wan_yuan: Decimal = Field(
        ge=0, max_digits=12, decimal_places=2, description="奖补（万元）"
    )
    engagement_ids: list[uuid.UUID] = Field(min_length=1, max_length=10_000)


class AcceptanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    institution_id: uuid.UUID
    institution_name: str
    unit: str
    kind: Kind
    batch: str
    body: AcceptanceBody
    accepted_on: date
    result: AcceptanceResult
    award_wan_yuan: Decimal
    engagement_ids: list[uuid.UUID]
    created_at: datetime


class ActivityCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "kind": "quality_standard_training",
                    "held_on": "2025-06-18",
                    "unit": "42",
                    "title": "SJ/T 11946-2024 贯标培训（武汉站）",
                    "enterprise_usccs": ["91420100MA4K3C2P0R"],
                }
            ]
        },
    )

    kind: ActivityKind
    held_on: Day
    unit: UnitCode
    institution_id: uuid.UUID | None = Field(None, description="承办的诊断机构（如有）")
    title: Text = Field(min_length=1, max_length=200)
    enterprise_usccs: list[Uscc] = Field(default=[], max_length=5000, description="参加的企业")


class ActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: ActivityKind
    held_on: date
    unit: str
    institution_id: uuid.UUID | None
    title: str
    enterprise_usccs: list[str]
    created_at: datetime


class SurveyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "attitude": 5,
                    "expertise": 4,
                    "report": 4,
                    "effect": 4,
                    "comment": "建议增加回访",
                }
            ]
        },
    )

    attitude: Score = Field(ge=1, le=5, description="服务态度")
    expertise: Score = Field(ge=1, le=5, description="专业水平")
    report: Score = Field(ge=1, le=5, description="报告与建议的实用性")
    effect: Score = Field(ge=1, le=5, description="诊断效果")
    comment: Text | None = Field(None, max_length=1000)


class SurveyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    engagement_id: uuid.UUID
    scores: dict[str, int]
    overall: Decimal
    satisfied: bool
    comment: str | None
    submitted_at: datetime


class Stats(BaseModel):
    """A unit's (or the nation's) diagnosis of one kind, in a batch or year if asked."""

    kind: Kind
    unit: str | None = Field(description="单位代码；全国为空")
    batch: str | None
    year: int | None
    planned: int | None = Field(description="年度计划诊断企业数（给出 year 时）")
    requested: int = Field(description="提出诊断需求的企业数（未取消）")
    self_assessed: int = Field(description="完成自我评价的企业数（附件5 Q2）")
    diagnosed: int = Field(description="诊断报告经单位确认的企业数（附件5 Q3 / M2）")
    reports_with_suggestions: int = Field(description="提出能力提升建议方案的报告份数（附件5 Q4）")
    levels: dict[Level, int] = Field(
        default_factory=dict, description="质量能力等级分布（抽查认定的等级优先）"
    )
    typical_cases: int = Field(0, description="典型案例数（管理诊断）")
    activities: int = Field(description="开展的活动次数（附件5 Q1 / M1）")
    willing_served: Decimal | None = Field(description="愿诊尽诊：已诊断 / 提出需求")
    responses: int
    satisfaction: Decimal | None = Field(description="服务满意度（附件5 Q5 / M3）")
    definition: rating.Definition = Field(default=rating.DEFINITION)
