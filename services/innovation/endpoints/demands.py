"""企业技术创新需求 routes: the filing, the 需求库's pooling or decline, withdrawal, reads."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit import xlsx
from kit.fields import Text, UnitCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router

from innovation.enums import Category, DemandState
from innovation.repository import demands as repo
from innovation.schemas.demands import (
    Decline,
    DemandCreate,
    DemandPublic,
    DemandRead,
    TransitionRead,
)
from innovation.service import demands as service
from innovation.service import exports

PREFIX = "/api/v1/innovation"
router = service_router(PREFIX, ["demands 技术创新需求"])


@router.post("/demands", status_code=201, response_model=DemandRead)
async def submit_demand(
    payload: DemandCreate,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
    response: Response,
) -> DemandRead:
    """企业（或其所属单位）填报技术创新需求（001 附件1-3）：单位须开展该项任务，企业须在提交日
    持有单位面向的梯度。"""
    d = await service.submit(session, ctx, audit.principal, payload)
    response.headers["Location"] = f"{PREFIX}/demands/{d.id}"
    return await service.shown(session, ctx, audit, d)


@router.get("/demands", response_model=Page[DemandRead])
async def list_demands(
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    state: DemandState | None = None,
    category: Category | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DemandRead]:
    return await service.search(
        session,
        ctx,
        audit,
        unit=unit,
        state=state,
        category=category,
        cursor=cursor,
        limit=limit,
    )


# Declared before /demands/{demand_id}, which would otherwise claim the path.
@router.get("/demands/export.xlsx", response_class=Response, responses=xlsx.OPENAPI)
async def export_demands(
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    state: DemandState | None = None,
    category: Category | None = None,
) -> Response:
    """001 附件1-3 企业技术创新需求征集表，每项需求一行；范围和筛选同需求列表。电话脱敏（持
    pii:read 时为明文并留痕审计）。"""
    content = await exports.annex1_3(session, ctx, audit, unit=unit, state=state, category=category)
    return xlsx.attachment(content, "企业技术创新需求征集表.xlsx", "innovation-demands.xlsx")


@router.get("/demands/public", response_model=Page[DemandPublic])
async def public_demands(
    session: Session,
    principal: CurrentPrincipal,
    category: Category | None = None,
    q: Annotated[
        Text | None, Query(min_length=1, max_length=100, description="标题或问题描述包含的文字")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DemandPublic]:
    """公开的需求库：各单位已入库、可公开发布的需求（任何已登录用户可查，含外省机构），不含联系人
    和预算。"""
    return await service.catalogue(session, category=category, text=q, cursor=cursor, limit=limit)


@router.get("/demands/{demand_id}", response_model=DemandRead)
async def get_demand(
    demand_id: uuid.UUID, session: Session, ctx: Context, audit: CurrentAudit
) -> DemandRead:
    d = await service.get(session, audit.principal, demand_id)
    return await service.shown(session, ctx, audit, d)


@router.get("/demands/{demand_id}/history", response_model=list[TransitionRead])
async def demand_history(
    demand_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> list[TransitionRead]:
    """每一步：状态、时间、操作角色及原因。"""
    d = await service.get(session, principal, demand_id)
    return [TransitionRead.model_validate(t) for t in await repo.history(session, d.id)]


@router.post("/demands/{demand_id}:pool", response_model=DemandRead)
async def pool_demand(
    demand_id: uuid.UUID, session: Session, ctx: Context, audit: CurrentAudit
) -> DemandRead:
    """纳入需求库（本单位）。"""
    d = await service.pool(session, ctx, audit.principal, demand_id)
    return await service.shown(session, ctx, audit, d)


@router.post("/demands/{demand_id}:decline", response_model=DemandRead)
async def decline_demand(
    demand_id: uuid.UUID,
    payload: Decline,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
) -> DemandRead:
    """不予入库（本单位，须说明原因）。"""
    d = await service.decline(session, ctx, audit.principal, demand_id, payload)
    return await service.shown(session, ctx, audit, d)


@router.post("/demands/{demand_id}:withdraw", response_model=DemandRead)
async def withdraw_demand(
    demand_id: uuid.UUID, session: Session, ctx: Context, audit: CurrentAudit
) -> DemandRead:
    """撤回（企业或本单位；已提交或已入库、尚未遴选的需求）。"""
    d = await service.withdraw(session, ctx, audit.principal, demand_id)
    return await service.shown(session, ctx, audit, d)
