"""The figures of the technical-innovation services (附件5 I1, I4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from kit.fields import Text, UnitCode
from kit.web import CurrentPrincipal, Session, service_router

from innovation.schemas.stats import Stats
from innovation.service import stats as service

PREFIX = "/api/v1/innovation"
router = service_router(PREFIX, ["stats 统计"])


@router.get("/stats", response_model=Stats)
async def innovation_stats(
    session: Session,
    principal: CurrentPrincipal,
    unit: Annotated[UnitCode | None, Query(description="单位代码（部级可选，缺省为全国）")] = None,
    batch: Annotated[Text | None, Query(max_length=50, description="批次，如 第一批")] = None,
) -> Stats:
    """技术创新服务统计（政府用户）：本单位（市级为本市企业）或全国的需求、入库、遴选、服务项目、
    服务企业数（I1）、验收与满意度（I4）；未开展且无需求的单位各项为空。"""
    return await service.stats(session, principal, unit=unit, batch=batch)
