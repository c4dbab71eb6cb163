"""JSON batch upsert of enterprises: create the missing, update the changed, leave the
identical alone, all or nothing."""

from __future__ import annotations

from typing import Any

from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import (
    REGION_OUT_OF_SCOPE,
    VALIDATION_FAILED,
    FieldError,
    field_errors_from_pydantic,
)
from kit.events import envelope
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.errors import CONCURRENT_REGISTRATION, ENTERPRISE_EXISTS
from registry.models import Enterprise
from registry.repository import imports as repo
from registry.schemas.enterprises import EnterpriseCreate
from registry.schemas.imports import BatchItemResult, BatchOutcome, BatchResult
from registry.scope import sees_enterprise
from registry.service import enterprises as enterprise_service


def _validated(raw_items: list[dict[str, Any]]) -> list[EnterpriseCreate]:
    items: list[EnterpriseCreate] = []
    errors: list[FieldError] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_items):
        try:
            item = EnterpriseCreate.model_validate(raw)
        except ValidationError as exc:
            errors += [
                FieldError(f"items[{index}].{e.field}", e.code, e.zh, e.en)
                for e in field_errors_from_pydantic(exc.errors())
            ]
            continue
        first = first_index.setdefault(item.uscc, index)
        if first != index:
            errors.append(
                FieldError(
                    f"items[{index}].uscc",
                    "USCC_DUPLICATE_IN_BATCH",
                    f"与第 {first} 项（items[{first}]）的统一社会信用代码重复",
                    f"Same credit code as items[{first}]",
                )
            )
        items.append(item)
    if errors:
        raise VALIDATION_FAILED(errors=errors)
    return items


async def batch_upsert(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    raw_items: list[dict[str, Any]],
) -> BatchResult:
    """Create the missing, update the changed, leave the identical alone: a replay changes
    nothing and emits nothing. All or nothing: any bad item and nothing is stored."""
    items = _validated(raw_items)
    foreign = [
        (i, item.region_code)
        for i, item in enumerate(items)
        if not principal.sees_region(item.region_code)
    ]
    if foreign:
        raise REGION_OUT_OF_SCOPE(
            region=foreign[0][1],
            errors=[
                FieldError(
                    f"items[{i}].region_code",
                    REGION_OUT_OF_SCOPE.code,
                    REGION_OUT_OF_SCOPE.zh.format(region=r),
                    REGION_OUT_OF_SCOPE.en.format(region=r),
                )
                for i, r in foreign
            ],
        )
    current = {e.uscc: e for e in await repo.for_update(session, [i.uscc for i in items])}
    hidden = [
        (i, item.uscc)
        for i, item in enumerate(items)
        if item.uscc in current
        and not sees_enterprise(principal, item.uscc, current[item.uscc].region_code)
    ]
    if hidden:  # registered under another jurisdiction: as POST /enterprises would say
        raise ENTERPRISE_EXISTS(
            uscc=hidden[0][1],
            errors=[
                FieldError(
                    f"items[{i}].uscc",
                    ENTERPRISE_EXISTS.code,
                    ENTERPRISE_EXISTS.zh.format(uscc=u),
                    ENTERPRISE_EXISTS.en.format(uscc=u),
                )
                for i, u in hidden
            ],
        )
    outcomes: list[BatchItemResult] = []
    changes: list[tuple[str, Enterprise, int]] = []  # event, enterprise, version
    for item in items:
        existing = current.get(item.uscc)
        values = enterprise_service.column_values(item, partial=False, current=existing)
        outcome: BatchOutcome
        if existing is None:
            enterprise = Enterprise(**values, version=1)
            session.add(enterprise)
            changes.append(("registered", enterprise, 1))
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(existing, key, value)
                existing.version += 1
                changes.append(("updated", existing, existing.version))
            outcome = "updated" if changed else "unchanged"
        outcomes.append(BatchItemResult(uscc=item.uscc, result=outcome))
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request registered one of them first
        raise CONCURRENT_REGISTRATION() from exc
    at = envelope.now()
    await ctx.outbox.emit_many(
        session,
        [
            ctx.outbox.event(
                events.ENTERPRISE,
                name,
                subject=e.uscc,
                data=enterprise_service.event_data(e),
                province=e.province,
                version=version,
                time=at,
            )
            for name, e, version in changes
        ],
    )
    counts = {
        o: sum(1 for r in outcomes if r.result == o) for o in ("created", "updated", "unchanged")
    }
    return BatchResult(**counts, items=outcomes)
