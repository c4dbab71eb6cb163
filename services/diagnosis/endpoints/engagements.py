"""诊断服务 routes: the request, its assignment and cancellation, and reads."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit import xlsx
from kit.fields import Text, UnitCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router

from diagnosis.enums import Kind, State
from diagnosis.repository import engagements as repo
from diagnosis.schemas.engagements import (
    Assignment,
    EngagementCreate,
    EngagementRead,
    Reasons,
    TransitionRead,
)
from diagnosis.service import engagements as service
from diagnosis.service import exports

PREFIX = "/api/v1/diagnosis"
router = service_router(PREFIX, ["engagements 诊断服务"])


@router.post("/engagements", status_code=201, response_model=EngagementRead)
async def request_engagement(
    payload: EngagementCreate,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
    response: Response,
) -> EngagementRead:
    """企业（或其所属单位）提出诊断需求（001 附件1-1）：有效期内的“小巨人”企业；质量诊断仅限
    制造业企业；同一企业同一批次同类诊断只能有一项进行中。"""
    e = await service.request(session, ctx, audit.principal, payload)
    response.headers["Location"] = f"{PREFIX}/engagements/{e.id}"
    return await service.shown(session, ctx, audit, e)


@router.get("/engagements", response_model=Page[EngagementRead])
async def list_engagements(
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
    kind: Kind | None = None,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    state: State | None = None,
    batch: Annotated[Text | None, Query(max_length=50)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[EngagementRead]:
    return await service.search(
        session,
        ctx,
        audit,
        kind=kind,
        unit=unit,
        state=state,
        batch=batch,
        cursor=cursor,
        limit=limit,
    )


# Declared before /engagements/{engagement_id}, which would otherwise claim the path.
@router.get("/engagements/export.xlsx", response_class=Response, responses=xlsx.OPENAPI)
async def export_engagements(
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
    kind: Kind,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    batch: Annotated[Text | None, Query(max_length=50)] = None,
) -> Response:
    """001 附件2 信息汇总表：手机号脱敏（持 pii:read 时为明文并留痕审计）。"""
    content = await exports.annex2(session, ctx, audit, kind=kind, unit=unit, batch=batch)
    return xlsx.attachment(content, f"{kind.zh}信息汇总表.xlsx", f"{kind.value}-engagements.xlsx")


@router.get("/engagements/{engagement_id}", response_model=EngagementRead)
async def get_engagement(
    engagement_id: uuid.UUID, session: Session, ctx: Context, audit: CurrentAudit
) -> EngagementRead:
    e = await service.get(session, audit.principal, engagement_id)
    return await service.shown(session, ctx, audit, e)


@router.get("/engagements/{engagement_id}/history", response_model=list[TransitionRead])
async def engagement_history(
    engagement_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> list[TransitionRead]:
    """每一步：状态、时间、操作角色及原因。"""
    e = await service.get(session, principal, engagement_id)
    return [TransitionRead.model_validate(t) for t in await repo.history(session, e.id)]


@router.post("/engagements/{engagement_id}:assign", response_model=EngagementRead)
async def assign_engagement(
    engagement_id: uuid.UUID,
    payload: Assignment,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
) -> EngagementRead:
    """分派诊断机构（本单位）：机构须具备该类诊断资质并与本单位就该批次签约。"""
    e = await service.assign(session, ctx, audit.principal, engagement_id, payload)
    return await service.shown(session, ctx, audit, e)


@router.post("/engagements/{engagement_id}:cancel", response_model=EngagementRead)
async def cancel_engagement(
    engagement_id: uuid.UUID,
    payload: Reasons,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
) -> EngagementRead:
    """取消（企业或本单位，进行中的任一状态）。"""
    e = await service.cancel(session, ctx, audit.principal, engagement_id, payload)
    return await service.shown(session, ctx, audit, e)
