"""Attendance (考勤) and certificate (结业证书) queries."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import Attendance, Certificate, Trainee, TrainingClass

# asyncpg caps a statement at 32767 parameters: 4 a row.
_ROWS_A_STATEMENT = 5000


async def record_attendance(session: AsyncSession, values: list[dict[str, Any]]) -> None:
    """Upsert (session, trainee) → present; the last record of a day wins."""
    for start in range(0, len(values), _ROWS_A_STATEMENT):
        stmt = insert(Attendance).values(values[start : start + _ROWS_A_STATEMENT])
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["session_id", "trainee_id"],
                set_={"present": stmt.excluded.present},
            )
        )


async def days_present(session: AsyncSession, class_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Each trainee's days present in the class."""
    rows = await session.execute(
        select(Attendance.trainee_id, func.count())
        .where(Attendance.class_id == class_id, Attendance.present)
        .group_by(Attendance.trainee_id)
    )
    return {trainee_id: n for trainee_id, n in rows}


async def certificate(
    session: AsyncSession, number: str
) -> tuple[Certificate, str, str, str] | None:
    """The certificate with its class's name, and its holder's name and enterprise."""
    row = (
        await session.execute(
            select(Certificate, TrainingClass.name, Trainee.name, Trainee.enterprise_uscc)
            .join(TrainingClass, TrainingClass.id == Certificate.class_id)
            .join(Trainee, Trainee.id == Certificate.trainee_id)
            .where(Certificate.number == number)
        )
    ).first()
    if row is None:
        return None
    found, class_name, trainee_name, uscc = row
    return found, class_name, trainee_name, uscc
