"""企业技术创新需求 (001 附件1-3): filed by an enterprise holding a tier its unit admits (or by
its unit) while the unit runs the task, pooled into the 需求库 or declined by the unit,
withdrawn by either, and read by whoever may see it (``scope``)."""

from __future__ import annotations

import uuid

from contracts.vocabulary import Tier, holding
from kit import clock
from kit.audit import Audit
from kit.auth import GOVERNMENT, Principal
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.pagination import Page, Window
from kit.pii import mask_phone
from kit.presenter import PiiPresenter, Secret
from kit.scope import ensure_keeps, files_for
from sqlalchemy.ext.asyncio import AsyncSession

from innovation.enums import Category, DemandState
from innovation.errors import (
    DEMAND_NOT_FOUND,
    ENTERPRISE_NOT_ELIGIBLE,
    ENTERPRISE_UNKNOWN,
    TASK_NOT_RUN,
)
from innovation.models import REPLICA, Demand, EnterpriseReplica
from innovation.repository import demands as repo
from innovation.schemas.demands import (
    ContactShown,
    Decline,
    DemandCreate,
    DemandPublic,
    DemandRead,
)
from innovation.scope import visible_demands
from innovation.service import settings as unit_settings
from innovation.service.flow import DEMAND

# 企业类型 as the form asks it: the highest tier held first.
_RANK = [Tier.KEY_LITTLE_GIANT.value, Tier.LITTLE_GIANT.value, Tier.SPECIALIZED_SME.value]


async def submit(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: DemandCreate
) -> Demand:
    uscc = payload.enterprise_uscc
    enterprise = await session.get(EnterpriseReplica, uscc)
    if enterprise is None or not files_for(principal, uscc, enterprise.province):
        seen = enterprise is not None and principal.sees_region(enterprise.region_code)
        if seen and principal.role in GOVERNMENT:
            raise FORBIDDEN()  # a city reads its enterprises; their unit files for them
        raise ENTERPRISE_UNKNOWN(uscc=uscc)
    unit = enterprise.province
    setting = await unit_settings.effective(session, unit)
    if not setting.runs:
        raise TASK_NOT_RUN(unit=unit)
    today = clock.today()
    admitted = holding(t.value for t in setting.eligible_tiers)
    held = (await REPLICA.tiers_held(session, [uscc], today)).get(uscc, set()) & set(admitted)
    if not held:
        raise ENTERPRISE_NOT_ELIGIBLE(
            on=today.isoformat(),
            tiers="、".join(t.zh for t in setting.eligible_tiers),
            tiers_en=", ".join(t.value for t in setting.eligible_tiers),
        )
    d = Demand(
        enterprise_uscc=uscc,
        enterprise_name=enterprise.name,
        unit=unit,
        region_code=enterprise.region_code,
        enterprise_tier=next(t for t in _RANK if t in held),
        contact_name=payload.contact.name,
        contact_title=payload.contact.title,
        contact_phone_enc=ctx.pii.encrypt(payload.contact.phone, context=PHONE),
        categories=[c.value for c in payload.categories],
        title=payload.title,
        problem=payload.problem,
        basis=payload.basis,
        time_requirement=payload.time_requirement,
        due_on=payload.due_on,
        quantitative_targets=payload.quantitative_targets,
        necessity=payload.necessity,
        budget_wan_yuan=payload.budget_wan_yuan,
        past_cooperation=[p.model_dump(mode="json") for p in payload.past_cooperation],
        onsite_needed=payload.onsite_needed,
        publishable=payload.publishable,
        submitted_on=today,
        state=DemandState.SUBMITTED.value,
        version=1,
    )
    session.add(d)
    await session.flush()
    await DEMAND.start(session, ctx, principal, d)
    return d


PHONE = "demand.contact_phone"
PII = PiiPresenter("demand", (Secret("contact_phone", PHONE, mask_phone),))
_READ_FIELDS = [f for f in DemandRead.model_fields if f != "contact"]


async def present(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    rows: list[Demand],
    *,
    masked: bool = False,
) -> list[DemandRead]:
    """As read: the contact's phone masked unless the caller holds ``pii:read`` (each
    unmasked read audited)."""
    shown = await PII.show(session, ctx.pii, audit, rows, masked=masked)
    return [
        DemandRead.model_validate(
            {
                **{f: getattr(d, f) for f in _READ_FIELDS},
                "contact": ContactShown(
                    name=d.contact_name,
                    title=d.contact_title,
                    phone=s["contact_phone"],
                    masked=s["masked"],
                ),
            }
        )
        for d, s in zip(rows, shown, strict=True)
    ]


async def shown(session: AsyncSession, ctx: ServiceContext, audit: Audit, d: Demand) -> DemandRead:
    return (await present(session, ctx, audit, [d]))[0]


async def get(
    session: AsyncSession, principal: Principal, demand_id: uuid.UUID, *, lock: bool = False
) -> Demand:
    d = await repo.get(session, demand_id, visible_demands(principal), lock=lock)
    if d is None:
        raise DEMAND_NOT_FOUND()
    return d


async def pool(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, demand_id: uuid.UUID
) -> Demand:
    """The unit accepts the demand into its 需求库."""
    d = await get(session, principal, demand_id, lock=True)
    ensure_keeps(principal, d.unit)
    return await DEMAND.move(session, ctx, principal, d, DemandState.POOLED)


async def decline(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    demand_id: uuid.UUID,
    payload: Decline,
) -> Demand:
    """The unit does not pool the demand, saying why."""
    d = await get(session, principal, demand_id, lock=True)
    ensure_keeps(principal, d.unit)
    DEMAND.ensure_may(d, DemandState.DECLINED)
    d.decline_reason = payload.reason
    return await DEMAND.move(
        session, ctx, principal, d, DemandState.DECLINED, details={"reason": payload.reason}
    )


async def withdraw(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, demand_id: uuid.UUID
) -> Demand:
    """The enterprise, or its unit, withdraws a demand not yet selected."""
    d = await get(session, principal, demand_id, lock=True)
    if not files_for(principal, d.enterprise_uscc, d.unit):
        raise FORBIDDEN()
    return await DEMAND.move(session, ctx, principal, d, DemandState.WITHDRAWN)


async def search(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    *,
    unit: str | None,
    state: DemandState | None,
    category: Category | None,
    cursor: str | None,
    limit: int,
) -> Page[DemandRead]:
    window = Window.of_ids(cursor, limit)
    rows = await repo.search(
        session,
        visible_demands(audit.principal),
        unit=unit,
        state=state.value if state else None,
        category=category.value if category else None,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=await present(session, ctx, audit, page), next_cursor=next_page)


async def catalogue(
    session: AsyncSession,
    *,
    category: Category | None,
    text: str | None,
    cursor: str | None,
    limit: int,
) -> Page[DemandPublic]:
    """需求库 as published: every unit's publishable pooled demands, to any signed-in caller."""
    window = Window.of_ids(cursor, limit)
    rows = await repo.public(
        session, category=category.value if category else None, text=text, window=window
    )
    page, next_page = window.split(rows)
    return Page(items=[DemandPublic.model_validate(d) for d in page], next_cursor=next_page)
