"""资质审核: the unit (or the ministry) verifies or rejects a type's declared conditions."""

from __future__ import annotations

import uuid

from contracts import registry as contract
from contracts.vocabulary import InstitutionType
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, VALIDATION_FAILED, FieldError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.enums import Review
from registry.errors import INSTITUTION_NOT_FOUND, QUALIFICATION_TYPE_NOT_HELD
from registry.models import Institution
from registry.service.institutions import declarations, directory


async def review(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    institution_id: uuid.UUID,
    type_: InstitutionType,
    decision: Review,
    reason: str | None,
) -> Institution:
    """资质审核: the unit verifies or rejects (with a reason) a type's declared conditions.
    Other roles are refused whatever the id; to a foreign unit the institution's review is
    not there (404), as for any record outside its region."""
    if principal.role not in declarations.REVIEWERS:
        raise FORBIDDEN()
    institution = await directory.get(session, principal, institution_id, lock=True)
    if not declarations.reviews_for(principal, institution):
        raise INSTITUTION_NOT_FOUND()
    if type_.value not in institution.types:
        raise QUALIFICATION_TYPE_NOT_HELD(type=type_.zh, type_en=type_.value)
    if decision is Review.REJECTED and not reason:
        raise VALIDATION_FAILED(
            errors=[
                FieldError("reason", "REQUIRED", "审核不通过须说明理由", "A reason is required")
            ]
        )
    entry = declarations.decision(
        principal, decision, reason if decision is Review.REJECTED else None
    )
    institution.reviews = {**institution.reviews, type_.value: entry}
    institution.version += 1
    await session.flush()
    await session.refresh(institution)
    await ctx.outbox.emit(
        session,
        events.INSTITUTION,
        f"qualification_{decision.value}",
        subject=str(institution.id),
        data=contract.InstitutionReviewed(
            **dict(directory.published(institution)), type=type_, review=decision.value
        ).model_dump(mode="json"),
        province=institution.province,
        version=institution.version,
    )
    return institution
