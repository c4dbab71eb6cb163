"""联络人 routes, including the 附件6 联络人信息表 export."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.vocabulary import Task
from fastapi import Query, Response
from kit import xlsx
from kit.fields import ProvinceCode
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentAudit, CurrentPrincipal, Session, service_router

from registry.schemas.contacts import ContactCreate, ContactRead
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


@router.get("/contacts", response_model=Page[ContactRead])
async def list_contacts(
    audit: CurrentAudit,
    session: Session,
    ctx: Context,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$", description="省级代码")] = None,
    task: Task | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContactRead]:
    return await service.search(
        session, ctx, audit, province=province, task=task, cursor=cursor, limit=limit
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
    province: Annotated[ProvinceCode, Query()],
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
