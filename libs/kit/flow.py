"""An aggregate's state machine, written once for every service: each step checks that the
row may take it (``409`` naming the current state otherwise), bumps its version, records who
took it and why (a history row, ``Step``), and publishes ``<aggregate>.<state>`` with the
row's contract payload in the same transaction (the outbox)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from contracts.base import Payload
from sqlalchemy import BigInteger, DateTime, Identity, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from kit.auth import Principal
from kit.context import ServiceContext
from kit.enums import LabelledEnum
from kit.errors import Problem

S = TypeVar("S", bound=LabelledEnum)


class Step:
    """The history of an aggregate's steps (a model adds the column naming its row)."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    from_state: Mapped[str | None] = mapped_column(String(15))
    to_state: Mapped[str] = mapped_column(String(15))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    by_subject: Mapped[str] = mapped_column(String(200))
    by_role: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class Stateful(Protocol):
    id: Any
    state: str
    version: int


R = TypeVar("R", bound=Stateful)


@dataclass(frozen=True)
class Flow(Generic[S]):
    """``forward``: where each state may go. ``back``: where a step back from a state leads
    (a report returned, a failed 验收), taken only by ``move(..., back=True)``. ``actions``
    names each step in an error: "不能{action}" / "cannot be {action_en}". ``error`` is the
    aggregate's ``409`` with ``state``/``action`` parameters; ``history`` its ``Step`` model,
    whose ``key`` column names the row; ``unit`` the row's attribute that routes its events."""

    states: type[S]
    forward: Mapping[S, frozenset[S]]
    actions: Mapping[S, tuple[str, str]]
    error: Problem
    aggregate: str
    payload: type[Payload]
    history: Callable[..., Step]  # a model with the Step columns
    key: str
    back: Mapping[S, S] = field(default_factory=dict)
    back_action: tuple[str, str] = ("退回", "returned")
    unit: str = "unit"

    def ensure_may(self, row: Stateful, to: S, *, back: bool = False) -> None:
        current = self.states(row.state)
        allowed = self.back.get(current) == to if back else to in self.forward[current]
        if not allowed:
            zh, en = self.back_action if back else self.actions[to]
            raise self.error(state=current.zh, state_en=current.value, action=zh, action_en=en)

    def record(
        self,
        session: AsyncSession,
        principal: Principal,
        row: Stateful,
        before: S | None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        step = self.history(
            from_state=before.value if before else None,
            to_state=row.state,
            by_subject=principal.sub,
            by_role=principal.role.value,
            details=dict(details or {}),
        )
        setattr(step, self.key, row.id)
        session.add(step)

    async def publish(
        self, session: AsyncSession, ctx: ServiceContext, row: Stateful, name: str
    ) -> None:
        data = self.payload.model_validate(row, from_attributes=True).model_dump(mode="json")
        await ctx.outbox.emit(
            session,
            self.aggregate,
            name,
            subject=str(row.id),
            data=data,
            province=getattr(row, self.unit),
            version=row.version,
        )

    async def start(
        self, session: AsyncSession, ctx: ServiceContext, principal: Principal, row: Stateful
    ) -> None:
        """A new row, flushed in its first state: its history's first step, its event."""
        self.record(session, principal, row, None)
        await session.refresh(row)
        await self.publish(session, ctx, row, row.state)

    async def move(
        self,
        session: AsyncSession,
        ctx: ServiceContext,
        principal: Principal,
        row: R,
        to: S,
        *,
        back: bool = False,
        details: Mapping[str, Any] | None = None,
    ) -> R:
        """Take the step (the caller checked who may): state, version, history, event."""
        self.ensure_may(row, to, back=back)
        before = self.states(row.state)
        row.state = to.value
        row.version += 1
        self.record(session, principal, row, before, details)
        await session.flush()  # an aggregate's timestamps come back with it (``Timestamped``)
        await self.publish(session, ctx, row, to.value)
        return row
