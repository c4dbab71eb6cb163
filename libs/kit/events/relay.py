"""Outbox relay: publishes committed events to JetStream, then marks them published.

Safe with many replicas (``FOR UPDATE SKIP LOCKED``). Woken by LISTEN/NOTIFY, with a polling
fallback. ``Nats-Msg-Id`` = event id, so a relay that dies between publish and mark
re-publishes into JetStream's duplicate window and the stream drops the copy; the
window (2 h) is far longer than the relay's retry horizon (it retries within seconds of
a restart), and consumers' inboxes catch anything older.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence

import asyncpg

from kit.events.bus import EventBus
from kit.events.outbox import notify_channel
from kit.events.tasks import raise_if_cancelling
from kit.metrics import OUTBOX_PUBLISHED

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        bus: EventBus,
        schema: str,
        *,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        publish_timeout: float = 10.0,
    ) -> None:
        self.pool = pool
        self.bus = bus
        self.schema = schema
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.publish_timeout = publish_timeout
        self._wake = asyncio.Event()
        self._select = (
            # payload as text: published as stored, never decoded and re-encoded
            f"SELECT id, subject, payload::text AS payload FROM {schema}.outbox "
            "WHERE published_at IS NULL "
            "ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED"
        )

    async def run(self) -> None:
        listener = await self._listen()
        failures = 0
        try:
            while True:
                await self.bus.ready.wait()
                try:
                    published = await self.publish_batch()
                    failures = 0
                except (OSError, asyncpg.PostgresError, ConnectionError, TimeoutError) as exc:
                    raise_if_cancelling()
                    failures += 1
                    log.warning("outbox relay (%s): %s", self.schema, exc)
                    await asyncio.sleep(min(0.2 * 2**failures, 5.0))
                    continue
                if published < self.batch_size:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                    if listener is None or listener.is_closed():
                        listener = await self._listen()
        finally:
            if listener is not None and not listener.is_closed():
                await listener.remove_listener(notify_channel(self.schema), self._on_notify)
                await self.pool.release(listener)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _listen(self) -> asyncpg.Connection | None:
        with contextlib.suppress(OSError, asyncpg.PostgresError):
            conn: asyncpg.Connection = await self.pool.acquire()
            await conn.add_listener(notify_channel(self.schema), self._on_notify)
            return conn
        return None  # polling keeps working without LISTEN

    async def publish_batch(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(self._select, self.batch_size)
            if not rows:
                return 0
            try:
                await self._publish(rows)
            except (ConnectionError, TimeoutError, OSError) as exc:
                await conn.execute(
                    f"UPDATE {self.schema}.outbox SET attempts = attempts + 1, last_error = $2 "
                    "WHERE id = ANY($1::uuid[])",
                    [r["id"] for r in rows],
                    str(exc)[:500],
                )
                raise
            await self.mark_published(conn, [r["id"] for r in rows])
        OUTBOX_PUBLISHED.labels(self.schema).inc(len(rows))
        return len(rows)

    async def _publish(self, rows: Sequence[asyncpg.Record]) -> None:
        js = self.bus.js
        futures = [
            await js.publish_async(
                r["subject"], r["payload"].encode(), headers={"Nats-Msg-Id": str(r["id"])}
            )
            for r in rows
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*futures), self.publish_timeout)
        except Exception as exc:
            for f in futures:
                f.cancel()
            raise ConnectionError(f"publish failed: {exc!r}") from exc

    async def mark_published(self, conn: asyncpg.Connection, ids: list[uuid.UUID]) -> None:
        await conn.execute(
            f"UPDATE {self.schema}.outbox SET published_at = now() WHERE id = ANY($1::uuid[])",
            ids,
        )
