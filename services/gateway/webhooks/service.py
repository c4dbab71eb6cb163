"""Webhook endpoints and their deliveries, as their unit's users and systems manage them.

Writes happen in the request's session and never commit; a change that gives the delivery
worker something to do wakes it when the session commits.
"""

from __future__ import annotations

import uuid

from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.pagination import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession
from uuid6 import uuid7

from gateway.webhooks import event_filter, rules, urls
from gateway.webhooks import repository as repo
from gateway.webhooks.errors import (
    DELIVERY_NOT_FOUND,
    ENDPOINT_DISABLED,
    ENDPOINT_NOT_FOUND,
    REPLAY_TOO_LARGE,
    REPLAY_WINDOW_INVALID,
)
from gateway.webhooks.models import PENDING, WebhookDelivery, WebhookEndpoint
from gateway.webhooks.schemas import (
    AttemptRead,
    DeliveryRead,
    DeliveryStatus,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
    Replayed,
    ReplayWindow,
    SecretRotated,
)
from gateway.webhooks.scope import (
    ensure_manager,
    listed_unit,
    manages,
    unit_of_new_endpoint,
)
from gateway.webhooks.signing import new_secret, secret_context

REPLAY_LIMIT = 100_000  # events one replay re-sends; a longer window is split by the caller


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: EndpointCreate
) -> EndpointCreated:
    unit = unit_of_new_endpoint(principal, payload.unit)
    event_types = event_filter.checked(payload.event_types)
    await urls.check(payload.url, allow_private=ctx.settings.webhooks_allow_private)
    secret = new_secret()
    endpoint_id = uuid7()  # the secret's ciphertext is bound to it
    endpoint = WebhookEndpoint(
        id=endpoint_id,
        unit=unit,
        url=payload.url,
        description=payload.description,
        event_types=event_types,
        enabled=True,
        secret_enc=ctx.pii.encrypt(secret, context=secret_context(endpoint_id)),
        created_by=principal.sub,
    )
    session.add(endpoint)
    await session.flush()
    await session.refresh(endpoint)
    return EndpointCreated(**_read(endpoint).model_dump(), secret=secret)


async def _get(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, *, for_update: bool = False
) -> WebhookEndpoint:
    ensure_manager(principal)
    endpoint = await repo.get_endpoint(session, endpoint_id, for_update=for_update)
    if endpoint is None or not manages(principal, endpoint.unit):
        raise ENDPOINT_NOT_FOUND()
    return endpoint


def _read(endpoint: WebhookEndpoint) -> EndpointRead:
    return EndpointRead.model_validate(endpoint, from_attributes=True)


async def read(session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID) -> EndpointRead:
    return _read(await _get(session, principal, endpoint_id))


async def search(
    session: AsyncSession, principal: Principal, cursor: str | None, limit: int
) -> Page[EndpointRead]:
    window = Window.of_ids(cursor, limit)
    rows = await repo.search_endpoints(session, listed_unit(principal), window)
    page, next_page = window.split(rows)
    return Page(items=[_read(e) for e in page], next_cursor=next_page)


async def update(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    endpoint_id: uuid.UUID,
    payload: EndpointUpdate,
) -> EndpointRead:
    """Only what is sent changes; a new URL is checked as on registration."""
    endpoint = await _get(session, principal, endpoint_id, for_update=True)
    values = payload.model_dump(exclude_unset=True)
    if "url" in values:
        await urls.check(values["url"], allow_private=ctx.settings.webhooks_allow_private)
        endpoint.url = values["url"]
    if "event_types" in values:
        endpoint.event_types = event_filter.checked(values["event_types"])
    if "description" in values:
        endpoint.description = values["description"]
    await session.flush()
    await session.refresh(endpoint)
    return _read(endpoint)


async def remove(session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID) -> None:
    """The endpoint goes, with its deliveries and their attempts."""
    await session.delete(await _get(session, principal, endpoint_id, for_update=True))
    await session.flush()


async def rotate_secret(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, endpoint_id: uuid.UUID
) -> SecretRotated:
    """A new secret; the one it replaces signs beside it for ``ROTATED_SECRET_SIGNS_FOR``
    (a secret replaced before then stops at once: two sign at most)."""
    endpoint = await _get(session, principal, endpoint_id, for_update=True)
    secret = new_secret()
    expires = clock.now() + rules.ROTATED_SECRET_SIGNS_FOR
    endpoint.previous_secret_enc = endpoint.secret_enc
    endpoint.previous_secret_expires_at = expires
    endpoint.secret_enc = ctx.pii.encrypt(secret, context=secret_context(endpoint.id))
    await session.flush()
    return SecretRotated(secret=secret, previous_secret_expires_at=expires)


async def enable(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID
) -> EndpointRead:
    """Enabled again: its pending deliveries resume, its failure streak starts anew."""
    endpoint = await _get(session, principal, endpoint_id, for_update=True)
    if not endpoint.enabled:
        endpoint.enabled = True
        endpoint.disabled_at = endpoint.disabled_reason = endpoint.failing_since = None
        await session.flush()
        await repo.wake_workers(session)
        await session.refresh(endpoint)
    return _read(endpoint)


def _ensure_enabled(endpoint: WebhookEndpoint) -> None:
    if not endpoint.enabled:
        raise ENDPOINT_DISABLED(reason=endpoint.disabled_reason or "已停用")


async def search_deliveries(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    status: DeliveryStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[DeliveryRead]:
    await _get(session, principal, endpoint_id)
    window = Window.of_ids(cursor, limit)
    rows = await repo.search_deliveries(
        session, endpoint_id, status.value if status else None, window
    )
    page, next_page = window.split(rows, key=lambda row: str(row[0].id))
    return Page(items=[_delivery(d, t) for d, t in page], next_cursor=next_page)


def _delivery(delivery: WebhookDelivery, event_type: str) -> DeliveryRead:
    return DeliveryRead(
        id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=event_type,
        status=DeliveryStatus(delivery.status),
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if delivery.status == PENDING else None,
        last_attempt_at=delivery.last_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        succeeded_at=delivery.succeeded_at,
        created_at=delivery.created_at,
    )


async def _get_delivery(
    session: AsyncSession, principal: Principal, delivery_id: uuid.UUID, *, for_update: bool = False
) -> tuple[WebhookDelivery, WebhookEndpoint]:
    ensure_manager(principal)
    found = await repo.get_delivery(session, delivery_id, for_update=for_update)
    if found is None or not manages(principal, found[1].unit):
        raise DELIVERY_NOT_FOUND()
    return found


async def search_attempts(
    session: AsyncSession,
    principal: Principal,
    delivery_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> Page[AttemptRead]:
    await _get_delivery(session, principal, delivery_id)
    window = Window.of_ids(cursor, limit)
    page, next_page = window.split(await repo.search_attempts(session, delivery_id, window))
    return Page(
        items=[AttemptRead.model_validate(a, from_attributes=True) for a in page],
        next_cursor=next_page,
    )


async def retry(
    session: AsyncSession, principal: Principal, delivery_id: uuid.UUID
) -> DeliveryRead:
    """Sent again now, with a fresh schedule of retries (the same ``webhook-id``)."""
    delivery, endpoint = await _get_delivery(session, principal, delivery_id, for_update=True)
    _ensure_enabled(endpoint)
    delivery.status = PENDING
    delivery.tries = 0
    delivery.next_attempt_at = clock.now()
    await session.flush()
    await repo.wake_workers(session)
    return _delivery(delivery, await repo.event_type_of(session, delivery.event_id))


async def replay(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, window: ReplayWindow
) -> Replayed:
    """The window's events that the endpoint takes, sent again as new deliveries (each with
    its event's id as ``webhook-id``, as the first time)."""
    if window.until <= window.since:
        raise REPLAY_WINDOW_INVALID(since=window.since.isoformat(), until=window.until.isoformat())
    endpoint = await _get(session, principal, endpoint_id)
    _ensure_enabled(endpoint)
    events = await repo.events_in_window(
        session, endpoint, window.since, window.until, REPLAY_LIMIT + 1
    )
    if len(events) > REPLAY_LIMIT:
        raise REPLAY_TOO_LARGE(limit=REPLAY_LIMIT)
    await repo.add_deliveries(
        session, [{"endpoint_id": endpoint.id, "event_id": event} for event in events]
    )
    if events:
        await repo.wake_workers(session)
    return Replayed(deliveries=len(events))
