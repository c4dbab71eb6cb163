"""师资库 routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit.fields import UnitCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, service_router

from training.enums import AffiliationKind, ContentCategory
from training.schemas.teachers import TeacherCreate, TeacherRead
from training.service import teachers as service

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["teachers 师资库"])


@router.post("/teachers", status_code=201, response_model=TeacherRead)
async def register_teacher(
    payload: TeacherCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> TeacherRead:
    teacher = await service.register(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/teachers/{teacher.id}"
    return service.to_read(teacher)


@router.get("/teachers", response_model=Page[TeacherRead])
async def list_teachers(
    session: Session,
    principal: CurrentPrincipal,
    province: Annotated[UnitCode | None, Query()] = None,
    topic: ContentCategory | None = None,
    affiliation_kind: AffiliationKind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[TeacherRead]:
    return await service.search(
        session,
        principal,
        province=province,
        topic=topic,
        affiliation_kind=affiliation_kind,
        cursor=cursor,
        limit=limit,
    )


@router.get("/teachers/{teacher_id}", response_model=TeacherRead)
async def get_teacher(
    teacher_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> TeacherRead:
    return await service.read(session, principal, teacher_id)
