"""Tier recognitions (梯度认定) and their revocation."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.vocabulary import Tier
from kit.fields import Day, Text
from pydantic import BaseModel, ConfigDict, Field


class RecognitionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "tier": "little_giant",
                    "batch": "第六批",
                    "recognized_on": "2024-07-01",
                    "valid_from": "2024-07-01",
                    "authority": "工业和信息化部",
                }
            ]
        },
    )

    tier: Tier
    batch: Text = Field(min_length=1, max_length=50, description="批次，如“第五批”")
    recognized_on: Day = Field(description="认定日期")
    valid_from: Day
    valid_until: Day | None = Field(None, description="默认三年有效期的最后一天")
    authority: Text = Field(min_length=1, max_length=100, description="认定机关")


class RevokeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"revoked_on": "2025-03-01", "reason": "年度复核不合格"}]},
    )

    revoked_on: Day | None = Field(None, description="撤销生效日（当日起不再持有），默认今天")
    reason: Text = Field(min_length=1, max_length=500)


class RecognitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    uscc: str
    tier: Tier
    batch: str
    recognized_on: date
    valid_from: date
    valid_until: date
    authority: str
    revoked_on: date | None
    revoke_reason: str | None
    held_today: bool
    version: int
