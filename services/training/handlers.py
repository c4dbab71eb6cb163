"""Registry events → the training service's replicas (enterprises, recognitions, training
institutions, contracts). Idempotent: the inbox runs each event once, and an event whose
``aggregateversion`` is not newer than the row's is dropped."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from kit.events.consumer import Subscription
from kit.events.envelope import CloudEvent
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import (
    ContractReplica,
    EnterpriseReplica,
    InstitutionReplica,
    RecognitionReplica,
)
from training.repository import replica


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(event: CloudEvent) -> tuple[Any, dict[str, Any]]:
    """The replica model and its values for an event (None for events not replicated)."""
    data, version = event.data, event.aggregateversion
    aggregate = event.type.split(".")[3]
    if aggregate == "enterprise":
        return EnterpriseReplica, {
            "uscc": data["uscc"],
            "name": data["name"],
            "region_code": data["region_code"],
            "province": data["province"],
            "version": version,
        }
    if aggregate == "recognition":
        return RecognitionReplica, {
            "id": uuid.UUID(data["id"]),
            "uscc": data["uscc"],
            "tier": data["tier"],
            "batch": data.get("batch"),
            "valid_from": _day(data["valid_from"]),
            "valid_until": _day(data["valid_until"]),
            "revoked_on": _day(data.get("revoked_on")),
            "version": version,
        }
    if aggregate == "institution":
        return InstitutionReplica, {
            "id": uuid.UUID(data["id"]),
            "name": data["name"],
            "qualified_types": data.get("qualified_types", []),
            "version": version,
        }
    if aggregate == "contract":
        return ContractReplica, {
            "id": uuid.UUID(data["id"]),
            "institution_id": uuid.UUID(data["institution_id"]),
            "province": data["province"],
            "task": data["task"],
            "batch": data["batch"],
        }
    return None, {}


async def on_registry_events(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Upserts, newest version wins; a batch keeps only each row's last event."""
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    for event in events:
        model, values = _row(event)
        if model is None:
            continue
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


SUBSCRIPTIONS = [Subscription("registry", on_registry_event, on_registry_events)]
