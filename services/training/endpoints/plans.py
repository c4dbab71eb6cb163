"""培训计划 routes: create, change a draft's settings, file (``:submit``), amend (``:amend``),
read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit import xlsx
from kit.fields import UnitCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, service_router

from training.enums import Period
from training.schemas.plans import PlanCreate, PlanRead, PlanUpdate
from training.service import exports
from training.service import plans as service

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["plans 培训计划"])


@router.post("/plans", status_code=201, response_model=PlanRead)
async def create_plan(
    payload: PlanCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> PlanRead:
    plan = await service.create(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/plans/{plan.id}"
    return await service.to_read(session, plan)


@router.patch("/plans/{plan_id}", response_model=PlanRead)
async def update_plan(
    plan_id: uuid.UUID, payload: PlanUpdate, session: Session, principal: CurrentPrincipal
) -> PlanRead:
    """A draft plan's settings (名额上限及范围、结业证书出勤率); a filed plan is amended first."""
    plan = await service.update(session, principal, plan_id, payload)
    return await service.to_read(session, plan)


@router.post("/plans/{plan_id}:submit", response_model=PlanRead)
async def submit_plan(
    plan_id: uuid.UUID, session: Session, ctx: Context, principal: CurrentPrincipal
) -> PlanRead:
    """填报: records the filing, its due date and whether it was on time."""
    return await service.to_read(session, await service.submit(session, ctx, principal, plan_id))


@router.post("/plans/{plan_id}:amend", response_model=PlanRead)
async def amend_plan(
    plan_id: uuid.UUID, session: Session, ctx: Context, principal: CurrentPrincipal
) -> PlanRead:
    """修订: a new draft version of a filed plan (the earlier filings are kept)."""
    return await service.to_read(session, await service.amend(session, ctx, principal, plan_id))


@router.get("/plans", response_model=Page[PlanRead])
async def list_plans(
    session: Session,
    principal: CurrentPrincipal,
    province: Annotated[UnitCode | None, Query()] = None,
    period: Period | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PlanRead]:
    return await service.search(
        session, principal, province=province, period=period, cursor=cursor, limit=limit
    )


@router.get("/plans/{plan_id}", response_model=PlanRead)
async def get_plan(plan_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> PlanRead:
    return await service.read(session, principal, plan_id)


@router.get("/plans/{plan_id}/export.xlsx", response_class=Response, responses=xlsx.OPENAPI)
async def export_plan(
    plan_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> Response:
    """附1-2 培训班次计划."""
    content = await exports.plan_annex(session, principal, plan_id)
    return xlsx.attachment(content, "培训班次计划.xlsx", f"training-plan-{plan_id}.xlsx")
