"""Webhook tests: the registry and the gateway running, receivers on loopback (the
deployment setting that allows private addresses on), time made fast where retries wait."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from gateway.webhooks.worker import DeliveryWorker
from kit.context import ServiceContext
from kit.events.tasks import stop
from kit.settings import Settings
from kit.testing import Platform, eventually, make_settings, run_services

from tests.factories import enterprise
from tests.gateway.webhooks.receiver import Receiver

ENDPOINTS = "/api/v1/webhooks/endpoints"
DELIVERIES = "/api/v1/webhooks/deliveries"
ENTERPRISES = "/api/v1/registry/enterprises"


@pytest.fixture
def settings(database_url: str, nats_url: str, keys_dir: Path) -> Settings:
    return make_settings(
        database_url,
        nats_url,
        keys_dir,
        webhooks_allow_private=True,  # the receivers listen on loopback
        webhooks_poll_seconds=0.1,
    )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    await hook.start()
    yield hook
    if hook.hold is not None:
        hook.hold.set()
    await hook.stop()


@pytest.fixture
async def receivers() -> AsyncIterator[Callable[[], Awaitable[Receiver]]]:
    """More receivers, as a test asks for them."""
    started: list[Receiver] = []

    async def make() -> Receiver:
        hook = Receiver()
        await hook.start()
        started.append(hook)
        return hook

    yield make
    for hook in started:
        if hook.hold is not None:
            hook.hold.set()
        await hook.stop()


class FakeClock:
    """The wall clock plus what the test advanced it by: retries come due without waiting."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass
class Clocked:
    """The platform with its delivery worker on a clock the test moves."""

    platform: Platform
    clock: FakeClock
    worker: DeliveryWorker

    def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        self.worker.wake()


@asynccontextmanager
async def clocked_platform(settings: Settings, **worker: Any) -> AsyncIterator[Clocked]:
    """The registry and the gateway, the gateway's deliveries made by a worker on a fake
    clock (``worker``: its other options) instead of its own."""
    paused = settings.model_copy(update={"webhooks_deliver": False})
    async with run_services(paused, ["registry", "gateway"]) as platform:
        clock = FakeClock()
        delivering = DeliveryWorker(gateway_ctx(platform), clock=clock, **worker)
        task = asyncio.create_task(delivering.run(), name="test-webhook-worker")
        try:
            yield Clocked(platform, clock, delivering)
        finally:
            await stop([task])


@pytest.fixture
async def clocked(settings: Settings) -> AsyncIterator[Clocked]:
    async with clocked_platform(settings) as started:
        yield started


def gateway_ctx(platform: Platform) -> ServiceContext:
    ctx: ServiceContext = platform.apps["gateway"].state.ctx
    return ctx


async def add_endpoint(
    platform: Platform,
    hook: Receiver,
    role: str = "province",
    region: str = "420000",
    **body: Any,
) -> dict[str, Any]:
    """A registered endpoint delivering to ``hook``, which learns its secret."""
    r = await platform["gateway"].post(
        ENDPOINTS, json={"url": hook.url, **body}, headers=platform.auth(role, region)
    )
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    hook.secrets.append(created["secret"])
    return created


async def register_enterprise(platform: Platform, region: str = "420102") -> str:
    """An enterprise registered in ``region``: one ``enterprise.registered`` event."""
    body = enterprise(region)
    r = await platform["registry"].post(ENTERPRISES, json=body, headers=platform.auth("ministry"))
    assert r.status_code == 201, r.text
    return str(body["uscc"])


async def fanned_out(platform: Platform, events: int, source: str = "registry") -> None:
    """Wait until the webhooks consumer of ``source`` has taken ``events`` events in."""
    pool = gateway_ctx(platform).db.pool

    async def seen() -> bool:
        count = await pool.fetchval(
            "SELECT count(*) FROM gateway.inbox WHERE consumer = $1",
            f"gateway-webhooks--{source}",
        )
        return bool(count >= events)

    await eventually(seen, message=f"{events} events fanned out")


async def deliveries(
    platform: Platform,
    endpoint_id: str,
    role: str = "ministry",
    region: str = "100000",
    **query: str,
) -> list[dict[str, Any]]:
    r = await platform["gateway"].get(
        f"{ENDPOINTS}/{endpoint_id}/deliveries",
        params={"limit": "500", **query},
        headers=platform.auth(role, region),
    )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def attempts(platform: Platform, delivery_id: str) -> list[dict[str, Any]]:
    r = await platform["gateway"].get(
        f"{DELIVERIES}/{delivery_id}/attempts",
        params={"limit": "500"},
        headers=platform.auth("ministry"),
    )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def attempted(platform: Platform, count: int) -> None:
    """Wait until ``count`` attempts in all have been logged."""
    pool = gateway_ctx(platform).db.pool

    async def logged() -> bool:
        return bool(await pool.fetchval("SELECT count(*) FROM gateway.webhook_attempts") >= count)

    await eventually(logged, message=f"{count} attempts logged")
