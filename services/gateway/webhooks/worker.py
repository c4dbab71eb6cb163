"""The delivery worker: POSTs due deliveries to their endpoints, signed, and reschedules the
ones that fail (``rules.RETRY_DELAYS``).

Shaped like the outbox relay (``kit.events.relay``): due rows are claimed with ``FOR UPDATE
SKIP LOCKED``, so any number of gateway replicas share the work; LISTEN/NOTIFY wakes it
(fan-out, retry, replay, enable), with a polling fallback. A claimed row is *leased* (due
again after ``LEASE``) rather than locked for the length of a request: a worker that dies
mid-try leaves its deliveries to the others, at least once.

Each try runs in a task of its own, at most ``max_in_flight`` in all and ``per_endpoint`` per
endpoint: an endpoint that hangs holds its own slots until its timeout, never another's.
Each endpoint has a connection pool of its own (``per_endpoint`` connections, kept alive
``KEEPALIVE``): one pool shared by every endpoint evicts one endpoint's idle connection to
connect another's, so with more endpoints than connections nearly every try opened a new
connection, and httpcore scans its whole pool on each request.

Time comes from ``clock`` (tests make it fast); the ``webhook-timestamp`` a receiver checks
against its own clock is the wall clock's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
import httpcore
from kit import clock as kit_clock
from kit.context import ServiceContext
from kit.db import describe
from kit.errors import ProblemError
from kit.events.tasks import raise_if_cancelling
from kit.pii import PiiError

from gateway.webhooks import repository as repo
from gateway.webhooks import rules, urls
from gateway.webhooks.models import FAILED, PENDING, SUCCEEDED
from gateway.webhooks.signing import secret_context, signature_header

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=rules.TIMEOUT_SECONDS + 45)
KEEPALIVE = timedelta(seconds=5)  # an idle connection's life; an unused endpoint's pool's too
USER_AGENT = b"zjtx-webhooks/1"
ERROR_CHARS = 500


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects a host only to the address its URL was checked for (``urls.resolve``), never
    to what another lookup returns; a host with no checked address is not connected at all."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._pins: dict[tuple[str, int], str] = {}

    def pin(self, target: urls.Target) -> None:
        port = target.url.port or (443 if target.url.scheme == "https" else 80)
        self._pins[(target.server_name, port)] = str(target.address)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        address = self._pins.get((host, port))
        if address is None:
            raise httpcore.ConnectError(f"{host}:{port} has no checked address")
        return await self._inner.connect_tcp(address, port, timeout, local_address, None)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: object = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are delivered over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@dataclass
class Outcome:
    status_code: int | None = None
    excerpt: str | None = None
    error: str | None = None
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class DeliveryWorker:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        clock: Callable[[], datetime] = kit_clock.now,
        allow_private: bool | None = None,
        max_in_flight: int | None = None,
        per_endpoint: int | None = None,
        poll_seconds: float | None = None,
        timeout: float = rules.TIMEOUT_SECONDS,
    ) -> None:
        s = ctx.settings
        self.ctx = ctx
        self.pool = ctx.db.pool
        self.clock = clock
        self.allow_private = s.webhooks_allow_private if allow_private is None else allow_private
        self.max_in_flight = max_in_flight or s.webhooks_max_in_flight
        self.per_endpoint = per_endpoint or s.webhooks_per_endpoint
        self.poll_seconds = poll_seconds or s.webhooks_poll_seconds
        self.timeout = timeout
        self._wake = asyncio.Event()
        self._tasks: dict[asyncio.Task[None], tuple[uuid.UUID, uuid.UUID]] = {}
        self._backend = PinnedBackend()
        self._pools: dict[uuid.UUID, httpcore.AsyncConnectionPool] = {}  # by endpoint
        self._used: dict[uuid.UUID, datetime] = {}  # when each pool last started a try

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        listener = await self._listen()
        failures = 0
        try:
            while True:
                self._wake.clear()  # before claiming: a notice during the claim is kept
                try:
                    started = await self.dispatch()
                    failures = 0
                except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                    raise_if_cancelling()
                    failures += 1
                    log.warning("webhook deliveries: %s", describe(exc))
                    await asyncio.sleep(min(0.2 * 2**failures, 5.0))
                    continue
                await self._close_unused_pools()
                if started:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                if listener is None or listener.is_closed():
                    listener = await self._listen()
        finally:
            await self._stop(listener)

    async def _stop(self, listener: asyncpg.Connection | None) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()
        if listener is not None and not listener.is_closed():
            await listener.remove_listener(repo.CHANNEL, self._on_notify)
            await self.pool.release(listener)

    def _pool(self, endpoint: uuid.UUID) -> httpcore.AsyncConnectionPool:
        pool = self._pools.get(endpoint)
        if pool is None:
            pool = self._pools[endpoint] = httpcore.AsyncConnectionPool(
                max_connections=self.per_endpoint,
                max_keepalive_connections=self.per_endpoint,
                keepalive_expiry=KEEPALIVE.total_seconds(),
                network_backend=self._backend,
            )
        self._used[endpoint] = self.clock()
        return pool

    @property
    def pooled_endpoints(self) -> set[uuid.UUID]:
        """The endpoints whose connections the worker keeps (a pool each)."""
        return set(self._pools)

    async def _close_unused_pools(self) -> None:
        """Close the pools of endpoints with no try in flight and none started for longer
        than a connection is kept alive (a deleted or quiet endpoint keeps no sockets)."""
        busy = {endpoint for endpoint, _ in self._tasks.values()}
        stale = self.clock() - KEEPALIVE
        for endpoint in [e for e, at in self._used.items() if at < stale and e not in busy]:
            del self._used[endpoint]
            await self._pools.pop(endpoint).aclose()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _listen(self) -> asyncpg.Connection | None:
        with contextlib.suppress(OSError, asyncpg.PostgresError):
            conn: asyncpg.Connection = await self.pool.acquire()
            await conn.add_listener(repo.CHANNEL, self._on_notify)
            return conn
        return None  # polling keeps working without LISTEN

    async def dispatch(self) -> int:
        """Claim what is due and start a try of each; how many were started."""
        free = self.max_in_flight - len(self._tasks)
        if free <= 0:
            return 0
        in_flight: dict[uuid.UUID, int] = {}
        for endpoint, _ in self._tasks.values():
            in_flight[endpoint] = in_flight.get(endpoint, 0) + 1
        now = self.clock()
        lease = uuid.uuid4()
        async with self.pool.acquire() as conn:
            rows = await repo.claim(
                conn,
                now,
                now + LEASE,
                lease,
                busy=[e for e, n in in_flight.items() if n >= self.per_endpoint],
                room={e: self.per_endpoint - n for e, n in in_flight.items()},
                in_flight=[d for _, d in self._tasks.values()],
                limit=free,
                per_endpoint=self.per_endpoint,
            )
        for row in rows:
            task = asyncio.create_task(self._deliver(row, lease), name=f"webhook-{row['id']}")
            self._tasks[task] = (row["endpoint_id"], row["id"])
            task.add_done_callback(self._done)
        return len(rows)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook delivery task failed: %r", task.exception())
        self._wake.set()

    async def _deliver(self, row: asyncpg.Record, lease: uuid.UUID) -> None:
        at = self.clock()
        started = time.perf_counter()
        outcome = await self._try(row, at)
        duration_ms = round((time.perf_counter() - started) * 1000)
        with contextlib.suppress(asyncpg.ForeignKeyViolationError):  # its endpoint was deleted
            await self._record(row, lease, at, outcome, duration_ms)

    async def _record(
        self, row: asyncpg.Record, lease: uuid.UUID, at: datetime, outcome: Outcome, ms: int
    ) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await repo.record_attempt(
                conn,
                row["id"],
                at,
                outcome.status_code,
                ms,
                outcome.excerpt,
                outcome.error and outcome.error[:ERROR_CHARS],
            )
            await self._settle(conn, row, lease, at, outcome)

    async def _try(self, row: asyncpg.Record, at: datetime) -> Outcome:
        try:
            secrets = self._secrets(row, at)
            async with asyncio.timeout(self.timeout):
                target = await urls.check(row["url"], allow_private=self.allow_private)
                self._backend.pin(target)
                return await self._post(target, row, secrets)
        except PiiError:  # its key is gone from the deployment's keys: nothing can sign
            return Outcome(error="签名密钥无法解密（密钥配置缺失），未发送")
        except ProblemError as exc:  # the address is not (or no longer) allowed
            return Outcome(error=exc.detail("zh"))
        except TimeoutError:
            return Outcome(error=f"超时：{self.timeout:g} 秒内未完成")
        except httpcore.ConnectError as exc:
            return Outcome(error=f"连接失败：{_brief(exc)}")
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.TimeoutException) as exc:
            return Outcome(error=f"请求失败（{type(exc).__name__}）：{_brief(exc)}")
        except Exception as exc:  # logged as a failed try: a delivery never wedges
            log.exception("webhook delivery %s: unexpected failure", row["id"])
            return Outcome(error=f"投递出错（{type(exc).__name__}）")

    async def _post(self, target: urls.Target, row: asyncpg.Record, secrets: list[str]) -> Outcome:
        body: bytes = row["body"]
        msg_id = str(row["event_id"])
        timestamp = int(time.time())
        headers = [
            (b"host", target.host_header.encode()),
            (b"content-type", b"application/json"),
            (b"user-agent", USER_AGENT),
            (b"webhook-id", msg_id.encode()),
            (b"webhook-timestamp", str(timestamp).encode()),
            (
                b"webhook-signature",
                signature_header(secrets, msg_id, timestamp, body).encode(),
            ),
        ]
        seconds = {"connect": self.timeout, "read": self.timeout, "write": self.timeout}
        async with self._pool(row["endpoint_id"]).stream(
            "POST",
            str(target.url).encode(),
            headers=headers,
            content=body,
            extensions={"timeout": {**seconds, "pool": self.timeout}},
        ) as response:
            excerpt = bytearray()
            async for chunk in response.aiter_stream():
                excerpt += chunk
                if len(excerpt) >= rules.EXCERPT_BYTES:
                    break
            retry_after = next(
                (v.decode("latin-1") for k, v in response.headers if k.lower() == b"retry-after"),
                None,
            )
            return Outcome(response.status, _excerpt(bytes(excerpt)), None, retry_after)

    def _secrets(self, row: asyncpg.Record, at: datetime) -> list[str]:
        """The endpoint's secret, and the one it replaced while that still signs."""
        pii, context = self.ctx.pii, secret_context(row["endpoint_id"])
        secrets = [pii.decrypt(row["secret_enc"], context=context)]
        expires = row["previous_secret_expires_at"]
        if row["previous_secret_enc"] is not None and expires is not None and at < expires:
            secrets.append(pii.decrypt(row["previous_secret_enc"], context=context))
        return secrets

    async def _settle(
        self,
        conn: asyncpg.Connection,
        row: asyncpg.Record,
        lease: uuid.UUID,
        at: datetime,
        outcome: Outcome,
    ) -> None:
        """The try's verdict on its delivery, and on its endpoint's health; retries count
        from when the try ended."""
        now = self.clock()
        endpoint = row["endpoint_id"]
        health = await repo.endpoint_health(conn, endpoint)  # locked: one verdict at a time
        if outcome.succeeded:
            held = await repo.settle(
                conn,
                row["id"],
                lease,
                status=SUCCEEDED,
                tries=row["tries"],
                next_attempt_at=None,
                at=at,
                status_code=outcome.status_code,
                error=None,
            )
            if held and health is not None and health["failing_since"] is not None:
                await repo.set_failing_since(conn, endpoint, None)  # read locked: current
            return
        tries = row["tries"] + 1
        gone = outcome.status_code == rules.GONE
        delay = None
        if outcome.status_code in rules.RETRY_AFTER_STATUSES:
            delay = rules.retry_after(outcome.retry_after, now)
        retry = None if gone else rules.next_try(tries, now, delay)
        held = await repo.settle(
            conn,
            row["id"],
            lease,
            status=PENDING if retry is not None else FAILED,
            tries=tries,
            next_attempt_at=retry,
            at=at,
            status_code=outcome.status_code,
            error=(outcome.error or f"HTTP {outcome.status_code}")[:ERROR_CHARS],
        )
        if not held or health is None or not health["enabled"]:
            return
        if gone:
            await repo.disable_endpoint(conn, endpoint, now, "接收端返回 410 Gone，端点已停用")
            log.warning("webhook endpoint %s disabled: 410 Gone", endpoint)
            return
        since = health["failing_since"] or now
        await repo.set_failing_since(conn, endpoint, since)
        if now - since >= rules.FAILING_DISABLES_AFTER:
            days = rules.FAILING_DISABLES_AFTER.days
            reason = (
                f"自 {since.astimezone(kit_clock.BEIJING):%Y-%m-%d %H:%M} 起连续投递失败超过"
                f" {days} 天，端点已停用"
            )
            await repo.disable_endpoint(conn, endpoint, now, reason)
            log.warning("webhook endpoint %s disabled: failing for %d days", endpoint, days)


def _excerpt(raw: bytes) -> str | None:
    """At most ``EXCERPT_BYTES`` of a response, as text PostgreSQL stores (no NUL)."""
    if not raw:
        return None
    return raw[: rules.EXCERPT_BYTES].decode("utf-8", "replace").replace("\x00", "\ufffd")


def _brief(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:300]


async def deliver(ctx: ServiceContext) -> None:
    """The gateway's worker (``kit.app.Worker``), unless this replica only fans out."""
    if ctx.settings.webhooks_deliver:
        await DeliveryWorker(ctx).run()
