"""Service projects (000 附件4; 001:18): a selected demand served by an innovation-service
institution under contract with its unit for the batch, free to the enterprise (000:47),
milestone by milestone, delivered, accepted (验收) by the unit, rated by the enterprise."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from contracts import innovation as contract
from contracts.vocabulary import InstitutionType, Task
from kit import clock
from kit import satisfaction as rating
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.scope import acts_for, ensure_keeps, institution_id
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from innovation import events
from innovation.enums import AcceptanceResult, DemandState, ProjectState
from innovation.errors import (
    ACCEPTANCE_AWARD,
    DEMAND_NOT_FOUND,
    FEE_NOT_ZERO,
    INSTITUTION_NOT_ENGAGED,
    MILESTONE_ORDER,
    MILESTONES_OPEN,
    PROJECT_EXISTS,
    PROJECT_NOT_FOUND,
    PROJECT_STATE,
    SURVEY_EXISTS,
)
from innovation.models import REPLICA, Demand, Milestone, Project, ProjectSurvey
from innovation.rules import FEE_TO_ENTERPRISE
from innovation.schemas.projects import (
    MilestoneDone,
    ProjectAcceptance,
    ProjectCreate,
    ProjectSurveyCreate,
)
from innovation.scope import visible_projects
from innovation.service.flow import DEMAND, PROJECT


async def start(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: ProjectCreate
) -> Project:
    d = await session.scalar(select(Demand).where(Demand.id == payload.demand_id).with_for_update())
    if d is None or not principal.sees_region(d.region_code):
        raise DEMAND_NOT_FOUND()
    ensure_keeps(principal, d.unit)
    if payload.fee_to_enterprise != FEE_TO_ENTERPRISE:
        raise FEE_NOT_ZERO()
    DEMAND.ensure_may(d, DemandState.IN_SERVICE)
    assert d.batch is not None  # a selected demand has its round's
    institution = await REPLICA.engaged(
        session,
        payload.institution_id,
        d.unit,
        Task.INNOVATION.value,
        d.batch,
        institution_type=InstitutionType.INNOVATION_SERVICE.value,
    )
    if institution is None:
        raise INSTITUTION_NOT_ENGAGED(batch=d.batch)
    p = Project(
        demand_id=d.id,
        enterprise_uscc=d.enterprise_uscc,
        unit=d.unit,
        region_code=d.region_code,
        batch=d.batch,
        institution_id=institution.id,
        institution_name=institution.name,
        categories=d.categories,
        services=[s.model_dump(mode="json") for s in payload.services],
        fee_to_enterprise=payload.fee_to_enterprise,
        state=ProjectState.IN_SERVICE.value,
        milestones=len(payload.milestones),
        milestones_done=0,
        version=1,
    )
    session.add(p)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:  # one project per demand
        raise PROJECT_EXISTS() from error
    session.add_all(
        Milestone(project_id=p.id, n=n, title=m.title, due_on=m.due_on)
        for n, m in enumerate(payload.milestones, start=1)
    )
    await PROJECT.start(session, ctx, principal, p)
    details = {"project_id": str(p.id), "institution_id": str(institution.id)}
    await DEMAND.move(session, ctx, principal, d, DemandState.IN_SERVICE, details=details)
    return p


async def get(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, *, lock: bool = False
) -> Project:
    query = select(Project).where(Project.id == project_id, visible_projects(principal))
    found = await session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise PROJECT_NOT_FOUND()
    return found


async def search(
    session: AsyncSession, principal: Principal, *, unit: str | None, batch: str | None
) -> Sequence[Project]:
    query = select(Project).where(visible_projects(principal))
    if unit:
        query = query.where(Project.unit == unit)
    if batch:
        query = query.where(Project.batch == batch)
    return (await session.scalars(query.order_by(Project.id))).all()


async def milestones(session: AsyncSession, p: Project) -> Sequence[Milestone]:
    rows = await session.scalars(
        select(Milestone).where(Milestone.project_id == p.id).order_by(Milestone.n)
    )
    return rows.all()


def _ensure_runs(principal: Principal, p: Project) -> None:
    """The institution running the project, and no other, does its work."""
    if institution_id(principal) != p.institution_id:
        raise FORBIDDEN()


def _ensure_in(p: Project, state: ProjectState, zh: str, en: str) -> None:
    current = ProjectState(p.state)
    if current is not state:
        raise PROJECT_STATE(state=current.zh, state_en=current.value, action=zh, action_en=en)


async def complete_milestone(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    project_id: uuid.UUID,
    n: int,
    payload: MilestoneDone,
) -> Project:
    p = await get(session, principal, project_id, lock=True)
    _ensure_runs(principal, p)
    _ensure_in(p, ProjectState.IN_SERVICE, "完成里程碑", "advanced")
    if n != p.milestones_done + 1 or n > p.milestones:
        raise MILESTONE_ORDER(next=p.milestones_done + 1)
    m = await session.get(Milestone, (p.id, n))
    assert m is not None
    m.completed_at, m.completed_by, m.note = clock.now(), principal.sub, payload.note
    p.milestones_done = n
    p.version += 1
    await session.flush()
    await PROJECT.publish(session, ctx, p, "milestone_completed")
    return p


async def deliver(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, project_id: uuid.UUID
) -> Project:
    p = await get(session, principal, project_id, lock=True)
    _ensure_runs(principal, p)
    PROJECT.ensure_may(p, ProjectState.DELIVERED)
    if p.milestones_done < p.milestones:
        raise MILESTONES_OPEN(open=p.milestones - p.milestones_done)
    await PROJECT.move(session, ctx, principal, p, ProjectState.DELIVERED)
    await _demand_follows(session, ctx, principal, p, DemandState.DELIVERED)
    return p


async def accept(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    project_id: uuid.UUID,
    payload: ProjectAcceptance,
) -> Project:
    """验收 by the unit: passed, the project is accepted; failed, it goes back to service with
    the remarks, awarding nothing."""
    p = await get(session, principal, project_id, lock=True)
    ensure_keeps(principal, p.unit)
    passed = payload.result is AcceptanceResult.PASSED
    if not passed and payload.award_wan_yuan:
        raise ACCEPTANCE_AWARD()
    PROJECT.ensure_may(
        p, ProjectState.ACCEPTED if passed else ProjectState.IN_SERVICE, back=not passed
    )
    p.acceptance_result, p.acceptance_body = payload.result.value, payload.body.value
    p.accepted_on, p.award_wan_yuan = payload.accepted_on, payload.award_wan_yuan
    p.acceptance_remarks = payload.remarks
    details = {"result": payload.result.value, "remarks": payload.remarks}
    if passed:
        await PROJECT.move(session, ctx, principal, p, ProjectState.ACCEPTED, details=details)
        await _demand_follows(session, ctx, principal, p, DemandState.ACCEPTED)
    else:  # back to service, its demand with it, to be delivered again
        await PROJECT.move(
            session, ctx, principal, p, ProjectState.IN_SERVICE, back=True, details=details
        )
        await _demand_follows(session, ctx, principal, p, DemandState.IN_SERVICE, back=True)
    return p


async def _demand_follows(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    p: Project,
    to: DemandState,
    *,
    back: bool = False,
) -> None:
    d = await session.scalar(select(Demand).where(Demand.id == p.demand_id).with_for_update())
    assert d is not None
    await DEMAND.move(session, ctx, principal, d, to, back=back, details={"project_id": str(p.id)})


async def rate(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    project_id: uuid.UUID,
    payload: ProjectSurveyCreate,
) -> ProjectSurvey:
    """The enterprise rates its project once it is accepted, once."""
    p = await get(session, principal, project_id, lock=True)
    if not acts_for(principal, p.enterprise_uscc):
        raise FORBIDDEN()
    _ensure_in(p, ProjectState.ACCEPTED, "评价", "rated")
    if await session.get(ProjectSurvey, p.id) is not None:
        raise SURVEY_EXISTS()
    scores = payload.model_dump(exclude={"comment"})
    overall = rating.mean(list(scores.values()))
    survey = ProjectSurvey(
        project_id=p.id,
        unit=p.unit,
        batch=p.batch,
        scores=scores,
        overall=overall,
        satisfied=rating.satisfied(overall),
        comment=payload.comment,
    )
    session.add(survey)
    await session.flush()
    await session.refresh(survey)
    data = contract.SurveySubmitted(
        project_id=p.id,
        unit=p.unit,
        batch=p.batch,
        overall=overall,
        satisfied=survey.satisfied,
    ).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.SURVEY,
        "submitted",
        subject=str(p.id),
        data=data,
        province=p.unit,
        version=1,
    )
    return survey
