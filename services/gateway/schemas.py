"""The 专栏 overview."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


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


class Overview(BaseModel):
    as_of: date
    totals: ProvinceRow
    provinces: list[ProvinceRow]
