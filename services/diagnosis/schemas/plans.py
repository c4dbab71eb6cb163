"""诊断计划 (000 附件2/3 §三): each year's number of enterprises a unit plans to diagnose."""

from __future__ import annotations

import uuid
from datetime import datetime

from kit.fields import UnitCode
from pydantic import BaseModel, ConfigDict, Field

from diagnosis.enums import Kind


class PlanCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"unit": "42", "kind": "quality", "year": 2025, "planned_enterprises": 200}
            ]
        },
    )

    unit: UnitCode
    kind: Kind
    year: int = Field(ge=2025, le=2035, description="年度")
    planned_enterprises: int = Field(ge=0, le=100_000, description="计划诊断的“小巨人”企业数")


class PlanUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"planned_enterprises": 220}]}
    )

    planned_enterprises: int = Field(ge=0, le=100_000)


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    unit: str
    kind: Kind
    year: int
    planned_enterprises: int
    version: int
    created_at: datetime
    updated_at: datetime
