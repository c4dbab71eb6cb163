"""学员 routes and the 培训档案."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit.fields import UnitCode, Uscc
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router

from training.schemas.trainees import Archive, TraineeCreate, TraineeRead
from training.service import archive
from training.service import trainees as service

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["trainees 学员"])


@router.post("/trainees", status_code=201, response_model=TraineeRead)
async def register_trainee(
    payload: TraineeCreate,
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> TraineeRead:
    trainee = await service.register(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/trainees/{trainee.id}"
    return (await service.present(session, ctx, audit, [trainee]))[0]


@router.get("/trainees", response_model=Page[TraineeRead])
async def list_trainees(
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    enterprise_uscc: Uscc | None = None,
    province: Annotated[UnitCode | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[TraineeRead]:
    return await service.search(
        session,
        ctx,
        audit,
        enterprise_uscc=enterprise_uscc,
        province=province,
        cursor=cursor,
        limit=limit,
    )


@router.get("/trainees/{trainee_id}", response_model=TraineeRead)
async def get_trainee(
    trainee_id: uuid.UUID, audit: CurrentAudit, session: Session, ctx: Context
) -> TraineeRead:
    return await service.read(session, ctx, audit, trainee_id)


@router.get("/trainees/{trainee_id}/archive", response_model=Archive)
async def get_archive(
    trainee_id: uuid.UUID, audit: CurrentAudit, session: Session, ctx: Context
) -> Archive:
    """培训档案: classes, attendance, certificates."""
    return await archive.archive(session, ctx, audit, trainee_id)
