"""The work on an engagement, each step by the one the seeds give it to: the enterprise
assesses itself (000:241 企业自我评价), the assigned institution reviews (复核: its visits) and
reports (报告与能力提升建议), the unit confirms or returns the report, the ministry spot checks
a quality engagement (000:243 抽查, its level kept beside the institution's), and the unit
promotes a management engagement to a typical case (000:275)."""

from __future__ import annotations

import uuid

from kit import clock
from kit.auth import Principal, Role
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.scope import acts_for, ensure_keeps
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.enums import Kind, Mode, State
from diagnosis.errors import (
    CASE_EXISTS,
    ENGAGEMENT_STATE,
    KIND_MISMATCH,
    REPORT_LEVEL,
    REPORT_NEEDS_VISIT,
    VISIT_IN_FUTURE,
)
from diagnosis.models import Engagement, Report, SelfAssessment, TypicalCase, Visit
from diagnosis.schemas.engagements import Reasons
from diagnosis.schemas.work import (
    Promotion,
    ReportWrite,
    SelfAssessmentWrite,
    SpotCheck,
    VisitCreate,
)
from diagnosis.scope import is_assigned
from diagnosis.service import questionnaires
from diagnosis.service.engagements import get
from diagnosis.service.flow import FLOW


def _ensure_assigned(principal: Principal, e: Engagement) -> None:
    if not is_assigned(principal, e):
        raise FORBIDDEN()


def _ensure_kind(e: Engagement, kind: Kind, action_en: str) -> None:
    if e.kind != kind.value:
        raise KIND_MISMATCH(kind=kind.zh, kind_en=kind.value, action_en=action_en)


async def self_assess(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: SelfAssessmentWrite,
) -> SelfAssessment:
    """The enterprise answers (again, until the institution reviews): scored by the
    questionnaire version it answers, which a later version never changes."""
    e = await get(session, principal, engagement_id, lock=True)
    if not acts_for(principal, e.enterprise_uscc):
        raise FORBIDDEN()
    again = State(e.state) is State.SELF_ASSESSED
    if not again:
        FLOW.ensure_may(e, State.SELF_ASSESSED)
    q = await questionnaires.latest(session, payload.questionnaire_code, Kind(e.kind))
    scores, total, level = questionnaires.score(q, payload.answers)
    assessment = await session.get(SelfAssessment, e.id) or SelfAssessment(engagement_id=e.id)
    assessment.questionnaire_code, assessment.questionnaire_version = q.code, q.version
    assessment.answers = payload.answers
    assessment.scores = {k: str(v) for k, v in scores.items()}
    assessment.total, assessment.indicated_level = total, level
    assessment.submitted_at = clock.now()
    session.add(assessment)
    if not again:
        await FLOW.move(session, ctx, principal, e, State.SELF_ASSESSED)
    await session.flush()
    return assessment


async def visit(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: VisitCreate,
) -> Visit:
    """The institution's review: its first visit moves the engagement to reviewed; more may
    follow until it reports."""
    e = await get(session, principal, engagement_id, lock=True)
    _ensure_assigned(principal, e)
    if payload.visited_on > clock.today():
        raise VISIT_IN_FUTURE(day=payload.visited_on.isoformat())
    first = State(e.state) is not State.REVIEWED
    if first:
        FLOW.ensure_may(e, State.REVIEWED)
    v = Visit(
        engagement_id=e.id,
        visited_on=payload.visited_on,
        mode=payload.mode.value,
        experts=payload.experts,
        findings=payload.findings,
    )
    session.add(v)
    await session.flush()
    if first:
        await FLOW.move(session, ctx, principal, e, State.REVIEWED, details={"visit": str(v.id)})
    await session.refresh(v)
    return v


async def report(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: ReportWrite,
) -> Report:
    """诊断评估报告: after the review (an on-site one when the enterprise asked for it)."""
    e = await get(session, principal, engagement_id, lock=True)
    _ensure_assigned(principal, e)
    FLOW.ensure_may(e, State.REPORTED)
    if (payload.level is None) == (e.kind == Kind.QUALITY.value):
        raise REPORT_LEVEL()
    if e.mode == Mode.ONSITE.value:
        onsite = await session.scalar(
            select(Visit.id).where(Visit.engagement_id == e.id, Visit.mode == Mode.ONSITE.value)
        )
        if onsite is None:
            raise REPORT_NEEDS_VISIT()
    r = await session.get(Report, e.id)
    if r is None:
        r = Report(engagement_id=e.id, revision=0)
        session.add(r)
    r.level = payload.level.value if payload.level else None
    r.findings, r.suggestions = payload.findings, list(payload.suggestions)
    r.submitted_at, r.revision = clock.now(), r.revision + 1
    e.level, e.suggestions = r.level, len(r.suggestions)
    await FLOW.move(session, ctx, principal, e, State.REPORTED, details={"revision": r.revision})
    return r


async def confirm(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, engagement_id: uuid.UUID
) -> Engagement:
    e = await get(session, principal, engagement_id, lock=True)
    ensure_keeps(principal, e.unit)
    return await FLOW.move(session, ctx, principal, e, State.CONFIRMED)


async def send_back(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: Reasons,
) -> Engagement:
    """The unit returns the report to the institution with its reasons (reviewed again)."""
    e = await get(session, principal, engagement_id, lock=True)
    ensure_keeps(principal, e.unit)
    return await FLOW.move(
        session,
        ctx,
        principal,
        e,
        State.REVIEWED,
        back=True,
        details={"reasons": payload.reasons},
    )


async def spot_check(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: SpotCheck,
) -> Engagement:
    """部级抽查 of a confirmed quality engagement: the level it finds is kept beside the
    institution's."""
    e = await get(session, principal, engagement_id, lock=True)
    if principal.role is not Role.MINISTRY:
        raise FORBIDDEN()
    _ensure_kind(e, Kind.QUALITY, "spot checked")
    FLOW.ensure_may(e, State.SPOT_CHECKED)
    e.spot_level, e.spot_remarks = payload.level.value, payload.remarks
    changed = e.level != payload.level.value
    details = {"level": payload.level.value, "report_level": e.level, "changed": changed}
    return await FLOW.move(session, ctx, principal, e, State.SPOT_CHECKED, details=details)


async def promote(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: Promotion,
) -> TypicalCase:
    """典型案例: a confirmed management engagement, by its unit (or the ministry)."""
    e = await get(session, principal, engagement_id, lock=True)
    ensure_keeps(principal, e.unit)
    _ensure_kind(e, Kind.MANAGEMENT, "promoted")
    if State(e.state) is not State.CONFIRMED:
        state = State(e.state)
        raise ENGAGEMENT_STATE(
            state=state.zh, state_en=state.value, action="列为典型案例", action_en="promoted"
        )
    if e.typical_case:
        raise CASE_EXISTS()
    case = TypicalCase(
        engagement_id=e.id, title=payload.title, summary=payload.summary, promoted_by=principal.sub
    )
    session.add(case)
    e.typical_case = True
    e.version += 1
    await session.flush()
    await session.refresh(e)
    await FLOW.publish(session, ctx, e, "promoted")
    await session.refresh(case)
    return case
