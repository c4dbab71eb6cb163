"""计划自设课程: a plan adds its own courses besides the 11 key courses of 附1-1 (DESIGN.md
§5); its classes teach them and their surveys rate them like key courses.

A course is part of the plan: its keepers add or delete it while the plan is a draft, as
they change its settings. It is deleted only while nothing refers to it, so every code a
class or survey holds keeps its name.
"""

from __future__ import annotations

import secrets
import uuid

from kit.auth import Principal
from kit.scope import ensure_keeps
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import ContentCategory, Course
from training.errors import (
    PLAN_COURSE_EXISTS,
    PLAN_COURSE_IN_USE,
    PLAN_COURSE_IS_KEY_COURSE,
    PLAN_COURSE_NOT_FOUND,
)
from training.models import PlanCourse
from training.repository import plan_courses as repo
from training.schemas.plan_courses import PlanCourseCreate, PlanCourseRead
from training.service import plans

KEY_COURSE_NAMES = frozenset(c.zh for c in Course)


def new_code() -> str:
    """``p-`` and 40 random bits: unique across plans (the table's constraint guards it)."""
    return f"p-{secrets.token_hex(5)}"


def to_read(course: PlanCourse) -> PlanCourseRead:
    return PlanCourseRead(
        code=course.code,
        plan_id=course.plan_id,
        name=course.name,
        category=ContentCategory(course.category),
        description=course.description,
        created_at=course.created_at,
    )


async def add(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, payload: PlanCourseCreate
) -> PlanCourse:
    plan = await plans.get(session, principal, plan_id, lock=True)
    ensure_keeps(principal, plan.province)
    plans.ensure_draft(plan)
    if payload.name in KEY_COURSE_NAMES:
        raise PLAN_COURSE_IS_KEY_COURSE(name=payload.name)
    # The plan row is locked, so the check sees every course added before this one.
    if await repo.name_taken(session, plan.id, payload.name):
        raise PLAN_COURSE_EXISTS(name=payload.name)
    course = PlanCourse(
        plan_id=plan.id,
        code=new_code(),
        name=payload.name,
        category=payload.category.value,
        description=payload.description,
    )
    session.add(course)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PLAN_COURSE_EXISTS(name=payload.name) from exc
    await session.refresh(course)
    return course


async def of_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID
) -> list[PlanCourseRead]:
    """Whoever reads the plan reads its courses, by name."""
    plan = await plans.get(session, principal, plan_id)
    return [to_read(c) for c in await repo.of_plan(session, plan.id)]


async def delete(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, code: str
) -> None:
    # Scheduling a class locks the plan too: no class can start teaching the course between
    # the check and the deletion.
    plan = await plans.get(session, principal, plan_id, lock=True)
    ensure_keeps(principal, plan.province)
    plans.ensure_draft(plan)
    course = await repo.get(session, plan.id, code)
    if course is None:
        raise PLAN_COURSE_NOT_FOUND()
    if await repo.taught(session, plan.id, code):
        raise PLAN_COURSE_IN_USE(name=course.name)
    await session.delete(course)
    await session.flush()
