"""``create_app``: one FastAPI app per service, with the same lifespan, health and metrics."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import traceback
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit import openapi
from kit import retention as retention_rules
from kit.audit_reader import audit_log_router
from kit.auth import TokenVerifier
from kit.context import ServiceContext
from kit.db import Database, DatabaseFailure, describe, is_database_error
from kit.errors import HEADERS_TOO_LARGE, INTERNAL, install_error_handlers, problem_response
from kit.events.bus import EventBus
from kit.events.consumer import Consumer, Subscription
from kit.events.relay import OutboxRelay
from kit.events.tasks import stop
from kit.metrics import HTTP_LATENCY, HTTP_REQUESTS, OUTBOX_BACKLOG
from kit.settings import Settings, get_settings
from kit.tables import KitTables

log = logging.getLogger(__name__)

Worker = Callable[[ServiceContext], Coroutine[Any, Any, None]]
"""A background loop of a service beside its relay and consumers (the gateway's webhook
deliveries): started with them, given the service's context, cancelled at shutdown."""


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


class ErrorBoundaryMiddleware:
    """An unexpected exception becomes the INTERNAL problem, and the connection stays open.

    Starlette renders a handler for ``Exception`` in its outermost middleware and then
    re-raises, so that the server logs it; uvicorn then closes the connection, and the
    client's next request on it is lost. Here the exception is logged and ends with the
    response. Only a response already under way is left to fail (half a body cannot be
    taken back: closing the connection is the only way to tell the client).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            _log_unexpected(scope, exc)
            await problem_response(Request(scope), INTERNAL())(scope, receive, send)


def _log_unexpected(scope: Scope, exc: BaseException) -> None:
    """The exception's types and stack, never its messages: a database error's message holds
    the statement's parameters and the failing row, personal data among them. A database
    error is told by ``kit.db.describe`` (statement, SQLSTATE, constraint; no values)."""
    causes: list[str] = []
    if isinstance(exc, DatabaseFailure):
        causes.append(str(exc))
    elif is_database_error(exc):
        causes.append(describe(exc))
    seen: BaseException | None = exc
    while seen is not None and len(causes) < 5:
        code = getattr(seen, "sqlstate", None)  # asyncpg's, and its DB-API adapter's
        causes.append(type(seen).__qualname__ + (f" (SQLSTATE {code})" if code else ""))
        seen = seen.__cause__ or seen.__context__
    log.error(
        "unexpected %s in %s %s (request %s)\n%s",
        " <- ".join(causes),
        scope["method"],
        getattr(scope.get("route"), "path", "unmatched"),
        scope.get("state", {}).get("request_id"),
        "".join(traceback.format_tb(exc.__traceback__)),
    )


MAX_HEADER_BYTES = 8 * 1024


class HeaderLimitMiddleware:
    """Request headers over 8 KB in all are refused with 431 (RFC 6585), before any work:
    no header this API reads is near that (a bearer token is under 1 KB)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            sum(len(k) + len(v) for k, v in scope["headers"]) > MAX_HEADER_BYTES
        ):
            error = HEADERS_TOO_LARGE(limit=MAX_HEADER_BYTES // 1024)
            await problem_response(Request(scope), error)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(
    *,
    name: str,
    title: str,
    tables: KitTables,
    routers: Sequence[APIRouter],
    subscriptions: Sequence[Subscription] = (),
    workers: Sequence[Worker] = (),
    retention: Sequence[retention_rules.Rule] = (),
    settings: Settings | None = None,
    run_workers: bool = True,
) -> FastAPI:
    """A service app. ``run_workers=False`` serves HTTP without relay, consumers,
    ``workers`` and the purge of what is past its ``retention`` (the outbox's, always)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        s = settings or get_settings()
        db = await Database.connect(s.database_url)
        bus = EventBus(s.nats_url, name, s.stream_duplicate_window_seconds)
        bus.start([name])
        ctx = ServiceContext(name, s, db, bus, TokenVerifier(s), tables)
        app.state.ctx = ctx  # for tests and tools holding the app; requests use lifespan state
        tasks: list[asyncio.Task[None]] = []
        if run_workers:
            relay = OutboxRelay(
                db.pool,
                bus,
                ctx.schema,
                batch_size=s.relay_batch_size,
                poll_seconds=s.relay_poll_seconds,
            )
            tasks.append(asyncio.create_task(relay.run(), name=f"{name}-relay"))
            for sub in subscriptions:
                consumer = consumer_for(ctx, sub)
                tasks.append(asyncio.create_task(consumer.run(), name=consumer.durable))
            for worker in (*workers, retention_rules.worker(retention)):
                tasks.append(asyncio.create_task(worker(ctx), name=f"{name}-{worker.__name__}"))
        try:
            yield {"ctx": ctx}
        finally:
            await stop(tasks)
            await bus.close()
            await db.close()

    app = FastAPI(
        title=title,
        lifespan=lifespan,
        version="1.0.0",
        docs_url=None,
        redoc_url=None,
    )
    app.state.subscriptions = list(subscriptions)
    install_error_handlers(app)
    app.add_middleware(ErrorBoundaryMiddleware)
    app.add_middleware(HeaderLimitMiddleware)
    app.add_middleware(RequestContextMiddleware, service=name)
    # Routes go onto the app itself: FastAPI keeps an included router nested and matches
    # through it twice per request, over a tenth of a primary-key read's CPU here.
    for router in (_ops_router(name), audit_log_router(name), *routers):
        app.router.routes.extend(router.routes)
    openapi.install(app, name)
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

    @router.get("/readyz", responses={503: {"description": "数据库不可用 / database down"}})
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

    @router.get("/metrics", response_class=PlainTextResponse)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
