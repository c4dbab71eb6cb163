"""专栏 (column) routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from kit.auth import GOVERNMENT, Principal
from kit.web import Context, require, service_router

from gateway import overview as figures
from gateway.schemas import Overview, OverviewQuery

router = service_router("/api/v1/column", ["column 专栏"])


@router.get("/overview", response_model=Overview)
async def overview(
    ctx: Context,
    principal: Annotated[Principal, Depends(require(*GOVERNMENT))],
    query: Annotated[OverviewQuery, Query()],
) -> Overview:
    """专栏总览：调用者所辖地区的数据。部级：各省一行及全国合计；省级：本省一行、本省有数据的
    各市各一行及本省合计；市级：本市一行及本市合计。``not_as_of`` 列出不随统计日期回溯的指标；
    ``year`` 为年末累计数；未知的查询参数返回 422。

    The caller's region: the ministry a row per province and national totals; a province its
    row, a row per city of it with figures, and its totals; a city its row and its totals.
    ``not_as_of`` lists the figures ``as_of`` does not take back; ``year`` gives year-end
    figures; an unknown query parameter is a 422.
    """
    return await figures.overview(ctx.db, principal, query)
