"""择优遴选 (001:18): a unit's selection round for a batch selects among its pooled demands,
at most its quota when it closes; the pooled rest are then not selected."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from contracts import innovation as contract
from contracts.vocabulary import Tier
from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.scope import ensure_keeps
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from innovation import events
from innovation.enums import DemandState, RoundState
from innovation.errors import (
    DEMAND_NOT_FOUND,
    DEMAND_OF_ANOTHER_UNIT,
    QUOTA_EXCEEDED,
    ROUND_CLOSED,
    ROUND_EXISTS,
    ROUND_NOT_FOUND,
    SELECTION_NOT_FOUND,
    TIER_NOT_ADMITTED,
)
from innovation.models import Demand, Round, Selection
from innovation.schemas.rounds import RoundCreate, SelectionCreate
from innovation.scope import visible_rounds
from innovation.service import settings as unit_settings
from innovation.service.flow import DEMAND


async def _publish(session: AsyncSession, ctx: ServiceContext, r: Round, name: str) -> None:
    data = contract.Round.model_validate(r, from_attributes=True).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.ROUND,
        name,
        subject=str(r.id),
        data=data,
        province=r.unit,
        version=r.version,
    )


async def open_round(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: RoundCreate
) -> Round:
    ensure_keeps(principal, payload.unit)
    tiers = (
        payload.eligible_tiers
        or (await unit_settings.effective(session, payload.unit)).eligible_tiers
    )
    r = Round(
        unit=payload.unit,
        batch=payload.batch,
        quota=payload.quota,
        eligible_tiers=[t.value for t in tiers],
        state=RoundState.OPEN.value,
        selected=0,
        not_selected=0,
        created_by=principal.sub,
        version=1,
    )
    session.add(r)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:  # uq_rounds_open_unit_batch
        raise ROUND_EXISTS(unit=payload.unit, batch=payload.batch) from error
    await _publish(session, ctx, r, "opened")
    return r


async def get(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, *, lock: bool = False
) -> Round:
    query = select(Round).where(Round.id == round_id, visible_rounds(principal))
    found = await session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise ROUND_NOT_FOUND()
    return found


async def search(
    session: AsyncSession, principal: Principal, *, unit: str | None, batch: str | None
) -> Sequence[Round]:
    query = select(Round).where(visible_rounds(principal))
    if unit:
        query = query.where(Round.unit == unit)
    if batch:
        query = query.where(Round.batch == batch)
    return (await session.scalars(query.order_by(Round.id))).all()


async def _open_for_keeper(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, zh: str, en: str
) -> Round:
    """The round, locked (selections and its close take turns), kept by the caller, open."""
    r = await get(session, principal, round_id, lock=True)
    ensure_keeps(principal, r.unit)
    if r.state != RoundState.OPEN.value:
        raise ROUND_CLOSED(action=zh, action_en=en)
    return r


async def _demand(session: AsyncSession, demand_id: uuid.UUID, unit: str) -> Demand:
    d = await session.scalar(select(Demand).where(Demand.id == demand_id).with_for_update())
    if d is None:
        raise DEMAND_NOT_FOUND()
    if d.unit != unit:
        raise DEMAND_OF_ANOTHER_UNIT(unit=d.unit, round_unit=unit)
    return d


async def select_demand(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    round_id: uuid.UUID,
    payload: SelectionCreate,
) -> Selection:
    r = await _open_for_keeper(session, principal, round_id, "遴选需求", "selected from")
    d = await _demand(session, payload.demand_id, r.unit)
    DEMAND.ensure_may(d, DemandState.SELECTED)
    if d.enterprise_tier not in r.eligible_tiers:
        tiers = [Tier(t) for t in r.eligible_tiers]
        raise TIER_NOT_ADMITTED(
            tier=Tier(d.enterprise_tier).zh,
            tier_en=d.enterprise_tier,
            tiers="、".join(t.zh for t in tiers),
            tiers_en=", ".join(t.value for t in tiers),
        )
    s = Selection(
        round_id=r.id,
        demand_id=d.id,
        score=payload.score,
        reason=payload.reason,
        selected_by=principal.sub,
    )
    session.add(s)
    d.round_id, d.batch = r.id, r.batch
    details = {"round_id": str(r.id), "score": str(payload.score)}
    await DEMAND.move(session, ctx, principal, d, DemandState.SELECTED, details=details)
    r.selected += 1
    r.version += 1
    await session.flush()
    await session.refresh(s)
    return s


async def unselect(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    round_id: uuid.UUID,
    demand_id: uuid.UUID,
) -> None:
    """A selection withdrawn while the round is open: the demand is back in the 需求库."""
    r = await _open_for_keeper(session, principal, round_id, "撤销遴选", "unselected from")
    s = await session.get(Selection, (r.id, demand_id))
    if s is None:
        raise SELECTION_NOT_FOUND()
    d = await _demand(session, demand_id, r.unit)
    await session.delete(s)
    d.round_id, d.batch = None, None
    details = {"round_id": str(r.id)}
    await DEMAND.move(session, ctx, principal, d, DemandState.POOLED, back=True, details=details)
    r.selected -= 1
    r.version += 1
    await session.flush()


async def close(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, round_id: uuid.UUID
) -> Round:
    """No more selections than the quota; the unit's pooled rest are not selected."""
    r = await _open_for_keeper(session, principal, round_id, "结束", "closed")
    if r.selected > r.quota:
        raise QUOTA_EXCEEDED(selected=r.selected, quota=r.quota)
    rest = await session.scalars(
        select(Demand)
        .where(Demand.unit == r.unit, Demand.state == DemandState.POOLED.value)
        .order_by(Demand.id)
        .with_for_update()
    )
    details = {"round_id": str(r.id)}
    for d in rest.all():
        d.round_id, d.batch = r.id, r.batch
        await DEMAND.move(session, ctx, principal, d, DemandState.NOT_SELECTED, details=details)
        r.not_selected += 1
    r.state = RoundState.CLOSED.value
    r.closed_at = clock.now()
    r.version += 1
    await session.flush()
    await _publish(session, ctx, r, "closed")
    return r
