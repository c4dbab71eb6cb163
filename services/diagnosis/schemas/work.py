"""The work on an engagement: the enterprise's self-assessment, the institution's visits and
report, the unit's confirmation, the ministry's spot check, a typical case."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from kit.fields import Day, Text
from pydantic import BaseModel, ConfigDict, Field

from diagnosis.enums import Level, Mode


class SelfAssessmentWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"questionnaire_code": "sample-quality", "answers": {"b1": 4, "b2": True}}]
        },
    )

    questionnaire_code: Text = Field(
        min_length=1, max_length=40, description="问卷代码（按其最新版本作答）"
    )
    answers: dict[str, int | float | bool] = Field(description="题目代码 → 答案")


class SelfAssessmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    engagement_id: uuid.UUID
    questionnaire_code: str
    questionnaire_version: int
    answers: dict[str, int | float | bool]
    scores: dict[str, Decimal] = Field(description="各维度得分（0–100）")
    total: Decimal = Field(description="总分（0–100，按维度权重）")
    indicated_level: Level | None = Field(
        description="按问卷阈值的自评等级（仅供参考，等级以机构报告为准）"
    )
    submitted_at: datetime


class VisitCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "visited_on": "2025-09-16",
                    "mode": "onsite",
                    "experts": ["李工", "王工"],
                    "findings": "质量数据采集以人工为主，缺少过程能力分析。",
                }
            ]
        },
    )

    visited_on: Day
    mode: Mode
    experts: list[Text] = Field(min_length=1, max_length=20)
    findings: Text = Field(min_length=1, max_length=5000)


class VisitRead(VisitCreate):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: datetime


class ReportWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "level": "assurance",
                    "findings": "质量管理体系运行有效，数字化基础较好。",
                    "suggestions": ["建立关键工序 SPC 监控", "完善供应商质量绩效评价"],
                }
            ]
        },
    )

    level: Level | None = Field(None, description="质量能力等级（质量诊断必填，管理诊断不填）")
    findings: Text = Field(min_length=1, max_length=10000)
    suggestions: list[Text] = Field(
        min_length=1, max_length=50, description="能力提升建议（至少一条）"
    )


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    engagement_id: uuid.UUID
    level: Level | None
    findings: str
    suggestions: list[str]
    submitted_at: datetime
    revision: int


class SpotCheck(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"level": "inspection", "remarks": "过程控制证据不足"}]},
    )

    level: Level = Field(description="部级抽查认定的等级（机构报告的等级一并保留）")
    remarks: Text | None = Field(None, max_length=1000)


class Promotion(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [{"title": "以精益管理提升交付能力", "summary": "诊断后推行精益生产……"}]
        },
    )

    title: Text = Field(min_length=1, max_length=200)
    summary: Text = Field(min_length=1, max_length=5000)


class TypicalCaseRead(Promotion):
    model_config = ConfigDict(from_attributes=True)

    engagement_id: uuid.UUID
    promoted_at: datetime
