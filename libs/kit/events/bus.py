"""The NATS JetStream connection of a service: connects in the background, never blocks start.

Writes keep landing in the outbox while NATS is away; the relay and consumers wait on
``EventBus.ready`` and carry on once the connection is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from kit.events.envelope import stream_name
from kit.events.tasks import raise_if_cancelling, stop

log = logging.getLogger(__name__)

DLQ_STREAM = "ZJTX_DLQ"
DLQ_PREFIX = "zjtx.dlq"


class EventBus:
    def __init__(self, url: str, name: str, duplicate_window_seconds: int) -> None:
        self.url = url
        self.name = name
        self.duplicate_window = float(duplicate_window_seconds)
        self.nc: Client | None = None
        self._js: JetStreamContext | None = None
        self.ready = asyncio.Event()
        self._streams: list[str] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise ConnectionError("NATS is not connected")
        return self._js

    @property
    def connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    def start(self, own_streams: list[str]) -> None:
        self._streams = own_streams
        self._task = asyncio.create_task(self._connect_loop(), name=f"bus-connect-{self.name}")

    async def _connect_loop(self) -> None:
        delay = 0.2
        while True:
            try:
                nc = await nats.connect(
                    self.url,
                    name=self.name,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    disconnected_cb=self._on_disconnect,
                    reconnected_cb=self._on_reconnect,
                )
                self.nc, self._js = nc, nc.jetstream(timeout=5)
                for service in self._streams:
                    await self.ensure_stream(stream_name(service), [f"zjtx.{service}.>"])
                await self.ensure_stream(
                    DLQ_STREAM, [f"{DLQ_PREFIX}.>"], retention=RetentionPolicy.WORK_QUEUE
                )
                self.ready.set()
                return
            except Exception as exc:
                raise_if_cancelling()
                log.warning("NATS connect to %s failed (%s); retrying", self.url, exc)
                if self.nc is not None:
                    with contextlib.suppress(Exception):
                        await self.nc.close()
                    self.nc = self._js = None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _on_disconnect(self) -> None:
        self.ready.clear()

    async def _on_reconnect(self) -> None:
        self.ready.set()

    async def ensure_stream(
        self, name: str, subjects: list[str], retention: RetentionPolicy = RetentionPolicy.LIMITS
    ) -> None:
        config = StreamConfig(
            name=name,
            subjects=subjects,
            storage=StorageType.FILE,
            retention=retention,
            duplicate_window=self.duplicate_window,
        )
        try:
            await self.js.add_stream(config)
        except BadRequestError:
            await self.js.update_stream(config)

    async def close(self) -> None:
        if self._task is not None:
            await stop([self._task])
        if self.nc is not None:
            # Not drain(): it waits out pull subscriptions whose fetch was cancelled.
            with contextlib.suppress(Exception):
                await self.nc.flush(timeout=1)
            with contextlib.suppress(Exception):
                await self.nc.close()
        self.ready.clear()
