"""Enterprise payloads (API.md registry section)."""

from __future__ import annotations

from datetime import date, datetime

from contracts.vocabulary import Tier
from kit.fields import Day, IndustryCode, Patch, RegionCode, Text, Uscc, not_future
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from registry.enums import IpoBoard, IpoStage, KeyField, Ownership, Scale, Title

Name = Field(min_length=1, max_length=200)


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
    listed: bool = False
    ipo_plan: IpoPlan | None = None
    titles: list[Title] = Field(default_factory=list, description="附1-3 获得相关部门认定的称号")
    key_fields: list[KeyField] = Field(default_factory=list, description="004 产业导向")

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
    ipo_plan: IpoPlan | None
    titles: list[Title]
    key_fields: list[KeyField]
    tiers: list[Tier] = Field(description="今日持有的梯度层级 / tiers held today")
    version: int
    created_at: datetime
    updated_at: datetime
