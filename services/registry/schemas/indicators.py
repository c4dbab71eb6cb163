"""Annual indicators (年度指标) of the 000/004 forms; money in 万元."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Wan = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


class IndicatorWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "revenue": "18500.00",
                    "main_business_revenue": "17200.00",
                    "profit": "1320.50",
                    "rd_expense": "1100.00",
                    "invention_patents": 12,
                }
            ]
        },
    )

    revenue: Wan | None = Field(None, description="营业收入（万元）")
    main_business_revenue: Wan | None = Field(None, description="主营业务收入（万元）")
    profit: Annotated[Decimal, Field(max_digits=18, decimal_places=2)] | None = Field(
        None, description="利润总额（万元），可为负"
    )
    total_assets: Wan | None = Field(None, description="资产总额（万元）")
    debt_ratio: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)] | None = Field(
        None, description="资产负债率（%）"
    )
    taxes: Wan | None = Field(None, description="纳税总额（万元）")
    rd_expense: Wan | None = Field(None, description="研发经费（万元）")
    invention_patents: Count | None = Field(None, description="有效发明专利（项）")
    rd_institutions: Count | None = Field(None, description="研发机构（个）")
    rd_institutions_national: Count | None = Field(None, description="其中国家级研发机构（个）")
    rd_institutions_provincial: Count | None = Field(None, description="其中省级研发机构（个）")
    standards_led: Count | None = Field(None, description="主持制（修）订标准（个）")
    standards_joined: Count | None = Field(None, description="参与制（修）订标准（个）")
    standards_led_national: Count | None = Field(
        None, description="近5年主持制（修）订国家标准（个）"
    )
    standards_led_industry: Count | None = Field(
        None, description="近5年主持制（修）订行业标准（个）"
    )
    standards_joined_national: Count | None = Field(
        None, description="近5年参与制（修）订国家标准（个）"
    )
    standards_joined_industry: Count | None = Field(
        None, description="近5年参与制（修）订行业标准（个）"
    )
    quality_certifications: Count | None = Field(None, description="质量管理体系认证（项）")
    foreign_certifications: Count | None = Field(None, description="国外认证（项）")
    main_product_export_share: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)] | None = (
        Field(None, description="主导产品出口额占主导产品销售收入比重（%）")
    )

    @model_validator(mode="after")
    def _levels_within_total(self) -> IndicatorWrite:
        levels = (self.rd_institutions_national or 0) + (self.rd_institutions_provincial or 0)
        if self.rd_institutions is not None and levels > self.rd_institutions:
            raise PydanticCustomError(
                "RD_INSTITUTION_LEVELS_EXCEED_TOTAL",
                "national and provincial R&D institutions exceed rd_institutions",
                {"zh": "国家级与省级研发机构之和不能大于研发机构总数"},
            )
        return self

    @model_validator(mode="after")
    def _main_within_revenue(self) -> IndicatorWrite:
        if (
            self.revenue is not None
            and self.main_business_revenue is not None
            and self.main_business_revenue > self.revenue
        ):
            raise PydanticCustomError(
                "MAIN_REVENUE_EXCEEDS_REVENUE",
                "main_business_revenue exceeds revenue",
                {"zh": "主营业务收入不能大于营业收入"},
            )
        return self


class IndicatorRead(IndicatorWrite):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    uscc: str
    year: int
    version: int
