"""联络人 (000 附件6): one or more per province and task, kept by the provincial authorities.

Phones and email are encrypted (AES-GCM, the column bound as associated data) with blind
indexes on mobile and email; responses are masked unless the caller holds ``pii:read``, and
then every unmasked read is audited in the request's transaction. Events never carry them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from contracts import registry as contract
from contracts.vocabulary import Task
from kit import bulk, clock, xlsx
from kit.audit import Audit
from kit.auth import Principal
from kit.bulk import BulkResult, Outcome
from kit.codes import UNITS, unit_region
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from kit.i18n import Lang
from kit.pagination import Page, Window
from kit.pii import mask_email, mask_phone
from kit.presenter import PiiPresenter, Secret
from kit.scope import KEEPERS, covers, keeps, unit
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from uuid6 import uuid7

from registry import events
from registry.errors import (
    CONTACT_DUPLICATE,
    CONTACT_NOT_FOUND,
    CONTACT_REPLACED,
    CONTACT_TASK_FIXED,
)
from registry.models import Contact
from registry.repository import contacts as repo
from registry.schemas.contacts import (
    ContactCreate,
    ContactRead,
    ContactReplacement,
    ContactSyncItem,
    ContactUpdate,
)

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
        raise REGION_OUT_OF_SCOPE(region=unit_region(province))


async def register(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    payload: ContactCreate,
    external_id: str | None = None,
) -> Contact:
    _ensure_keeps(principal, payload.province)
    contact = Contact(
        province=payload.province, task=payload.task.value, external_id=external_id, version=1
    )
    _set_person(ctx, contact, payload.model_dump())
    await _store(session, contact)
    await _publish(session, ctx, contact, "registered")
    return contact


async def sync(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    raw_items: list[dict[str, Any]],
    lang: Lang,
) -> BulkResult:
    """A provincial system's copy of its unit's contacts, by its own ``external_id``: each
    item is the whole person, registered or corrected as POST and PATCH would."""

    async def apply(item: ContactSyncItem) -> tuple[Outcome, str]:
        person = item.model_dump(exclude={"province", "task", "external_id"})
        known = await repo.id_of(session, item.province, item.external_id)
        if known is None:
            contact = await register(session, ctx, principal, item, item.external_id)
            return "created", str(contact.id)
        current = await _current_for_update(session, principal, known)
        if current.task != item.task.value:
            raise CONTACT_TASK_FIXED(external_id=item.external_id, task=Task(current.task).zh)
        version = current.version
        corrected = await correct(session, ctx, principal, known, ContactUpdate(**person))
        return ("updated" if corrected.version != version else "unchanged"), str(known)

    return await bulk.run(
        session, raw_items, ContactSyncItem, lambda i: f"{i.province}/{i.external_id}", apply, lang
    )


async def correct(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    contact_id: uuid.UUID,
    payload: ContactUpdate,
) -> Contact:
    """The same person's details corrected: only what is sent changes."""
    contact = await _current_for_update(session, principal, contact_id)
    values = payload.model_dump(exclude_unset=True)
    before = {f: getattr(contact, f) for f in PLAIN}
    for secret in PII.secrets:  # compared and re-encrypted here, never shown: not a read
        stored = getattr(contact, secret.field + "_enc")
        before[secret.field] = ctx.pii.decrypt(stored, context=secret.context) if stored else None
    if all(before.get(k) == v for k, v in values.items()):
        return contact  # nothing changes, nothing is published
    _set_person(ctx, contact, {**before, **values})
    contact.version += 1
    await _store(session, contact)
    await _publish(session, ctx, contact, "updated")
    return contact


async def replace(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    contact_id: uuid.UUID,
    payload: ContactReplacement,
) -> Contact:
    """Another person takes the task over; the one replaced stays as history, out of lists
    and of 附件6."""
    old = await _current_for_update(session, principal, contact_id)
    old.replaced_at = clock.now()
    old.version += 1
    successor = Contact(province=old.province, task=old.task, version=1)
    _set_person(ctx, successor, payload.model_dump())
    old.replaced_by = successor.id = uuid7()
    await session.flush()  # the old row leaves the current ones before its successor comes
    await _store(session, successor)
    await _publish(session, ctx, old, "replaced")
    await _publish(session, ctx, successor, "registered")
    return successor


async def _current_for_update(
    session: AsyncSession, principal: Principal, contact_id: uuid.UUID
) -> Contact:
    contact = await repo.get(session, contact_id, for_update=True)
    if contact is None or not keeps(principal, contact.province):
        raise CONTACT_NOT_FOUND()
    _ensure_keeps(principal, contact.province)
    if contact.replaced_by is not None:
        raise CONTACT_REPLACED()
    return contact


# The person's columns kept in the clear.
PLAIN = ("organisation", "name", "title")


def _set_person(ctx: ServiceContext, contact: Contact, person: dict[str, Any]) -> None:
    pii = ctx.pii
    for field in PLAIN:
        setattr(contact, field, person.get(field))
    office, mobile, email = person.get("office_phone"), person["mobile"], person.get("email")
    contact.office_phone_enc = pii.encrypt(office, context=OFFICE) if office else None
    contact.mobile_enc = pii.encrypt(mobile, context=MOBILE)
    contact.mobile_index = pii.blind_index(mobile, context=MOBILE)
    contact.email_enc = pii.encrypt(email, context=EMAIL) if email else None
    contact.email_index = pii.blind_index(email, context=EMAIL) if email else None


async def _store(session: AsyncSession, contact: Contact) -> None:
    """Flush, refusing a mobile another current contact of the task uses."""
    with session.no_autoflush:  # the check runs before the change is written
        taken = await repo.mobile_taken(
            session, contact.province, contact.task, contact.mobile_index, besides=contact.id
        )
    if taken:
        raise CONTACT_DUPLICATE()
    session.add(contact)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same mobile won
        raise CONTACT_DUPLICATE() from exc


async def _publish(session: AsyncSession, ctx: ServiceContext, contact: Contact, name: str) -> None:
    await ctx.outbox.emit(
        session,
        events.CONTACT,
        name,
        subject=str(contact.id),
        data=contract.ContactRegistered.model_validate(contact, from_attributes=True).model_dump(
            mode="json"
        ),
        province=contact.province,
        version=contact.version,
    )


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
            replaced_by=c.replaced_by,
            replaced_at=c.replaced_at,
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
    include_replaced: bool = False,
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
        session,
        province=province,
        task=task.value if task else None,
        window=window,
        include_replaced=include_replaced,
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
    organisation = organisations.most_common(1)[0][0] if organisations else UNITS[province]
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
