"""The 专栏 overview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

# 培训计划周期 (000 附件1 §三(二)); 1, 2, 3 name the same periods as the three batches.
TrainingBatch = Literal["2025", "2026", "2027-2028", "1", "2", "3"]
PERIOD_OF_BATCH = {"1": "2025", "2": "2026", "3": "2027-2028"}


class TierCounts(BaseModel):
    innovative_sme: int = Field(0, description="创新型中小企业")
    specialized_sme: int = Field(0, description="专精特新中小企业")
    little_giant: int = Field(0, description="专精特新“小巨人”企业")
    key_little_giant: int = Field(0, description="重点“小巨人”企业")


class ProvinceRow(BaseModel):
    province: str
    name: str
    enterprises: int = Field(description="登记企业数")
    tiers: TierCounts = Field(description="当日持有各层级的企业数")
    classes: int = Field(0, description="培训班次（联合组班计入各参与省份，全国合计每班计一次）")
    trainees: int = Field(
        0, description="培训学员：报名已确认或已结业的学员人数（计入所在企业省份和主办省份）"
    )
    enterprises_trained: int = Field(
        0, description="已培训企业：有学员结业的企业数（计入企业所在省份）"
    )
    coverage: Decimal = Field(
        Decimal("0.0000"),
        description="覆盖率：已培训且当日持有“小巨人”的企业数 / 当日持有“小巨人”的企业数，"
        "保留4位小数；无“小巨人”企业时为0",
    )
    certificates: int = Field(0, description="结业证书（计入学员所在省份和主办省份）")
    satisfaction: Decimal | None = Field(
        None, description="培训满意度：满意的评价份数 / 评价份数，保留4位小数；无评价时为空"
    )


class Overview(BaseModel):
    as_of: date
    batch: str | None = Field(
        None, description="培训计划周期（2025、2026、2027-2028）；为空表示各周期累计"
    )
    totals: ProvinceRow
    provinces: list[ProvinceRow]
