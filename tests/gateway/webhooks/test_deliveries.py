"""Deliveries end to end: a registry write reaches a real HTTP receiver, signed, once in
effect, and only where it belongs."""

from __future__ import annotations

import orjson
from gateway.webhooks import fanout
from kit.events.envelope import CloudEvent
from kit.testing import Platform, eventually

from tests.gateway.webhooks.conftest import (
    add_endpoint,
    attempts,
    deliveries,
    fanned_out,
    gateway_ctx,
    register_enterprise,
)
from tests.gateway.webhooks.receiver import Receiver

REGISTERED = "cn.zjtx.registry.enterprise.registered.v1"


class TestSigned:
    async def test_the_cloudevent_arrives_as_published_and_signed(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        await add_endpoint(platform, receiver)
        uscc = await register_enterprise(platform)
        await eventually(lambda: _async(receiver.verified), message="a verified delivery")
        [delivery] = receiver.requests
        assert delivery.verified_by == [0]  # the reference library verifies it
        event = delivery.event
        assert delivery.id == event["id"]  # webhook-id is the event id
        assert delivery.headers["content-type"] == "application/json"
        assert event["type"] == REGISTERED and event["subject"] == uscc
        assert event["province"] == "42"
        published = await platform.apps["registry"].state.ctx.db.pool.fetchval(
            "SELECT payload::text FROM registry.outbox WHERE id = $1::uuid", event["id"]
        )
        assert delivery.body == published.encode()  # byte for byte as the relay sent it
        assert orjson.loads(published)["data"]["uscc"] == uscc

    async def test_a_delivery_and_its_attempt_are_logged(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        endpoint = await add_endpoint(platform, receiver)
        await register_enterprise(platform)
        await eventually(lambda: _async(receiver.verified))

        async def succeeded() -> list[dict[str, object]]:
            return [
                d for d in await deliveries(platform, endpoint["id"]) if d["status"] == "succeeded"
            ]

        [delivery] = await eventually(succeeded, message="the delivery succeeded")
        assert delivery["attempts"] == 1 and delivery["last_status_code"] == 204
        assert delivery["event_type"] == REGISTERED
        [attempt] = await attempts(platform, str(delivery["id"]))
        assert attempt["status_code"] == 204 and attempt["error"] is None
        assert attempt["duration_ms"] >= 0


class TestScoping:
    async def test_a_foreign_units_event_never_reaches_an_endpoint(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        hubei = await add_endpoint(platform, receiver)
        await register_enterprise(platform, "440103")  # 广东
        await register_enterprise(platform, "420102")  # 湖北
        await fanned_out(platform, 2)
        await eventually(lambda: _async(receiver.verified))
        assert [d.event["province"] for d in receiver.requests] == ["42"]
        assert len(await deliveries(platform, hubei["id"])) == 1
        kept = await gateway_ctx(platform).db.pool.fetchval(
            "SELECT count(*) FROM gateway.webhook_events"
        )
        assert kept == 1  # the other event matched no endpoint: not kept either

    async def test_in_one_batch_each_event_goes_to_its_units_endpoints(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        hubei = await add_endpoint(platform, receiver)
        every = await add_endpoint(platform, receiver, "ministry", "100000")
        events = [_event("44"), _event("42"), _event(None)]  # as one fetched batch
        ctx = gateway_ctx(platform)
        async with ctx.db.sessions() as session, session.begin():
            await fanout.fan_out(session, events)
        pairs = await ctx.db.pool.fetch(
            "SELECT endpoint_id::text, event_id::text FROM gateway.webhook_deliveries"
        )
        assert sorted((r["endpoint_id"], r["event_id"]) for r in pairs) == sorted(
            [(hubei["id"], str(events[1].id))]
            + [(every["id"], str(e.id)) for e in events]  # a unit-less event: theirs only
        )

    async def test_the_ministrys_endpoint_takes_every_unit(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        await add_endpoint(platform, receiver, "ministry", "100000")
        await register_enterprise(platform, "440103")
        await register_enterprise(platform, "330212")  # 宁波, a unit of its own
        await eventually(lambda: _async(len(receiver.verified) == 2))
        assert sorted(d.event["province"] for d in receiver.verified) == ["3302", "44"]

    async def test_a_type_filter_keeps_other_types_away(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        other = "cn.zjtx.registry.enterprise.updated.v1"
        await add_endpoint(platform, receiver, event_types=[other])
        await register_enterprise(platform)
        await fanned_out(platform, 1)
        pool = gateway_ctx(platform).db.pool
        assert await pool.fetchval("SELECT count(*) FROM gateway.webhook_deliveries") == 0
        assert receiver.requests == []


def _event(province: str | None) -> CloudEvent:
    return CloudEvent.new(
        service="registry",
        aggregate="enterprise",
        event="updated",
        subject="x",
        data={},
        province=province,
        version=2,
    )


async def _async(value: object) -> object:
    return value
