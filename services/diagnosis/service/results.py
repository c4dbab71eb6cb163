"""验收 of an institution's work, activities and the enterprises' surveys: what 附件5 scores a
unit's diagnosis by (Q1–Q5, M1–M3), each recorded by the one the seeds give it to."""

from __future__ import annotations

import uuid

from contracts import diagnosis as contract
from kit import clock
from kit import satisfaction as rating
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, FieldError
from kit.registry_replica import in_array
from kit.scope import acts_for, ensure_keeps, institution_id
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis import events
from diagnosis.enums import AcceptanceResult, State
from diagnosis.errors import (
    ACCEPTANCE_AWARD,
    ACCEPTANCE_ENGAGEMENTS,
    ACCEPTANCE_EXISTS,
    ACTIVITY_ENTERPRISES,
    ACTIVITY_IN_FUTURE,
    ENGAGEMENT_STATE,
    INSTITUTION_NOT_ENGAGED,
    SURVEY_EXISTS,
)
from diagnosis.models import REPLICA, Acceptance, Activity, Engagement, EnterpriseReplica, Survey
from diagnosis.rules import ACTIVITY_KIND, DONE, TASKS
from diagnosis.schemas.results import AcceptanceCreate, ActivityCreate, SurveyCreate
from diagnosis.service.engagements import get


async def accept(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: AcceptanceCreate
) -> Acceptance:
    """验收 by the unit: of an institution it engaged for the task and batch, covering its
    confirmed engagements there; a failed one awards nothing (*interpreted*: 000:243
    "根据验收情况进行奖补")."""
    ensure_keeps(principal, payload.unit)
    kind = payload.kind
    if payload.result is AcceptanceResult.FAILED and payload.award_wan_yuan:
        raise ACCEPTANCE_AWARD()
    institution = await REPLICA.engaged(
        session, payload.institution_id, payload.unit, TASKS[kind].value, payload.batch
    )
    if institution is None:
        raise INSTITUTION_NOT_ENGAGED(kind=kind.zh, kind_en=kind.value, batch=payload.batch)
    ids = list(dict.fromkeys(payload.engagement_ids))
    covered = set(
        await session.scalars(
            select(Engagement.id).where(
                in_array(Engagement.id, ids),
                Engagement.institution_id == institution.id,
                Engagement.unit == payload.unit,
                Engagement.kind == kind.value,
                Engagement.batch == payload.batch,
                Engagement.state.in_([s.value for s in DONE]),
            )
        )
    )
    if wrong := [i for i, e in enumerate(payload.engagement_ids) if e not in covered]:
        raise ACCEPTANCE_ENGAGEMENTS(
            kind=kind.zh,
            kind_en=kind.value,
            errors=[
                FieldError(
                    f"engagement_ids.{i}",
                    "NOT_COVERED",
                    "不是该机构在本单位本批次、报告已确认的诊断",
                    "Not a confirmed engagement of the institution, unit and batch",
                )
                for i in wrong
            ],
        )
    a = Acceptance(
        institution_id=institution.id,
        institution_name=institution.name,
        unit=payload.unit,
        kind=kind.value,
        batch=payload.batch,
        body=payload.body.value,
        accepted_on=payload.accepted_on,
        result=payload.result.value,
        award_wan_yuan=payload.award_wan_yuan,
        engagement_ids=ids,
        recorded_by=principal.sub,
    )
    session.add(a)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise ACCEPTANCE_EXISTS(batch=payload.batch, kind=kind.zh, kind_en=kind.value) from exc
    await session.refresh(a)
    data = contract.Acceptance.model_validate(a, from_attributes=True).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.ACCEPTANCE,
        "recorded",
        subject=str(a.id),
        data=data,
        province=a.unit,
        version=1,
    )
    return a


async def record_activity(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: ActivityCreate
) -> Activity:
    """An activity of the unit, recorded by its keepers or by an institution it engaged for
    the activity's task; the enterprises that took part are the unit's."""
    kind = ACTIVITY_KIND[payload.kind.value]
    task = TASKS[kind].value
    own = institution_id(principal)
    if own is not None:
        if payload.institution_id not in (None, own):
            raise FORBIDDEN()
        if await REPLICA.engaged(session, own, payload.unit, task) is None:
            raise FORBIDDEN()
        organiser: uuid.UUID | None = own
    else:
        ensure_keeps(principal, payload.unit)
        organiser = payload.institution_id
        if organiser and await REPLICA.engaged(session, organiser, payload.unit, task) is None:
            raise INSTITUTION_NOT_ENGAGED(kind=kind.zh, kind_en=kind.value, batch="—")
    if payload.held_on > clock.today():
        raise ACTIVITY_IN_FUTURE(day=payload.held_on.isoformat())
    usccs = list(dict.fromkeys(payload.enterprise_usccs))
    theirs = set(
        await session.scalars(
            select(EnterpriseReplica.uscc).where(
                in_array(EnterpriseReplica.uscc, usccs), EnterpriseReplica.province == payload.unit
            )
        )
    )
    if wrong := [i for i, u in enumerate(payload.enterprise_usccs) if u not in theirs]:
        raise ACTIVITY_ENTERPRISES(
            errors=[
                FieldError(
                    f"enterprise_usccs.{i}",
                    "NOT_OF_THE_UNIT",
                    "不是本单位企业库中的企业",
                    "Not an enterprise of the unit",
                )
                for i in wrong
            ]
        )
    a = Activity(
        kind=payload.kind.value,
        held_on=payload.held_on,
        unit=payload.unit,
        institution_id=organiser,
        title=payload.title,
        enterprise_usccs=usccs,
        recorded_by=principal.sub,
    )
    session.add(a)
    await session.flush()
    await session.refresh(a)
    data = contract.Activity(
        id=a.id,
        kind=a.kind,
        held_on=a.held_on,
        unit=a.unit,
        institution_id=a.institution_id,
        enterprises=len(usccs),
    ).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.ACTIVITY,
        "recorded",
        subject=str(a.id),
        data=data,
        province=a.unit,
        version=1,
    )
    return a


async def rate(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: SurveyCreate,
) -> Survey:
    """The enterprise rates its engagement once its report is confirmed."""
    e = await get(session, principal, engagement_id, lock=True)
    if not acts_for(principal, e.enterprise_uscc):
        raise FORBIDDEN()
    state = State(e.state)
    if state not in DONE:
        raise ENGAGEMENT_STATE(
            state=state.zh, state_en=state.value, action="评价", action_en="rated"
        )
    if await session.get(Survey, e.id) is not None:
        raise SURVEY_EXISTS()
    scores = payload.model_dump(exclude={"comment"})
    overall = rating.mean(list(scores.values()))
    survey = Survey(
        engagement_id=e.id,
        scores=scores,
        overall=overall,
        satisfied=rating.satisfied(overall),
        comment=payload.comment,
    )
    session.add(survey)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise SURVEY_EXISTS() from exc
    await session.refresh(survey)
    data = contract.SurveySubmitted(
        engagement_id=e.id,
        kind=e.kind,
        unit=e.unit,
        batch=e.batch,
        overall=overall,
        satisfied=survey.satisfied,
    ).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.SURVEY,
        "submitted",
        subject=str(e.id),
        data=data,
        province=e.unit,
        version=1,
    )
    return survey
