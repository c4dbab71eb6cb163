"""联络人 routes, including the 附件6 联络人信息表 export."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.vocabulary import Task
from fastapi import Query, Request, Response
from kit import xlsx
from kit.bulk import BulkResult
from kit.fields import UnitCode
from kit.i18n import negotiate
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router

from registry.schemas.contacts import (
    ContactCreate,
    ContactRead,
    ContactReplacement,
    ContactSync,
    ContactUpdate,
)
from registry.service import contacts as service

PREFIX = "/api/v1/registry"
router = service_router(PREFIX, ["contacts 联络人"])


@router.post("/contacts", status_code=201, response_model=ContactRead)
async def register_contact(
    payload: ContactCreate,
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> ContactRead:
    contact = await service.register(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/contacts/{contact.id}"
    return (await service.present(session, ctx, audit, [contact]))[0]


@router.post("/contacts:batch-upsert", response_model=BulkResult)
async def sync_contacts(
    payload: ContactSync,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    request: Request,
) -> BulkResult:
    """批量同步（省级系统）：按单位代码和 external_id 新增或更正联络人，逐项给出结果。"""
    lang = negotiate(request.headers.get("accept-language"))
    return await service.sync(session, ctx, principal, payload.items, lang)


@router.get("/contacts", response_model=Page[ContactRead])
async def list_contacts(
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    province: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    task: Task | None = None,
    include_replaced: Annotated[bool, Query(description="含已被接替的联络人")] = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContactRead]:
    return await service.search(
        session,
        ctx,
        audit,
        province=province,
        task=task,
        cursor=cursor,
        limit=limit,
        include_replaced=include_replaced,
    )


# Declared before /contacts/{contact_id}, which would otherwise claim the path.
@router.get(
    "/contacts/export.xlsx",
    response_class=Response,
    responses=xlsx.OPENAPI,
)
async def export_contacts(
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    province: Annotated[UnitCode, Query()],
) -> Response:
    """附件6 联络人信息表."""
    return xlsx.attachment(
        await service.annex6(session, ctx, audit, province),
        f"联络人信息表-{province}.xlsx",
        f"contacts-{province}.xlsx",
    )


@router.get("/contacts/{contact_id}", response_model=ContactRead)
async def get_contact(
    contact_id: uuid.UUID, audit: CurrentAudit, session: Session, ctx: Context
) -> ContactRead:
    return await service.read(session, ctx, audit, contact_id)


@router.patch("/contacts/{contact_id}", response_model=ContactRead)
async def correct_contact(
    contact_id: uuid.UUID,
    payload: ContactUpdate,
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> ContactRead:
    """更正同一联络人的信息（只改所传字段）。"""
    contact = await service.correct(session, ctx, principal, contact_id, payload)
    return (await service.present(session, ctx, audit, [contact]))[0]


@router.post("/contacts/{contact_id}:replace", status_code=201, response_model=ContactRead)
async def replace_contact(
    contact_id: uuid.UUID,
    payload: ContactReplacement,
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> ContactRead:
    """另一人接替该项工作：原联络人留作记录，不再出现在列表和附件6中。"""
    contact = await service.replace(session, ctx, principal, contact_id, payload)
    response.headers["Location"] = f"{PREFIX}/contacts/{contact.id}"
    return (await service.present(session, ctx, audit, [contact]))[0]
