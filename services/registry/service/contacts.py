"""联络人 (000 附件6): one or more per province and task, kept by the provincial authorities.

Phones and email are encrypted (AES-GCM, the column bound as associated data) with blind
indexes on mobile and email; responses are masked unless the caller holds ``pii:read``, and
then every unmasked read is audited in the request's transaction. Events never carry them.
"""

from __future__ import annotations

import uuid
from collections import Counter

from contracts import registry as contract
from contracts.vocabulary import Task
from fastapi import Request
from kit import audit, xlsx
from kit.auth import GOVERNMENT, Principal, Role
from kit.codes import PROVINCES
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.pagination import Page, after_id, next_cursor
from kit.pii import mask_email, mask_phone
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.errors import CONTACT_DUPLICATE, CONTACT_NOT_FOUND, REGION_OUT_OF_SCOPE
from registry.models import Contact
from registry.repository import contacts as repo
from registry.schemas.contacts import ContactCreate, ContactRead

PII_READ = "pii:read"
MOBILE, OFFICE, EMAIL = "contact.mobile", "contact.office_phone", "contact.email"
# 附件6's rows and columns, in the seed's order.
ANNEX6_TASKS = (Task.TRAINING, Task.MANAGEMENT_DIAGNOSIS, Task.QUALITY_DIAGNOSIS, Task.INNOVATION)
ANNEX6_COLUMNS = ("负责工作", "联系人", "职务", "办公电话", "手机", "电子邮箱")


def _may_keep(principal: Principal) -> bool:
    """Contacts are provincial: the ministry and provincial users (and systems) keep them."""
    return principal.role in GOVERNMENT and principal.role is not Role.CITY


def _governs(principal: Principal, province: str) -> bool:
    return _may_keep(principal) and principal.sees_region(province + "0000")


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: ContactCreate
) -> Contact:
    if not _may_keep(principal):
        raise FORBIDDEN()
    if not _governs(principal, payload.province):
        raise REGION_OUT_OF_SCOPE(region=payload.province + "0000")
    pii = ctx.pii
    index = pii.blind_index(payload.mobile, context=MOBILE)
    if await repo.mobile_taken(session, payload.province, payload.task.value, index):
        raise CONTACT_DUPLICATE()
    contact = Contact(
        province=payload.province,
        organisation=payload.organisation,
        task=payload.task.value,
        name=payload.name,
        title=payload.title,
        office_phone_enc=(
            pii.encrypt(payload.office_phone, context=OFFICE) if payload.office_phone else None
        ),
        mobile_enc=pii.encrypt(payload.mobile, context=MOBILE),
        mobile_index=index,
        email_enc=pii.encrypt(payload.email, context=EMAIL) if payload.email else None,
        email_index=pii.blind_index(payload.email, context=EMAIL) if payload.email else None,
        version=1,
    )
    session.add(contact)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same mobile won
        raise CONTACT_DUPLICATE() from exc
    await ctx.outbox.emit(
        session,
        events.CONTACT,
        "registered",
        subject=str(contact.id),
        data=contract.ContactRegistered.model_validate(contact, from_attributes=True).model_dump(
            mode="json"
        ),
        province=contact.province,
        version=1,
    )
    return contact


async def present(
    session: AsyncSession, ctx: ServiceContext, request: Request, contacts: list[Contact]
) -> list[ContactRead]:
    """Decrypted; masked unless the caller holds ``pii:read``, whose reads are audited."""
    principal: Principal = request.state.principal
    unmasked = principal.has_scope(PII_READ)
    pii = ctx.pii
    out = []
    for c in contacts:
        mobile: str = pii.decrypt(c.mobile_enc, context=MOBILE)
        office = pii.decrypt(c.office_phone_enc, context=OFFICE) if c.office_phone_enc else None
        email = pii.decrypt(c.email_enc, context=EMAIL) if c.email_enc else None
        if unmasked:
            shown = {"mobile": mobile, "office_phone": office, "email": email}
            await audit.record(
                session,
                request,
                action="pii.read",
                resource=f"contact/{c.id}",
                detail={"fields": [k for k, v in shown.items() if v is not None]},
            )
        else:
            mobile = mask_phone(mobile)
            office = mask_phone(office) if office else None
            email = mask_email(email) if email else None
        out.append(
            ContactRead(
                id=c.id,
                province=c.province,
                organisation=c.organisation,
                task=Task(c.task),
                name=c.name,
                title=c.title,
                office_phone=office,
                mobile=mobile,
                email=email,
                masked=not unmasked,
                version=c.version,
            )
        )
    return out


async def read(
    session: AsyncSession, ctx: ServiceContext, request: Request, contact_id: uuid.UUID
) -> ContactRead:
    contact = await repo.get(session, contact_id)
    if contact is None or not _governs(request.state.principal, contact.province):
        raise CONTACT_NOT_FOUND()
    return (await present(session, ctx, request, [contact]))[0]


async def search(
    session: AsyncSession,
    ctx: ServiceContext,
    request: Request,
    *,
    province: str | None,
    task: Task | None,
    cursor: str | None,
    limit: int,
) -> Page[ContactRead]:
    after = after_id(cursor)
    principal: Principal = request.state.principal
    if not _may_keep(principal):
        return Page(items=[])
    if own := principal.region_prefix[:2]:
        if province not in (None, own):
            return Page(items=[])
        province = own
    rows = await repo.search(
        session, province=province, task=task.value if task else None, after=after, limit=limit
    )
    return Page(
        items=await present(session, ctx, request, rows[:limit]),
        next_cursor=next_cursor(rows, limit, lambda c: [str(c.id)]),
    )


async def annex6(
    session: AsyncSession, ctx: ServiceContext, request: Request, province: str
) -> bytes:
    """The province's 附件6 联络人信息表 as XLSX: the seed's layout, one row per contact under
    each task in the seed's order, an empty row for a task with none."""
    principal: Principal = request.state.principal
    if not _may_keep(principal):
        raise FORBIDDEN()
    if not _governs(principal, province):
        raise REGION_OUT_OF_SCOPE(region=province + "0000")
    contacts = await present(session, ctx, request, await repo.of_province(session, province))
    organisations = Counter(c.organisation for c in contacts if c.organisation)
    organisation = organisations.most_common(1)[0][0] if organisations else PROVINCES[province]
    rows = []
    for task in ANNEX6_TASKS:
        mine = [
            [task.zh, c.name, c.title, c.office_phone, c.mobile, c.email]
            for c in contacts
            if c.task == task
        ]
        rows.extend(mine or [[task.zh]])  # a task with no contact keeps its empty row
    return xlsx.form(
        sheet="联络人信息表",
        title="联络人信息表",
        lines=[f"单位名称：{organisation}"],
        headings=ANNEX6_COLUMNS,
        rows=rows,
        widths=(12, 12, 16, 18, 16, 28),
    )
