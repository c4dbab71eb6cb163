"""Self-assessment questionnaires as versioned data (the content of SJ/T 11946-2024 and of the
《工业中小企业管理提升指南（试行）》 is not in the seeds: the shipped ones are samples)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from diagnosis.enums import Kind, Level

Code = Text


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: Code = Field(min_length=1, max_length=40)
    text: Text = Field(min_length=1, max_length=500)
    kind: Literal["scale", "yes_no", "number"] = Field(
        description="scale：1–5 分；yes_no：是/否；number：数值，按满分折算"
    )
    weight: Decimal = Field(gt=0, le=100)
    full_mark: Decimal | None = Field(None, gt=0, description="number 题的满分值")


class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: Code = Field(min_length=1, max_length=40)
    name: Text = Field(min_length=1, max_length=100)
    weight: Decimal = Field(gt=0, le=100)
    items: list[Item] = Field(min_length=1, max_length=200)


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Level
    min_total: Decimal = Field(ge=0, le=100, description="达到该等级的最低总分（0–100）")


class QuestionnaireCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "code": "quality-sj11946",
                    "kind": "quality",
                    "title": "制造业企业质量管理能力自我评价问卷",
                    "source": "SJ/T 11946-2024《制造业企业质量管理能力评估规范》",
                    "dimensions": [
                        {
                            "code": "basic",
                            "name": "质量管理基本能力",
                            "weight": 40,
                            "items": [
                                {
                                    "code": "b1",
                                    "text": "质量管理制度健全有效",
                                    "kind": "scale",
                                    "weight": 1,
                                }
                            ],
                        }
                    ],
                    "thresholds": [{"level": "experience", "min_total": 0}],
                }
            ]
        },
    )

    code: Code = Field(min_length=1, max_length=40, description="问卷代码；同代码再次提交即新版本")
    kind: Kind
    title: Text = Field(min_length=1, max_length=200)
    source: Text = Field(min_length=1, max_length=500, description="依据（标准、指南及其版本）")
    dimensions: list[Dimension] = Field(min_length=1, max_length=50)
    thresholds: list[Threshold] = Field(
        default=[], description="质量诊断：各等级的最低总分；管理诊断不分等级，须为空"
    )

    @model_validator(mode="after")
    def _consistent(self) -> QuestionnaireCreate:
        codes = [i.code for d in self.dimensions for i in d.items]
        if len(set(codes)) != len(codes) or len({d.code for d in self.dimensions}) != len(
            self.dimensions
        ):
            raise PydanticCustomError(
                "CODE_REPEATED",
                "Dimension and item codes are unique",
                {"zh": "维度代码和题目代码不能重复"},
            )
        if any(
            i.kind == "number" and i.full_mark is None for d in self.dimensions for i in d.items
        ):
            raise PydanticCustomError(
                "FULL_MARK_REQUIRED", "A number item has a full mark", {"zh": "数值题须给出满分值"}
            )
        if self.kind is Kind.MANAGEMENT and self.thresholds:
            raise PydanticCustomError(
                "NO_LEVELS", "Management diagnosis has no levels", {"zh": "管理诊断不分等级"}
            )
        if self.kind is Kind.QUALITY:
            levels = [t.level for t in self.thresholds]
            ordered = list(Level)
            if sorted(levels, key=ordered.index) != levels or len(set(levels)) != len(levels):
                raise PydanticCustomError(
                    "LEVELS_ORDER",
                    "Levels are given once each, from 经验级 up",
                    {"zh": "等级须按经验级至卓越级的顺序各给一次"},
                )
            totals = [t.min_total for t in self.thresholds]
            if totals != sorted(totals) or (totals and totals[0] != 0):
                raise PydanticCustomError(
                    "THRESHOLDS_ORDER",
                    "Thresholds rise with the level, the first at 0",
                    {"zh": "等级的最低总分须随等级递增，最低等级从 0 分起"},
                )
        return self


class QuestionnaireRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    version: int
    kind: Kind
    title: str
    source: str
    sample: bool = Field(description="示例问卷（开发用，非正式标准内容）")
    dimensions: list[Dimension]
    thresholds: list[Threshold]
    created_at: datetime
