"""验收, activities, surveys and the figures of the diagnosis work."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query
from kit.fields import Text, UnitCode
from kit.web import Context, CurrentPrincipal, Session, service_router

from diagnosis.enums import Kind
from diagnosis.schemas.results import (
    AcceptanceCreate,
    AcceptanceRead,
    ActivityCreate,
    ActivityRead,
    Stats,
    SurveyCreate,
    SurveyRead,
)
from diagnosis.service import results, stats

PREFIX = "/api/v1/diagnosis"
router = service_router(PREFIX, ["results 验收·活动·满意度·统计"])


@router.post("/acceptances", status_code=201, response_model=AcceptanceRead)
async def record_acceptance(
    payload: AcceptanceCreate, session: Session, ctx: Context, principal: CurrentPrincipal
) -> AcceptanceRead:
    """验收（本单位）：专家评审会或第三方机构对机构本批次诊断工作的验收结果及奖补。"""
    return AcceptanceRead.model_validate(await results.accept(session, ctx, principal, payload))


@router.post("/activities", status_code=201, response_model=ActivityRead)
async def record_activity(
    payload: ActivityCreate, session: Session, ctx: Context, principal: CurrentPrincipal
) -> ActivityRead:
    """贯标培训、质量管理活动、管理诊断活动及参加的企业（本单位或其签约机构）。"""
    a = await results.record_activity(session, ctx, principal, payload)
    return ActivityRead.model_validate(a)


@router.post("/engagements/{engagement_id}/surveys", status_code=201, response_model=SurveyRead)
async def rate_engagement(
    engagement_id: uuid.UUID,
    payload: SurveyCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> SurveyRead:
    """满意度评价（企业，报告确认后，每项诊断一次）。"""
    return SurveyRead.model_validate(
        await results.rate(session, ctx, principal, engagement_id, payload)
    )


@router.get("/stats", response_model=Stats)
async def diagnosis_stats(
    session: Session,
    principal: CurrentPrincipal,
    kind: Kind,
    unit: Annotated[UnitCode | None, Query(description="单位代码（部级可选，缺省为全国）")] = None,
    batch: Annotated[Text | None, Query(max_length=50)] = None,
    year: Annotated[int | None, Query(ge=2025, le=2035, description="按申请年度")] = None,
) -> Stats:
    return await stats.stats(session, principal, kind=kind, unit=unit, batch=batch, year=year)
