"""Reference data: enum values with their Chinese labels, and each filing unit's regions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Path, Query
from kit import regions
from kit.codes import unit_name
from kit.enums import catalogue
from kit.errors import VALIDATION_FAILED, FieldError
from kit.web import service_router
from pydantic import BaseModel, Field

from registry import enums

router = service_router("/api/v1/registry", ["reference 参考数据"])


@router.get("/enums")
async def list_enums() -> dict[str, Any]:
    return catalogue(*enums.ALL)


class RegionNode(BaseModel):
    code: str
    name: str
    current: bool = Field(description="现行代码（否则为已撤销的代码）")
    places: list[RegionNode] = Field(description="下级：市，或市的区县")


class UnitRegions(RegionNode):
    kind: str = Field(description="province 省 / plan_city 计划单列市 / corps 兵团")
    version: str = Field(description="行政区划代码表的版本与出处")


class UnitSummary(BaseModel):
    code: str
    name: str
    kind: str


class Units(BaseModel):
    version: str
    units: list[UnitSummary] = Field(description="31 个省、5 个计划单列市和新疆生产建设兵团")


@router.get("/regions", response_model=Units)
async def list_units() -> Units:
    """填报单位：省、计划单列市、兵团，各自为一个单位。"""
    return Units(
        version=regions.VERSION,
        units=[UnitSummary(code=u, name=unit_name(u), kind=regions.kind(u)) for u in regions.UNITS],
    )


@router.get("/regions/{unit}", response_model=UnitRegions)
async def unit_regions(
    unit: Annotated[str, Path(pattern=r"^\d{6}$", description="单位代码，如 420000、330200")],
    former: Annotated[bool, Query(description="含已撤销的代码")] = False,
) -> UnitRegions:
    """单位 → 市 → 区县；计划单列市的区县属于该市，不属于所在省。"""
    if unit not in regions.UNITS:
        raise VALIDATION_FAILED(
            errors=[
                FieldError(
                    "unit",
                    "UNIT_UNKNOWN",
                    "应为省级单位（省、计划单列市、兵团）代码",
                    "Must be a filing unit (a province, 计划单列市 or 兵团)",
                )
            ]
        )
    place = regions.hierarchy(unit, former=former)
    return UnitRegions.model_validate(
        {**asdict(place), "kind": regions.kind(unit), "version": regions.VERSION}
    )
