"""Selection rounds (择优遴选, 001:18): a unit's round per batch with its quota, the selections."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from contracts.vocabulary import Tier
from kit.fields import Text, UnitCode
from pydantic import BaseModel, ConfigDict, Field, field_validator

from innovation.enums import RoundState
from innovation.schemas.settings import admissible


class RoundCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "unit": "42",
                    "batch": "第一批",
                    "quota": 16,
                    "eligible_tiers": ["little_giant", "key_little_giant"],
                }
            ]
        },
    )

    unit: UnitCode = Field(description="单位代码")
    batch: Text = Field(min_length=1, max_length=50, description="培育赋能工作批次")
    quota: int = Field(ge=1, le=10_000, description="入选名额（001：需求库 100 项，遴选 16 个）")
    eligible_tiers: list[Tier] | None = Field(
        None,
        min_length=1,
        description="本轮面向的企业梯度；缺省为单位的技术创新服务设置",
    )

    @field_validator("eligible_tiers")
    @classmethod
    def _admissible(cls, tiers: list[Tier] | None) -> list[Tier] | None:
        return None if tiers is None else admissible(tiers)


class RoundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    unit: str
    batch: str
    quota: int
    eligible_tiers: list[Tier]
    state: RoundState
    selected: int = Field(description="已遴选需求数")
    not_selected: int = Field(description="轮次结束时列为未遴选的入库需求数")
    closed_at: datetime | None
    version: int
    created_at: datetime


class SelectionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "demand_id": "0193f6a2-6c1e-7b0a-9d3c-2f5e8a1b4c70",
                    "score": "92.5",
                    "reason": "技术难题明确，量化指标清晰，企业配套投入充足",
                }
            ]
        },
    )

    demand_id: uuid.UUID
    score: Decimal = Field(
        ge=0, le=100, max_digits=5, decimal_places=2, description="评分（0–100）"
    )
    reason: Text = Field(min_length=1, max_length=2000, description="遴选理由")


class SelectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    round_id: uuid.UUID
    demand_id: uuid.UUID
    score: Decimal
    reason: str
    selected_at: datetime
