"""考勤: recorded per session (day) for confirmed trainees, by the organising province or
the institution running the class; a day is recorded once it has come."""

from __future__ import annotations

import uuid

from kit import clock
from kit.auth import Principal
from kit.errors import FieldError
from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import EnrollmentState
from training.errors import ATTENDANCE_INVALID, CLASS_CLOSED
from training.repository import classes as classes_repo
from training.repository import completion as repo
from training.repository import enrollments as enrollments_repo
from training.schemas.attendance import AttendanceBatch
from training.scope import ensure_runs
from training.service import classes


async def record(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, batch: AttendanceBatch
) -> int:
    cls = await classes.get(session, principal, class_id, lock=True)
    ensure_runs(principal, cls)
    if cls.closed_at is not None:
        raise CLASS_CLOSED()
    days = await classes_repo.session_ids(session, cls.id)
    confirmed = await enrollments_repo.trainee_ids_in_state(
        session, cls.id, EnrollmentState.CONFIRMED.value
    )
    today = clock.today()
    errors: list[FieldError] = []
    rows: dict[tuple[uuid.UUID, uuid.UUID], bool] = {}
    for i, r in enumerate(batch.records):
        if r.session not in days:
            errors.append(
                FieldError(
                    f"records[{i}].session",
                    "NOT_A_SESSION",
                    f"{r.session} 不是本班的授课日期",
                    f"{r.session} is not a session of the class",
                )
            )
        elif r.session > today:
            errors.append(
                FieldError(
                    f"records[{i}].session",
                    "IN_THE_FUTURE",
                    f"{r.session} 尚未到来，不能记录考勤",
                    f"{r.session} has not come yet",
                )
            )
        if r.trainee_id not in confirmed:
            errors.append(
                FieldError(
                    f"records[{i}].trainee_id",
                    "NOT_CONFIRMED",
                    "该学员不是本班已录取的学员",
                    "The trainee is not a confirmed trainee of the class",
                )
            )
        if not errors:
            rows[(days[r.session], r.trainee_id)] = r.present
    if errors:
        raise ATTENDANCE_INVALID(errors=errors[:100])
    values = [
        {"session_id": s, "trainee_id": t, "class_id": cls.id, "present": p}
        for (s, t), p in rows.items()
    ]
    await repo.record_attendance(session, values)
    return len(values)
