"""Registry events → the training service's replicas (enterprises, recognitions, training
institutions, contracts). Idempotent: the inbox runs each event once, and an event whose
``aggregateversion`` is not newer than the row's is dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import registry
from kit.events.consumer import Subscription, route
from kit.events.envelope import CloudEvent
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import (
    ContractReplica,
    EnterpriseReplica,
    InstitutionReplica,
    RecognitionReplica,
)
from training.repository import replica

Row = tuple[Any, dict[str, Any]]  # a replica model and its values


def _enterprise(event: CloudEvent) -> Row:
    e = registry.Enterprise.parse(event.data)
    return EnterpriseReplica, {
        "uscc": e.uscc,
        "name": e.name,
        "region_code": e.region_code,
        "province": e.province,
        "version": event.aggregateversion,
    }


def _recognition(event: CloudEvent) -> Row:
    r = registry.Recognition.parse(event.data)
    return RecognitionReplica, {
        "id": r.id,
        "uscc": r.uscc,
        "tier": r.tier.value,
        "batch": r.batch,
        "valid_from": r.valid_from,
        "valid_until": r.valid_until,
        "revoked_on": r.revoked_on,
        "version": event.aggregateversion,
    }


def _institution(event: CloudEvent) -> Row:
    i = registry.Institution.parse(event.data)
    return InstitutionReplica, {
        "id": i.id,
        "name": i.name,
        "qualified_types": [t.value for t in i.qualified_types],
        "version": event.aggregateversion,
    }


def _contract(event: CloudEvent) -> Row:
    c = registry.ContractSigned.parse(event.data)
    return ContractReplica, {
        "id": c.id,
        "institution_id": c.institution_id,
        "province": c.province,
        "task": c.task.value,
        "batch": c.batch,
    }


# The replica row each replicated event sets (every event of these aggregates).
ROWS: dict[str, Callable[[CloudEvent], Row]] = {
    "enterprise.*": _enterprise,
    "recognition.*": _recognition,
    "institution.*": _institution,
    "contract.*": _contract,
}


async def on_registry_events(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Upserts, newest version wins; a batch keeps only each row's last event."""
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    for event in events:
        row_of = route(ROWS, event)
        assert row_of is not None  # the subscription passes routed events only
        model, values = row_of(event)
        key = (model, next(iter(values.values())))
        held = latest.get(key)
        if held is None or values.get("version", 0) >= held.get("version", 0):
            latest[key] = values
    by_model: dict[Any, list[dict[str, Any]]] = {}
    for (model, _), values in latest.items():
        by_model.setdefault(model, []).append(values)
    for model, rows in by_model.items():
        await replica.upsert(session, model, rows)


async def on_registry_event(session: AsyncSession, event: CloudEvent) -> None:
    await on_registry_events(session, [event])


SUBSCRIPTIONS = [
    Subscription("registry", dict.fromkeys(ROWS, on_registry_event), on_registry_events)
]
