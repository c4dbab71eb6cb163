"""专栏 (column) routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from kit import clock
from kit.auth import GOVERNMENT, Principal
from kit.web import Context, require, service_router

from gateway import service
from gateway.schemas import Overview, TrainingBatch

router = service_router("/api/v1/column", ["column 专栏"])


@router.get("/overview", response_model=Overview)
async def overview(
    ctx: Context,
    principal: Annotated[Principal, Depends(require(*GOVERNMENT))],
    as_of: Annotated[date | None, Query(description="统计日期，默认今天")] = None,
    batch: Annotated[
        TrainingBatch | None,
        Query(
            description="培训计划周期：2025、2026、2027-2028（也可用 1、2、3 表示）；"
            "不填为各周期累计"
        ),
    ] = None,
) -> Overview:
    return await service.overview(ctx.db, principal, as_of or clock.today(), batch)
