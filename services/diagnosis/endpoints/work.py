"""The work on an engagement: self-assessment, visits, report, confirmation or return, spot
check, typical case; and the questionnaires the self-assessment answers."""

from __future__ import annotations

import uuid

from fastapi import Response
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router
from sqlalchemy import select

from diagnosis.enums import Kind
from diagnosis.models import Report, SelfAssessment, Visit
from diagnosis.schemas.engagements import EngagementRead, Reasons
from diagnosis.schemas.questionnaires import QuestionnaireCreate, QuestionnaireRead
from diagnosis.schemas.work import (
    Promotion,
    ReportRead,
    ReportWrite,
    SelfAssessmentRead,
    SelfAssessmentWrite,
    SpotCheck,
    TypicalCaseRead,
    VisitCreate,
    VisitRead,
)
from diagnosis.service import engagements, questionnaires, work

PREFIX = "/api/v1/diagnosis"
router = service_router(PREFIX, ["work 诊断过程"])
E = "/engagements/{engagement_id}"


@router.post("/questionnaires", status_code=201, response_model=QuestionnaireRead)
async def create_questionnaire(
    payload: QuestionnaireCreate, session: Session, ctx: Context, principal: CurrentPrincipal
) -> QuestionnaireRead:
    """新增问卷（工业和信息化部）：同一代码再次提交即为新版本，已作答的自我评价不受影响。"""
    q = await questionnaires.create(session, ctx, principal, payload)
    return QuestionnaireRead.model_validate(q)


@router.get("/questionnaires", response_model=list[QuestionnaireRead])
async def list_questionnaires(
    session: Session, principal: CurrentPrincipal, kind: Kind | None = None
) -> list[QuestionnaireRead]:
    """各问卷的全部版本（随附的示例问卷标明 sample）。"""
    return [QuestionnaireRead.model_validate(q) for q in await questionnaires.listed(session, kind)]


@router.put(E + "/self-assessment", response_model=SelfAssessmentRead)
async def self_assess(
    engagement_id: uuid.UUID,
    payload: SelfAssessmentWrite,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> SelfAssessmentRead:
    """企业自我评价：按问卷最新版本作答并计分；机构复核前可重新提交。"""
    a = await work.self_assess(session, ctx, principal, engagement_id, payload)
    return SelfAssessmentRead.model_validate(a)


@router.get(E + "/self-assessment", response_model=SelfAssessmentRead)
async def read_self_assessment(
    engagement_id: uuid.UUID, session: Session, principal: CurrentPrincipal, response: Response
) -> SelfAssessmentRead | Response:
    e = await engagements.get(session, principal, engagement_id)
    a = await session.get(SelfAssessment, e.id)
    if a is None:
        return Response(status_code=204)
    return SelfAssessmentRead.model_validate(a)


@router.post(E + "/visits", status_code=201, response_model=VisitRead)
async def record_visit(
    engagement_id: uuid.UUID,
    payload: VisitCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> VisitRead:
    """机构复核：现场或在线诊断记录（首次记录即进入“机构已复核”）。"""
    return VisitRead.model_validate(
        await work.visit(session, ctx, principal, engagement_id, payload)
    )


@router.get(E + "/visits", response_model=list[VisitRead])
async def list_visits(
    engagement_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> list[VisitRead]:
    e = await engagements.get(session, principal, engagement_id)
    rows = await session.scalars(
        select(Visit).where(Visit.engagement_id == e.id).order_by(Visit.visited_on, Visit.id)
    )
    return [VisitRead.model_validate(v) for v in rows]


@router.put(E + "/report", response_model=ReportRead)
async def write_report(
    engagement_id: uuid.UUID,
    payload: ReportWrite,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> ReportRead:
    """诊断评估报告（分派的机构）：质量诊断给出等级；至少一条能力提升建议。"""
    return ReportRead.model_validate(
        await work.report(session, ctx, principal, engagement_id, payload)
    )


@router.get(E + "/report", response_model=ReportRead)
async def read_report(
    engagement_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> ReportRead | Response:
    e = await engagements.get(session, principal, engagement_id)
    r = await session.get(Report, e.id)
    return Response(status_code=204) if r is None else ReportRead.model_validate(r)


@router.post(E + ":confirm", response_model=EngagementRead)
async def confirm(
    engagement_id: uuid.UUID, session: Session, ctx: Context, audit: CurrentAudit
) -> EngagementRead:
    """本单位确认诊断报告。"""
    e = await work.confirm(session, ctx, audit.principal, engagement_id)
    return await engagements.shown(session, ctx, audit, e)


@router.post(E + ":return", response_model=EngagementRead)
async def send_back(
    engagement_id: uuid.UUID,
    payload: Reasons,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
) -> EngagementRead:
    """本单位退回诊断报告（附原因），机构修改后重新出具。"""
    e = await work.send_back(session, ctx, audit.principal, engagement_id, payload)
    return await engagements.shown(session, ctx, audit, e)


@router.post(E + "/spot-check", response_model=EngagementRead)
async def spot_check(
    engagement_id: uuid.UUID,
    payload: SpotCheck,
    session: Session,
    ctx: Context,
    audit: CurrentAudit,
) -> EngagementRead:
    """部级抽查（已确认的质量诊断）：认定等级，机构报告的等级一并保留。"""
    e = await work.spot_check(session, ctx, audit.principal, engagement_id, payload)
    return await engagements.shown(session, ctx, audit, e)


@router.post(E + ":promote", status_code=201, response_model=TypicalCaseRead)
async def promote(
    engagement_id: uuid.UUID,
    payload: Promotion,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> TypicalCaseRead:
    """列为管理诊断典型案例（本单位，已确认的管理诊断）。"""
    return TypicalCaseRead.model_validate(
        await work.promote(session, ctx, principal, engagement_id, payload)
    )
