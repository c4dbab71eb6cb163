"""Fan-out: every service's events become deliveries to the endpoints that take them.

A durable consumer per service stream of its own (``gateway-webhooks--<service>``), apart
from the read model's, so neither holds the other back. A batch's deliveries commit in the
transaction of its inbox rows: an event is fanned out once, however often NATS delivers it.

An endpoint takes an event of its unit (the event's ``province``), or of any unit if it is
the ministry's all-units endpoint, and of a type in its filter (any type when it has none).
An event without a unit goes to all-units endpoints only. The body kept is the CloudEvent
JSON exactly as it came from NATS (events carry no PII); it is kept when an endpoint takes
it, enabled or not, so a disabled endpoint can be replayed what it missed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kit import clock, services
from kit.events.consumer import Subscription
from kit.events.envelope import CloudEvent
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.webhooks import repository as repo
from gateway.webhooks.models import WebhookEndpoint

NAME = "webhooks"


def takes(endpoint: WebhookEndpoint, event: CloudEvent) -> bool:
    if endpoint.unit is not None and endpoint.unit != event.province:
        return False
    return not endpoint.event_types or event.type in endpoint.event_types


def occurred_at(event: CloudEvent) -> datetime:
    """The event's ``time``; when it is not a time (a foreign producer), when it came."""
    try:
        when = datetime.fromisoformat(event.time)
    except ValueError:
        return clock.now()
    return when if when.tzinfo is not None else clock.now()


async def fan_out(session: AsyncSession, events: list[CloudEvent]) -> None:
    if not events:
        return
    endpoints = await repo.endpoints_for(session, {e.province for e in events if e.province})
    kept: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for event in events:
        taking = [endpoint for endpoint in endpoints if takes(endpoint, event)]
        if not taking:
            continue
        kept.append(
            {
                "id": event.id,
                "type": event.type,
                "unit": event.province,
                "occurred_at": occurred_at(event),
                "body": event.to_json(),
            }
        )
        deliveries.extend(
            {"endpoint_id": endpoint.id, "event_id": event.id}
            for endpoint in taking
            if endpoint.enabled
        )
    await repo.keep_events(session, kept)
    await repo.add_deliveries(session, deliveries)
    if deliveries:
        await repo.wake_workers(session)


async def _fan_out_one(session: AsyncSession, event: CloudEvent) -> None:
    await fan_out(session, [event])


def subscriptions() -> list[Subscription]:
    """One per service of the platform that publishes (the gateway itself publishes none)."""
    return [
        Subscription(source, {"*": _fan_out_one}, fan_out, name=NAME)
        for source in services.available()
        if source != "gateway"
    ]
