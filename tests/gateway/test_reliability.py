"""Event delivery under failure: crashes, duplicates, NATS outages, poison events."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import nats
import orjson
import pytest
from kit.events.bus import DLQ_STREAM
from kit.events.envelope import CloudEvent
from kit.events.relay import OutboxRelay
from kit.infra import EmbeddedNats
from kit.settings import Settings
from kit.testing import Platform, eventually, make_settings, run_services

from tests.factories import enterprise

ENTERPRISES = "/api/v1/registry/enterprises"
ROOT = Path(__file__).resolve().parents[2]  # where ``-m tests.fixtures…`` resolves
CHILD_DEADLINE = 60.0  # seconds for a cold interpreter to import kit and publish, busy CI
OVERVIEW = "/api/v1/column/overview"


async def province_count(platform: Platform, province: str) -> int:
    r = await platform["gateway"].get(OVERVIEW, headers=platform.auth("ministry"))
    assert r.status_code == 200, r.text
    return int(next(p for p in r.json()["provinces"] if p["province"] == province)["enterprises"])


async def register(platform: Platform, region: str = "420102") -> dict[str, Any]:
    body = enterprise(region)
    r = await platform["registry"].post(ENTERPRISES, json=body, headers=platform.auth("ministry"))
    assert r.status_code == 201, r.text
    return body


async def stream_messages(nats_url: str, stream: str) -> int:
    nc = await nats.connect(nats_url)
    try:
        info = await nc.jetstream().stream_info(stream)
        return int(info.state.messages)
    finally:
        await nc.close()


@pytest.fixture
async def registry_without_relay(settings: Settings) -> AsyncIterator[Platform]:
    """The registry serves HTTP but its relay is stopped; the test drives relays by hand."""
    async with (
        run_services(settings, ["gateway"]) as gateway,
        run_services(settings, ["registry"], run_workers=False) as registry,
    ):
        yield Platform(
            settings, {**gateway.apps, **registry.apps}, {**gateway.clients, **registry.clients}
        )


class TestRelayKilled:
    async def test_a_relay_killed_between_publish_and_mark_is_published_once(
        self, registry_without_relay: Platform
    ) -> None:
        platform = registry_without_relay
        await register(platform)
        settings = platform.settings
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.fixtures.relay_process",
            settings.database_url,
            settings.nats_url,
            str(settings.stream_duplicate_window_seconds),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            said = await asyncio.wait_for(child.stdout.readline(), CHILD_DEADLINE)
            if said != b"published 1\n":
                child.kill()
                raise AssertionError((said, await child.stderr.read()))
            # JetStream holds the event, the outbox row is not yet marked: now kill -9.
            assert await stream_messages(settings.nats_url, "ZJTX_REGISTRY") == 1
            child.send_signal(signal.SIGKILL)
            assert await child.wait() == -signal.SIGKILL
        finally:
            if child.returncode is None:
                child.kill()
                await child.wait()

        ctx = platform.apps["registry"].state.ctx
        assert await unpublished(ctx) == 1  # the mark died with its transaction
        # The killed relay's row lock lasts until PostgreSQL notices the dropped connection.
        relay = OutboxRelay(ctx.db.pool, ctx.bus, "registry")
        assert await eventually(relay.publish_batch, message="the row republished") == 1
        await eventually(lambda: _equals(province_count(platform, "42"), 1))
        # JetStream dropped the second publish (same Nats-Msg-Id): one message in the stream.
        assert await stream_messages(settings.nats_url, "ZJTX_REGISTRY") == 1
        assert await unpublished(ctx) == 0
        gateway = platform.apps["gateway"].state.ctx
        await eventually(lambda: _inbox_seen(gateway, 1, stream_check=platform))
        assert await read_model_inbox(gateway) == 1
        assert await province_count(platform, "42") == 1


async def read_model_inbox(gateway: Any) -> int:
    """The events the read model's registry consumer applied (the webhooks' and the change
    feed's consumers keep inbox rows of their own)."""
    return int(
        await gateway.db.pool.fetchval(
            "SELECT count(*) FROM gateway.inbox WHERE consumer = 'gateway--registry'"
        )
    )


async def unpublished(ctx: Any) -> int:
    return int(
        await ctx.db.pool.fetchval(
            "SELECT count(*) FROM registry.outbox WHERE published_at IS NULL"
        )
    )


class TestDuplicateDelivery:
    async def test_event_delivered_twice_is_counted_once(self, platform: Platform) -> None:
        await register(platform)
        await eventually(lambda: _equals(province_count(platform, "42"), 1))
        ctx = platform.apps["registry"].state.ctx
        payload = await ctx.db.pool.fetchval("SELECT payload FROM registry.outbox LIMIT 1")
        event = CloudEvent.from_dict(payload)
        # Beyond JetStream's duplicate window: the same event under another message id.
        nc = await nats.connect(platform.settings.nats_url)
        await nc.jetstream().publish(
            event.nats_subject,
            orjson.dumps(payload),
            headers={"Nats-Msg-Id": "redelivered-" + str(event.id)},
        )
        await nc.close()
        gateway = platform.apps["gateway"].state.ctx
        await eventually(lambda: _inbox_seen(gateway, 2, stream_check=platform))
        assert await province_count(platform, "42") == 1
        assert await read_model_inbox(gateway) == 1


class TestNatsOutage:
    async def test_writes_land_while_nats_is_down_and_flow_after(
        self, database_url: str, keys_dir: Path, tmp_path: Path
    ) -> None:
        server = EmbeddedNats(tmp_path / "nats")
        server.start()
        try:
            settings = make_settings(database_url, server.url, keys_dir)
            async with run_services(settings, ["registry", "gateway"]) as platform:
                await register(platform)
                await eventually(lambda: _equals(province_count(platform, "42"), 1))

                server.stop()
                for _ in range(3):
                    await register(platform)  # writes keep succeeding
                ready = await platform["registry"].get("/readyz")
                assert ready.status_code == 200
                assert ready.json()["nats"] == "down"
                assert ready.json()["outbox_backlog"] == 3

                server.start()  # same port, same store
                await eventually(lambda: _equals(province_count(platform, "42"), 4), timeout=20)
                ready = await platform["registry"].get("/readyz")
                assert ready.json()["outbox_backlog"] == 0
        finally:
            server.stop()


class TestPoisonEvent:
    async def test_poison_event_is_dead_lettered_and_others_flow(self, platform: Platform) -> None:
        poison = CloudEvent.new(
            service="registry",
            aggregate="enterprise",
            event="registered",
            subject="x",
            data={"unexpected": True},
            province="42",
            version=1,
        )
        nc = await nats.connect(platform.settings.nats_url)
        js = nc.jetstream()
        await js.publish(
            poison.nats_subject,
            orjson.dumps(poison.to_dict()),
            headers={"Nats-Msg-Id": str(poison.id)},
        )
        await js.publish("zjtx.registry.enterprise.registered", b"not json at all")
        await register(platform)
        await register(platform)
        await eventually(lambda: _equals(province_count(platform, "42"), 2))

        async def dead_letters() -> int:
            return int((await js.stream_info(DLQ_STREAM)).state.messages)

        # The read model's two; the webhooks' and the change feed's consumers dead-letter
        # their own copies of the unreadable one (the feed keeps the poison event as published).
        await eventually(lambda: _at_least(dead_letters(), 3), timeout=15)
        sub = await js.pull_subscribe(
            "zjtx.dlq.gateway--registry", durable="test-inspect", stream=DLQ_STREAM
        )
        msgs = await sub.fetch(2, timeout=2)
        errors = sorted(m.headers["Zjtx-Error"] for m in msgs if m.headers)
        assert any("KeyError" in e for e in errors)
        assert any("unreadable event" in e for e in errors)
        await nc.close()


async def _equals(value: Any, expected: int) -> bool:
    return bool(await value == expected)


async def _at_least(value: Any, expected: int) -> bool:
    return bool(await value >= expected)


async def _inbox_seen(gateway: Any, deliveries: int, stream_check: Platform) -> bool:
    """The gateway consumer has taken both copies off the stream (acked)."""
    nc = await nats.connect(stream_check.settings.nats_url)
    try:
        info = await nc.jetstream().consumer_info("ZJTX_REGISTRY", "gateway--registry")
        return bool(info.delivered.stream_seq >= deliveries and info.num_ack_pending == 0)
    finally:
        await nc.close()
