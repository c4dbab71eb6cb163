"""Enrollment (报名) queries: the roster, seats taken, and the rows closing a class."""

from __future__ import annotations

import uuid

from kit.pagination import Window
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import Enrollment, Trainee, TrainingClass


async def of_trainee_in(
    session: AsyncSession, class_id: uuid.UUID, trainee_id: uuid.UUID
) -> Enrollment | None:
    return await session.scalar(
        select(Enrollment).where(
            Enrollment.class_id == class_id, Enrollment.trainee_id == trainee_id
        )
    )


async def state_of(session: AsyncSession, class_id: uuid.UUID, trainee_id: uuid.UUID) -> str | None:
    return await session.scalar(
        select(Enrollment.state).where(
            Enrollment.class_id == class_id, Enrollment.trainee_id == trainee_id
        )
    )


async def seats_taken(
    session: AsyncSession, class_id: uuid.UUID, states: list[str], uscc: str
) -> tuple[int, int]:
    """Enrollments in ``states``: the class's, and the enterprise's among them."""
    active = Enrollment.state.in_(states)
    taken, taken_by_enterprise = (
        await session.execute(
            select(
                func.count().filter(active),
                func.count().filter(active, Enrollment.enterprise_uscc == uscc),
            ).where(Enrollment.class_id == class_id)
        )
    ).one()
    return int(taken), int(taken_by_enterprise)


async def taken_by_enterprise_in_plan(
    session: AsyncSession, plan_id: uuid.UUID, states: list[str], uscc: str, province: str
) -> int:
    """The enterprise's enrollments in ``states`` across every class of the plan (its
    ``province``, where its enrollments are, keeps the count on the (province, uscc) index)."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Enrollment)
            .join(TrainingClass, TrainingClass.id == Enrollment.class_id)
            .where(
                Enrollment.province == province,
                Enrollment.enterprise_uscc == uscc,
                TrainingClass.plan_id == plan_id,
                Enrollment.state.in_(states),
            )
        )
        or 0
    )


async def get_with_class(
    session: AsyncSession,
    enrollment_id: uuid.UUID,
    visible: ColumnElement[bool],
    *,
    lock: bool = False,
) -> tuple[Enrollment, TrainingClass] | None:
    """The enrollment and its class, if ``visible`` (over both and the trainee) holds."""
    query = (
        select(Enrollment, TrainingClass)
        .join(TrainingClass, TrainingClass.id == Enrollment.class_id)
        .join(Trainee, Trainee.id == Enrollment.trainee_id)
        .where(Enrollment.id == enrollment_id, visible)
    )
    if lock:
        query = query.with_for_update(of=Enrollment).execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    if row is None:
        return None
    enrollment, cls = row
    return enrollment, cls


async def roster(
    session: AsyncSession,
    class_id: uuid.UUID,
    visible: ColumnElement[bool],
    *,
    state: str | None,
    window: Window,
) -> list[Enrollment]:
    query = (
        select(Enrollment)
        .join(Trainee, Trainee.id == Enrollment.trainee_id)
        .where(Enrollment.class_id == class_id, visible)
    )
    if state:
        query = query.where(Enrollment.state == state)
    query = window.over(query, Enrollment.id)
    return list(await session.scalars(query))


async def in_states(
    session: AsyncSession, class_id: uuid.UUID, states: list[str]
) -> list[Enrollment]:
    """The class's enrollments in ``states``, in the order they were made."""
    return list(
        await session.scalars(
            select(Enrollment)
            .where(Enrollment.class_id == class_id, Enrollment.state.in_(states))
            .order_by(Enrollment.created_at, Enrollment.id)
        )
    )


async def trainee_ids_in_state(
    session: AsyncSession, class_id: uuid.UUID, state: str
) -> set[uuid.UUID]:
    return set(
        await session.scalars(
            select(Enrollment.trainee_id).where(
                Enrollment.class_id == class_id, Enrollment.state == state
            )
        )
    )


async def with_trainees(
    session: AsyncSession, class_id: uuid.UUID, states: list[str], visible: ColumnElement[bool]
) -> list[tuple[str, Trainee]]:
    """The class's enrollments in ``states`` whose trainee is ``visible``: (state, trainee),
    in the order they were made."""
    rows = await session.execute(
        select(Enrollment.state, Trainee)
        .join(Trainee, Trainee.id == Enrollment.trainee_id)
        .where(Enrollment.class_id == class_id, Enrollment.state.in_(states), visible)
        .order_by(Enrollment.created_at, Enrollment.id)
    )
    return [(state, trainee) for state, trainee in rows]
