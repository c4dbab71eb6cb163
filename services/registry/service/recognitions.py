"""Tier recognitions and annual indicators. A tier is held on a day when a recognition covers
it (valid_from ≤ day ≤ valid_until) and it is not revoked by then (day < revoked_on)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

from contracts import registry as contract
from contracts.vocabulary import LITTLE_GIANTS, Tier
from kit import clock, tiers
from kit.auth import Principal, Role
from kit.codes import NATIONAL
from kit.context import ServiceContext
from kit.errors import ProblemError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import authorities, events
from registry.errors import (
    ENTERPRISE_NOT_FOUND,
    INDICATOR_YEAR_INVALID,
    RECOGNITION_ALREADY_REVOKED,
    RECOGNITION_DATES_INVALID,
    RECOGNITION_DUPLICATE,
    RECOGNITION_LIST_NAME,
    RECOGNITION_LIST_TIER,
    RECOGNITION_NOT_FOUND,
)
from registry.models import AnnualIndicator, Enterprise, Recognition
from registry.repository import enterprises as enterprise_repo
from registry.repository import recognitions as repo
from registry.schemas.indicators import IndicatorWrite
from registry.schemas.recognitions import (
    ListedResult,
    ListImportResult,
    MinistryList,
    RecognitionCreate,
    RecognitionRead,
    RevokeRequest,
)
from registry.scope import ensure_governs, sees_enterprise

VALIDITY_YEARS = 3  # 每次认定有效期三年 (DESIGN.md §5)


def default_valid_until(valid_from: date) -> date:
    try:
        end = valid_from.replace(year=valid_from.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        end = date(valid_from.year + VALIDITY_YEARS, 3, 1)
    return end - timedelta(days=1)


def to_read(recognition: Recognition) -> RecognitionRead:
    return RecognitionRead.model_validate(
        {
            **{
                f: getattr(recognition, f)
                for f in RecognitionRead.model_fields
                if f != "held_today"
            },
            "held_today": tiers.is_held(
                recognition.valid_from,
                recognition.valid_until,
                recognition.revoked_on,
                clock.today(),
            ),
        }
    )


def event_data(recognition: Recognition, enterprise: Enterprise) -> dict[str, Any]:
    return contract.Recognition(
        id=recognition.id,
        uscc=recognition.uscc,
        tier=Tier(recognition.tier),
        batch=recognition.batch,
        authority=recognition.authority,
        authority_code=recognition.authority_code,
        document_number=recognition.document_number,
        recognized_on=recognition.recognized_on,
        valid_from=recognition.valid_from,
        valid_until=recognition.valid_until,
        revoked_on=recognition.revoked_on,
        region_code=enterprise.region_code,
        province=enterprise.province,
    ).model_dump(mode="json")


async def _get_enterprise(
    session: AsyncSession, principal: Principal, uscc: str, *, write: bool
) -> Enterprise:
    enterprise = await session.get(Enterprise, uscc)
    if enterprise is None or not sees_enterprise(principal, uscc, enterprise.region_code):
        raise ENTERPRISE_NOT_FOUND(uscc=uscc)
    if write:
        ensure_governs(principal, enterprise.region_code)
    return enterprise


async def grant(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    uscc: str,
    payload: RecognitionCreate,
) -> Recognition:
    enterprise = await _get_enterprise(session, principal, uscc, write=True)
    authority = authorities.ensure_may_record(principal, payload.tier, enterprise.region_code)
    recognition = await _record(session, ctx, enterprise, authority, payload)
    if recognition is None:
        raise RECOGNITION_DUPLICATE()
    return recognition


async def import_list(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, listed: MinistryList
) -> ListImportResult:
    """Record the ministry's published list, each enterprise on its own: the list is
    imported again after a correction, so an enterprise already recorded is ``unchanged``."""
    if listed.tier not in LITTLE_GIANTS:
        raise RECOGNITION_LIST_TIER()
    authorities.ensure_may_record(principal, listed.tier, NATIONAL)
    terms = RecognitionCreate.model_validate(listed.model_dump(exclude={"enterprises"}))
    entries = {e.uscc.upper(): e for e in listed.enterprises}
    registered = await enterprise_repo.by_uscc(session, list(entries))
    items: list[ListedResult] = []
    for uscc, entry in entries.items():
        enterprise = registered.get(uscc)
        if enterprise is None:
            items.append(_failed(uscc, ENTERPRISE_NOT_FOUND(uscc=uscc)))
        elif entry.name is not None and entry.name != enterprise.name:
            items.append(_failed(uscc, RECOGNITION_LIST_NAME(uscc=uscc)))
        else:
            try:
                recognition = await _record(session, ctx, enterprise, authorities.MINISTRY, terms)
            except ProblemError as error:
                items.append(_failed(uscc, error))
                continue
            if recognition is None:
                existing = await repo.find(session, uscc, terms.tier, terms.valid_from)
                items.append(
                    ListedResult(
                        uscc=uscc,
                        result="unchanged",
                        recognition_id=existing.id if existing else None,
                    )
                )
            else:
                items.append(
                    ListedResult(uscc=uscc, result="granted", recognition_id=recognition.id)
                )
    counts = Counter(item.result for item in items)
    return ListImportResult(
        granted=counts["granted"],
        unchanged=counts["unchanged"],
        failed=counts["failed"],
        items=items,
    )


def _failed(uscc: str, error: ProblemError) -> ListedResult:
    return ListedResult(
        uscc=uscc, result="failed", code=error.problem.code, message=error.detail("zh")
    )


async def _record(
    session: AsyncSession,
    ctx: ServiceContext,
    enterprise: Enterprise,
    authority: authorities.Authority,
    payload: RecognitionCreate,
) -> Recognition | None:
    """A new recognition and its event, or None when the same one is already recorded."""
    valid_until = payload.valid_until or default_valid_until(payload.valid_from)
    if payload.valid_from > valid_until:
        raise RECOGNITION_DATES_INVALID()
    if await repo.find(session, enterprise.uscc, payload.tier, payload.valid_from) is not None:
        return None
    recognition = Recognition(
        uscc=enterprise.uscc,
        tier=payload.tier,
        batch=payload.batch,
        recognized_on=payload.recognized_on,
        valid_from=payload.valid_from,
        valid_until=valid_until,
        authority=authority.name,
        authority_code=authority.code,
        document_number=payload.document_number,
        version=1,
    )
    try:
        async with session.begin_nested():  # a concurrent grant of the same one may win
            session.add(recognition)
            await session.flush()
    except IntegrityError:
        return None
    await ctx.outbox.emit(
        session,
        events.RECOGNITION,
        "granted",
        subject=str(recognition.id),
        data=event_data(recognition, enterprise),
        province=enterprise.province,
        version=1,
    )
    return recognition


async def revoke(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    recognition_id: uuid.UUID,
    payload: RevokeRequest,
) -> Recognition:
    recognition = await repo.get_for_update(session, recognition_id)
    if recognition is None:
        raise RECOGNITION_NOT_FOUND()
    enterprise = await session.get(Enterprise, recognition.uscc)
    if enterprise is None or not sees_enterprise(
        principal, enterprise.uscc, enterprise.region_code
    ):
        raise RECOGNITION_NOT_FOUND()
    ensure_governs(principal, enterprise.region_code)
    authorities.ensure_may_record(principal, Tier(recognition.tier), enterprise.region_code)
    if recognition.revoked_on is not None:
        raise RECOGNITION_ALREADY_REVOKED()
    recognition.revoked_on = payload.revoked_on or clock.today()
    recognition.revoke_reason = payload.reason
    recognition.version += 1
    await session.flush()
    await ctx.outbox.emit(
        session,
        events.RECOGNITION,
        "revoked",
        subject=str(recognition.id),
        data=event_data(recognition, enterprise),
        province=enterprise.province,
        version=recognition.version,
    )
    return recognition


async def of_enterprise(
    session: AsyncSession, principal: Principal, uscc: str
) -> list[RecognitionRead]:
    await _get_enterprise(session, principal, uscc, write=False)
    return [to_read(r) for r in await repo.of_enterprise(session, uscc)]


async def record_indicators(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    uscc: str,
    year: int,
    payload: IndicatorWrite,
) -> AnnualIndicator:
    enterprise = await _get_enterprise(
        session, principal, uscc, write=principal.role is not Role.ENTERPRISE
    )
    if not 2000 <= year <= clock.today().year:
        raise INDICATOR_YEAR_INVALID(year=year)
    values = payload.model_dump()
    row = await repo.indicator(session, uscc, year)
    if row is None:
        row = AnnualIndicator(uscc=uscc, year=year, version=1, **values)
        session.add(row)
    elif any(getattr(row, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(row, key, value)
        row.version += 1
    else:
        return row  # the same figures again: nothing changes, nothing is published
    await session.flush()
    await ctx.outbox.emit(
        session,
        events.INDICATOR,
        "recorded",
        subject=f"{uscc}/{year}",
        data=contract.IndicatorRecorded(
            uscc=uscc,
            year=year,
            province=enterprise.province,
            **{k: None if v is None else str(v) for k, v in values.items()},
        ).model_dump(mode="json"),
        province=enterprise.province,
        version=row.version,
    )
    return row


async def indicators(
    session: AsyncSession, principal: Principal, uscc: str
) -> list[AnnualIndicator]:
    await _get_enterprise(session, principal, uscc, write=False)
    return await repo.indicators(session, uscc)
