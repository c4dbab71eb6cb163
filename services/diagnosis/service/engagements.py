"""诊断服务: a valid 小巨人's request (001 附件1-1), assigned by its unit to an engaged
institution, and read by whoever may see it (``scope``)."""

from __future__ import annotations

import uuid

from kit import clock
from kit.audit import Audit
from kit.auth import GOVERNMENT, Principal
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.pagination import Page, Window
from kit.pii import mask_email, mask_phone
from kit.presenter import PiiPresenter, Secret
from kit.scope import ensure_keeps, files_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.enums import Kind, State
from diagnosis.errors import (
    ENGAGEMENT_EXISTS,
    ENGAGEMENT_NOT_FOUND,
    ENTERPRISE_NOT_ELIGIBLE,
    ENTERPRISE_UNKNOWN,
    INSTITUTION_NOT_ENGAGED,
    NOT_MANUFACTURING,
)
from diagnosis.models import REPLICA, Engagement, EnterpriseReplica
from diagnosis.repository import engagements as repo
from diagnosis.rules import ELIGIBLE_TIERS, TASKS, manufacturing
from diagnosis.schemas.engagements import (
    Assignment,
    ContactShown,
    EngagementCreate,
    EngagementRead,
    Reasons,
)
from diagnosis.scope import visible_engagements
from diagnosis.service.flow import FLOW


async def request(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: EngagementCreate
) -> Engagement:
    uscc, kind = payload.enterprise_uscc, payload.kind
    enterprise = await session.get(EnterpriseReplica, uscc)
    if enterprise is None or not files_for(principal, uscc, enterprise.province):
        seen = enterprise is not None and principal.sees_region(enterprise.region_code)
        if seen and principal.role in GOVERNMENT:
            raise FORBIDDEN()  # a city reads its enterprises; their unit files for them
        raise ENTERPRISE_UNKNOWN(uscc=uscc)
    today = clock.today()
    if not await REPLICA.holds_tier(session, uscc, ELIGIBLE_TIERS, today):
        raise ENTERPRISE_NOT_ELIGIBLE(on=today.isoformat())
    if kind is Kind.QUALITY and not manufacturing(enterprise.industry_code):
        raise NOT_MANUFACTURING(industry=enterprise.industry_code or "未知")
    exists = ENGAGEMENT_EXISTS(batch=payload.batch, kind=kind.zh, kind_en=kind.value)
    if await repo.open_one(session, uscc, kind.value, payload.batch):
        raise exists
    e = Engagement(
        kind=kind.value,
        enterprise_uscc=uscc,
        enterprise_name=enterprise.name,
        unit=enterprise.province,
        region_code=enterprise.region_code,
        batch=payload.batch,
        mode=payload.mode.value,
        expected_month=payload.expected_month,
        focus_areas=payload.focus_areas,
        focus_other=payload.focus_other,
        contact_name=payload.contact.name,
        contact_title=payload.contact.title,
        contact_mobile_enc=ctx.pii.encrypt(payload.contact.mobile, context=MOBILE),
        contact_email_enc=(
            ctx.pii.encrypt(payload.contact.email, context=EMAIL) if payload.contact.email else None
        ),
        requested_on=today,
        state=State.REQUESTED.value,
        version=1,
    )
    session.add(e)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:  # a concurrent request of the same enterprise won
        raise exists from error
    await FLOW.start(session, ctx, principal, e)
    return e


MOBILE, EMAIL = "engagement.contact_mobile", "engagement.contact_email"
PII = PiiPresenter(
    "engagement",
    (Secret("contact_mobile", MOBILE, mask_phone), Secret("contact_email", EMAIL, mask_email)),
)
_READ_FIELDS = [f for f in EngagementRead.model_fields if f != "contact"]


async def present(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    rows: list[Engagement],
    *,
    masked: bool = False,
) -> list[EngagementRead]:
    """As read: the contact's phone and email masked unless the caller holds ``pii:read``
    (each unmasked read audited)."""
    shown = await PII.show(session, ctx.pii, audit, rows, masked=masked)
    return [
        EngagementRead.model_validate(
            {
                **{f: getattr(e, f) for f in _READ_FIELDS},
                "contact": ContactShown(
                    name=e.contact_name,
                    title=e.contact_title,
                    mobile=s["contact_mobile"],
                    email=s["contact_email"],
                    masked=s["masked"],
                ),
            }
        )
        for e, s in zip(rows, shown, strict=True)
    ]


async def shown(
    session: AsyncSession, ctx: ServiceContext, audit: Audit, e: Engagement
) -> EngagementRead:
    return (await present(session, ctx, audit, [e]))[0]


async def get(
    session: AsyncSession, principal: Principal, engagement_id: uuid.UUID, *, lock: bool = False
) -> Engagement:
    e = await repo.get(session, engagement_id, visible_engagements(principal), lock=lock)
    if e is None:
        raise ENGAGEMENT_NOT_FOUND()
    return e


async def assign(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: Assignment,
) -> Engagement:
    """The unit picks the institution: of the task's type with every mandatory condition
    verified, under contract with the unit for the task in the engagement's batch."""
    e = await get(session, principal, engagement_id, lock=True)
    ensure_keeps(principal, e.unit)
    FLOW.ensure_may(e, State.ASSIGNED)
    kind = Kind(e.kind)
    institution = await REPLICA.engaged(
        session, payload.institution_id, e.unit, TASKS[kind].value, e.batch
    )
    if institution is None:
        raise INSTITUTION_NOT_ENGAGED(kind=kind.zh, kind_en=kind.value, batch=e.batch)
    e.institution_id, e.institution_name = institution.id, institution.name
    return await FLOW.move(
        session, ctx, principal, e, State.ASSIGNED, details={"institution_id": str(institution.id)}
    )


async def cancel(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    engagement_id: uuid.UUID,
    payload: Reasons,
) -> Engagement:
    """The enterprise withdraws its request, or its unit cancels the engagement."""
    e = await get(session, principal, engagement_id, lock=True)
    if not files_for(principal, e.enterprise_uscc, e.unit):
        raise FORBIDDEN()
    return await FLOW.move(
        session, ctx, principal, e, State.CANCELLED, details={"reasons": payload.reasons}
    )


async def search(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    *,
    kind: Kind | None,
    unit: str | None,
    state: State | None,
    batch: str | None,
    cursor: str | None,
    limit: int,
) -> Page[EngagementRead]:
    window = Window.of_ids(cursor, limit)
    rows = await repo.search(
        session,
        visible_engagements(audit.principal),
        kind=kind.value if kind else None,
        unit=unit,
        state=state.value if state else None,
        batch=batch,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=await present(session, ctx, audit, page), next_cursor=next_page)
