"""The 培训档案 query: a trainee's enrollments with each class's counts."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import (
    Attendance,
    Certificate,
    ClassSession,
    Enrollment,
    Plan,
    Survey,
    TrainingClass,
)

# (enrollment, class, period, sessions, days present, surveys, certificate number)
Entry = tuple[Enrollment, TrainingClass, str, int, int, int, str | None]


async def of_trainee(
    session: AsyncSession, trainee_id: uuid.UUID, visible: ColumnElement[bool]
) -> list[Entry]:
    """Each of the trainee's enrollments in a ``visible`` class, in the order the classes
    start."""
    sessions = (
        select(func.count()).where(ClassSession.class_id == TrainingClass.id).scalar_subquery()
    )
    present = (
        select(func.count())
        .where(
            Attendance.class_id == TrainingClass.id,
            Attendance.trainee_id == trainee_id,
            Attendance.present,
        )
        .scalar_subquery()
    )
    surveyed = (
        select(func.count())
        .where(Survey.class_id == TrainingClass.id, Survey.trainee_id == trainee_id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Enrollment, TrainingClass, Plan.period, sessions, present, surveyed, Certificate.number
        )
        .join(TrainingClass, TrainingClass.id == Enrollment.class_id)
        .join(Plan, Plan.id == TrainingClass.plan_id)
        .outerjoin(Certificate, Certificate.enrollment_id == Enrollment.id)
        .where(Enrollment.trainee_id == trainee_id, visible)
        .order_by(TrainingClass.start_on, TrainingClass.id)
    )
    return cast(list[Entry], list(rows))
