"""Enterprise payloads (API.md registry section)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from contracts.vocabulary import Tier
from kit.fields import Day, IndustryCode, Patch, RegionCode, Text, Uscc, not_future
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from registry.enums import (
    FourBasicsKind,
    IpoBoard,
    IpoStage,
    KeyField,
    ListingBoard,
    Ownership,
    Scale,
    Title,
)
from registry.schemas.indicators import Wan

Name = Field(min_length=1, max_length=200)
ProductCategory = Annotated[str, Field(pattern=r"^[0-9]{2,10}$")]


class IpoPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: IpoStage
    board: IpoBoard | None = None


class EnterpriseFields(BaseModel):
    """Fields a client may set; shared by create and update."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Name
    region_code: RegionCode
    industry_code: IndustryCode
    niche_field: Text | None = Field(None, max_length=200, description="细分领域")
    main_product: Text | None = Field(None, max_length=200, description="主导产品")
    scale: Scale | None = None
    ownership: Ownership | None = None
    legal_representative: Text | None = Field(None, max_length=100)
    registered_on: Day | None = Field(None, description="成立日期（不晚于今天）")
    employees: int | None = Field(None, ge=0, le=10_000_000)
    address: Text | None = Field(None, max_length=300)
    website: HttpUrl | None = None
    listed: bool = Field(False, description="是否上市；给出上市板块时由板块决定")
    listing_board: ListingBoard | None = Field(
        None, description="上市或挂牌板块（004 不排除北交所与新三板）"
    )
    registered_capital: Wan | None = Field(None, description="注册资本（万元）")
    main_product_category: ProductCategory | None = Field(
        None, description="主导产品类别代码（《统计用产品分类目录》，2–10 位数字）"
    )
    ipo_plan: IpoPlan | None = None
    titles: list[Title] = Field(default_factory=list, description="附1-3 获得相关部门认定的称号")
    key_fields: list[KeyField] = Field(default_factory=list, description="004 产业导向")
    four_basics_kind: FourBasicsKind | None = Field(
        None, description="《工业“四基”发展目录》所列重点领域的类别（产业导向含“四基”时）"
    )

    @field_validator("titles", "key_fields")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    registered_in_the_past = field_validator("registered_on")(not_future)


class EnterpriseCreate(EnterpriseFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uscc": "91420100MA4K3C2P0R",
                    "name": "武汉精测电子科技有限公司",
                    "region_code": "420102",
                    "industry_code": "39",
                    "niche_field": "工业传感器",
                    "main_product": "高精度压力传感器",
                    "scale": "small",
                    "ownership": "private",
                    "registered_on": "2015-06-18",
                    "employees": 180,
                    "listed": False,
                    "titles": [],
                    "key_fields": [],
                }
            ]
        }
    )

    uscc: Uscc


class EnterpriseUpdate(Patch, EnterpriseFields):
    """PATCH: only the fields sent change; ``null`` clears an optional field only."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"main_product": "智能压力变送器", "employees": 210}]}
    )


class EnterpriseRead(BaseModel):
    uscc: str
    name: str
    region_code: str
    province: str
    industry_code: str
    niche_field: str | None
    main_product: str | None
    scale: Scale | None
    ownership: Ownership | None
    legal_representative: str | None
    registered_on: date | None
    employees: int | None
    address: str | None
    website: str | None
    listed: bool
    listing_board: ListingBoard | None
    registered_capital: Decimal | None
    main_product_category: str | None
    ipo_plan: IpoPlan | None
    titles: list[Title]
    key_fields: list[KeyField]
    four_basics_kind: FourBasicsKind | None
    tiers: list[Tier] = Field(description="今日持有的梯度层级 / tiers held today")
    version: int
    created_at: datetime
    updated_at: datetime
