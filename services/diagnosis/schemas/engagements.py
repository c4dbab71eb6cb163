"""诊断服务 (engagements): a request (001 附件1-1's needs and focus areas) and its flow."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from kit.fields import Email, Mobile, Text, Uscc
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from diagnosis.enums import Kind, ManagementFocus, Mode, State
from diagnosis.rules import FOCUS


class ContactIn(BaseModel):
    """001 附件1-1 工作联系人."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=100)
    title: Text | None = Field(None, max_length=100, description="职务")
    mobile: Mobile
    email: Email | None = None


class ContactShown(BaseModel):
    name: str
    title: str | None
    mobile: str | None
    email: str | None
    masked: bool = Field(description="手机、邮箱已脱敏（持 pii:read 时为明文且留痕审计）")


class EngagementCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "kind": "quality",
                    "enterprise_uscc": "91420100MA4K3C2P0R",
                    "batch": "第一批",
                    "mode": "onsite",
                    "expected_month": 9,
                    "focus_areas": ["basic", "digital"],
                    "contact": {"name": "王芳", "title": "质量部经理", "mobile": "13800138000"},
                }
            ]
        },
    )

    kind: Kind
    enterprise_uscc: Uscc
    batch: Text = Field(min_length=1, max_length=50, description="培育赋能工作批次")
    mode: Mode
    expected_month: int | None = Field(
        None, ge=1, le=12, description="期望现场诊断的月份（仅现场诊断）"
    )
    focus_areas: list[str] = Field(
        min_length=1,
        description="诊断重点：质量 basic / digital / sustained_success / performance；"
        "管理 strategy / hr / production / supply_chain / marketing / decision_image / other",
    )
    focus_other: Text | None = Field(None, max_length=200, description="其他（管理诊断）")
    contact: ContactIn = Field(description="工作联系人")

    @model_validator(mode="after")
    def _needs(self) -> EngagementCreate:
        if self.mode is Mode.ONSITE and self.expected_month is None:
            raise PydanticCustomError(
                "EXPECTED_MONTH_REQUIRED",
                "An on-site diagnosis names its expected month",
                {"zh": "现场诊断须填写期望时间（月）"},
            )
        if self.mode is Mode.ONLINE and self.expected_month is not None:
            raise PydanticCustomError(
                "EXPECTED_MONTH_NOT_ONLINE",
                "An online self-diagnosis has no expected month",
                {"zh": "在线自我诊断不填写现场诊断的期望时间"},
            )
        allowed = FOCUS[self.kind]
        unknown = [f for f in self.focus_areas if f not in {a.value for a in allowed}]
        if unknown:
            raise PydanticCustomError(
                "FOCUS_UNKNOWN",
                "Not a focus area of {kind} diagnosis: {unknown}",
                {
                    "kind": self.kind.value,
                    "unknown": ", ".join(unknown),
                    "zh": f"{self.kind.zh}的诊断重点中没有：{'、'.join(unknown)}",
                },
            )
        self.focus_areas = list(dict.fromkeys(self.focus_areas))
        other = ManagementFocus.OTHER.value in self.focus_areas
        if other != (self.focus_other is not None):
            raise PydanticCustomError(
                "FOCUS_OTHER",
                "'other' and its text go together",
                {"zh": "选择“其他”时须填写其内容，未选择时不填"},
            )
        return self


class Assignment(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"institution_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802"}]
        },
    )

    institution_id: uuid.UUID = Field(description="与本单位签约、资质审核通过的诊断机构")


class Reasons(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reasons": ["诊断建议未结合企业实际，请补充"]}]},
    )

    reasons: list[Text] = Field(min_length=1, max_length=20, description="退回或取消的原因")


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_state: State | None
    to_state: State
    at: datetime
    by_role: str
    details: dict[str, Any]


class EngagementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: Kind
    enterprise_uscc: str
    enterprise_name: str
    unit: str
    region_code: str
    batch: str
    mode: Mode
    expected_month: int | None
    focus_areas: list[str]
    focus_other: str | None
    contact: ContactShown
    requested_on: date
    state: State
    institution_id: uuid.UUID | None
    institution_name: str | None
    level: str | None = Field(description="诊断报告的质量能力等级（质量诊断）")
    spot_level: str | None = Field(description="部级抽查认定的等级（质量诊断）")
    suggestions: int = Field(description="报告中的能力提升建议条数")
    typical_case: bool = Field(description="已列为典型案例（管理诊断）")
    version: int
    created_at: datetime
    updated_at: datetime
