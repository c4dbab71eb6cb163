"""培训档案: every class a trainee enrolled in, with attendance, certificate and survey.

A caller who sees the trainee only through a class (the organiser of a joint class, the
institution running it) sees only the classes it sees itself (``scope`` explains why)."""

from __future__ import annotations

import uuid

from kit.audit import Audit
from kit.context import ServiceContext
from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import EnrollmentState
from training.repository import archive as repo
from training.schemas.trainees import Archive, ArchiveEntry
from training.scope import visible_classes
from training.service import trainees


async def archive(
    session: AsyncSession, ctx: ServiceContext, audit: Audit, trainee_id: uuid.UUID
) -> Archive:
    trainee = await trainees.read(session, ctx, audit, trainee_id)
    rows = await repo.of_trainee(session, trainee.id, visible_classes(audit.principal))
    return Archive(
        trainee=trainee,
        classes=[
            ArchiveEntry(
                class_id=cls.id,
                class_name=cls.name,
                period=period,
                province=cls.province,
                start_on=cls.start_on,
                end_on=cls.end_on,
                state=EnrollmentState(e.state),
                backfilled=e.backfilled,
                sessions=n_sessions,
                present=n_present,
                attendance_rate=e.attendance_rate,
                certificate_number=number,
                surveyed=bool(n_surveyed),
            )
            for e, cls, period, n_sessions, n_present, n_surveyed, number in rows
        ],
    )
