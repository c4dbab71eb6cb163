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
from kit import xlsx
from kit.audit import Audit
from kit.auth import Principal
from kit.codes import PROVINCES
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from kit.pagination import Page, Window
from kit.pii import mask_email, mask_phone
from kit.presenter import PiiPresenter, Secret
from kit.scope import KEEPERS, covers, keeps, province_region, unit
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.errors import CONTACT_DUPLICATE, CONTACT_NOT_FOUND
from registry.models import Contact
from registry.repository import contacts as repo
from registry.schemas.contacts import ContactCreate, ContactRead

MOBILE, OFFICE, EMAIL = "contact.mobile", "contact.office_phone", "contact.email"
PII = PiiPresenter(
    "contact",
    (
        Secret("mobile", MOBILE, mask_phone),
        Secret("office_phone", OFFICE, mask_phone),
        Secret("email", EMAIL, mask_email),
    ),
)
# 附件6's rows and columns, in the seed's order.
ANNEX6_TASKS = (Task.TRAINING, Task.MANAGEMENT_DIAGNOSIS, Task.QUALITY_DIAGNOSIS, Task.INNOVATION)
ANNEX6_COLUMNS = ("负责工作", "联系人", "职务", "办公电话", "手机", "电子邮箱")


def _ensure_keeps(principal: Principal, province: str) -> None:
    """Contacts are provincial: the ministry and provincial users (and systems) keep them."""
    if principal.role not in KEEPERS:
        raise FORBIDDEN()
    if not covers(principal, province):
        raise REGION_OUT_OF_SCOPE(region=province_region(province))


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: ContactCreate
) -> Contact:
    _ensure_keeps(principal, payload.province)
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
    session: AsyncSession, ctx: ServiceContext, audit: Audit, contacts: list[Contact]
) -> list[ContactRead]:
    """Decrypted; masked unless the caller holds ``pii:read``, whose reads are audited."""
    shown = await PII.show(session, ctx.pii, audit, contacts)
    return [
        ContactRead(
            id=c.id,
            province=c.province,
            organisation=c.organisation,
            task=Task(c.task),
            name=c.name,
            title=c.title,
            version=c.version,
            **fields,
        )
        for c, fields in zip(contacts, shown, strict=True)
    ]


async def read(
    session: AsyncSession, ctx: ServiceContext, audit: Audit, contact_id: uuid.UUID
) -> ContactRead:
    contact = await repo.get(session, contact_id)
    if contact is None or not keeps(audit.principal, contact.province):
        raise CONTACT_NOT_FOUND()
    return (await present(session, ctx, audit, [contact]))[0]


async def search(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    *,
    province: str | None,
    task: Task | None,
    cursor: str | None,
    limit: int,
) -> Page[ContactRead]:
    window = Window.of_ids(cursor, limit)
    principal = audit.principal
    if principal.role not in KEEPERS:
        return Page(items=[])
    if own := unit(principal):
        if province not in (None, own):
            return Page(items=[])
        province = own
    rows = await repo.search(
        session, province=province, task=task.value if task else None, window=window
    )
    page, next_page = window.split(rows)
    return Page(items=await present(session, ctx, audit, page), next_cursor=next_page)


async def annex6(session: AsyncSession, ctx: ServiceContext, audit: Audit, province: str) -> bytes:
    """The province's 附件6 联络人信息表 as XLSX: the seed's layout, one row per contact under
    each task in the seed's order, an empty row for a task with none."""
    principal = audit.principal
    _ensure_keeps(principal, province)
    contacts = await present(session, ctx, audit, await repo.of_province(session, province))
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
