"""Training events → the gateway's training figures (idempotent: the inbox runs each event once).

Every fact counts under a set of (scope, period) keys: its provinces, the city of its
trainee's enterprise and the nation, in its plan period and in ``all``. A class adds to
``classes`` under each of its provinces from its first day; an enrollment puts its trainee
(confirmed or completed) in the memberships of the enterprise's province and city and of the
organising province, and its enterprise (completed) in the enterprise's province and city;
a count moves when a member enters or leaves a key. A newer version of a class or an
enrollment takes the old row's contributions out and puts the new ones in, so a reversal
(confirmed → withdrawn) undoes what it counted; an older version is dropped, so events that
arrive out of order end in the latest state.

Training events name provinces, not cities: the city is where the gateway's registry replica
places the enterprise when the fact arrives. The registry's stream is not ordered with this
one, so a fact whose enterprise is not known yet waits (``city`` null) and
``place_enterprises`` counts it in its city when the enterprise arrives.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Hashable, Iterable
from datetime import date
from typing import Any, TypeVar

from contracts import training
from kit.events.consumer import Handler
from kit.events.envelope import CloudEvent
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.base import NATION, city_of
from gateway.registry.models import EnterpriseReplica
from gateway.training.models import (
    ALL_PERIODS,
    ClassReplica,
    CountedCertificate,
    CountedSurvey,
    EnrollmentReplica,
    TrainedEnterprise,
    TraineeMembership,
    TrainingCount,
    TrainingDayCount,
)

Key = tuple[str, str]  # (scope, period)
M = TypeVar("M", bound=Hashable)

TRAINEE_STATES = frozenset({"confirmed", "completed"})  # 已确认 / 已结业
TRAINED_STATE = "completed"


def keys(scopes: Iterable[str | None], period: str, *, national: bool = True) -> set[Key]:
    """Where a fact counts: each of ``scopes`` that is known (once) and, unless told
    otherwise, the nation, in ``period`` and in all periods."""
    where = {s for s in scopes if s is not None} | ({NATION} if national else set())
    return {(scope, p) for scope in where for p in (period, ALL_PERIODS)}


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


async def _bump_days(
    session: AsyncSession, changes: Counter[tuple[Key, date]], column: str
) -> None:
    """Add ``changes`` — per key and day — to the dated ``column`` (classes, certificates)."""
    rows = [
        {"scope": scope, "period": period, "day": day, column: n}
        for ((scope, period), day), n in sorted(changes.items())
        if n
    ]
    if not rows:
        return
    stmt = insert(TrainingDayCount).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope", "period", "day"],
            set_={column: getattr(TrainingDayCount, column) + getattr(stmt.excluded, column)},
        )
    )


async def _city(session: AsyncSession, uscc: str) -> str | None:
    """The city the registry replica places the enterprise in (None: not known yet)."""
    enterprise = await session.get(EnterpriseReplica, uscc)
    return None if enterprise is None else city_of(enterprise.region_code)


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
    data = training.Class.parse(event.data)
    class_id = data.id
    current = await session.get(ClassReplica, class_id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale
    changes: Counter[tuple[Key, date]] = Counter()
    if current is not None:
        changes.subtract((k, current.start_on) for k in keys(current.provinces, current.period))
    provinces = list(data.provinces) or [data.province]
    start_on = data.start_on
    if current is None:
        session.add(
            ClassReplica(
                id=class_id,
                period=data.period,
                provinces=provinces,
                start_on=start_on,
                version=event.aggregateversion,
            )
        )
    else:
        current.period, current.provinces = data.period, provinces
        current.start_on, current.version = start_on, event.aggregateversion
    changes.update((k, start_on) for k in keys(provinces, data.period))
    await _bump_days(session, changes, "classes")


def _memberships(
    e: EnrollmentReplica,
) -> tuple[Counter[tuple[Key, uuid.UUID]], Counter[tuple[Key, str]]]:
    """What an enrollment in its current state (none yet when new) puts in the trainee and
    enterprise counts."""
    trainees: Counter[tuple[Key, uuid.UUID]] = Counter()
    enterprises: Counter[tuple[Key, str]] = Counter()
    if e.state in TRAINEE_STATES:
        where = keys([e.province, e.city, e.class_province], e.period)
        trainees.update((k, e.trainee_id) for k in where)
    if e.state == TRAINED_STATE:
        enterprises.update((k, e.enterprise_uscc) for k in keys([e.province, e.city], e.period))
    return trainees, enterprises


async def _apply(
    session: AsyncSession, enrollment: EnrollmentReplica, fields: dict[str, Any]
) -> None:
    """Set ``fields`` on the enrollment's replica and move the counts the change touches."""
    old_trainees, old_enterprises = _memberships(enrollment)
    for name, value in fields.items():
        setattr(enrollment, name, value)
    trainees, enterprises = _memberships(enrollment)
    trainees.subtract(old_trainees)
    enterprises.subtract(old_enterprises)
    await _move_members(session, TraineeMembership, "trainee_id", trainees, "trainees")
    await _move_members(session, TrainedEnterprise, "uscc", enterprises, "enterprises_trained")
    if enrollment.city is not None:
        await _place_surveys(session, enrollment.trainee_id, enrollment.city)


async def on_enrollment(session: AsyncSession, event: CloudEvent) -> None:
    data = training.Enrollment.parse(event.data)
    enrollment_id = data.id
    current = await session.get(EnrollmentReplica, enrollment_id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale: a later state is already applied
    fields: dict[str, Any] = {
        "trainee_id": data.trainee_id,
        "enterprise_uscc": data.enterprise_uscc,
        "province": data.province,
        "class_province": data.class_province,
        "city": await _city(session, data.enterprise_uscc),
        "period": data.period,
        "state": data.state,
        "version": event.aggregateversion,
    }
    if current is None:
        current = EnrollmentReplica(id=enrollment_id)
        session.add(current)
    await _apply(session, current, fields)


async def on_certificate_issued(session: AsyncSession, event: CloudEvent) -> None:
    data = training.CertificateIssued.parse(event.data)
    city = await _city(session, data.enterprise_uscc)
    issued_on = data.issued_on
    first = await session.scalar(
        insert(CountedCertificate)
        .values(
            number=data.number,
            enterprise_uscc=data.enterprise_uscc,
            period=data.period,
            issued_on=issued_on,
            city=city,
        )
        .on_conflict_do_nothing()
        .returning(CountedCertificate.number)
    )
    if first is None:
        return
    where = keys([data.province, data.class_province, city], data.period)
    await _bump_days(session, Counter((k, issued_on) for k in where), "certificates")


async def on_survey_submitted(session: AsyncSession, event: CloudEvent) -> None:
    data = training.SurveySubmitted.parse(event.data)
    trainee_id = data.trainee_id
    city = await session.scalar(
        select(EnrollmentReplica.city)
        .where(EnrollmentReplica.trainee_id == trainee_id, EnrollmentReplica.city.is_not(None))
        .limit(1)
    )
    satisfied = data.satisfied
    first = await session.scalar(
        insert(CountedSurvey)
        .values(
            id=data.id,
            trainee_id=trainee_id,
            period=data.period,
            satisfied=satisfied,
            city=city,
        )
        .on_conflict_do_nothing()
        .returning(CountedSurvey.id)
    )
    if first is None:
        return
    where = keys([data.province, data.class_province, city], data.period)
    await _bump(session, where, responses=1, satisfied=int(satisfied))


async def _place_surveys(session: AsyncSession, trainee_id: uuid.UUID, city: str) -> None:
    """Count in ``city`` the trainee's surveys that arrived before any enrollment placed
    the trainee."""
    waiting = await session.scalars(
        select(CountedSurvey)
        .where(CountedSurvey.trainee_id == trainee_id, CountedSurvey.city.is_(None))
        .with_for_update()
    )
    for survey in waiting:
        survey.city = city
        assert survey.period is not None and survey.satisfied is not None
        where = keys([city], survey.period, national=False)
        await _bump(session, where, responses=1, satisfied=int(survey.satisfied))


async def place_enterprises(session: AsyncSession, cities: dict[str, str]) -> None:
    """Enterprises the registry replica has just placed (uscc → city): count in their city
    the enrollments and certificates that arrived before them."""
    if not cities:
        return
    enrollments = await session.scalars(
        select(EnrollmentReplica)
        .where(EnrollmentReplica.enterprise_uscc.in_(cities), EnrollmentReplica.city.is_(None))
        .order_by(EnrollmentReplica.id)
        .with_for_update()
    )
    for enrollment in enrollments.all():
        await _apply(session, enrollment, {"city": cities[enrollment.enterprise_uscc]})
    certificates = await session.scalars(
        select(CountedCertificate)
        .where(CountedCertificate.enterprise_uscc.in_(cities), CountedCertificate.city.is_(None))
        .order_by(CountedCertificate.number)
        .with_for_update()
    )
    changes: Counter[tuple[Key, date]] = Counter()
    for certificate in certificates:
        assert certificate.enterprise_uscc is not None and certificate.period is not None
        assert certificate.issued_on is not None
        certificate.city = cities[certificate.enterprise_uscc]
        where = keys([certificate.city], certificate.period, national=False)
        changes.update((k, certificate.issued_on) for k in where)
    await _bump_days(session, changes, "certificates")


# Class and enrollment events all carry the aggregate's whole state; the others are facts.
ROUTES: dict[str, Handler] = {
    "class.*": on_class,
    "enrollment.*": on_enrollment,
    "certificate.issued": on_certificate_issued,
    "survey.submitted": on_survey_submitted,
}
