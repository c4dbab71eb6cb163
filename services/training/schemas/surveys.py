"""满意度评价 (安排, 内容, 效果, and each course, 1–5) and a class's satisfaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from kit import satisfaction as rating
from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field

from training.schemas.plan_courses import CourseKey

Score = Annotated[int, Field(ge=1, le=5)]


class SurveyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "trainee_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697801",
                    "arrangement": 5,
                    "content": 4,
                    "effect": 4,
                    "comment": "希望增加企业参访环节",
                }
            ]
        },
    )

    trainee_id: uuid.UUID
    arrangement: Score = Field(description="培训安排")
    content: Score = Field(description="培训内容")
    effect: Score = Field(description="培训效果")
    courses: dict[CourseKey, Score] = Field(
        default={}, description="各课程评分（本班讲授的重点课程或本计划自设课程）"
    )
    comment: Text | None = Field(None, max_length=1000, description="意见建议")


class SurveyRead(BaseModel):
    id: uuid.UUID
    class_id: uuid.UUID
    trainee_id: uuid.UUID
    arrangement: int
    content: int
    effect: int
    overall: Decimal = Field(description="总体评分（安排、内容、效果的平均）")
    courses: dict[CourseKey, int]
    comment: str | None
    submitted_at: datetime


class CourseScore(BaseModel):
    course: CourseKey
    name: str = Field(description="课程名称")
    key_course: bool = Field(description="附1-1 重点课程；否则为计划自设课程")
    responses: int
    average: Decimal
    flagged: bool = Field(description="低于阈值：后续培训计划应予调整优化")


class Satisfaction(BaseModel):
    class_id: uuid.UUID
    responses: int = Field(description="评价份数")
    satisfied: int = Field(description="总体评分 ≥ 4 的份数")
    rate: Decimal | None = Field(description="满意度（满意份数 / 评价份数）")
    definition: rating.Definition = Field(default=rating.DEFINITION, description="满意度口径")
    arrangement: Decimal | None = Field(description="培训安排平均分")
    content: Decimal | None = Field(description="培训内容平均分")
    effect: Decimal | None = Field(description="培训效果平均分")
    threshold: Decimal = Field(description="课程标记阈值")
    courses: list[CourseScore]
