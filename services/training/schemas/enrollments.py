"""报名 (enrollment) of a trainee in a class, and its transitions."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field

from training.enums import EnrollmentState


class EnrollmentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"trainee_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697801"}]},
    )

    trainee_id: uuid.UUID = Field(description="学员")


class Decision(BaseModel):
    """资格审核 / 录取 / 退出 / 不予通过, with the reason users read."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "所在企业不在本期可参训范围内"}]},
    )

    reason: Text | None = Field(None, max_length=500, description="理由（不予通过时必填）")


class EnrollmentRead(BaseModel):
    id: uuid.UUID
    class_id: uuid.UUID
    trainee_id: uuid.UUID
    trainee_name: str
    enterprise_uscc: str
    province: str = Field(description="学员所在企业的省份")
    state: EnrollmentState
    backfilled: bool = Field(description="补录")
    reason: str | None
    attendance_rate: Decimal | None
    version: int
    created_at: datetime
    updated_at: datetime
