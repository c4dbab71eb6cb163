"""结班: each confirmed trainee's attendance rate, completion, and a numbered 结业证书 when
the rate reaches the plan's threshold (by default 90%, 001 备注), issued in the name of the
class's training institution (001:212); trainees below get none. Registrations never
confirmed are rejected. The class is closed for good: later changes are refused."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from contracts import training as contract
from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.pii import mask_name
from kit.scope import ensure_keeps
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import ClassStatus, EnrollmentState
from training.errors import CERTIFICATE_NOT_FOUND, CLASS_CLOSED, CLASS_NOT_ENDED
from training.models import Certificate, TrainingClass
from training.repository import classes as classes_repo
from training.repository import completion as repo
from training.repository import enrollments as enrollments_repo
from training.repository import plans as plans_repo
from training.schemas.attendance import CloseResult
from training.schemas.trainees import CertificateRead
from training.service import classes, coverage_counts, enrollments

UNCONFIRMED = "开班前未完成录取"


def certificate_number(cls: TrainingClass, n: int) -> str:
    """ZJTX-<year>-<province>-<class>-<nnn>: readable, and unique across classes."""
    return f"ZJTX-{cls.start_on.year}-{cls.province}-{cls.id.hex[-8:].upper()}-{n:03d}"


def _rate(present: int, sessions: int) -> Decimal:
    return (Decimal(present) / Decimal(sessions)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


async def _issuer(session: AsyncSession, cls: TrainingClass) -> str:
    """The training institution's name as the registry has it now (its replica); the name
    recorded when the class was scheduled if the replica has lost the institution."""
    institution = await classes_repo.institution(session, cls.institution_id)
    return institution.name if institution is not None else cls.institution_name


async def close(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, class_id: uuid.UUID
) -> CloseResult:
    cls = await classes.get(session, principal, class_id, lock=True)
    ensure_keeps(principal, cls.province)
    if cls.closed_at is not None:
        raise CLASS_CLOSED()
    if clock.today() < cls.end_on:
        raise CLASS_NOT_ENDED(end=cls.end_on.isoformat(), action="结班", action_en="closed")
    plan = await plans_repo.get_one(session, cls.plan_id)
    period = plan.period
    issuer = await _issuer(session, cls)
    sessions = await classes_repo.count_sessions(session, cls.id)
    present = await repo.days_present(session, cls.id)
    roster = await enrollments_repo.in_states(
        session,
        cls.id,
        [
            EnrollmentState.APPLIED.value,
            EnrollmentState.QUALIFIED.value,
            EnrollmentState.CONFIRMED.value,
        ],
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
        if e.attendance_rate < plan.certificate_threshold:
            result.without_certificate += 1
            continue
        result.certificates += 1
        certificate = Certificate(
            number=certificate_number(cls, result.certificates),
            enrollment_id=e.id,
            class_id=cls.id,
            trainee_id=e.trainee_id,
            attendance_rate=e.attendance_rate,
            institution_name=issuer,
            issued_on=today,
        )
        session.add(certificate)
        await ctx.outbox.emit(
            session,
            events.CERTIFICATE,
            "issued",
            subject=certificate.number,
            data=contract.CertificateIssued(
                number=certificate.number,
                enrollment_id=e.id,
                class_id=cls.id,
                trainee_id=e.trainee_id,
                enterprise_uscc=e.enterprise_uscc,
                province=e.province,
                class_province=cls.province,
                period=period,
                issued_on=today,
                attendance_rate=e.attendance_rate,
            ).model_dump(mode="json"),
            province=e.province,
            version=1,
        )
    for e in roster:
        await enrollments.emit(session, ctx, e, cls, period)
    await coverage_counts.on_trained(
        session,
        {e.enterprise_uscc: {period} for e in roster if e.state == EnrollmentState.COMPLETED},
    )
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
    row = await repo.certificate(session, number.strip().upper())
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
        institution_name=certificate.institution_name,
        attendance_rate=certificate.attendance_rate,
        issued_on=certificate.issued_on,
    )
