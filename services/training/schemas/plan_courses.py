"""计划自设课程: a plan's own courses, named in class topics and rated in surveys beside the
11 key courses of 附1-1 (DESIGN.md §5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field

from training.enums import ContentCategory, Course

# The stable key the service gives a plan course: ``p-`` and ten hex digits, never the value
# of a key course (those are snake_case words).
PLAN_COURSE_CODE = r"^p-[0-9a-f]{10}$"
PlanCourseCode = Annotated[
    str, Field(pattern=PLAN_COURSE_CODE, description="计划自设课程的代码（p- 开头，系统生成）")
]
# A course as topics and surveys name it: a key course, or one of the plan's own by code.
CourseKey = Course | PlanCourseCode


class PlanCourseCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "光谷产业链协同创新",
                    "category": "specialised_development",
                    "description": "结合本省产业集群的专题课程",
                }
            ]
        },
    )

    name: Text = Field(min_length=1, max_length=100, description="课程名称（本计划内唯一）")
    category: ContentCategory = Field(description="内容类别")
    description: Text | None = Field(None, max_length=500, description="课程简介")


class PlanCourseRead(BaseModel):
    code: str = Field(description="课程代码：培训内容与满意度评价以此指称本课程")
    plan_id: uuid.UUID
    name: str
    category: ContentCategory
    description: str | None
    created_at: datetime
