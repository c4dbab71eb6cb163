"""Dead-lettered events can be replayed once their cause is fixed."""

from __future__ import annotations

import asyncio
import contextlib

import nats
import orjson
from kit.db import Database
from kit.events.bus import DLQ_STREAM, EventBus
from kit.events.consumer import Consumer, Subscription
from kit.events.envelope import CloudEvent
from kit.events.replay import replay_dead_letters
from kit.settings import Settings
from kit.testing import eventually
from registry.models import kit_tables
from sqlalchemy.ext.asyncio import AsyncSession


class TestReplay:
    async def test_replay_applies_dead_letters_after_the_fix(self, settings: Settings) -> None:
        broken = {"yes": True}
        applied: list[str] = []

        async def handler(session: AsyncSession, event: CloudEvent) -> None:
            if broken["yes"]:
                raise RuntimeError("downstream table missing")
            applied.append(event.subject)

        db = await Database.connect(settings.database_url)
        bus = EventBus(settings.nats_url, "replay-test", 60)
        bus.start(["registry"])
        consumer = Consumer(
            "tester",
            Subscription("registry", {"enterprise.registered": handler}),
            db.sessions,
            bus,
            kit_tables.inbox,
            max_deliver=2,
            backoff=[0.05],
        )
        task = asyncio.create_task(consumer.run())
        try:
            await asyncio.wait_for(bus.ready.wait(), 10)
            event = CloudEvent.new(
                service="registry",
                aggregate="enterprise",
                event="registered",
                subject="E1",
                data={},
                province="42",
                version=1,
            )
            nc = await nats.connect(settings.nats_url)
            js = nc.jetstream()
            await js.publish(event.nats_subject, orjson.dumps(event.to_dict()))

            async def dead_lettered() -> bool:
                return (await js.stream_info(DLQ_STREAM)).state.messages == 1

            await eventually(dead_lettered)
            assert applied == []

            broken["yes"] = False
            result = await replay_dead_letters(consumer)
            assert (result.replayed, result.failed) == (1, 0)
            assert applied == ["E1"]
            assert (await js.stream_info(DLQ_STREAM)).state.messages == 0
            # The inbox remembers it: a second replay or redelivery applies nothing.
            async with db.sessions.begin() as session:
                assert not await consumer.apply(session, event)
            await nc.close()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await bus.close()
            await db.close()
