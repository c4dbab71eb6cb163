"""结班: each confirmed trainee's attendance rate, completion, and a numbered 结业证书 at
≥ 90% attendance (001 备注); trainees below get none. Registrations never confirmed are
rejected. The class is closed for good: later changes are refused."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.pii import mask_name
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import ClassStatus, EnrollmentState
from training.errors import CERTIFICATE_NOT_FOUND, CLASS_CLOSED, CLASS_NOT_ENDED
from training.models import (
    Attendance,
    Certificate,
    ClassSession,
    Enrollment,
    Plan,
    Trainee,
    TrainingClass,
)
from training.schemas.attendance import CloseResult
from training.schemas.trainees import CertificateRead
from training.scope import ensure_keeps
from training.service import classes, enrollments

CERTIFICATE_AT = Decimal("0.9")
UNCONFIRMED = "开班前未完成录取"


def certificate_number(cls: TrainingClass, n: int) -> str:
    """ZJTX-<year>-<province>-<class>-<nnn>: readable, and unique across classes."""
    return f"ZJTX-{cls.start_on.year}-{cls.province}-{cls.id.hex[-8:].upper()}-{n:03d}"


def _rate(present: int, sessions: int) -> Decimal:
    return (Decimal(present) / Decimal(sessions)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


async def close(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, class_id: uuid.UUID
) -> CloseResult:
    cls = await classes.get(session, principal, class_id, lock=True)
    ensure_keeps(principal, cls.province)
    if cls.closed_at is not None:
        raise CLASS_CLOSED()
    if clock.today() < cls.end_on:
        raise CLASS_NOT_ENDED(end=cls.end_on.isoformat(), action="结班", action_en="closed")
    period = str(await session.scalar(select(Plan.period).where(Plan.id == cls.plan_id)))
    sessions = int(
        await session.scalar(
            select(func.count()).select_from(ClassSession).where(ClassSession.class_id == cls.id)
        )
        or 0
    )
    present = {
        k: v
        for k, v in await session.execute(
            select(Attendance.trainee_id, func.count())
            .where(Attendance.class_id == cls.id, Attendance.present)
            .group_by(Attendance.trainee_id)
        )
    }
    roster = list(
        await session.scalars(
            select(Enrollment)
            .where(
                Enrollment.class_id == cls.id,
                Enrollment.state.in_(
                    [
                        EnrollmentState.APPLIED.value,
                        EnrollmentState.QUALIFIED.value,
                        EnrollmentState.CONFIRMED.value,
                    ]
                ),
            )
            .order_by(Enrollment.created_at, Enrollment.id)
        )
    )
    result = CloseResult(
        class_id=cls.id, completed=0, certificates=0, without_certificate=0, rejected_pending=0
    )
    today = clock.today()
    for e in roster:
        e.version += 1
        if e.state != EnrollmentState.CONFIRMED.value:
            e.state, e.reason = EnrollmentState.REJECTED.value, UNCONFIRMED
            result.rejected_pending += 1
            continue
        e.state = EnrollmentState.COMPLETED.value
        e.attendance_rate = _rate(present.get(e.trainee_id, 0), sessions)
        result.completed += 1
        if e.attendance_rate < CERTIFICATE_AT:
            result.without_certificate += 1
            continue
        result.certificates += 1
        certificate = Certificate(
            number=certificate_number(cls, result.certificates),
            enrollment_id=e.id,
            class_id=cls.id,
            trainee_id=e.trainee_id,
            attendance_rate=e.attendance_rate,
            issued_on=today,
        )
        session.add(certificate)
        await ctx.outbox.emit(
            session,
            events.CERTIFICATE,
            "issued",
            subject=certificate.number,
            data={
                "number": certificate.number,
                "enrollment_id": str(e.id),
                "class_id": str(cls.id),
                "trainee_id": str(e.trainee_id),
                "enterprise_uscc": e.enterprise_uscc,
                "province": e.province,
                "class_province": cls.province,
                "period": period,
                "issued_on": today.isoformat(),
                "attendance_rate": str(e.attendance_rate),
            },
            province=e.province,
            version=1,
        )
    for e in roster:
        await enrollments.emit(session, ctx, e, cls, period)
    cls.status, cls.closed_at = ClassStatus.CLOSED.value, datetime.now(clock.BEIJING)
    cls.version += 1
    await session.flush()
    await ctx.outbox.emit(
        session,
        events.CLASS,
        "closed",
        subject=str(cls.id),
        data=classes.event_data(cls, period),
        province=cls.province,
        version=cls.version,
    )
    return result


async def verify(session: AsyncSession, number: str) -> CertificateRead:
    """Anyone signed in may check a certificate by its number; the holder's name is masked."""
    row = (
        await session.execute(
            select(Certificate, TrainingClass.name, Trainee.name, Trainee.enterprise_uscc)
            .join(TrainingClass, TrainingClass.id == Certificate.class_id)
            .join(Trainee, Trainee.id == Certificate.trainee_id)
            .where(Certificate.number == number.strip().upper())
        )
    ).first()
    if row is None:
        raise CERTIFICATE_NOT_FOUND(number=number)
    certificate, class_name, trainee_name, uscc = row
    return CertificateRead(
        number=certificate.number,
        class_id=certificate.class_id,
        class_name=class_name,
        trainee_id=certificate.trainee_id,
        trainee_name=mask_name(trainee_name),
        enterprise_uscc=uscc,
        attendance_rate=certificate.attendance_rate,
        issued_on=certificate.issued_on,
    )
