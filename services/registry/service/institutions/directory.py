"""服务机构 (机构库): a national directory (institutions serve across provinces), each
type's qualifications checked against the seeds' conditions (``declarations``). Never
commits (the request does)."""

from __future__ import annotations

import uuid
from typing import Any

from contracts import registry as contract
from contracts.vocabulary import InstitutionType
from kit import bulk, scope
from kit.auth import GOVERNMENT, Principal, Role
from kit.bulk import BulkResult, Outcome
from kit.codes import unit_of
from kit.context import ServiceContext
from kit.i18n import Lang
from kit.pagination import Page, Window
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events, qualifications
from registry.errors import INSTITUTION_EXISTS, INSTITUTION_NOT_FOUND, INSTITUTION_REGION_FIXED
from registry.models import Institution
from registry.repository import institutions as repo
from registry.schemas.institutions import InstitutionCreate, InstitutionRead, InstitutionUpdate
from registry.scope import ensure_governs
from registry.service.institutions import declarations


def to_read(institution: Institution) -> InstitutionRead:
    return InstitutionRead(
        id=institution.id,
        name=institution.name,
        uscc=institution.uscc,
        region_code=institution.region_code,
        province=institution.province,
        types=[InstitutionType(t) for t in institution.types],
        qualifications=declarations.declared(institution),
        qualification_status=declarations.statuses(institution),
        platform_level=institution.platform_level,
        staff_count=institution.staff_count,
        version=institution.version,
        created_at=institution.created_at,
        updated_at=institution.updated_at,
    )


def event_data(institution: Institution) -> dict[str, Any]:
    return published(institution).model_dump(mode="json")


def published(institution: Institution) -> contract.Institution:
    types = [InstitutionType(t) for t in institution.types]
    return contract.Institution(
        id=institution.id,
        name=institution.name,
        uscc=institution.uscc,
        region_code=institution.region_code,
        province=institution.province,
        types=types,
        platform_level=institution.platform_level,
        qualified_types=[t for t in types if declarations.qualified(institution, t)],
        reviews={t: declarations.review_of(institution, t).value for t in types},
    )


def _sees(principal: Principal, institution: Institution) -> bool:
    if principal.role is Role.INSTITUTION:
        return scope.institution_id(principal) == institution.id
    return principal.role in (*GOVERNMENT, Role.ENTERPRISE)


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: InstitutionCreate
) -> Institution:
    ensure_governs(principal, payload.region_code)
    declarations.validate(payload.types, payload.qualifications, payload.platform_level)
    if await repo.exists_uscc(session, payload.uscc):
        raise INSTITUTION_EXISTS(uscc=payload.uscc)
    institution = Institution(
        name=payload.name,
        uscc=payload.uscc,
        region_code=payload.region_code,
        province=unit_of(payload.region_code),
        types=[t.value for t in payload.types],
        qualifications=declarations.for_storage(payload.qualifications),
        platform_level=payload.platform_level.value if payload.platform_level else None,
        staff_count=payload.staff_count,
        version=1,
    )
    institution.reviews = declarations.reviews_after(
        principal,
        institution.region_code,
        payload.types,
        institution.qualifications,
        institution.platform_level,
    )
    session.add(institution)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same USCC won
        raise INSTITUTION_EXISTS(uscc=payload.uscc) from exc
    await session.refresh(institution)
    await ctx.outbox.emit(
        session,
        events.INSTITUTION,
        "registered",
        subject=str(institution.id),
        data=event_data(institution),
        province=institution.province,
        version=1,
    )
    return institution


async def get(
    session: AsyncSession, principal: Principal, institution_id: uuid.UUID, *, lock: bool = False
) -> Institution:
    institution = await repo.get(session, institution_id, lock=lock)
    if institution is None or not _sees(principal, institution):
        raise INSTITUTION_NOT_FOUND()
    return institution


async def update(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    institution_id: uuid.UUID,
    payload: InstitutionUpdate,
) -> Institution:
    institution = await get(session, principal, institution_id, lock=True)
    if principal.role is not Role.INSTITUTION:
        ensure_governs(principal, institution.region_code)
    sent = payload.model_fields_set
    types = payload.types or [InstitutionType(t) for t in institution.types]
    # What belongs to a dropped type goes with it, unless the caller sends it explicitly.
    quals = (
        payload.qualifications or {}
        if "qualifications" in sent
        else {t: items for t, items in declarations.declared(institution).items() if t in types}
    )
    level = (
        payload.platform_level
        if "platform_level" in sent
        else institution.platform_level
        if declarations.PLATFORM in types
        else None
    )
    declarations.validate(types, quals, level)
    stored, level_value = declarations.for_storage(quals), str(level) if level else None
    values: dict[str, Any] = {
        "types": [t.value for t in types],
        "qualifications": stored,
        "reviews": declarations.reviews_after(
            principal, institution.region_code, types, stored, level_value, institution
        ),
        "platform_level": level_value,
    }
    values.update({k: getattr(payload, k) for k in ("name", "staff_count") if k in sent})
    changed = {k: v for k, v in values.items() if getattr(institution, k) != v}
    if not changed:
        return institution
    for key, value in changed.items():
        setattr(institution, key, value)
    institution.version += 1
    await session.flush()
    await session.refresh(institution)
    await ctx.outbox.emit(
        session,
        events.INSTITUTION,
        "updated",
        subject=str(institution.id),
        data=event_data(institution),
        province=institution.province,
        version=institution.version,
    )
    return institution


async def sync(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    raw_items: list[dict[str, Any]],
    lang: Lang,
) -> BulkResult:
    """A provincial system's copy of its institutions, by USCC: each item is the whole
    institution (what it leaves out takes its default), registered or updated as POST and
    PATCH would, item by item."""

    async def apply(item: InstitutionCreate) -> tuple[Outcome, str]:
        known = await repo.id_of(session, item.uscc)
        if known is None:
            return "created", str((await register(session, ctx, principal, item)).id)
        institution = await get(session, principal, known, lock=True)
        if institution.region_code != item.region_code:
            raise INSTITUTION_REGION_FIXED(uscc=item.uscc, region=institution.region_code)
        version = institution.version
        whole = InstitutionUpdate.model_validate(item.model_dump(exclude={"uscc", "region_code"}))
        updated = await update(session, ctx, principal, known, whole)
        return ("updated" if updated.version != version else "unchanged"), str(known)

    return await bulk.run(session, raw_items, InstitutionCreate, lambda i: i.uscc, apply, lang)


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    type_: InstitutionType | None,
    province: str | None,
    qualified_for: InstitutionType | None,
    cursor: str | None,
    limit: int,
) -> Page[InstitutionRead]:
    window = Window.of_ids(cursor, limit)
    only = None
    if principal.role is Role.INSTITUTION:
        only = scope.institution_id(principal)
        if only is None:
            return Page(items=[])
    elif principal.role not in (*GOVERNMENT, Role.ENTERPRISE):
        return Page(items=[])
    rows = await repo.search(
        session,
        type_=type_.value if type_ else None,
        province=province,
        qualified_for=(
            (qualified_for.value, qualifications.mandatory_codes(qualified_for))
            if qualified_for
            else None
        ),
        only=only,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=[to_read(i) for i in page], next_cursor=next_page)
