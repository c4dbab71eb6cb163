"""The demand's state machine (``rules.NEXT``), written once: every step checks that the
demand may take it, records who took it and why, and publishes the new state."""

from __future__ import annotations

from typing import Any

from contracts import innovation as contract
from kit.auth import Principal
from kit.context import ServiceContext
from sqlalchemy.ext.asyncio import AsyncSession

from innovation import events
from innovation.enums import DemandState
from innovation.errors import DEMAND_STATE
from innovation.models import Demand, DemandTransition
from innovation.rules import NEXT

# What each step is called in an error ("不能{action}" / "cannot be {action_en}").
ACTIONS: dict[DemandState, tuple[str, str]] = {
    DemandState.POOLED: ("入库", "pooled"),
    DemandState.DECLINED: ("不予入库", "declined"),
    DemandState.SELECTED: ("遴选", "selected"),
    DemandState.NOT_SELECTED: ("列为未遴选", "marked not selected"),
    DemandState.IN_SERVICE: ("立项服务", "put in service"),
    DemandState.DELIVERED: ("交付", "delivered"),
    DemandState.ACCEPTED: ("验收", "accepted"),
    DemandState.WITHDRAWN: ("撤回", "withdrawn"),
}


def ensure_may(d: Demand, to: DemandState) -> None:
    current = DemandState(d.state)
    if to not in NEXT[current]:
        zh, en = ACTIONS[to]
        raise DEMAND_STATE(state=current.zh, state_en=current.value, action=zh, action_en=en)


async def publish(session: AsyncSession, ctx: ServiceContext, d: Demand, name: str) -> None:
    data = contract.Demand.model_validate(d, from_attributes=True).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.DEMAND,
        name,
        subject=str(d.id),
        data=data,
        province=d.unit,
        version=d.version,
    )


def record(
    session: AsyncSession,
    principal: Principal,
    d: Demand,
    before: DemandState | None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        DemandTransition(
            demand_id=d.id,
            from_state=before.value if before else None,
            to_state=d.state,
            by_subject=principal.sub,
            by_role=principal.role.value,
            details=details or {},
        )
    )


async def move(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    d: Demand,
    to: DemandState,
    *,
    details: dict[str, Any] | None = None,
) -> Demand:
    """Take the step (the caller checked who may): state, version, history, event."""
    ensure_may(d, to)
    before = DemandState(d.state)
    d.state = to.value
    d.version += 1
    record(session, principal, d, before, details)
    await session.flush()
    await session.refresh(d)
    await publish(session, ctx, d, to.value)
    return d
