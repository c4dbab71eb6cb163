"""培训班: scheduled under a plan in draft, or backfilled (补录) after they took place.

Every class carries 科学理论 and 形势政策 content and an on-site part (000 附件1 §二(二)(三)),
is run by a training institution under contract with the organising province, and may be
joint (联合组班): trainees of the joint provinces enroll and count for both.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from contracts import training as contract
from kit import clock, registry_replica
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import FieldError
from kit.pagination import Page, Window
from kit.scope import ensure_keeps
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import ClassKind, ClassStatus, ContentCategory, Period
from training.errors import (
    CLASS_CONTENT_INVALID,
    CLASS_DATES_INVALID,
    CLASS_NOT_FOUND,
    CLASS_OUTSIDE_PERIOD,
    COURSE_NOT_IN_PLAN,
    INSTITUTION_NOT_ENGAGED,
    TEACHER_UNKNOWN,
)
from training.models import REPLICA, ClassSession, Plan, TrainingClass
from training.repository import classes as repo
from training.repository import plan_courses as plan_courses_repo
from training.repository import plans as plans_repo
from training.repository import teachers as teachers_repo
from training.rules import ENROLLMENT_LEAD, REQUIRED_CONTENT, TASK, YEARS
from training.schemas.classes import ClassCreate, ClassRead, OnsiteItem, Topic
from training.scope import visible_classes
from training.service import courses, plans


def enrollment_deadline(cls: TrainingClass) -> date:
    return cls.start_on - ENROLLMENT_LEAD


def _content_errors(payload: ClassCreate) -> list[FieldError]:
    present = {t.category for t in payload.topics}
    errors = [
        FieldError(
            "topics",
            "TOPIC_REQUIRED",
            f"缺少“{c.zh}”内容",
            f"A {c.zh} ({c.value}) topic is required",
        )
        for c in REQUIRED_CONTENT
        if c not in present
    ]
    if not payload.onsite_items:
        errors.append(
            FieldError(
                "onsite_items",
                "ONSITE_REQUIRED",
                "缺少标杆研学、企业参访等现场教学环节",
                "An on-site item (benchmark study or enterprise visit) is required",
            )
        )
    return errors


async def _check_courses(session: AsyncSession, plan: Plan, payload: ClassCreate) -> None:
    """A topic names a key course or a course of the class's own plan, in its category."""
    named = {
        i: str(t.course)
        for i, t in enumerate(payload.topics)
        if t.course and t.course not in courses.KEY_COURSES
    }
    if not named:
        return
    own = {c.code: c for c in await plan_courses_repo.of_plan(session, plan.id)}
    foreign = [
        FieldError(
            f"topics.{i}.course",
            "NOT_IN_PLAN",
            f"课程“{code}”不是附1-1 重点课程，也不是本计划自设的课程",
            f"{code} is neither a key course nor a course of this plan",
        )
        for i, code in named.items()
        if code not in own
    ]
    if foreign:
        raise COURSE_NOT_IN_PLAN(errors=foreign)
    misfiled = [
        FieldError(
            f"topics.{i}.category",
            "CATEGORY_MISMATCH",
            f"课程“{own[code].name}”属于“{ContentCategory(own[code].category).zh}”类",
            f"The course {code} belongs to {own[code].category}",
        )
        for i, code in named.items()
        if payload.topics[i].category != own[code].category
    ]
    if misfiled:
        raise CLASS_CONTENT_INVALID(errors=misfiled)


def _sessions(payload: ClassCreate) -> list[date]:
    if not payload.sessions:
        days = (payload.end_on - payload.start_on).days
        return [payload.start_on + timedelta(days=i) for i in range(days + 1)]
    outside = [
        FieldError(
            f"sessions[{i}]",
            "SESSION_OUTSIDE_CLASS",
            "授课日期不在开班至结班期间",
            "The session is outside the class's dates",
        )
        for i, d in enumerate(payload.sessions)
        if not payload.start_on <= d <= payload.end_on
    ]
    if outside:
        raise CLASS_DATES_INVALID(errors=outside)
    return sorted(set(payload.sessions))


def _check_dates(plan: Plan, payload: ClassCreate) -> None:
    if payload.start_on > payload.end_on:
        raise CLASS_DATES_INVALID(
            errors=[
                FieldError(
                    "end_on", "BEFORE_START", "结班日期早于开班日期", "Ends before it starts"
                )
            ]
        )
    first, last = YEARS[Period(plan.period)]
    if payload.start_on.year < first or payload.end_on.year > last:
        raise CLASS_OUTSIDE_PERIOD(period=plan.period)
    today = clock.today()
    if payload.backfilled and payload.start_on > today:
        raise CLASS_DATES_INVALID(
            errors=[
                FieldError(
                    "backfilled",
                    "NOT_YET_HELD",
                    "补录仅适用于已开班的班次",
                    "Only classes that already started can be backfilled",
                )
            ]
        )
    if not payload.backfilled and payload.start_on <= today:
        raise CLASS_DATES_INVALID(
            errors=[
                FieldError(
                    "start_on",
                    "IN_THE_PAST",
                    "开班日期已过；已举办的班次请以补录方式登记",
                    "The class has started: record it as backfilled",
                )
            ]
        )


async def _engaged_institution(
    session: AsyncSession, institution_id: uuid.UUID, province: str
) -> registry_replica.Institution:
    institution = await REPLICA.engaged(session, institution_id, province, TASK)
    if institution is None:
        raise INSTITUTION_NOT_ENGAGED(
            errors=[
                FieldError(
                    "institution_id",
                    "NOT_ENGAGED",
                    "须为具备培训机构资质并与本省签订培训合同的机构",
                    "Must be a qualified training institution under contract with the province",
                )
            ]
        )
    return institution


async def _check_teachers(session: AsyncSession, ids: list[uuid.UUID]) -> None:
    if not ids:
        return
    found = await teachers_repo.existing(session, ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise TEACHER_UNKNOWN(ids=", ".join(missing))


async def schedule(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    plan_id: uuid.UUID,
    payload: ClassCreate,
) -> TrainingClass:
    plan = await plans.get(session, principal, plan_id, lock=True)
    ensure_keeps(principal, plan.province)
    if not payload.backfilled:  # 补录 records history; it does not amend the plan
        plans.ensure_draft(plan)
    if errors := _content_errors(payload):
        raise CLASS_CONTENT_INVALID(errors=errors)
    await _check_courses(session, plan, payload)
    _check_dates(plan, payload)
    days = _sessions(payload)
    institution = await _engaged_institution(session, payload.institution_id, plan.province)
    teacher_ids = list(dict.fromkeys(payload.teacher_ids))
    await _check_teachers(session, teacher_ids)
    joint = [p for p in dict.fromkeys(payload.joint_provinces) if p != plan.province]
    cls = TrainingClass(
        plan_id=plan.id,
        province=plan.province,
        provinces=[plan.province, *joint],
        name=payload.name,
        kind=payload.kind.value,
        industry=payload.industry,
        start_on=payload.start_on,
        end_on=payload.end_on,
        institution_id=institution.id,
        institution_name=institution.name,
        topics=[t.model_dump(mode="json") for t in payload.topics],
        onsite_items=[o.model_dump(mode="json") for o in payload.onsite_items],
        teacher_ids=teacher_ids,
        capacity=payload.planned_trainees,
        status=ClassStatus.SCHEDULED.value,
        backfilled=payload.backfilled,
        version=1,
    )
    session.add(cls)
    await session.flush()
    session.add_all(ClassSession(class_id=cls.id, day=d) for d in days)
    await session.flush()
    await session.refresh(cls)
    await ctx.outbox.emit(
        session,
        events.CLASS,
        "scheduled",
        subject=str(cls.id),
        data=event_data(cls, plan.period),
        province=cls.province,
        version=cls.version,
    )
    return cls


def event_data(cls: TrainingClass, period: str) -> dict[str, Any]:
    return contract.Class(
        id=cls.id,
        plan_id=cls.plan_id,
        period=period,
        province=cls.province,
        provinces=cls.provinces,
        name=cls.name,
        kind=cls.kind,
        start_on=cls.start_on,
        end_on=cls.end_on,
        institution_id=cls.institution_id,
        capacity=cls.capacity,
        status=cls.status,
        backfilled=cls.backfilled,
    ).model_dump(mode="json")


async def get(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, *, lock: bool = False
) -> TrainingClass:
    cls = await repo.get(session, class_id, visible_classes(principal), lock=lock)
    if cls is None:
        raise CLASS_NOT_FOUND()
    return cls


async def to_reads(session: AsyncSession, rows: list[TrainingClass]) -> list[ClassRead]:
    """The classes as read, with their periods and session days: a page's in one query each."""
    periods = await plans_repo.periods(session, {c.plan_id for c in rows})
    days = await repo.session_days(session, [c.id for c in rows])
    return [_read(c, periods[c.plan_id], days[c.id]) for c in rows]


async def to_read(session: AsyncSession, cls: TrainingClass) -> ClassRead:
    return (await to_reads(session, [cls]))[0]


async def read(session: AsyncSession, principal: Principal, class_id: uuid.UUID) -> ClassRead:
    return await to_read(session, await get(session, principal, class_id))


def _read(cls: TrainingClass, period: str, days: list[date]) -> ClassRead:
    return ClassRead(
        id=cls.id,
        plan_id=cls.plan_id,
        period=period,
        province=cls.province,
        joint_provinces=cls.provinces[1:],
        name=cls.name,
        kind=ClassKind(cls.kind),
        industry=cls.industry,
        start_on=cls.start_on,
        end_on=cls.end_on,
        enrollment_deadline=enrollment_deadline(cls),
        institution_id=cls.institution_id,
        institution_name=cls.institution_name,
        topics=[Topic.model_validate(t) for t in cls.topics],
        onsite_items=[OnsiteItem.model_validate(o) for o in cls.onsite_items],
        sessions=days,
        teacher_ids=cls.teacher_ids,
        planned_trainees=cls.capacity,
        status=ClassStatus(cls.status),
        backfilled=cls.backfilled,
        version=cls.version,
        created_at=cls.created_at,
    )


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    plan_id: uuid.UUID | None,
    province: str | None,
    status: ClassStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[ClassRead]:
    """Classes visible to the caller: a province sees its own and the joint classes it is in."""
    window = Window.of_ids(cursor, limit)
    rows = await repo.search(
        session,
        visible_classes(principal),
        plan_id=plan_id,
        province=province,
        status=status.value if status else None,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=await to_reads(session, page), next_cursor=next_page)
