"""诊断计划: a unit's yearly number of enterprises per kind (000 附件2/3 §三: 确定每年参与质量
/管理诊断的“小巨人”企业数量), one per unit × kind × year, kept by the unit."""

from __future__ import annotations

import uuid

from contracts import diagnosis as contract
from kit.auth import GOVERNMENT, Principal
from kit.context import ServiceContext
from kit.pagination import Page, Window
from kit.scope import ensure_keeps
from kit.scope import unit as unit_of_principal
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis import events
from diagnosis.enums import Kind
from diagnosis.errors import PLAN_EXISTS, PLAN_NOT_FOUND
from diagnosis.models import Plan
from diagnosis.repository import plans as repo
from diagnosis.schemas.plans import PlanCreate, PlanRead, PlanUpdate


async def _publish(session: AsyncSession, ctx: ServiceContext, plan: Plan, name: str) -> None:
    data = contract.Plan.model_validate(plan, from_attributes=True).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.PLAN,
        name,
        subject=str(plan.id),
        data=data,
        province=plan.unit,
        version=plan.version,
    )


async def create(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: PlanCreate
) -> Plan:
    ensure_keeps(principal, payload.unit)
    kind = payload.kind
    plan = Plan(
        unit=payload.unit,
        kind=kind.value,
        year=payload.year,
        planned_enterprises=payload.planned_enterprises,
        version=1,
    )
    session.add(plan)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise PLAN_EXISTS(unit=payload.unit, year=payload.year, kind=kind.zh, kind_en=kind) from exc
    await session.refresh(plan)
    await _publish(session, ctx, plan, "created")
    return plan


async def get(session: AsyncSession, principal: Principal, plan_id: uuid.UUID) -> Plan:
    plan = await repo.get(session, plan_id)
    own = unit_of_principal(principal)
    if plan is None or principal.role not in GOVERNMENT or own not in ("", plan.unit):
        raise PLAN_NOT_FOUND()
    return plan


async def update(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    plan_id: uuid.UUID,
    payload: PlanUpdate,
) -> Plan:
    plan = await get(session, principal, plan_id)
    ensure_keeps(principal, plan.unit)
    plan = await repo.get(session, plan.id, lock=True) or plan
    if plan.planned_enterprises != payload.planned_enterprises:
        plan.planned_enterprises = payload.planned_enterprises
        plan.version += 1
        await session.flush()
        await session.refresh(plan)
        await _publish(session, ctx, plan, "updated")
    return plan


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    unit: str | None,
    kind: Kind | None,
    year: int | None,
    cursor: str | None,
    limit: int,
) -> Page[PlanRead]:
    """Government users read their unit's plans (the ministry every unit's)."""
    window = Window.of_ids(cursor, limit)
    if principal.role not in GOVERNMENT:
        return Page(items=[])
    own = unit_of_principal(principal)
    if own and unit not in (None, own):
        return Page(items=[])
    rows = await repo.search(
        session, unit=own or unit, kind=kind.value if kind else None, year=year, window=window
    )
    page, next_page = window.split(rows)
    return Page(items=[PlanRead.model_validate(p) for p in page], next_cursor=next_page)
