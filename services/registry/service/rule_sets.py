"""Rule-set versions: the ministry adds one for any unit (or nationally), a province for its
own unit. Stored once checked, never changed after: a new reading is a new version."""

from __future__ import annotations

from kit.auth import Principal, Role
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import RULE_SET_EXISTS
from registry.models import RuleSet
from registry.repository import rule_sets as repo
from registry.schemas.rule_sets import RuleSetCreate


async def add(session: AsyncSession, principal: Principal, payload: RuleSetCreate) -> RuleSet:
    if principal.role is Role.PROVINCE:
        if payload.jurisdiction != principal.region:
            raise REGION_OUT_OF_SCOPE(region=payload.jurisdiction)
    elif principal.role is not Role.MINISTRY:
        raise FORBIDDEN()
    if await repo.starting(session, payload.code, payload.jurisdiction, payload.effective_from):
        raise RULE_SET_EXISTS(on=payload.effective_from.isoformat())
    rule_set = RuleSet(
        code=payload.code,
        version=payload.version,
        jurisdiction=payload.jurisdiction,
        effective_from=payload.effective_from,
        effective_until=payload.effective_until,
        title=payload.title,
        source=payload.source,
        rules=[r.model_dump(mode="json", exclude_none=True) for r in payload.rules],
    )
    try:
        async with session.begin_nested():
            session.add(rule_set)
            await session.flush()
    except IntegrityError as exc:  # the same version again
        raise RULE_SET_EXISTS(on=payload.effective_from.isoformat()) from exc
    return rule_set
