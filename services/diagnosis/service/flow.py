"""The engagement's state machine (``rules.NEXT``), written once: every step checks that the
engagement may take it, records who took it and why, and publishes the new state."""

from __future__ import annotations

from typing import Any

from contracts import diagnosis as contract
from kit.auth import Principal
from kit.context import ServiceContext
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis import events
from diagnosis.enums import State
from diagnosis.errors import ENGAGEMENT_STATE
from diagnosis.models import Engagement, Transition
from diagnosis.rules import NEXT, OPEN

# What each step is called in an error ("不能{action}" / "cannot be {action_en}").
ACTIONS: dict[State, tuple[str, str]] = {
    State.ASSIGNED: ("分派机构", "assigned"),
    State.SELF_ASSESSED: ("提交自我评价", "self-assessed"),
    State.REVIEWED: ("复核", "reviewed"),
    State.REPORTED: ("出具诊断报告", "reported"),
    State.CONFIRMED: ("确认", "confirmed"),
    State.SPOT_CHECKED: ("抽查", "spot checked"),
    State.CANCELLED: ("取消", "cancelled"),
}


def ensure_may(e: Engagement, to: State, *, returned: bool = False) -> None:
    """The engagement may move to ``to`` from where it is (``returned``: a report sent back
    for review again, the only step back)."""
    current = State(e.state)
    if to is State.CANCELLED:
        allowed = current in OPEN
    elif to is State.REVIEWED and current is State.REPORTED:
        allowed = returned
    else:
        allowed = to in NEXT[current] and not returned
    if not allowed:
        zh, en = ("退回", "returned") if returned else ACTIONS[to]
        raise ENGAGEMENT_STATE(state=current.zh, state_en=current.value, action=zh, action_en=en)


async def publish(session: AsyncSession, ctx: ServiceContext, e: Engagement, name: str) -> None:
    data = contract.Engagement.model_validate(e, from_attributes=True).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.ENGAGEMENT,
        name,
        subject=str(e.id),
        data=data,
        province=e.unit,
        version=e.version,
    )


async def record(
    session: AsyncSession,
    principal: Principal,
    e: Engagement,
    before: State | None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        Transition(
            engagement_id=e.id,
            from_state=before.value if before else None,
            to_state=e.state,
            by_subject=principal.sub,
            by_role=principal.role.value,
            details=details or {},
        )
    )


async def move(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    e: Engagement,
    to: State,
    *,
    returned: bool = False,
    details: dict[str, Any] | None = None,
) -> Engagement:
    """Take the step (the caller checked who may): state, version, history, event."""
    ensure_may(e, to, returned=returned)
    before = State(e.state)
    e.state = to.value
    e.version += 1
    await record(session, principal, e, before, details)
    await session.flush()
    await session.refresh(e)
    await publish(session, ctx, e, to.value)  # API.md: engagement.<state>, a return too
    return e
