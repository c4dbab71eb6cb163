"""择优遴选 routes: a unit's selection rounds, their selections and their close."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit.fields import Text, UnitCode
from kit.web import Context, CurrentPrincipal, Session, service_router

from innovation.schemas.rounds import RoundCreate, RoundRead, SelectionCreate, SelectionRead
from innovation.service import rounds as service

PREFIX = "/api/v1/innovation"
router = service_router(PREFIX, ["rounds 遴选轮次"])


@router.post("/rounds", status_code=201, response_model=RoundRead)
async def open_round(
    payload: RoundCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> RoundRead:
    """单位开启某批次的遴选轮次（入选名额；001：需求库 100 项择优遴选 16 个）。每单位每批次同时只有
    一个进行中的轮次。"""
    r = await service.open_round(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/rounds/{r.id}"
    return RoundRead.model_validate(r)


@router.get("/rounds", response_model=list[RoundRead])
async def list_rounds(
    session: Session,
    principal: CurrentPrincipal,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    batch: Annotated[Text | None, Query(max_length=50, description="批次")] = None,
) -> list[RoundRead]:
    rounds = await service.search(session, principal, unit=unit, batch=batch)
    return [RoundRead.model_validate(r) for r in rounds]


@router.get("/rounds/{round_id}", response_model=RoundRead)
async def get_round(
    round_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> RoundRead:
    return RoundRead.model_validate(await service.get(session, principal, round_id))


@router.post("/rounds/{round_id}/selections", status_code=201, response_model=SelectionRead)
async def select_demand(
    round_id: uuid.UUID,
    payload: SelectionCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> SelectionRead:
    """遴选一项本单位已入库的需求（评分、理由）；企业类型须为本轮面向的梯度。轮次进行中可超出名额，
    结束时不得超出。"""
    s = await service.select_demand(session, ctx, principal, round_id, payload)
    return SelectionRead.model_validate(s)


@router.delete("/rounds/{round_id}/selections/{demand_id}", status_code=204)
async def unselect_demand(
    round_id: uuid.UUID,
    demand_id: uuid.UUID,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> Response:
    """轮次结束前撤销一项遴选：需求回到需求库。"""
    await service.unselect(session, ctx, principal, round_id, demand_id)
    return Response(status_code=204)


@router.post("/rounds/{round_id}:close", response_model=RoundRead)
async def close_round(
    round_id: uuid.UUID, session: Session, ctx: Context, principal: CurrentPrincipal
) -> RoundRead:
    """结束轮次：遴选数超过名额为 409 QUOTA_EXCEEDED；本单位其余已入库需求列为未遴选。"""
    return RoundRead.model_validate(await service.close(session, ctx, principal, round_id))
