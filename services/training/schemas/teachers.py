"""师资库 (000 附件1 §二(四))."""

from __future__ import annotations

import uuid
from datetime import datetime

from kit.fields import Text, UnitCode
from pydantic import BaseModel, ConfigDict, Field

from training.enums import AffiliationKind, ContentCategory


class TeacherCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "province": "42",
                    "name": "李华",
                    "affiliation_kind": "university",
                    "organisation": "华中科技大学管理学院",
                    "title": "教授",
                    "topics": ["management"],
                }
            ]
        },
    )

    province: UnitCode = Field(description="登记师资的省份")
    name: Text = Field(min_length=1, max_length=100, description="姓名")
    affiliation_kind: AffiliationKind = Field(
        description="来源：政府部门/高等院校/研究机构/优质企业"
    )
    organisation: Text = Field(min_length=1, max_length=200, description="工作单位")
    title: Text | None = Field(None, max_length=100, description="职务/职称")
    topics: list[ContentCategory] = Field(min_length=1, description="擅长的培训内容")


class TeacherRead(BaseModel):
    id: uuid.UUID
    province: str
    name: str
    affiliation_kind: AffiliationKind
    organisation: str
    title: str | None
    topics: list[ContentCategory]
    created_at: datetime
