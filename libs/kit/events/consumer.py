"""Idempotent JetStream consumers (durable pull, explicit ack after commit, inbox, DLQ).

A fetched batch is applied in one transaction (the fast path); if any event fails, the
batch is rolled back and replayed one event per transaction, so one poison event cannot
hold the others back. An event that keeps failing goes to the dead-letter stream with
its error once ``max_deliver`` is reached.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kit.db import describe, is_database_error
from kit.events.bus import DLQ_PREFIX, EventBus
from kit.events.envelope import CloudEvent, stream_name
from kit.events.tasks import raise_if_cancelling
from kit.metrics import EVENTS_DEAD_LETTERED, EVENTS_PROCESSED

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, list[CloudEvent]], Awaitable[None]]
T = TypeVar("T")


def route(table: Mapping[str, T], event: CloudEvent) -> T | None:
    """The entry of ``table`` for the event's ``<aggregate>.<event>``, else for
    ``<aggregate>.*`` (every event of an aggregate), else for ``*`` (every event); None if
    the table has none of them."""
    exact = table.get(event.route)
    if exact is not None:
        return exact
    aggregate = table.get(event.route.split(".", 1)[0] + ".*")
    return aggregate if aggregate is not None else table.get("*")


async def dispatch(routes: Mapping[str, Handler], session: AsyncSession, event: CloudEvent) -> None:
    """Apply ``event`` with the handler ``routes`` give it (none: the event is not ours)."""
    handler = route(routes, event)
    if handler is not None:
        await handler(session, event)


@dataclass(frozen=True)
class Subscription:
    """Events of ``source`` (a service) that this service applies to its data: each event
    goes to the handler its ``routes`` give it (see ``route``); the others are skipped.

    ``batch_handler``, when given, applies a whole fetched batch of routed events at once
    (in order); the routes are then only the fallback when a batch fails.

    ``name`` tells apart two subscriptions of one service to the same source: each is a
    durable consumer of its own (``durable_name``), with its own inbox rows, so each sees
    every event of the stream.
    """

    source: str
    routes: Mapping[str, Handler]
    batch_handler: BatchHandler | None = None
    name: str = ""

    async def handle(self, session: AsyncSession, event: CloudEvent) -> None:
        await dispatch(self.routes, session, event)


def durable_name(service: str, source: str, name: str = "") -> str:
    return f"{service}-{name}--{source}" if name else f"{service}--{source}"


class PoisonEvent(Exception):
    """The message is not an event at all: retrying cannot help."""


class Consumer:
    def __init__(
        self,
        service: str,
        subscription: Subscription,
        sessions: async_sessionmaker[AsyncSession],
        bus: EventBus,
        inbox: Table,
        *,
        batch_size: int = 256,
        max_deliver: int = 5,
        backoff: Sequence[float] = (1.0, 5.0, 30.0),
    ) -> None:
        self.subscription = subscription
        self.durable = durable_name(service, subscription.source, subscription.name)
        self.stream = stream_name(subscription.source)
        self.sessions = sessions
        self.bus = bus
        self.inbox = inbox
        self.batch_size = batch_size
        self.max_deliver = max_deliver
        self.backoff = list(backoff) or [1.0]

    async def run(self) -> None:
        while True:
            await self.bus.ready.wait()
            try:
                psub = await self._subscribe()
                while True:
                    try:
                        msgs = await psub.fetch(self.batch_size, timeout=1.0)
                    except (FetchTimeoutError, TimeoutError):
                        msgs = []
                    raise_if_cancelling()
                    if msgs:
                        await self.process(msgs)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                raise_if_cancelling()
                log.warning("consumer %s: %s", self.durable, exc)
                await asyncio.sleep(1.0)

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        # The source's stream may not exist yet (its service starts later): create it.
        await self.bus.ensure_stream(self.stream, [f"zjtx.{self.subscription.source}.>"])
        return await self.bus.js.pull_subscribe(
            f"zjtx.{self.subscription.source}.>",
            durable=self.durable,
            stream=self.stream,
            config=ConsumerConfig(
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL,
                max_deliver=self.max_deliver + 1,  # we dead-letter on the last one ourselves
                ack_wait=60,
                max_ack_pending=10_000,
            ),
        )

    async def process(self, msgs: Sequence[Msg]) -> None:
        parsed: list[tuple[Msg, CloudEvent]] = []
        for msg in msgs:
            try:
                parsed.append((msg, CloudEvent.from_json(msg.data)))
            except Exception as exc:
                await self._dead_letter(msg, PoisonEvent(f"unreadable event: {exc}"))
        if not parsed:
            return
        try:
            async with self.sessions() as session, session.begin():
                await self.apply_many(session, [event for _, event in parsed])
        except Exception:
            for msg, event in parsed:
                await self._process_one(msg, event)
            return
        for msg, _ in parsed:
            await msg.ack()
        EVENTS_PROCESSED.labels(self.durable).inc(len(parsed))

    async def _process_one(self, msg: Msg, event: CloudEvent) -> None:
        try:
            async with self.sessions() as session, session.begin():
                await self.apply(session, event)
        except Exception as exc:
            await self._failed(msg, exc)
            return
        await msg.ack()
        EVENTS_PROCESSED.labels(self.durable).inc()

    async def apply_many(self, session: AsyncSession, events: list[CloudEvent]) -> None:
        batch = self.subscription.batch_handler
        if batch is None:
            for event in events:
                await self.apply(session, event)
            return
        fresh = set(
            (
                await session.execute(
                    insert(self.inbox)
                    .values(
                        [
                            {"consumer": self.durable, "event_id": e.id, "event_type": e.type}
                            for e in events
                        ]
                    )
                    .on_conflict_do_nothing()
                    .returning(self.inbox.c.event_id)
                )
            ).scalars()
        )
        await batch(
            session,
            [e for e in events if e.id in fresh and route(self.subscription.routes, e) is not None],
        )

    async def apply(self, session: AsyncSession, event: CloudEvent) -> bool:
        """Apply one event unless the inbox says it was applied already. True if applied."""
        first = await session.execute(
            insert(self.inbox)
            .values(consumer=self.durable, event_id=event.id, event_type=event.type)
            .on_conflict_do_nothing()
            .returning(self.inbox.c.event_id)
        )
        if first.first() is None:
            return False
        await self.subscription.handle(session, event)
        return True

    async def _failed(self, msg: Msg, exc: Exception) -> None:
        delivered = msg.metadata.num_delivered
        if delivered >= self.max_deliver:
            await self._dead_letter(msg, exc)
            return
        delay = self.backoff[min(delivered - 1, len(self.backoff) - 1)]
        log.warning(
            "consumer %s: delivery %d failed (%s); retry in %ss",
            self.durable,
            delivered,
            _loggable(exc),
            delay,
        )
        await msg.nak(delay=delay)

    async def _dead_letter(self, msg: Msg, exc: Exception) -> None:
        error = _loggable(exc)[:2000]
        headers = {
            "Zjtx-Error": error.replace("\n", " "),
            "Zjtx-Original-Subject": msg.subject,
            "Zjtx-Consumer": self.durable,
        }
        if msg.headers and "Nats-Msg-Id" in msg.headers:
            headers["Nats-Msg-Id"] = f"{msg.headers['Nats-Msg-Id']}:{self.durable}"
        await self.bus.js.publish(f"{DLQ_PREFIX}.{self.durable}", msg.data, headers=headers)
        await msg.term()
        EVENTS_DEAD_LETTERED.labels(self.durable).inc()
        log.error("consumer %s: dead-lettered %s: %s", self.durable, msg.subject, error)


def _loggable(exc: BaseException) -> str:
    """A database error without the values the driver quotes (see ``kit.db``)."""
    if is_database_error(exc):
        return describe(exc)
    return "".join(traceback.format_exception_only(exc)).strip()
