"""Enterprise payloads (API.md registry section)."""

from __future__ import annotations

from datetime import date, datetime

from kit import clock
from kit.enums import Tier
from kit.fields import IndustryCode, RegionCode, Uscc
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

    niche_field: str | None = Field(None, max_length=200, description="细分领域")
    main_product: str | None = Field(None, max_length=200, description="主导产品")
    scale: Scale | None = None
    ownership: Ownership | None = None
    legal_representative: str | None = Field(None, max_length=100)
    registered_on: date | None = None
    employees: int | None = Field(None, ge=0, le=10_000_000)
    address: str | None = Field(None, max_length=300)
    website: HttpUrl | None = None
    listed: bool = False
    ipo_plan: IpoPlan | None = None
    titles: list[Title] = Field(default_factory=list, description="附1-3 获得相关部门认定的称号")
    key_fields: list[KeyField] = Field(default_factory=list, description="004 产业导向")

    @field_validator("titles", "key_fields")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    @field_validator("registered_on")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > clock.today():
            raise ValueError("registered_on is in the future")
        return value


class EnterpriseCreate(EnterpriseFields):
    uscc: Uscc
    name: str = Name
    region_code: RegionCode
    industry_code: IndustryCode


class EnterpriseUpdate(BaseModel):
    """PATCH: only the fields sent are changed (``exclude_unset``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=200)
    region_code: RegionCode | None = None
    industry_code: IndustryCode | None = None
    niche_field: str | None = Field(None, max_length=200)
    main_product: str | None = Field(None, max_length=200)
    scale: Scale | None = None
    ownership: Ownership | None = None
    legal_representative: str | None = Field(None, max_length=100)
    registered_on: date | None = None
    employees: int | None = Field(None, ge=0, le=10_000_000)
    address: str | None = Field(None, max_length=300)
    website: HttpUrl | None = None
    listed: bool | None = None
    ipo_plan: IpoPlan | None = None
    titles: list[Title] | None = None
    key_fields: list[KeyField] | None = None


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
