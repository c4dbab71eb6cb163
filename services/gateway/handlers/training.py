"""Training events → the gateway's training figures (idempotent: the inbox runs each event once).

Every fact counts under a set of (scope, period) keys: its provinces and the nation, in its
plan period and in ``all``. A class adds to ``classes`` under each of its provinces; an
enrollment puts its trainee (confirmed or completed) in the memberships of the enterprise's
and the organising province, and its enterprise (completed) in the enterprise's province;
a count moves when a member enters or leaves a key. A newer version of a class or an
enrollment takes the old row's contributions out and puts the new ones in, so a reversal
(confirmed → withdrawn) undoes what it counted; an older version is dropped, so events that
arrive out of order end in the latest state.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any, TypeVar

from kit.events.envelope import CloudEvent
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import (
    ALL_PERIODS,
    NATIONAL,
    ClassReplica,
    CountedCertificate,
    CountedSurvey,
    EnrollmentReplica,
    TrainedEnterprise,
    TraineeMembership,
    TrainingCount,
)

Key = tuple[str, str]  # (scope, period)
M = TypeVar("M", bound=Hashable)

TRAINEE_STATES = frozenset({"confirmed", "completed"})  # 已确认 / 已结业
TRAINED_STATE = "completed"


def keys(provinces: Iterable[str], period: str) -> set[Key]:
    """Where a fact counts: each of ``provinces`` (once) and the nation, in ``period`` and
    in all periods."""
    return {(scope, p) for scope in {*provinces, NATIONAL} for p in (period, ALL_PERIODS)}


async def _bump(session: AsyncSession, where: Iterable[Key], **amounts: int) -> None:
    rows = [{"scope": scope, "period": period, **amounts} for scope, period in sorted(where)]
    if not rows:
        return
    stmt = insert(TrainingCount).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope", "period"],
            set_={c: getattr(TrainingCount, c) + getattr(stmt.excluded, c) for c in amounts},
        )
    )


async def _move_members(
    session: AsyncSession,
    model: type[TraineeMembership] | type[TrainedEnterprise],
    member: str,
    changes: Counter[tuple[Key, M]],
    counter: str,
) -> None:
    """Apply changes to the memberships' enrollment counts; ``counter`` of a key moves when
    a member enters (0 → n) or leaves (n → 0) it."""
    moved: Counter[Key] = Counter()
    for (key, who), change in sorted(changes.items()):  # one lock order for every consumer
        if change == 0:
            continue
        scope, period = key
        stmt = insert(model).values(
            {"scope": scope, "period": period, member: who, "enrollments": change}
        )
        after = await session.scalar(
            stmt.on_conflict_do_update(
                index_elements=["scope", "period", member],
                set_={"enrollments": model.enrollments + stmt.excluded.enrollments},
            ).returning(model.enrollments)
        )
        assert after is not None
        before = after - change
        moved[key] += (after > 0) - (before > 0)
        if after <= 0:
            await session.execute(
                delete(model).where(
                    model.scope == scope, model.period == period, getattr(model, member) == who
                )
            )
    for amount in set(moved.values()) - {0}:
        await _bump(session, [k for k, n in moved.items() if n == amount], **{counter: amount})


async def on_class(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    class_id = uuid.UUID(data["id"])
    current = await session.get(ClassReplica, class_id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale
    before = keys(current.provinces, current.period) if current is not None else set()
    provinces = list(data["provinces"]) or [data["province"]]
    if current is None:
        session.add(
            ClassReplica(
                id=class_id,
                period=data["period"],
                provinces=provinces,
                version=event.aggregateversion,
            )
        )
    else:
        current.period, current.provinces = data["period"], provinces
        current.version = event.aggregateversion
    after = keys(provinces, data["period"])
    await _bump(session, before - after, classes=-1)
    await _bump(session, after - before, classes=1)


def _memberships(
    enrollment: EnrollmentReplica | None,
) -> tuple[Counter[tuple[Key, uuid.UUID]], Counter[tuple[Key, str]]]:
    """What an enrollment in its current state puts in the trainee and enterprise counts."""
    trainees: Counter[tuple[Key, uuid.UUID]] = Counter()
    enterprises: Counter[tuple[Key, str]] = Counter()
    if enrollment is None:
        return trainees, enterprises
    e = enrollment
    if e.state in TRAINEE_STATES:
        trainees.update((k, e.trainee_id) for k in keys([e.province, e.class_province], e.period))
    if e.state == TRAINED_STATE:
        enterprises.update((k, e.enterprise_uscc) for k in keys([e.province], e.period))
    return trainees, enterprises


async def on_enrollment(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    enrollment_id = uuid.UUID(data["id"])
    current = await session.get(EnrollmentReplica, enrollment_id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale: a later state is already applied
    old_trainees, old_enterprises = _memberships(current)
    fields: dict[str, Any] = {
        "trainee_id": uuid.UUID(data["trainee_id"]),
        "enterprise_uscc": data["enterprise_uscc"],
        "province": data["province"],
        "class_province": data["class_province"],
        "period": data["period"],
        "state": data["state"],
        "version": event.aggregateversion,
    }
    if current is None:
        current = EnrollmentReplica(id=enrollment_id, **fields)
        session.add(current)
    else:
        for name, value in fields.items():
            setattr(current, name, value)
    trainees, enterprises = _memberships(current)
    trainees.subtract(old_trainees)
    enterprises.subtract(old_enterprises)
    await _move_members(session, TraineeMembership, "trainee_id", trainees, "trainees")
    await _move_members(session, TrainedEnterprise, "uscc", enterprises, "enterprises_trained")


async def on_certificate_issued(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    first = await session.scalar(
        insert(CountedCertificate)
        .values(number=data["number"])
        .on_conflict_do_nothing()
        .returning(CountedCertificate.number)
    )
    if first is None:
        return
    where = keys([data["province"], data["class_province"]], data["period"])
    await _bump(session, where, certificates=1)


async def on_survey_submitted(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    first = await session.scalar(
        insert(CountedSurvey)
        .values(id=uuid.UUID(data["id"]))
        .on_conflict_do_nothing()
        .returning(CountedSurvey.id)
    )
    if first is None:
        return
    where = keys([data["province"], data["class_province"]], data["period"])
    await _bump(session, where, responses=1, satisfied=int(bool(data["satisfied"])))


Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]

# Class and enrollment events all carry the aggregate's whole state; the others are facts.
_BY_AGGREGATE: dict[str, Handler] = {"class": on_class, "enrollment": on_enrollment}
_BY_EVENT: dict[tuple[str, str], Handler] = {
    ("certificate", "issued"): on_certificate_issued,
    ("survey", "submitted"): on_survey_submitted,
}


async def on_training_event(session: AsyncSession, event: CloudEvent) -> None:
    aggregate, name = event.type.split(".")[3:5]
    handler = _BY_AGGREGATE.get(aggregate) or _BY_EVENT.get((aggregate, name))
    if handler is not None:
        await handler(session, event)
