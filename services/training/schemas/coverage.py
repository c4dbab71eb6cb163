"""培训覆盖率: the share of a province's valid 小巨人 trained, per batch and cumulative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from training.enums import Period


class BatchCoverage(BaseModel):
    batch: int = Field(description="批次（1：2025 年度，2：2026 年度，3：2027—2028 年度）")
    period: Period
    trained: int = Field(description="已培训企业数（有学员结业）")
    trained_valid: int = Field(description="其中当前为有效期内“小巨人”的企业数")
    share: Decimal | None = Field(description="覆盖率 = 已培训的有效“小巨人” / 有效“小巨人”")
    target: Decimal | None = Field(description="目标（2025 年不低于 30%，2028 年全覆盖）")


class ProvinceCoverage(BaseModel):
    province: str
    name: str
    little_giants: int = Field(description="有效期内的“小巨人”企业数（含重点“小巨人”）")
    batches: list[BatchCoverage] = Field(description="各批次当期覆盖情况")
    cumulative: list[BatchCoverage] = Field(description="截至各批次的累计覆盖情况")


class Coverage(BaseModel):
    as_of: date = Field(description="“小巨人”有效性的判断日期")
    region: str = Field(description="统计范围（行政区划代码前缀，空为全国）")
    provinces: list[ProvinceCoverage]
