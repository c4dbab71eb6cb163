"""培训覆盖率: the share of a province's valid 小巨人 trained, per batch and cumulative."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field

from training.enums import Period


class BatchCoverage(BaseModel):
    batch: int = Field(description="批次（1：2025 年度，2：2026 年度，3：2027—2028 年度）")
    period: Period
    trained: int = Field(description="已培训企业数（有学员结业）")
    trained_valid: int = Field(description="其中当前为有效期内“小巨人”的企业数")
    share: Decimal | None = Field(description="覆盖率 = 已培训的有效“小巨人” / 有效“小巨人”")
    target: Decimal | None = Field(
        description="本单位的累计覆盖目标（绩效目标；未设定为空），仅累计行有"
    )


class ProvinceCoverage(BaseModel):
    province: str
    name: str
    little_giants: int = Field(description="有效期内的“小巨人”企业数（含重点“小巨人”）")
    scoring_floor: Decimal = Field(
        description="附件5 评分下限：覆盖率低于 30% 的该项得零分（不是目标）"
    )
    batches: list[BatchCoverage] = Field(description="各批次当期覆盖情况")
    cumulative: list[BatchCoverage] = Field(description="截至各批次的累计覆盖情况")


class Coverage(BaseModel):
    as_of: date = Field(description="“小巨人”有效性的判断日期")
    region: str = Field(description="统计范围（行政区划代码前缀，空为全国）")
    provinces: list[ProvinceCoverage]


class TargetWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"target": "0.35", "source": "2025年度工作方案绩效目标"}]},
    )

    target: Decimal = Field(
        gt=0, le=1, max_digits=5, decimal_places=4, description="累计覆盖率目标"
    )
    source: Text = Field(min_length=1, max_length=300, description="出处（工作方案、文件）")


class TargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    province: str
    period: Period
    target: Decimal
    source: str
    updated_at: datetime
