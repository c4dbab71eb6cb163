"""诊断计划 routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit.fields import UnitCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, service_router

from diagnosis.enums import Kind
from diagnosis.schemas.plans import PlanCreate, PlanRead, PlanUpdate
from diagnosis.service import plans as service

PREFIX = "/api/v1/diagnosis"
router = service_router(PREFIX, ["plans 诊断计划"])


@router.post("/plans", status_code=201, response_model=PlanRead)
async def create_plan(
    payload: PlanCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> PlanRead:
    """本单位某年度计划诊断的“小巨人”企业数（每单位每类每年一份）。"""
    plan = await service.create(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/plans/{plan.id}"
    return PlanRead.model_validate(plan)


@router.patch("/plans/{plan_id}", response_model=PlanRead)
async def update_plan(
    plan_id: uuid.UUID,
    payload: PlanUpdate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> PlanRead:
    return PlanRead.model_validate(await service.update(session, ctx, principal, plan_id, payload))


@router.get("/plans", response_model=Page[PlanRead])
async def list_plans(
    session: Session,
    principal: CurrentPrincipal,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    kind: Kind | None = None,
    year: Annotated[int | None, Query(ge=2025, le=2035)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PlanRead]:
    return await service.search(
        session, principal, unit=unit, kind=kind, year=year, cursor=cursor, limit=limit
    )


@router.get("/plans/{plan_id}", response_model=PlanRead)
async def get_plan(plan_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> PlanRead:
    return PlanRead.model_validate(await service.get(session, principal, plan_id))
