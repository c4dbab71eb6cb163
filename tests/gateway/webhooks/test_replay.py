"""A delivery retried by hand, an endpoint replayed over a window, the attempts log, and
endpoints that do not hold each other up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.webhooks import fanout, rules
from gateway.webhooks.worker import DeliveryWorker
from kit.events.envelope import CloudEvent
from kit.events.tasks import stop
from kit.testing import Platform, eventually

from tests.gateway.webhooks.conftest import (
    DELIVERIES,
    ENDPOINTS,
    Clocked,
    add_endpoint,
    attempted,
    attempts,
    deliveries,
    register_enterprise,
)
from tests.gateway.webhooks.receiver import Receiver, respond

HUBEI = ("province", "420000")


async def replay(platform: Platform, endpoint: str, since: datetime, until: datetime) -> Any:
    return await platform["gateway"].post(
        f"{ENDPOINTS}/{endpoint}:replay",
        json={"since": since.isoformat(), "until": until.isoformat()},
        headers=platform.auth(*HUBEI),
    )


class TestRetry:
    async def test_a_failed_delivery_is_sent_again_with_its_id(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        receiver.reply = respond(400, body=b"x" * 5000)
        endpoint = await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        for n, delay in enumerate(rules.RETRY_DELAYS, start=1):
            await attempted(platform, n)
            clocked.advance(delay)
        await attempted(platform, rules.MAX_TRIES)
        [failed] = await deliveries(platform, endpoint["id"], status="failed")
        logged = await attempts(platform, failed["id"])
        assert [a["status_code"] for a in logged] == [400] * rules.MAX_TRIES
        assert logged[0]["response_excerpt"] == "x" * rules.EXCERPT_BYTES  # bounded
        assert logged[0]["error"] is None  # it answered: its status says what went wrong
        assert failed["last_error"] == "HTTP 400" and failed["next_attempt_at"] is None

        receiver.reply = respond(204)
        r = await platform["gateway"].post(
            f"{DELIVERIES}/{failed['id']}:retry", headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 202 and r.json()["status"] == "pending"
        await attempted(platform, rules.MAX_TRIES + 1)
        [done] = await deliveries(platform, endpoint["id"])
        assert done["status"] == "succeeded" and done["attempts"] == rules.MAX_TRIES + 1
        assert len(receiver.ids()) == 1 and receiver.requests[-1].id == failed["event_id"]

    async def test_another_units_delivery_is_missing(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        endpoint = await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        [delivery] = await eventually(lambda: deliveries(platform, endpoint["id"]))
        other = platform.auth("province", "440000")
        for r in (
            await platform["gateway"].post(f"{DELIVERIES}/{delivery['id']}:retry", headers=other),
            await platform["gateway"].get(f"{DELIVERIES}/{delivery['id']}/attempts", headers=other),
        ):
            assert r.status_code == 404 and r.json()["code"] == "WEBHOOK_DELIVERY_NOT_FOUND"


class TestReplay:
    async def test_replay_resends_the_windows_events_with_their_ids(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        endpoint = await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        await eventually(lambda: _is(len(receiver.verified) == 1))
        between = datetime.now(UTC)
        await register_enterprise(platform)
        await register_enterprise(platform)
        await eventually(lambda: _is(len(receiver.verified) == 3))
        first, *later = receiver.verified

        r = await replay(platform, endpoint["id"], between, datetime.now(UTC) + timedelta(1))
        assert r.status_code == 202 and r.json() == {"deliveries": 2}
        await eventually(lambda: _is(len(receiver.verified) == 5))
        again = receiver.verified[3:]
        assert {d.id for d in again} == {d.id for d in later}  # the same webhook-ids
        assert {d.body for d in again} == {d.body for d in later}
        assert first.id not in {d.id for d in again}
        r = await replay(platform, endpoint["id"], between - timedelta(days=30), between)
        assert r.json() == {"deliveries": 1}

    async def test_a_window_ends_after_it_begins(self, platform: Platform) -> None:
        created = await platform["gateway"].post(
            ENDPOINTS, json={"url": "http://127.0.0.1:9/x"}, headers=platform.auth(*HUBEI)
        )
        now = datetime.now(UTC)
        r = await replay(platform, created.json()["id"], now, now)
        assert r.status_code == 422 and r.json()["code"] == "WEBHOOK_REPLAY_WINDOW_INVALID"

    async def test_a_disabled_endpoint_is_enabled_before_a_replay(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        receiver.reply = respond(410)
        endpoint = await add_endpoint(platform, receiver)
        since = datetime.now(UTC)
        await register_enterprise(platform)
        await attempted(platform, 1)

        async def disabled() -> bool:
            r = await platform["gateway"].get(
                f"{ENDPOINTS}/{endpoint['id']}", headers=platform.auth(*HUBEI)
            )
            return not r.json()["enabled"]

        await eventually(disabled)
        until = datetime.now(UTC) + timedelta(minutes=1)
        r = await replay(platform, endpoint["id"], since, until)
        assert r.status_code == 409 and r.json()["code"] == "WEBHOOK_ENDPOINT_DISABLED"
        assert "410" in r.json()["detail"]
        r = await platform["gateway"].post(
            f"{ENDPOINTS}/{endpoint['id']}:enable", headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 200
        receiver.reply = respond(204)
        assert (await replay(platform, endpoint["id"], since, until)).json()["deliveries"] == 1
        await attempted(platform, 2)
        assert len(receiver.ids()) == 1 and len(receiver.requests) == 2


class TestSlowEndpoint:
    async def test_a_slow_endpoint_does_not_delay_another(
        self,
        platform: Platform,
        receiver: Receiver,
        receivers: Callable[[], Awaitable[Receiver]],
    ) -> None:
        slow = receiver
        slow.hold = asyncio.Event()  # answers nothing until released
        fast = await receivers()
        await add_endpoint(platform, slow)
        await add_endpoint(platform, fast)
        events = 2 * platform.settings.webhooks_per_endpoint
        # All at once, as a burst of events fans out: every delivery is due together.
        ctx = platform.apps["gateway"].state.ctx
        async with ctx.db.sessions() as session, session.begin():
            await fanout.fan_out(session, [_event() for _ in range(events)])
        await eventually(lambda: _is(len(fast.verified) == events), message="all sent fast")
        # The slow one holds as many deliveries as it may have in flight, and no more.
        room = platform.settings.webhooks_per_endpoint
        assert len(slow.requests) <= room
        await eventually(lambda: _is(len(slow.requests) == room))
        assert slow.verified and not (await _succeeded(platform))
        slow.hold.set()
        await eventually(lambda: _is(len(slow.ids()) == events), message="the slow caught up")


class TestReplicas:
    async def test_two_workers_send_each_delivery_once(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        await add_endpoint(platform, receiver)
        other = DeliveryWorker(platform.apps["gateway"].state.ctx, clock=clocked.clock)
        task = asyncio.create_task(other.run())  # a second gateway replica's worker
        try:
            ctx = platform.apps["gateway"].state.ctx
            async with ctx.db.sessions() as session, session.begin():
                await fanout.fan_out(session, [_event() for _ in range(20)])
            await attempted(platform, 20)
            await eventually(lambda: _is(len(receiver.requests) == 20))
        finally:
            await stop([task])
        assert len(receiver.ids()) == 20  # none sent twice
        rows = await ctx.db.pool.fetch("SELECT status, attempts FROM gateway.webhook_deliveries")
        assert {(r["status"], r["attempts"]) for r in rows} == {("succeeded", 1)}


async def _succeeded(platform: Platform) -> int:
    """Deliveries to the slow endpoint (the first registered) that succeeded."""
    pool = platform.apps["gateway"].state.ctx.db.pool
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM gateway.webhook_deliveries d"
            " WHERE d.status = 'succeeded' AND d.endpoint_id ="
            " (SELECT id FROM gateway.webhook_endpoints ORDER BY id LIMIT 1)"
        )
    )


def _event() -> CloudEvent:
    return CloudEvent.new(
        service="registry",
        aggregate="enterprise",
        event="updated",
        subject="x",
        data={},
        province="42",
        version=2,
    )


async def _is(value: bool) -> bool:
    return value
