"""Service projects (000 附件4): what the institution will do, its milestones, 验收, the survey."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field

from innovation.enums import AcceptanceBody, AcceptanceResult, Category, ProjectState

Score = int


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Category = Field(description="服务类别（技术研发、概念验证…）")
    content: Text = Field(min_length=1, max_length=2000, description="服务内容")


class MilestonePlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text = Field(min_length=1, max_length=200)
    due_on: date = Field(description="计划完成日期")


class ProjectCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "demand_id": "0193f6a2-6c1e-7b0a-9d3c-2f5e8a1b4c70",
                    "institution_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802",
                    "services": [{"category": "rd", "content": "轴承热处理工艺联合攻关"}],
                    "milestones": [
                        {"title": "方案评审", "due_on": "2026-03-31"},
                        {"title": "小试验证", "due_on": "2026-09-30"},
                    ],
                    "fee_to_enterprise": "0",
                }
            ]
        },
    )

    demand_id: uuid.UUID = Field(description="已遴选的需求")
    institution_id: uuid.UUID = Field(description="签约的技术创新服务机构")
    services: list[Service] = Field(min_length=1, max_length=20)
    milestones: list[MilestonePlan] = Field(min_length=1, max_length=50)
    fee_to_enterprise: Decimal = Field(
        Decimal(0), description="向企业收取的费用（万元）：须为 0，不向企业收取任何费用（000:47）"
    )


class MilestoneDone(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "方案通过专家评审"}]}
    )

    note: Text | None = Field(None, max_length=2000)


class ProjectAcceptance(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "body": "expert_panel",
                    "result": "passed",
                    "accepted_on": "2026-11-20",
                    "award_wan_yuan": "30",
                    "remarks": "达到量化指标",
                }
            ]
        },
    )

    body: AcceptanceBody = Field(description="验收方式：专家评审会或第三方机构")
    result: AcceptanceResult
    accepted_on: date
    award_wan_yuan: Decimal = Field(
        ge=0, max_digits=12, decimal_places=2, description="奖补（万元）"
    )
    remarks: Text | None = Field(None, max_length=2000, description="验收意见（不通过时的理由）")


class ProjectSurveyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"attitude": 5, "expertise": 4, "effect": 4, "comment": "响应及时"}]
        },
    )

    attitude: Score = Field(ge=1, le=5, description="服务态度")
    expertise: Score = Field(ge=1, le=5, description="专业水平")
    effect: Score = Field(ge=1, le=5, description="服务效果")
    comment: Text | None = Field(None, max_length=1000)


class MilestoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    n: int
    title: str
    due_on: date
    completed_at: datetime | None
    note: str | None


class ProjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    demand_id: uuid.UUID
    enterprise_uscc: str
    unit: str
    batch: str
    institution_id: uuid.UUID
    institution_name: str
    categories: list[Category]
    services: list[Service]
    fee_to_enterprise: Decimal
    state: ProjectState
    milestones: int
    milestones_done: int
    acceptance_result: AcceptanceResult | None
    acceptance_body: AcceptanceBody | None
    accepted_on: date | None
    award_wan_yuan: Decimal | None
    acceptance_remarks: str | None
    version: int
    created_at: datetime


class SurveyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    project_id: uuid.UUID
    scores: dict[str, int]
    overall: Decimal
    satisfied: bool
    comment: str | None
    submitted_at: datetime
