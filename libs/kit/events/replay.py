"""Replays dead-lettered events through their consumer's handler (``zjtx replay SERVICE``)."""

from __future__ import annotations

from dataclasses import dataclass

from nats.js.errors import FetchTimeoutError

from kit.events.bus import DLQ_PREFIX, DLQ_STREAM
from kit.events.consumer import Consumer
from kit.events.envelope import CloudEvent


@dataclass
class ReplayResult:
    replayed: int = 0
    failed: int = 0


async def replay_dead_letters(consumer: Consumer, limit: int = 10_000) -> ReplayResult:
    """Apply each dead letter of ``consumer`` once more; success removes it from the DLQ."""
    result = ReplayResult()
    psub = await consumer.bus.js.pull_subscribe(
        f"{DLQ_PREFIX}.{consumer.durable}",
        durable=f"replay--{consumer.durable}",
        stream=DLQ_STREAM,
    )
    try:
        while result.replayed + result.failed < limit:
            try:
                msgs = await psub.fetch(100, timeout=1.0)
            except (FetchTimeoutError, TimeoutError):
                break
            for msg in msgs:
                try:
                    event = CloudEvent.from_json(msg.data)
                    async with consumer.sessions() as session, session.begin():
                        await consumer.apply(session, event)
                except Exception:
                    result.failed += 1
                    await msg.nak()
                    continue
                await msg.ack()
                result.replayed += 1
    finally:
        await psub.unsubscribe()
    return result
