"""培训班 (班次): the 附1-2 rows, with their content, sessions and on-site teaching."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from kit.fields import Day, Text, UnitCode
from pydantic import BaseModel, ConfigDict, Field

from training.enums import ClassKind, ClassStatus, ContentCategory, OnsiteKind
from training.schemas.plan_courses import CourseKey


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: ContentCategory = Field(description="内容类别")
    course: CourseKey | None = Field(
        None, description="课程（如有）：附1-1 重点课程，或本计划自设课程的代码"
    )
    title: Text | None = Field(None, max_length=200, description="专题名称")


class OnsiteItem(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: OnsiteKind = Field(description="标杆研学 / 企业参访")
    site: Text = Field(min_length=1, max_length=200, description="地点或参访企业")


class ClassCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "湖北省专精特新“小巨人”企业经营管理人才培训班（第一期）",
                    "kind": "comprehensive",
                    "start_on": "2026-05-11",
                    "end_on": "2026-05-15",
                    "institution_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802",
                    "topics": [
                        {"category": "science_theory", "title": "新质生产力"},
                        {"category": "policy", "title": "专精特新政策解读"},
                    ],
                    "onsite_items": [{"kind": "benchmark_study", "site": "武汉光谷"}],
                    "planned_trainees": 60,
                }
            ]
        },
    )

    name: Text = Field(min_length=1, max_length=200, description="班级名称")
    kind: ClassKind
    industry: Text | None = Field(None, max_length=100, description="行业班的行业")
    start_on: Day
    end_on: Day
    institution_id: uuid.UUID = Field(description="培训机构（本省签约的合格培训机构）")
    topics: list[Topic] = Field(min_length=1, description="培训内容")
    onsite_items: list[OnsiteItem] = Field(default=[], description="现场教学环节")
    sessions: list[Day] = Field(
        default=[], description="授课日期（考勤按日）；缺省为开班至结班的每一天"
    )
    planned_trainees: int = Field(gt=0, le=2000, description="学员数（人），即名额")
    joint_provinces: list[UnitCode] = Field(default=[], description="联合组班的其他省份")
    teacher_ids: list[uuid.UUID] = Field(default=[], description="师资")
    backfilled: bool = Field(
        False, description="补录已举办的班次（如 2025 年班次）：不受报名时限约束，留痕审计"
    )


class ClassRead(BaseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    period: str
    province: str
    joint_provinces: list[str]
    name: str
    kind: ClassKind
    industry: str | None
    start_on: date
    end_on: date
    enrollment_deadline: date = Field(description="报名及确认截止日（开班前 7 天）")
    institution_id: uuid.UUID
    institution_name: str
    topics: list[Topic]
    onsite_items: list[OnsiteItem]
    sessions: list[date]
    teacher_ids: list[uuid.UUID]
    planned_trainees: int
    status: ClassStatus
    backfilled: bool
    version: int
    created_at: datetime
