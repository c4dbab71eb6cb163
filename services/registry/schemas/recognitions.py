"""Tier recognitions (梯度认定) and their revocation."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from contracts.vocabulary import Tier
from kit.fields import Day, Text, Uscc
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
                    "document_number": "工信部企业函〔2024〕168号",
                }
            ]
        },
    )

    tier: Tier
    batch: Text = Field(min_length=1, max_length=50, description="批次，如“第五批”")
    recognized_on: Day = Field(description="认定日期")
    valid_from: Day
    valid_until: Day | None = Field(None, description="默认三年有效期的最后一天")
    document_number: Text | None = Field(None, min_length=1, max_length=100, description="认定文号")


class ListedEnterprise(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    uscc: Uscc
    name: Text | None = Field(
        None, min_length=1, max_length=200, description="名单上的企业名称，给出时须与登记一致"
    )


class MinistryList(BaseModel):
    """工业和信息化部公布的认定名单: one tier, batch and 文号 for every listed enterprise."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "tier": "little_giant",
                    "batch": "第六批",
                    "document_number": "工信部企业函〔2024〕168号",
                    "recognized_on": "2024-07-01",
                    "valid_from": "2024-07-01",
                    "enterprises": [{"uscc": "91420100MA4K3C2P0R", "name": "武汉某科技有限公司"}],
                }
            ]
        },
    )

    tier: Tier
    batch: Text = Field(min_length=1, max_length=50)
    document_number: Text = Field(min_length=1, max_length=100, description="认定文号")
    recognized_on: Day
    valid_from: Day
    valid_until: Day | None = None
    enterprises: list[ListedEnterprise] = Field(min_length=1, max_length=1000)


class ListedResult(BaseModel):
    uscc: str
    result: Literal["granted", "unchanged", "failed"]
    recognition_id: uuid.UUID | None = None
    code: str | None = None
    message: str | None = None


class ListImportResult(BaseModel):
    granted: int
    unchanged: int
    failed: int
    items: list[ListedResult]


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
    authority_code: str
    document_number: str | None
    revoked_on: date | None
    revoke_reason: str | None
    held_today: bool
    version: int
