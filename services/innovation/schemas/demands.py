"""企业技术创新需求 (001 附件1-3): the form's every field, its steps and reads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kit.fields import Day, OfficePhone, Text, Uscc
from pydantic import BaseModel, ConfigDict, Field, field_validator

from innovation.enums import Category, DemandState


class ContactIn(BaseModel):
    """001 附件1-3 专项联系人及职务, 电话."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=100)
    title: Text | None = Field(None, max_length=100, description="职务")
    phone: OfficePhone = Field(description="电话（手机或办公电话）")


class ContactShown(BaseModel):
    name: str
    title: str | None
    phone: str | None
    masked: bool = Field(description="电话已脱敏（持 pii:read 时为明文且留痕审计）")


class PastCooperation(BaseModel):
    """过往技术合作案例：合作单位、项目内容、合作金额."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    partner: Text = Field(min_length=1, max_length=200, description="合作单位")
    content: Text = Field(min_length=1, max_length=1000, description="项目内容")
    amount_wan_yuan: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="合作金额（万元）"
    )


EXAMPLE: dict[str, Any] = {
    "enterprise_uscc": "91420100MA4K3C2P0R",
    "contact": {"name": "李明", "title": "技术总监", "phone": "027-87654321"},
    "categories": ["rd", "pilot"],
    "title": "高精度减速器轴承寿命提升",
    "problem": "轴承在高负载下寿命不足 3000 小时，需要提升到 8000 小时",
    "basis": "已有材料热处理中试线，掌握渗碳工艺",
    "time_requirement": "2025 年底前完成小试，2026 年中完成中试",
    "due_on": "2026-06-30",
    "quantitative_targets": "寿命 ≥ 8000 小时；交付工艺规范一套、样件 20 件",
    "necessity": "替代进口轴承，降低成本 30%",
    "budget_wan_yuan": "120",
    "past_cooperation": [
        {"partner": "华中科技大学", "content": "热处理工艺联合攻关", "amount_wan_yuan": "45"}
    ],
    "onsite_needed": True,
    "publishable": True,
}


class DemandCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [EXAMPLE]}
    )

    enterprise_uscc: Uscc
    contact: ContactIn = Field(description="专项联系人")
    categories: list[Category] = Field(
        min_length=1,
        max_length=6,
        description="需求类别：技术研发 rd / 概念验证 proof_of_concept / 小试中试 pilot / "
        "检验检测 testing / 成果转化 commercialization / 知识产权 ip（可多选）",
    )
    title: Text = Field(min_length=1, max_length=200, description="需求名称")
    problem: Text = Field(min_length=1, max_length=5000, description="具体要求及需要解决的问题")
    basis: Text = Field(min_length=1, max_length=5000, description="技术或项目基础情况")
    time_requirement: Text = Field(min_length=1, max_length=1000, description="时间要求")
    due_on: Day | None = Field(None, description="期望完成日期（可选）")
    quantitative_targets: Text = Field(
        min_length=1, max_length=5000, description="量化指标：期望效果、交付内容、性能指标"
    )
    necessity: Text = Field(min_length=1, max_length=5000, description="技术创新的必要性")
    budget_wan_yuan: Decimal = Field(
        ge=0, max_digits=12, decimal_places=2, description="经费投入预算（万元）"
    )
    past_cooperation: list[PastCooperation] = Field(
        default_factory=list, max_length=50, description="过往技术合作案例"
    )
    onsite_needed: bool = Field(description="是否需要现场服务")
    publishable: bool = Field(description="技术需求是否可公开发布")

    @field_validator("categories")
    @classmethod
    def _once_each(cls, categories: list[Category]) -> list[Category]:
        return list(dict.fromkeys(categories))


class Decline(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "需求不属于技术创新服务范围"}]},
    )

    reason: Text = Field(min_length=1, max_length=1000, description="不予入库的原因")


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_state: DemandState | None
    to_state: DemandState
    at: datetime
    by_role: str
    details: dict[str, Any]


class DemandRead(BaseModel):
    id: uuid.UUID
    enterprise_uscc: str
    enterprise_name: str
    unit: str
    region_code: str
    enterprise_tier: str = Field(description="企业类型：提交日所持梯度")
    contact: ContactShown
    categories: list[Category]
    title: str
    problem: str
    basis: str
    time_requirement: str
    due_on: date | None
    quantitative_targets: str
    necessity: str
    budget_wan_yuan: Decimal
    past_cooperation: list[PastCooperation]
    onsite_needed: bool
    publishable: bool
    submitted_on: date
    state: DemandState
    decline_reason: str | None
    round_id: uuid.UUID | None = Field(description="遴选轮次（入选或未遴选时）")
    batch: str | None = Field(description="遴选轮次的批次")
    version: int
    created_at: datetime
    updated_at: datetime


class DemandPublic(BaseModel):
    """A publishable pooled demand as the public catalogue shows it: no contact, no budget, no
    past cooperation (their amounts)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    unit: str
    enterprise_name: str
    enterprise_tier: str
    categories: list[Category]
    title: str
    problem: str
    basis: str
    time_requirement: str
    due_on: date | None
    quantitative_targets: str
    necessity: str
    onsite_needed: bool
    submitted_on: date
