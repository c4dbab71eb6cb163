"""培训计划: a province files one plan per period by its due date (000 附件1 §三(二)).

A filed plan changes only through an amendment: a new version that is filed again. Every
filing is kept with the plan as it was filed and whether it was on time.
"""

from __future__ import annotations

import uuid
from datetime import date

from kit import clock
from kit.auth import GOVERNMENT, Principal
from kit.context import ServiceContext
from kit.enums import Tier
from kit.pagination import Page, after_id, next_cursor
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import Period, PlanStatus
from training.errors import PLAN_EMPTY, PLAN_EXISTS, PLAN_FILED, PLAN_NOT_FILED, PLAN_NOT_FOUND
from training.models import Plan, PlanFiling, TrainingClass
from training.schemas.plans import FilingRead, PlanCreate, PlanRead
from training.scope import ensure_keeps, sees_province
from training.service import surveys

DUE_ON = {
    Period.Y2025: date(2025, 1, 31),
    Period.Y2026: date(2025, 11, 30),
    Period.Y2027_2028: date(2026, 11, 30),
}
YEARS = {
    Period.Y2025: (2025, 2025),
    Period.Y2026: (2026, 2026),
    Period.Y2027_2028: (2027, 2028),
}


async def to_read(session: AsyncSession, plan: Plan) -> PlanRead:
    filings = await session.scalars(
        select(PlanFiling).where(PlanFiling.plan_id == plan.id).order_by(PlanFiling.version)
    )
    return PlanRead(
        id=plan.id,
        province=plan.province,
        period=Period(plan.period),
        eligible_tiers=[Tier(t) for t in plan.eligible_tiers],
        course_flag_threshold=plan.course_flag_threshold,
        courses_to_adjust=[
            c
            for c in await surveys.course_scores(
                session, plan.course_flag_threshold, province=plan.province, before=plan.period
            )
            if c.flagged
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


def _event_data(plan: Plan) -> dict[str, object]:
    return {
        "id": str(plan.id),
        "province": plan.province,
        "period": plan.period,
        "eligible_tiers": plan.eligible_tiers,
        "status": plan.status,
        "version": plan.version,
        "due_on": DUE_ON[Period(plan.period)].isoformat(),
    }


async def create(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: PlanCreate
) -> Plan:
    ensure_keeps(principal, payload.province)
    taken = await session.scalar(
        select(Plan.id).where(Plan.province == payload.province, Plan.period == payload.period)
    )
    if taken is not None:
        raise PLAN_EXISTS(province=payload.province, period=payload.period.value)
    plan = Plan(
        province=payload.province,
        period=payload.period.value,
        eligible_tiers=list(dict.fromkeys(t.value for t in payload.eligible_tiers)),
        course_flag_threshold=payload.course_flag_threshold,
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
        data=_event_data(plan),
        province=plan.province,
        version=plan.version,
    )
    return plan


async def get(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, lock: bool = False
) -> Plan:
    plan = await session.get(Plan, plan_id, with_for_update=lock)
    if plan is None or not sees_province(principal, plan.province):
        raise PLAN_NOT_FOUND()
    return plan


def ensure_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PLAN_FILED()


async def _snapshot(session: AsyncSession, plan: Plan) -> dict[str, object]:
    """The plan as filed: the 附1-2 rows."""
    classes = await session.scalars(
        select(TrainingClass)
        .where(TrainingClass.plan_id == plan.id)
        .order_by(TrainingClass.start_on, TrainingClass.id)
    )
    return {
        "eligible_tiers": plan.eligible_tiers,
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
        data={**_event_data(plan), "filed_at": filed_at.isoformat(), "on_time": on_time},
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
        data=_event_data(plan),
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
    after = after_id(cursor)
    if principal.role not in GOVERNMENT:
        return Page(items=[])
    own = principal.region_prefix[:2]
    if own and province not in (None, own):
        return Page(items=[])
    query = select(Plan).order_by(Plan.id).limit(limit + 1)
    if own or province:
        query = query.where(Plan.province == (own or province))
    if period:
        query = query.where(Plan.period == period.value)
    if after:
        query = query.where(Plan.id > after)
    rows = list(await session.scalars(query))
    return Page(
        items=[await to_read(session, p) for p in rows[:limit]],
        next_cursor=next_cursor(rows, limit, lambda p: [str(p.id)]),
    )
