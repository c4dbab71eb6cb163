"""培训计划: a province files one plan per period by its due date (000 附件1 §三(二)).

A filed plan changes only through an amendment: a new version that is filed again. Every
filing is kept with the plan as it was filed and whether it was on time.
"""

from __future__ import annotations

import uuid

from contracts import training as contract
from contracts.vocabulary import Tier
from kit import clock
from kit.auth import GOVERNMENT, Principal
from kit.context import ServiceContext
from kit.pagination import Page, Window
from kit.scope import ensure_keeps, unit
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import Period, PlanStatus, QuotaScope
from training.errors import PLAN_EMPTY, PLAN_EXISTS, PLAN_FILED, PLAN_NOT_FILED, PLAN_NOT_FOUND
from training.models import Plan, PlanCourse, PlanFiling
from training.repository import classes as classes_repo
from training.repository import plan_courses as plan_courses_repo
from training.repository import plans as repo
from training.repository import surveys as surveys_repo
from training.rules import DUE_ON
from training.schemas.plans import FilingRead, PlanCreate, PlanRead, PlanUpdate
from training.scope import sees_province
from training.service import courses


async def to_reads(session: AsyncSession, plans: list[Plan]) -> list[PlanRead]:
    """The plans as read, with their filings and the courses to adjust: a page's children in
    one query each."""
    ids = [p.id for p in plans]
    filings = await repo.filings(session, ids)
    averages = await surveys_repo.course_averages_before(session, ids)
    own = await courses.plan_courses_among(session, (k for a in averages.values() for k in a))
    return [_read(p, filings[p.id], averages[p.id], own) for p in plans]


async def to_read(session: AsyncSession, plan: Plan) -> PlanRead:
    return (await to_reads(session, [plan]))[0]


async def read(session: AsyncSession, principal: Principal, plan_id: uuid.UUID) -> PlanRead:
    return await to_read(session, await get(session, principal, plan_id))


def _read(
    plan: Plan,
    filings: list[PlanFiling],
    averages: surveys_repo.Averages,
    own: dict[str, PlanCourse],
) -> PlanRead:
    return PlanRead(
        id=plan.id,
        province=plan.province,
        period=Period(plan.period),
        eligible_tiers=[Tier(t) for t in plan.eligible_tiers],
        course_flag_threshold=plan.course_flag_threshold,
        per_enterprise_limit=plan.per_enterprise_limit,
        per_enterprise_scope=QuotaScope(plan.per_enterprise_scope),
        certificate_threshold=plan.certificate_threshold,
        courses_to_adjust=[
            c for c in courses.scores(averages, plan.course_flag_threshold, own) if c.flagged
        ],
        status=PlanStatus(plan.status),
        version=plan.version,
        due_on=DUE_ON[Period(plan.period)],
        filings=[
            FilingRead(
                version=f.version,
                due_on=f.due_on,
                filed_at=f.filed_at,
                on_time=f.on_time,
                filed_by=f.filed_by,
            )
            for f in filings
        ],
        created_at=plan.created_at,
    )


def _published(plan: Plan) -> contract.Plan:
    return contract.Plan(
        id=plan.id,
        province=plan.province,
        period=plan.period,
        eligible_tiers=[Tier(t) for t in plan.eligible_tiers],
        status=plan.status,
        version=plan.version,
        due_on=DUE_ON[Period(plan.period)],
    )


async def create(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: PlanCreate
) -> Plan:
    ensure_keeps(principal, payload.province)
    if await repo.taken(session, payload.province, payload.period.value):
        raise PLAN_EXISTS(province=payload.province, period=payload.period.value)
    plan = Plan(
        province=payload.province,
        period=payload.period.value,
        eligible_tiers=list(dict.fromkeys(t.value for t in payload.eligible_tiers)),
        course_flag_threshold=payload.course_flag_threshold,
        per_enterprise_limit=payload.per_enterprise_limit,
        per_enterprise_scope=payload.per_enterprise_scope.value,
        certificate_threshold=payload.certificate_threshold,
        status=PlanStatus.DRAFT.value,
        version=1,
    )
    session.add(plan)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent creation won
        raise PLAN_EXISTS(province=payload.province, period=payload.period.value) from exc
    await session.refresh(plan)
    await ctx.outbox.emit(
        session,
        events.PLAN,
        "created",
        subject=str(plan.id),
        data=_published(plan).model_dump(mode="json"),
        province=plan.province,
        version=plan.version,
    )
    return plan


async def get(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, lock: bool = False
) -> Plan:
    plan = await repo.get(session, plan_id, lock=lock)
    if plan is None or not sees_province(principal, plan.province):
        raise PLAN_NOT_FOUND()
    return plan


def ensure_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PLAN_FILED()


async def update(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, payload: PlanUpdate
) -> Plan:
    """A draft plan's settings; a filed plan is amended first. The plan row stays locked to
    the end of the request, so an enrollment never counts against half-changed settings."""
    plan = await get(session, principal, plan_id, lock=True)
    ensure_keeps(principal, plan.province)
    ensure_draft(plan)
    changes = payload.model_dump(exclude_unset=True)
    for name, value in changes.items():
        setattr(plan, name, value.value if isinstance(value, QuotaScope) else value)
    if changes:
        await session.flush()
        await session.refresh(plan)  # the values as stored (a threshold of 0.8 reads 0.80)
    return plan


async def _snapshot(session: AsyncSession, plan: Plan) -> dict[str, object]:
    """The plan as filed: the 附1-2 rows."""
    classes = await classes_repo.of_plan(session, plan.id)
    own = await plan_courses_repo.of_plan(session, plan.id)
    return {
        "eligible_tiers": plan.eligible_tiers,
        "per_enterprise_limit": plan.per_enterprise_limit,
        "per_enterprise_scope": plan.per_enterprise_scope,
        "certificate_threshold": str(plan.certificate_threshold),
        "courses": [
            {"code": c.code, "name": c.name, "category": c.category, "description": c.description}
            for c in own
        ],
        "classes": [
            {
                "id": str(c.id),
                "name": c.name,
                "kind": c.kind,
                "start_on": c.start_on.isoformat(),
                "end_on": c.end_on.isoformat(),
                "institution": c.institution_name,
                "topics": c.topics,
                "planned_trainees": c.capacity,
                "provinces": c.provinces,
            }
            for c in classes
        ],
    }


async def submit(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, plan_id: uuid.UUID
) -> Plan:
    plan = await get(session, principal, plan_id, lock=True)
    ensure_keeps(principal, plan.province)
    ensure_draft(plan)
    snapshot = await _snapshot(session, plan)
    if not snapshot["classes"]:
        raise PLAN_EMPTY()
    due_on = DUE_ON[Period(plan.period)]
    filed_at = clock.now()
    on_time = filed_at.astimezone(clock.BEIJING).date() <= due_on
    session.add(
        PlanFiling(
            plan_id=plan.id,
            version=plan.version,
            due_on=due_on,
            filed_at=filed_at,
            on_time=on_time,
            filed_by=principal.sub,
            snapshot=snapshot,
        )
    )
    plan.status = PlanStatus.FILED.value
    await session.flush()
    await ctx.outbox.emit(
        session,
        events.PLAN,
        "filed",
        subject=str(plan.id),
        data=contract.PlanFiled(
            **dict(_published(plan)), filed_at=filed_at, on_time=on_time
        ).model_dump(mode="json"),
        province=plan.province,
        version=plan.version,
    )
    return plan


async def amend(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, plan_id: uuid.UUID
) -> Plan:
    plan = await get(session, principal, plan_id, lock=True)
    ensure_keeps(principal, plan.province)
    if plan.status != PlanStatus.FILED:
        raise PLAN_NOT_FILED()
    plan.status = PlanStatus.DRAFT.value
    plan.version += 1
    await session.flush()
    await ctx.outbox.emit(
        session,
        events.PLAN,
        "amended",
        subject=str(plan.id),
        data=_published(plan).model_dump(mode="json"),
        province=plan.province,
        version=plan.version,
    )
    return plan


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    province: str | None,
    period: Period | None,
    cursor: str | None,
    limit: int,
) -> Page[PlanRead]:
    window = Window.of_ids(cursor, limit)
    if principal.role not in GOVERNMENT:
        return Page(items=[])
    own = unit(principal)
    if own and province not in (None, own):
        return Page(items=[])
    rows = await repo.search(
        session,
        province=own or province,
        period=period.value if period else None,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=await to_reads(session, page), next_cursor=next_page)
