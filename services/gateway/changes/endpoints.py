"""The change feed's route and the event-type catalogue's."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import Depends, Query, Response
from kit.auth import Principal
from kit.web import Context, require, service_router

from gateway.changes import feed
from gateway.changes.schemas import ChangePage, ChangesQuery, EventTypeList, EventTypeRead
from gateway.event_types import CATALOGUE

router = service_router("/api/v1/column", ["column 专栏"])
webhooks = service_router("/api/v1/webhooks", ["webhooks 事件推送"])


@router.get("/changes", response_model=ChangePage)
async def changes(
    ctx: Context,
    principal: Annotated[Principal, Depends(require(*feed.READERS))],
    query: Annotated[ChangesQuery, Query()],
) -> Response:
    """变更流：调用者所属单位的全部事件（CloudEvents，原样），按记录顺序，从 ``after`` 游标
    之后开始。部级：全部单位；省级主管部门和省级系统：本单位（计划单列市为单独的单位）；
    其他角色 403。把返回的 ``next_cursor`` 保存下来，下次作为 ``after`` 传入：之后才提交的
    事件不会排在它之前，长时间中断后也能不重不漏地补齐。``types`` 含未知类型时返回 422。

    The caller's unit's events, oldest first, past the ``after`` cursor: the ministry every
    unit's, a unit's users and systems their own, other roles 403. Store ``next_cursor`` and
    pass it as ``after`` next time; nothing committed later is ever placed before it.
    """
    return Response(await feed.read(ctx.db, principal, query), media_type="application/json")


@cache
def _catalogue_json() -> str:
    return EventTypeList(
        items=[
            EventTypeRead(
                type=e.name,
                service=e.service,
                description=e.description,
                data_schema=e.data_schema,
            )
            for e in CATALOGUE.values()
        ]
    ).model_dump_json()


@webhooks.get("/event-types", response_model=EventTypeList)
async def event_types() -> Response:
    """事件类型目录：各服务发布的每一种事件类型，含其 data 的 JSON Schema 和中文说明
    （任何已登录的调用者：路由本身验证令牌）。

    Every event type of every service, with the JSON Schema of its ``data`` and a Chinese
    description (any signed-in caller).
    """
    return Response(_catalogue_json(), media_type="application/json")
