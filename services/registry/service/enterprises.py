"""Enterprise rules: registration, updates, scoped reads. Never commits (the request does)."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import registry as contract
from kit import clock
from kit.auth import Principal, Role, region_prefix
from kit.codes import unit_of
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.pagination import Page, Window
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.enums import KeyField, ListingBoard
from registry.errors import (
    ENTERPRISE_EXISTS,
    ENTERPRISE_FOUR_BASICS_KIND,
    ENTERPRISE_LISTING_CONFLICT,
    ENTERPRISE_NOT_FOUND,
)
from registry.models import Enterprise
from registry.repository import enterprises as repo
from registry.schemas.enterprises import EnterpriseCreate, EnterpriseRead, EnterpriseUpdate
from registry.scope import ENTERPRISE_READERS, ensure_governs, sees_enterprise


def event_data(enterprise: Enterprise) -> dict[str, Any]:
    """The published columns (``contracts.registry.Enterprise``): no personal data, the
    legal representative stays here."""
    return contract.Enterprise.model_validate(enterprise, from_attributes=True).model_dump(
        mode="json"
    )


def column_values(
    payload: EnterpriseCreate | EnterpriseUpdate,
    *,
    partial: bool,
    current: Enterprise | None = None,
) -> dict[str, Any]:
    """Model fields → column values (enums are ``str`` already; URLs are not), checked
    against the fields they hang together with (``current``'s where not sent)."""
    values = payload.model_dump(exclude_unset=partial)
    if values.get("website") is not None:
        values["website"] = str(values["website"])
    if values.get("region_code"):
        values["province"] = unit_of(values["region_code"])

    def merged(field: str) -> Any:
        return values[field] if field in values else getattr(current, field, None)

    board = merged("listing_board")
    if board is not None:  # the board decides 是否上市
        listed = ListingBoard(board).listed
        if "listed" in payload.model_fields_set and values["listed"] != listed:
            raise ENTERPRISE_LISTING_CONFLICT(board=ListingBoard(board).zh, board_en=board)
        values["listed"] = listed
    if merged("four_basics_kind") is not None and KeyField.FOUR_BASICS not in (
        merged("key_fields") or []
    ):
        raise ENTERPRISE_FOUR_BASICS_KIND()
    return values


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: EnterpriseCreate
) -> Enterprise:
    ensure_governs(principal, payload.region_code)
    if await repo.exists_uscc(session, payload.uscc):
        raise ENTERPRISE_EXISTS(uscc=payload.uscc)
    enterprise = Enterprise(**column_values(payload, partial=False), version=1)
    session.add(enterprise)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same USCC won
        raise ENTERPRISE_EXISTS(uscc=payload.uscc) from exc
    await ctx.outbox.emit(
        session,
        events.ENTERPRISE,
        "registered",
        subject=enterprise.uscc,
        data=event_data(enterprise),
        province=enterprise.province,
        version=1,
    )
    return enterprise


async def update(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    uscc: str,
    payload: EnterpriseUpdate,
) -> Enterprise:
    enterprise = await repo.get_for_update(session, uscc)
    if enterprise is None or not sees_enterprise(principal, uscc, enterprise.region_code):
        raise ENTERPRISE_NOT_FOUND(uscc=uscc)
    if principal.role is not Role.ENTERPRISE:
        ensure_governs(principal, enterprise.region_code)
    values = column_values(payload, partial=True, current=enterprise)
    new_region = values.get("region_code")
    if new_region and new_region != enterprise.region_code:
        if principal.role is Role.ENTERPRISE:  # only its government may move it
            raise FORBIDDEN()
        ensure_governs(principal, new_region)
    changed = {k: v for k, v in values.items() if getattr(enterprise, k) != v}
    if not changed:
        return enterprise
    for key, value in changed.items():
        setattr(enterprise, key, value)
    enterprise.version += 1
    await session.flush()
    await session.refresh(enterprise)
    await ctx.outbox.emit(
        session,
        events.ENTERPRISE,
        "updated",
        subject=uscc,
        data=event_data(enterprise),
        province=enterprise.province,
        version=enterprise.version,
    )
    return enterprise


async def read(ctx: ServiceContext, principal: Principal, uscc: str) -> EnterpriseRead:
    """The hot path: one asyncpg query, enterprise and the tiers it holds today."""
    row = await repo.fetch_with_tiers(ctx.db, uscc, clock.today())
    if row is None or not sees_enterprise(principal, uscc, row["region_code"]):
        raise ENTERPRISE_NOT_FOUND(uscc=uscc)
    return EnterpriseRead.model_validate(dict(row))


async def to_read(session: AsyncSession, enterprise: Enterprise) -> EnterpriseRead:
    tiers = await repo.tiers_held(session, enterprise.uscc, clock.today())
    return EnterpriseRead.model_validate({**_columns(enterprise), "tiers": tiers})


def _columns(enterprise: Enterprise) -> dict[str, Any]:
    return {c.key: getattr(enterprise, c.key) for c in Enterprise.__table__.columns}


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    region: str | None,
    tier: str | None,
    valid_on: date | None,
    industry: str | None,
    q: str | None,
    cursor: str | None,
    limit: int,
) -> Page[EnterpriseRead]:
    window = Window.of(cursor, limit, str)
    only = None
    if principal.role is Role.ENTERPRISE:
        only = principal.org
    elif principal.role not in ENTERPRISE_READERS:
        return Page(items=[])
    prefix = principal.region_prefix
    if region:
        # A filter can narrow the caller's scope, never widen it (nor move a province
        # into its 计划单列市).
        if principal.sees_region(region):
            prefix = max(prefix, region_prefix(region), key=len)
        elif not prefix.startswith(region_prefix(region)):
            return Page(items=[])
    on = valid_on or clock.today()
    rows = await repo.search(
        session,
        region_prefix=prefix,
        only_uscc=only,
        tier=tier,
        valid_on=on,
        industry=industry,
        q=q,
        window=window,
    )
    page, cursor = window.split(rows, lambda e: e.uscc)
    tiers = await repo.tiers_for(session, [e.uscc for e in page], clock.today())
    items = [
        EnterpriseRead.model_validate({**_columns(e), "tiers": tiers.get(e.uscc, [])}) for e in page
    ]
    return Page(items=items, next_cursor=cursor)
