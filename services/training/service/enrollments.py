"""报名: applied → qualified (资格审核) → confirmed (录取) → completed | withdrawn | rejected.

Live registration follows 000 附件1 and 001: the enterprise holds an admitted tier on the
start date (checked against the replica, never the registry), the plan's limit of trainees
per enterprise (by default 2 across the plan's classes: each person chooses one class), the
class's capacity, and everything done 7 days before the start. A backfilled class (补录)
records its trainees directly as confirmed, whatever the dates. The class row and then its
plan's are locked while a seat is taken, so the counts cannot race.
"""

from __future__ import annotations

import uuid
from typing import Any

from contracts import training as contract
from contracts.vocabulary import Tier, holding
from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import VALIDATION_FAILED, FieldError
from kit.pagination import Page, Window
from kit.scope import ensure_keeps
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import ACTIVE_STATES, EnrollmentState, QuotaScope
from training.errors import (
    CLASS_CLOSED,
    CLASS_FULL,
    ENROLLMENT_CLOSED,
    ENROLLMENT_EXISTS,
    ENROLLMENT_NOT_FOUND,
    ENTERPRISE_NOT_ELIGIBLE,
    ENTERPRISE_QUOTA_REACHED,
    PROVINCE_NOT_IN_CLASS,
    TRAINEE_NOT_FOUND,
    TRANSITION_INVALID,
)
from training.models import REPLICA, Enrollment, Plan, Trainee, TrainingClass
from training.repository import enrollments as repo
from training.repository import plans as plans_repo
from training.repository import trainees as trainees_repo
from training.schemas.enrollments import EnrollmentRead
from training.scope import (
    may_decide,
    may_keep,
    organises,
    visible_classes,
    visible_trainees,
)
from training.service import classes
from training.service.classes import enrollment_deadline

ACTIVE = [s.value for s in ACTIVE_STATES]
S = EnrollmentState
# target state → the states it may come from (completed only by closing the class)
SOURCES = {
    S.QUALIFIED: (S.APPLIED,),
    S.CONFIRMED: (S.QUALIFIED,),
    S.REJECTED: (S.APPLIED, S.QUALIFIED),
    S.WITHDRAWN: (S.APPLIED, S.QUALIFIED, S.CONFIRMED),
    S.COMPLETED: (S.CONFIRMED,),
}
SCOPE_EN = {QuotaScope.PLAN: "plan period", QuotaScope.CLASS: "class"}
# Registration and confirmation end at the deadline; leaving or rejecting does not.
BEFORE_DEADLINE = (S.APPLIED, S.QUALIFIED, S.CONFIRMED)


def event_data(e: Enrollment, cls: TrainingClass, period: str) -> dict[str, Any]:
    return contract.Enrollment(
        id=e.id,
        class_id=e.class_id,
        trainee_id=e.trainee_id,
        enterprise_uscc=e.enterprise_uscc,
        province=e.province,
        class_province=cls.province,
        class_provinces=cls.provinces,
        period=period,
        state=e.state,
        backfilled=e.backfilled,
        version=e.version,
    ).model_dump(mode="json")


async def emit(
    session: AsyncSession, ctx: ServiceContext, e: Enrollment, cls: TrainingClass, period: str
) -> None:
    await ctx.outbox.emit(
        session,
        events.ENROLLMENT,
        e.state,
        subject=str(e.id),
        data=event_data(e, cls, period),
        province=e.province,
        version=e.version,
    )


def _ensure_open(cls: TrainingClass) -> None:
    if cls.closed_at is not None:
        raise CLASS_CLOSED()
    deadline = enrollment_deadline(cls)
    if not cls.backfilled and clock.today() > deadline:
        raise ENROLLMENT_CLOSED(deadline=deadline.isoformat())


async def _ensure_eligible(
    session: AsyncSession, cls: TrainingClass, plan: Plan, uscc: str
) -> None:
    if not await REPLICA.holds_tier(session, uscc, holding(plan.eligible_tiers), cls.start_on):
        tiers = [Tier(t) for t in plan.eligible_tiers]
        raise ENTERPRISE_NOT_ELIGIBLE(
            start=cls.start_on.isoformat(),
            tiers="、".join(t.zh for t in tiers),
            tiers_en=", ".join(tiers),
        )


async def _ensure_seats(
    session: AsyncSession, cls: TrainingClass, plan: Plan, trainee: Trainee
) -> None:
    """The enterprise's limit, counted in the class or across the plan's classes as the plan
    sets, then the class's capacity. The caller holds the class and plan rows locked."""
    uscc = trainee.enterprise_uscc
    taken, taken_by_enterprise = await repo.seats_taken(session, cls.id, ACTIVE, uscc)
    scope = QuotaScope(plan.per_enterprise_scope)
    if scope is QuotaScope.PLAN:
        taken_by_enterprise = await repo.taken_by_enterprise_in_plan(
            session, plan.id, ACTIVE, uscc, trainee.province
        )
    if taken_by_enterprise >= plan.per_enterprise_limit:
        raise ENTERPRISE_QUOTA_REACHED(
            limit=plan.per_enterprise_limit, scope=scope.zh, scope_en=SCOPE_EN[scope]
        )
    if taken >= cls.capacity:
        raise CLASS_FULL(capacity=cls.capacity)


async def _trainee_for(
    session: AsyncSession, principal: Principal, cls: TrainingClass, trainee_id: uuid.UUID
) -> Trainee:
    """The trainee, if the caller may enroll them: their enterprise, a keeper of their
    province, or a keeper of the organising province (who registers a joint class) for a
    trainee of one of the class's provinces. Anyone else's trainee answers as an unknown
    one, so the checks that follow never reveal that it exists."""
    trainee = await trainees_repo.get(session, trainee_id)
    if trainee is None or not (
        may_keep(principal, trainee)
        or (organises(principal, cls) and trainee.province in cls.provinces)
    ):
        raise TRAINEE_NOT_FOUND()
    return trainee


async def apply(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    class_id: uuid.UUID,
    trainee_id: uuid.UUID,
) -> Enrollment:
    cls = await classes.get(session, principal, class_id, lock=True)
    trainee = await _trainee_for(session, principal, cls, trainee_id)
    _ensure_open(cls)
    if trainee.province not in cls.provinces:
        raise PROVINCE_NOT_IN_CLASS()
    # Locked after the class (the one order every path takes): an enterprise's seats in
    # other classes of the plan, and the plan's settings, hold still while this one counts.
    plan = await plans_repo.get_locked(session, cls.plan_id)
    await _ensure_eligible(session, cls, plan, trainee.enterprise_uscc)
    enrollment = await repo.of_trainee_in(session, cls.id, trainee.id)
    if enrollment is not None and enrollment.state in ACTIVE:
        raise ENROLLMENT_EXISTS()
    await _ensure_seats(session, cls, plan, trainee)
    state = S.CONFIRMED if cls.backfilled else S.APPLIED
    now = clock.now()  # set here, so the row need not be read back after the write
    if enrollment is None:  # first application
        enrollment = Enrollment(
            created_at=now,
            updated_at=now,
            class_id=cls.id,
            trainee_id=trainee.id,
            enterprise_uscc=trainee.enterprise_uscc,
            province=trainee.province,
            state=state.value,
            backfilled=cls.backfilled,
            version=1,
        )
        session.add(enrollment)
    else:  # applying again after a withdrawal or rejection
        enrollment.state, enrollment.reason, enrollment.updated_at = state.value, None, now
        enrollment.version += 1
    await session.flush()
    await emit(session, ctx, enrollment, cls, plan.period)
    return enrollment


async def get(
    session: AsyncSession, principal: Principal, enrollment_id: uuid.UUID, *, lock: bool = False
) -> tuple[Enrollment, TrainingClass]:
    """The enrollment, if the caller sees both its class and its trainee."""
    row = await repo.get_with_class(
        session,
        enrollment_id,
        visible_classes(principal) & visible_trainees(principal),
        lock=lock,
    )
    if row is None:
        raise ENROLLMENT_NOT_FOUND()
    return row


async def transition(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    enrollment_id: uuid.UUID,
    target: EnrollmentState,
    reason: str | None,
) -> Enrollment:
    enrollment, cls = await get(session, principal, enrollment_id, lock=True)
    if not may_decide(principal, target, cls, enrollment):
        ensure_keeps(principal, cls.province)  # raises: the caller only reads this class
    if target is S.REJECTED and not reason:
        raise VALIDATION_FAILED(
            errors=[FieldError("reason", "REQUIRED", "不予通过须说明理由", "A reason is required")]
        )
    state = EnrollmentState(enrollment.state)
    if state not in SOURCES[target]:
        raise TRANSITION_INVALID(
            state=state.zh, target=target.zh, state_en=state.value, target_en=target.value
        )
    if target in BEFORE_DEADLINE:
        _ensure_open(cls)
    elif cls.closed_at is not None:
        raise CLASS_CLOSED()
    enrollment.state, enrollment.reason = target.value, reason
    enrollment.updated_at = clock.now()
    enrollment.version += 1
    await session.flush()
    await emit(session, ctx, enrollment, cls, await plans_repo.period(session, cls.plan_id))
    return enrollment


async def to_reads(session: AsyncSession, rows: list[Enrollment]) -> list[EnrollmentRead]:
    names = await trainees_repo.names(session, {e.trainee_id for e in rows})
    return [
        EnrollmentRead(
            id=e.id,
            class_id=e.class_id,
            trainee_id=e.trainee_id,
            trainee_name=names[e.trainee_id],
            enterprise_uscc=e.enterprise_uscc,
            province=e.province,
            state=EnrollmentState(e.state),
            backfilled=e.backfilled,
            reason=e.reason,
            attendance_rate=e.attendance_rate,
            version=e.version,
            created_at=e.created_at,
            updated_at=e.updated_at,
        )
        for e in rows
    ]


async def read(
    session: AsyncSession, principal: Principal, enrollment_id: uuid.UUID
) -> EnrollmentRead:
    enrollment, _ = await get(session, principal, enrollment_id)
    return (await to_reads(session, [enrollment]))[0]


async def search(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    *,
    state: EnrollmentState | None,
    cursor: str | None,
    limit: int,
) -> Page[EnrollmentRead]:
    """The class's roster: its enrollments whose trainee the caller sees
    (``scope.visible_trainees``), e.g. a city only its own city's trainees."""
    cls = await classes.get(session, principal, class_id)
    window = Window.of_ids(cursor, limit)
    rows = await repo.roster(
        session,
        cls.id,
        visible_trainees(principal),
        state=state.value if state else None,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=await to_reads(session, page), next_cursor=next_page)
