"""Retries on the schedule, Retry-After, 410, five days of failure and secret rotation, with
time made fast (the worker's clock is the test's): nothing here waits for a retry."""

from __future__ import annotations

import itertools
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

import asyncpg
from gateway.webhooks import rules
from kit.testing import Platform, eventually

from tests.gateway.webhooks.conftest import (
    ENDPOINTS,
    Clocked,
    add_endpoint,
    attempted,
    fanned_out,
    gateway_ctx,
    register_enterprise,
)
from tests.gateway.webhooks.receiver import Receiver, respond


async def delivery_rows(platform: Platform) -> list[asyncpg.Record]:
    return list(
        await gateway_ctx(platform).db.pool.fetch(
            "SELECT * FROM gateway.webhook_deliveries ORDER BY created_at, id"
        )
    )


async def endpoint_row(platform: Platform) -> asyncpg.Record:
    row = await gateway_ctx(platform).db.pool.fetchrow("SELECT * FROM gateway.webhook_endpoints")
    assert row is not None
    return row


async def attempt_times(platform: Platform) -> list[Any]:
    return [
        r["at"]
        for r in await gateway_ctx(platform).db.pool.fetch(
            "SELECT at FROM gateway.webhook_attempts ORDER BY at"
        )
    ]


class TestReceiverDown:
    async def test_a_receiver_down_for_a_stretch_then_up_gets_everything_once_in_effect(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        await add_endpoint(platform, receiver)
        await receiver.stop()  # down: connections refused
        for _ in range(3):
            await register_enterprise(platform)
        await attempted(platform, 3)
        rows = await delivery_rows(platform)
        assert {r["status"] for r in rows} == {"pending"}
        assert all("连接失败" in r["last_error"] for r in rows)
        assert (await endpoint_row(platform))["failing_since"] is not None

        clocked.advance(timedelta(seconds=5))
        await attempted(platform, 6)
        receiver.reply = respond(500, body=b"maintenance")  # up, but failing
        await receiver.start()
        clocked.advance(timedelta(minutes=5))
        await attempted(platform, 9)
        receiver.reply = respond(200, body=b"ok")
        clocked.advance(timedelta(minutes=30))
        await attempted(platform, 12)

        rows = await delivery_rows(platform)
        assert [(r["status"], r["attempts"]) for r in rows] == [("succeeded", 4)] * 3
        # Each event came twice (the 500 and the 200), always with its own id, signed.
        assert len(receiver.requests) == 6 and len(receiver.verified) == 6
        assert receiver.ids() == {str(r["event_id"]) for r in rows}
        for event_id in receiver.ids():
            copies = [d for d in receiver.requests if d.id == event_id]
            assert len(copies) == 2 and copies[0].body == copies[1].body
            assert copies[0].event["id"] == event_id
        assert (await endpoint_row(platform))["failing_since"] is None  # a success ends it

    async def test_a_delivery_that_fails_every_try_fails_after_the_schedule(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        receiver.reply = respond(500)
        await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        for n, delay in enumerate(rules.RETRY_DELAYS, start=1):
            await attempted(platform, n)
            [row] = await delivery_rows(platform)
            assert row["status"] == "pending"
            wait = row["next_attempt_at"] - row["last_attempt_at"]
            assert delay <= wait < delay + timedelta(seconds=5), (n, wait)
            clocked.advance(delay)
        await attempted(platform, rules.MAX_TRIES)
        [row] = await delivery_rows(platform)
        assert (row["status"], row["attempts"]) == ("failed", 8)
        times = await attempt_times(platform)
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert all(
            d <= g < d + timedelta(seconds=5) for d, g in zip(rules.RETRY_DELAYS, gaps, strict=True)
        )
        assert len(receiver.requests) == 8 and receiver.ids() == {str(row["event_id"])}


class TestGone:
    async def test_410_disables_the_endpoint_and_says_why(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        receiver.reply = respond(410)
        endpoint = await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        await attempted(platform, 1)
        [row] = await delivery_rows(platform)

        async def disabled() -> dict[str, Any]:
            r = await platform["gateway"].get(
                f"{ENDPOINTS}/{endpoint['id']}", headers=platform.auth("province", "420000")
            )
            body: dict[str, Any] = r.json()
            return body if not body["enabled"] else {}

        shown = await eventually(disabled)
        assert "410" in shown["disabled_reason"] and shown["disabled_at"] is not None
        [row] = await delivery_rows(platform)
        assert row["status"] == "failed" and row["attempts"] == 1

        # Disabled, it takes no new deliveries (its events are kept, for a replay).
        await register_enterprise(platform)
        await fanned_out(platform, 2)
        assert len(await delivery_rows(platform)) == 1
        r = await platform["gateway"].post(
            f"{ENDPOINTS}/{endpoint['id']}:enable", headers=platform.auth("province", "420000")
        )
        assert r.status_code == 200 and r.json()["enabled"] is True
        assert r.json()["disabled_reason"] is None


class TestRetryAfter:
    async def test_429_waits_the_seconds_it_asks_for(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        receiver.reply = respond(429, {"Retry-After": "120"})
        await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        await attempted(platform, 1)
        [row] = await delivery_rows(platform)
        wait = row["next_attempt_at"] - row["last_attempt_at"]
        assert timedelta(seconds=120) <= wait < timedelta(seconds=125), wait  # not 5 s
        receiver.reply = respond(204)
        clocked.advance(timedelta(seconds=120))
        await attempted(platform, 2)
        assert [r["status"] for r in await delivery_rows(platform)] == ["succeeded"]

    async def test_503_waits_until_the_date_it_gives(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        back = clocked.clock() + timedelta(hours=3)
        receiver.reply = respond(503, {"Retry-After": format_datetime(back, usegmt=True)})
        await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        await attempted(platform, 1)
        [row] = await delivery_rows(platform)
        assert abs(row["next_attempt_at"] - back) < timedelta(seconds=2)


class TestFailingForDays:
    async def test_an_endpoint_failing_for_five_days_is_disabled(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        receiver.reply = respond(500)
        endpoint = await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        for n, delay in enumerate(rules.RETRY_DELAYS, start=1):
            await attempted(platform, n)
            clocked.advance(delay)
        await attempted(platform, rules.MAX_TRIES)
        assert (await endpoint_row(platform))["enabled"]  # 28 hours of failure: not yet

        clocked.advance(timedelta(days=4))
        await register_enterprise(platform)
        await attempted(platform, rules.MAX_TRIES + 1)

        async def disabled() -> asyncpg.Record | None:
            row = await endpoint_row(platform)
            return None if row["enabled"] else row

        row = await eventually(disabled, message="the endpoint disabled")
        assert "5 天" in row["disabled_reason"]
        r = await platform["gateway"].get(
            f"{ENDPOINTS}/{endpoint['id']}", headers=platform.auth("province_system", "420000")
        )
        assert r.json()["enabled"] is False and "连续投递失败" in r.json()["disabled_reason"]


class TestRotation:
    async def test_the_old_secret_signs_beside_the_new_one_for_24_hours(
        self, clocked: Clocked, receiver: Receiver
    ) -> None:
        platform = clocked.platform
        endpoint = await add_endpoint(platform, receiver)
        r = await platform["gateway"].post(
            f"{ENDPOINTS}/{endpoint['id']}:rotate-secret",
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 200, r.text
        receiver.secrets.append(r.json()["secret"])

        await register_enterprise(platform)
        await attempted(platform, 1)
        [first] = receiver.requests
        assert first.verified_by == [0, 1]  # either secret verifies it
        assert len(first.headers["webhook-signature"].split(" ")) == 2

        clocked.advance(rules.ROTATED_SECRET_SIGNS_FOR + timedelta(minutes=1))
        await register_enterprise(platform)
        await attempted(platform, 2)
        second = receiver.requests[1]
        assert second.verified_by == [1]  # only the new one, a day later
        assert len(second.headers["webhook-signature"].split(" ")) == 1
