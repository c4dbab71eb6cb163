"""师资库: kept by the provinces (and the ministry), readable by every government user."""

from __future__ import annotations

import uuid

from contracts import training as contract
from kit.auth import GOVERNMENT, Principal
from kit.context import ServiceContext
from kit.pagination import Page, Window
from kit.scope import ensure_keeps
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import AffiliationKind, ContentCategory
from training.errors import TEACHER_NOT_FOUND
from training.models import Teacher
from training.repository import teachers as repo
from training.schemas.teachers import TeacherCreate, TeacherRead


def to_read(t: Teacher) -> TeacherRead:
    return TeacherRead(
        id=t.id,
        province=t.province,
        name=t.name,
        affiliation_kind=AffiliationKind(t.affiliation_kind),
        organisation=t.organisation,
        title=t.title,
        topics=[ContentCategory(c) for c in t.topics],
        created_at=t.created_at,
    )


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: TeacherCreate
) -> Teacher:
    ensure_keeps(principal, payload.province)
    teacher = Teacher(
        province=payload.province,
        name=payload.name,
        affiliation_kind=payload.affiliation_kind.value,
        organisation=payload.organisation,
        title=payload.title,
        topics=list(dict.fromkeys(c.value for c in payload.topics)),
    )
    session.add(teacher)
    await session.flush()
    await session.refresh(teacher)
    await ctx.outbox.emit(
        session,
        events.TEACHER,
        "registered",
        subject=str(teacher.id),
        data=contract.TeacherRegistered.model_validate(teacher, from_attributes=True).model_dump(
            mode="json"
        ),
        province=teacher.province,
        version=1,
    )
    return teacher


async def get(session: AsyncSession, principal: Principal, teacher_id: uuid.UUID) -> Teacher:
    teacher = await repo.get(session, teacher_id)
    if teacher is None or principal.role not in GOVERNMENT:
        raise TEACHER_NOT_FOUND()
    return teacher


async def read(session: AsyncSession, principal: Principal, teacher_id: uuid.UUID) -> TeacherRead:
    return to_read(await get(session, principal, teacher_id))


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    province: str | None,
    topic: ContentCategory | None,
    affiliation_kind: AffiliationKind | None,
    cursor: str | None,
    limit: int,
) -> Page[TeacherRead]:
    """The 师资库 is shared across provinces (000 附件1 §三(一)): any government user reads it."""
    window = Window.of_ids(cursor, limit)
    if principal.role not in GOVERNMENT:
        return Page(items=[])
    rows = await repo.search(
        session,
        province=province,
        topic=topic.value if topic else None,
        affiliation_kind=affiliation_kind.value if affiliation_kind else None,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=[to_read(t) for t in page], next_cursor=next_page)
