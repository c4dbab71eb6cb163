"""培训班 routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit import xlsx
from kit.fields import UnitCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router

from training.enums import ClassStatus
from training.schemas.classes import ClassCreate, ClassRead
from training.service import classes as service
from training.service import exports

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["classes 培训班"])


@router.post("/plans/{plan_id}/classes", status_code=201, response_model=ClassRead)
async def schedule_class(
    plan_id: uuid.UUID,
    payload: ClassCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> ClassRead:
    cls = await service.schedule(session, ctx, principal, plan_id, payload)
    response.headers["Location"] = f"{PREFIX}/classes/{cls.id}"
    return await service.to_read(session, cls)


@router.get("/classes", response_model=Page[ClassRead])
async def list_classes(
    session: Session,
    principal: CurrentPrincipal,
    plan_id: uuid.UUID | None = None,
    province: Annotated[UnitCode | None, Query()] = None,
    status: ClassStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ClassRead]:
    return await service.search(
        session,
        principal,
        plan_id=plan_id,
        province=province,
        status=status,
        cursor=cursor,
        limit=limit,
    )


@router.get("/classes/{class_id}", response_model=ClassRead)
async def get_class(
    class_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> ClassRead:
    return await service.read(session, principal, class_id)


@router.get(
    "/classes/{class_id}/trainees/export.xlsx", response_class=Response, responses=xlsx.OPENAPI
)
async def export_trainees(
    class_id: uuid.UUID, audit: CurrentAudit, session: Session, ctx: Context
) -> Response:
    """附1-3 培训学员信息表 (ID numbers, phones and emails masked)."""
    content = await exports.trainee_annex(session, ctx, audit, class_id)
    return xlsx.attachment(content, "培训学员信息表.xlsx", f"trainees-{class_id}.xlsx")
