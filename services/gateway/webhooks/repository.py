"""Webhook queries: the routes' (SQLAlchemy session) and the delivery worker's (asyncpg,
outside any request, as the outbox relay's)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import asyncpg
from kit.events.outbox import notify_channel
from kit.pagination import Window
from sqlalchemy import func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from uuid6 import uuid7

from gateway.webhooks.models import (
    PENDING,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

CHANNEL = notify_channel("gateway_webhooks")
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', '')")


async def wake_workers(session: AsyncSession) -> None:
    """Wake the delivery workers when the session commits (LISTEN/NOTIFY)."""
    await session.execute(_NOTIFY)


# --- endpoints ------------------------------------------------------------------------------


async def get_endpoint(
    session: AsyncSession, endpoint_id: uuid.UUID, *, for_update: bool = False
) -> WebhookEndpoint | None:
    return await session.get(WebhookEndpoint, endpoint_id, with_for_update=for_update)


async def search_endpoints(
    session: AsyncSession, unit: str, window: Window
) -> list[WebhookEndpoint]:
    """A unit's endpoints ('' for every endpoint), oldest first."""
    query = select(WebhookEndpoint)
    if unit:
        query = query.where(WebhookEndpoint.unit == unit)
    return list(await session.scalars(window.over(query, WebhookEndpoint.id)))


async def endpoints_for(session: AsyncSession, units: Iterable[str]) -> list[WebhookEndpoint]:
    """The endpoints that may take events of ``units``: theirs and every unit's."""
    return list(
        await session.scalars(
            select(WebhookEndpoint).where(
                or_(WebhookEndpoint.unit.in_(list(units)), WebhookEndpoint.unit.is_(None))
            )
        )
    )


# --- events and deliveries -------------------------------------------------------------------


async def keep_events(session: AsyncSession, events: list[dict[str, Any]]) -> None:
    """Keep the events' bodies once (an event fanned out again is already there)."""
    if events:
        await session.execute(insert(WebhookEvent).values(events).on_conflict_do_nothing())


INSERT_CHUNK = 1000


async def add_deliveries(session: AsyncSession, deliveries: list[dict[str, Any]]) -> None:
    """New pending deliveries (``endpoint_id``, ``event_id``), due now."""
    for start in range(0, len(deliveries), INSERT_CHUNK):
        chunk = deliveries[start : start + INSERT_CHUNK]
        await session.execute(insert(WebhookDelivery).values([{"id": uuid7(), **d} for d in chunk]))


async def events_in_window(
    session: AsyncSession,
    endpoint: WebhookEndpoint,
    since: datetime,
    until: datetime,
    limit: int,
) -> list[uuid.UUID]:
    """The kept events of the window that ``endpoint`` takes, in the order they happened
    (at most ``limit``)."""
    query = select(WebhookEvent.id).where(
        WebhookEvent.occurred_at >= since, WebhookEvent.occurred_at < until
    )
    if endpoint.unit is not None:
        query = query.where(WebhookEvent.unit == endpoint.unit)
    if endpoint.event_types:
        query = query.where(WebhookEvent.type.in_(endpoint.event_types))
    query = query.order_by(WebhookEvent.occurred_at, WebhookEvent.id).limit(limit)
    return list(await session.scalars(query))


async def get_delivery(
    session: AsyncSession, delivery_id: uuid.UUID, *, for_update: bool = False
) -> tuple[WebhookDelivery, WebhookEndpoint] | None:
    query = (
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id == delivery_id)
    )
    if for_update:
        query = query.with_for_update(of=WebhookDelivery)
    found = (await session.execute(query)).first()
    return None if found is None else (found[0], found[1])


async def event_type_of(session: AsyncSession, event_id: uuid.UUID) -> str:
    return str(await session.scalar(select(WebhookEvent.type).where(WebhookEvent.id == event_id)))


async def search_deliveries(
    session: AsyncSession, endpoint_id: uuid.UUID, status: str | None, window: Window
) -> list[tuple[WebhookDelivery, str]]:
    """An endpoint's deliveries with their event types, newest first."""
    query = (
        select(WebhookDelivery, WebhookEvent.type)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
    )
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if window.after is not None:
        query = query.where(WebhookDelivery.id < window.after)
    query = query.order_by(WebhookDelivery.id.desc()).limit(window.limit + 1)
    return [(delivery, event_type) for delivery, event_type in await session.execute(query)]


async def search_attempts(
    session: AsyncSession, delivery_id: uuid.UUID, window: Window
) -> list[WebhookAttempt]:
    """A delivery's attempts, oldest first."""
    query = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
    return list(await session.scalars(window.over(query, WebhookAttempt.id)))


async def count_pending(session: AsyncSession, endpoint_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == PENDING)
        )
        or 0
    )


# --- the delivery worker (asyncpg) -----------------------------------------------------------

# Due deliveries of enabled endpoints, soonest first, none of the endpoints the worker has
# no room for; rows another worker holds are skipped (many replicas safe).
_DUE = """
SELECT d.id, d.endpoint_id
FROM gateway.webhook_deliveries d
JOIN gateway.webhook_endpoints e ON e.id = d.endpoint_id
WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.enabled
  AND NOT (d.endpoint_id = ANY($2::uuid[])) AND NOT (d.id = ANY($4::uuid[]))
ORDER BY d.next_attempt_at
LIMIT $3
FOR UPDATE OF d SKIP LOCKED
"""
# The claimed deliveries leased (due again after the lease if the worker dies), with all a
# try needs.
_LEASE = """
UPDATE gateway.webhook_deliveries d SET lease = $2, next_attempt_at = $3
FROM gateway.webhook_endpoints e, gateway.webhook_events v
WHERE d.id = ANY($1::uuid[]) AND e.id = d.endpoint_id AND v.id = d.event_id
RETURNING d.id, d.endpoint_id, d.event_id, d.tries, e.url, e.secret_enc,
    e.previous_secret_enc, e.previous_secret_expires_at, v.body
"""


async def claim(
    conn: asyncpg.Connection,
    now: datetime,
    lease_until: datetime,
    lease: uuid.UUID,
    busy: list[uuid.UUID],
    room: dict[uuid.UUID, int],
    in_flight: list[uuid.UUID],
    limit: int,
    per_endpoint: int,
) -> list[asyncpg.Record]:
    """Lease due deliveries: at most ``limit``, per endpoint at most its ``room``
    (``per_endpoint`` for one without deliveries in flight), none of the endpoints ``busy``
    nor the deliveries ``in_flight`` here already."""
    async with conn.transaction():
        due = await conn.fetch(_DUE, now, busy, limit, in_flight)
        taken: list[uuid.UUID] = []
        left = dict(room)
        for row in due:
            endpoint = row["endpoint_id"]
            free = left.get(endpoint, per_endpoint)
            if free > 0:
                taken.append(row["id"])
                left[endpoint] = free - 1
        if not taken:
            return []
        return list(await conn.fetch(_LEASE, taken, lease, lease_until))


async def record_attempt(
    conn: asyncpg.Connection,
    delivery_id: uuid.UUID,
    at: datetime,
    status_code: int | None,
    duration_ms: int,
    excerpt: str | None,
    error: str | None,
) -> None:
    await conn.execute(
        "INSERT INTO gateway.webhook_attempts"
        " (id, delivery_id, at, status_code, duration_ms, response_excerpt, error)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        uuid7(),
        delivery_id,
        at,
        status_code,
        duration_ms,
        excerpt,
        error,
    )


async def settle(
    conn: asyncpg.Connection,
    delivery_id: uuid.UUID,
    lease: uuid.UUID,
    *,
    status: str,
    tries: int,
    next_attempt_at: datetime | None,
    at: datetime,
    status_code: int | None,
    error: str | None,
) -> bool:
    """A try's outcome on its delivery, if the worker still holds it (False: its lease ran
    out and another worker took it over)."""
    done = await conn.execute(
        "UPDATE gateway.webhook_deliveries SET status = $3::varchar, tries = $4,"
        " attempts = attempts + 1, next_attempt_at = COALESCE($5, next_attempt_at),"
        " last_attempt_at = $6, last_status_code = $7, last_error = $8, lease = NULL,"
        " succeeded_at = CASE WHEN $3::varchar = 'succeeded' THEN $6 ELSE succeeded_at END"
        " WHERE id = $1 AND lease = $2",
        delivery_id,
        lease,
        status,
        tries,
        next_attempt_at,
        at,
        status_code,
        error,
    )
    return bool(done != "UPDATE 0")


async def endpoint_health(
    conn: asyncpg.Connection, endpoint_id: uuid.UUID
) -> asyncpg.Record | None:
    """An endpoint's ``enabled`` and ``failing_since``, locked until the transaction ends."""
    return await conn.fetchrow(
        "SELECT enabled, failing_since FROM gateway.webhook_endpoints WHERE id = $1 FOR UPDATE",
        endpoint_id,
    )


async def set_failing_since(
    conn: asyncpg.Connection, endpoint_id: uuid.UUID, since: datetime | None
) -> None:
    await conn.execute(
        "UPDATE gateway.webhook_endpoints SET failing_since = $2 WHERE id = $1"
        " AND failing_since IS DISTINCT FROM $2",
        endpoint_id,
        since,
    )


async def disable_endpoint(
    conn: asyncpg.Connection, endpoint_id: uuid.UUID, at: datetime, reason: str
) -> None:
    await conn.execute(
        "UPDATE gateway.webhook_endpoints SET enabled = false, disabled_at = $2,"
        " disabled_reason = $3, updated_at = now() WHERE id = $1 AND enabled",
        endpoint_id,
        at,
        reason,
    )
