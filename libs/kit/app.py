"""``create_app``: one FastAPI app per service, with the same lifespan, health and metrics."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.auth import TokenVerifier
from kit.context import ServiceContext
from kit.db import Database
from kit.errors import install_error_handlers
from kit.events.bus import EventBus
from kit.events.consumer import Consumer, Subscription
from kit.events.relay import OutboxRelay
from kit.events.tasks import stop
from kit.metrics import HTTP_LATENCY, HTTP_REQUESTS, OUTBOX_BACKLOG
from kit.settings import Settings, get_settings
from kit.tables import KitTables

log = logging.getLogger(__name__)


def client_request_id(raw: bytes) -> str | None:
    """The client's ``X-Request-ID``, kept for correlation only: printable ASCII, at most 64
    characters, anything else dropped (a header's bytes need not be UTF-8 at all)."""
    kept = bytes(b for b in raw if 0x20 <= b <= 0x7E)[:64].decode("ascii").strip()
    return kept or None


class RequestContextMiddleware:
    """Request id and request metrics.

    The request id is always the server's own (returned in ``X-Request-ID``): the audit must
    not carry an id a client chose. The client's id is kept beside it (``client_request_id``).
    """

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(16)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["client_request_id"] = next(
            (client_request_id(v) for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            requests, latency = self._metrics(scope["method"], path, status)
            requests.inc()
            latency.observe(time.perf_counter() - started)

    def _metrics(self, method: str, path: str, status: int) -> tuple[Counter, Histogram]:
        """The labelled series of a request, kept: ``labels()`` locks and hashes each time."""
        key = (method, path, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (
                HTTP_REQUESTS.labels(self.service, method, path, str(status)),
                HTTP_LATENCY.labels(self.service, method, path),
            )
        return series


def create_app(
    *,
    name: str,
    title: str,
    tables: KitTables,
    routers: Sequence[APIRouter],
    subscriptions: Sequence[Subscription] = (),
    settings: Settings | None = None,
    run_workers: bool = True,
) -> FastAPI:
    """A service app. ``run_workers=False`` serves HTTP without relay and consumers."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        s = settings or get_settings()
        db = await Database.connect(s.database_url)
        bus = EventBus(s.nats_url, name, s.stream_duplicate_window_seconds)
        bus.start([name])
        ctx = ServiceContext(name, s, db, bus, TokenVerifier(s), tables)
        app.state.ctx = ctx  # for tests and tools holding the app; requests use lifespan state
        workers: list[asyncio.Task[None]] = []
        if run_workers:
            relay = OutboxRelay(
                db.pool,
                bus,
                ctx.schema,
                batch_size=s.relay_batch_size,
                poll_seconds=s.relay_poll_seconds,
            )
            workers.append(asyncio.create_task(relay.run(), name=f"{name}-relay"))
            for sub in subscriptions:
                consumer = consumer_for(ctx, sub)
                workers.append(asyncio.create_task(consumer.run(), name=consumer.durable))
        try:
            yield {"ctx": ctx}
        finally:
            await stop(workers)
            await bus.close()
            await db.close()

    app = FastAPI(title=title, lifespan=lifespan, version="1.0.0")
    app.state.subscriptions = list(subscriptions)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, service=name)
    # Routes go onto the app itself: FastAPI keeps an included router nested and matches
    # through it twice per request, over a tenth of a primary-key read's CPU here.
    for router in (_ops_router(name), *routers):
        app.router.routes.extend(router.routes)
    return app


def consumer_for(ctx: ServiceContext, sub: Subscription) -> Consumer:
    s = ctx.settings
    return Consumer(
        ctx.name,
        sub,
        ctx.db.sessions,
        ctx.bus,
        ctx.tables.inbox,
        batch_size=s.consumer_batch_size,
        max_deliver=s.consumer_max_deliver,
        backoff=s.consumer_backoff_seconds,
    )


def _ops_router(name: str) -> APIRouter:
    router = APIRouter(tags=["ops"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": name}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        ctx: ServiceContext = request.state.ctx
        database = await ctx.db.ping()
        backlog = None
        if database:
            backlog = int(
                await ctx.db.pool.fetchval(
                    f"SELECT count(*) FROM {ctx.schema}.outbox WHERE published_at IS NULL"
                )
            )
            OUTBOX_BACKLOG.labels(ctx.schema).set(backlog)
        body = {
            "status": "ready" if database else "unavailable",
            "service": name,
            "database": "up" if database else "down",
            "nats": "up" if ctx.bus.connected else "down",
            "outbox_backlog": backlog,
        }
        return JSONResponse(body, status_code=200 if database else 503)

    @router.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
