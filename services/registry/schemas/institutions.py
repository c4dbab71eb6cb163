"""服务机构 (机构库), their qualification conditions and contracts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from contracts.vocabulary import InstitutionType, Task
from kit import bulk
from kit.fields import Day, Patch, RegionCode, Text, UnitCode, Uscc
from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from registry.enums import PlatformLevel, Review


def _distinct(types: list[InstitutionType] | None) -> list[InstitutionType] | None:
    return None if types is None else list(dict.fromkeys(types))


class Qualification(BaseModel):
    """A condition the institution declares it meets, with what proves it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: Text = Field(min_length=1, max_length=10, description="条件代码，如 QD3")
    evidence: Text | None = Field(None, max_length=500, description="佐证材料说明")


Qualifications = dict[InstitutionType, list[Qualification]]


class InstitutionFields(BaseModel):
    """Fields a client may set; shared by create and update."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=200)
    types: list[InstitutionType] = Field(min_length=1)
    qualifications: Qualifications = Field(
        default_factory=dict, description="按机构类型列出满足的遴选条件"
    )
    platform_level: PlatformLevel | None = Field(
        None, description="平台级别：仅公共服务示范平台填写，且必填"
    )
    staff_count: int | None = Field(None, ge=0, le=1_000_000)

    distinct_types = field_validator("types")(_distinct)


class InstitutionCreate(InstitutionFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "湖北专精特新学院",
                    "uscc": "91420100MA4K5T7Q1Y",
                    "region_code": "420102",
                    "types": ["quality_diagnosis"],
                    "qualifications": {
                        "quality_diagnosis": [{"code": "QD3", "evidence": "质量管理体系认证证书"}]
                    },
                    "staff_count": 45,
                }
            ]
        }
    )

    uscc: Uscc
    region_code: RegionCode


class InstitutionUpdate(Patch, InstitutionFields):
    """PATCH: only the fields sent change. Dropping a type drops its qualifications (and the
    platform level) unless they are sent too."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"staff_count": 60}]})


class ConditionRef(BaseModel):
    code: str
    text: str
    mandatory: bool


class Condition(ConditionRef):
    source: str


class QualificationStatus(BaseModel):
    type: InstitutionType
    qualified: bool = Field(
        description="经省级主管部门或工业和信息化部审核通过，且满足全部必备条件"
        "（“优先”条件不是必备条件）；机构自述、尚未审核的条件不计"
    )
    review: Review = Field(description="资质审核：待审核 / 审核通过 / 审核不通过")
    reviewed_by: str | None = Field(None, description="审核人（令牌 sub）")
    reviewed_at: datetime | None = Field(None, description="审核时间")
    reason: str | None = Field(None, description="审核不通过的理由")
    met: list[ConditionRef] = Field(description="已填报（声明满足）的条件")
    missing: list[ConditionRef]


class ReviewDecision(BaseModel):
    """资质审核 by the unit: ``verify`` (审核通过) or ``reject`` (审核不通过, with a reason)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "质量管理体系认证证书已过期"}]},
    )

    reason: str | None = Field(None, min_length=1, max_length=500, description="不通过的理由")


class InstitutionRead(BaseModel):
    id: uuid.UUID
    name: str
    uscc: str
    region_code: str
    province: str
    types: list[InstitutionType]
    qualifications: Qualifications
    qualification_status: list[QualificationStatus]
    platform_level: PlatformLevel | None
    staff_count: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class ContractCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "province": "42",
                    "task": "training",
                    "batch": "第一批",
                    "amount": "120.00",
                    "signed_on": "2025-03-15",
                }
            ]
        },
    )

    province: UnitCode
    task: Task
    batch: Text = Field(min_length=1, max_length=50, description="批次，如 第一批")
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=2, description="合同金额（万元）")
    signed_on: Day


class ContractRead(BaseModel):
    id: uuid.UUID
    institution_id: uuid.UUID
    institution_name: str
    province: str
    task: Task
    batch: str
    amount: Decimal | None
    signed_on: date | None
    created_at: datetime

    @field_serializer("amount")
    def _money(self, value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"


class InstitutionSync(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "name": "湖北专精特新学院",
                            "uscc": "91420100MA4K5T7Q1Y",
                            "region_code": "420102",
                            "types": ["training"],
                            "qualifications": {},
                        }
                    ]
                }
            ]
        }
    )

    items: Annotated[
        list[dict[str, Any]],
        bulk.items_of(InstitutionCreate),
        Field(description="1–1000 家机构，以统一社会信用代码为键，每项为机构的全部信息"),
    ]
