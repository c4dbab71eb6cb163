"""Pytest plugin: real PostgreSQL and NATS for every test, nothing mocked.

The servers are the ones named by ``DATABASE_URL`` / ``NATS_URL``, or embedded ones started
for the session. Two tiers:

- ``platform``: end to end. Each test gets a fresh database cloned from a migrated template
  (≈50 ms) and a NATS server without streams, and runs the services in-process with their
  relays and consumers — for contracts, flows and reliability.
- ``service``: one service's domain code called directly, in a transaction rolled back after
  the test, over one migrated database per worker; its replicas are fed by its own handlers
  with real CloudEvents, and what it would publish is read from its outbox — for domain rules.
"""

from __future__ import annotations

import asyncio
import faulthandler
import functools
import importlib
import itertools
import os
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import nats
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.app import consumer_for
from kit.auth import Principal, Role, TokenVerifier, issue_token
from kit.context import ServiceContext
from kit.db import Database
from kit.events.bus import EventBus
from kit.events.consumer import Subscription
from kit.events.envelope import CloudEvent
from kit.infra import Infrastructure, start_infrastructure
from kit.jwks import JWKS_PATH
from kit.migrations import upgrade_all
from kit.settings import Settings

T = TypeVar("T")
_counter = itertools.count()
# A test (setup, call and teardown) that runs longer than this has hung.
TEST_DEADLINE_SECONDS = float(os.environ.get("ZJTX_TEST_DEADLINE_SECONDS", "240"))


class _Watchdog:
    """Turns a hung test into a failed run within minutes, with every thread's and asyncio
    task's stack on the real stderr, instead of a CI job that hangs until it is killed."""

    def __init__(self) -> None:
        self.stream = os.fdopen(os.dup(2), "w")  # pytest captures fd 2 during tests
        self.loop: asyncio.AbstractEventLoop | None = None
        self.test: str | None = None
        self.deadline = float("inf")
        threading.Thread(target=self._watch, name="test-watchdog", daemon=True).start()

    def begin(self, test: str) -> None:
        self.test, self.deadline = test, time.monotonic() + TEST_DEADLINE_SECONDS

    def end(self) -> None:
        self.test, self.deadline = None, float("inf")

    def _watch(self) -> None:
        while time.monotonic() < self.deadline:
            time.sleep(1)
        out = self.stream
        print(f"\n{self.test} hung for {TEST_DEADLINE_SECONDS:.0f}s; stacks:", file=out)
        out.flush()
        faulthandler.dump_traceback(out, all_threads=True)
        for task in asyncio.all_tasks(self.loop) if self.loop else ():
            print(task, file=out)
            task.print_stack(file=out)
        out.flush()
        os._exit(3)


_watchdog = _Watchdog()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _watchdog.begin(item.nodeid)
    yield
    _watchdog.end()


@pytest.fixture(scope="session", autouse=True)
async def _watched_loop() -> None:
    _watchdog.loop = asyncio.get_running_loop()


def _server_dsn(url: str, database: str) -> str:
    base = url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0]
    return f"{base}/{database}"


@pytest.fixture(scope="session")
def infra() -> Iterator[Infrastructure]:
    folder = Path(tempfile.mkdtemp(prefix="zjtx-test-"))
    folder.chmod(0o755)  # PostgreSQL may run as another user (root machines)
    # Tests empty NATS of its streams, so parallel workers (pytest-xdist) each start their
    # own; they share a given PostgreSQL, where every database name carries the worker's pid.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    nats_url = None if worker else os.environ.get("NATS_URL")
    started = start_infrastructure(folder, os.environ.get("DATABASE_URL"), nats_url)
    yield started
    started.close()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def keys_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="zjtx-keys-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
async def template_database(infra: Infrastructure) -> AsyncIterator[str]:
    name = f"zjtx_tpl_{os.getpid()}"
    admin = await asyncpg.connect(_server_dsn(infra.database_url, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = infra.database_url.rsplit("/", 1)[0] + f"/{name}"
        await asyncio.to_thread(upgrade_all, url)
        yield name
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def database_url(infra: Infrastructure, template_database: str) -> AsyncIterator[str]:
    name = f"zjtx_t{os.getpid()}_{next(_counter)}"
    admin = await asyncpg.connect(_server_dsn(infra.database_url, "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
        yield infra.database_url.rsplit("/", 1)[0] + f"/{name}"
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def nats_url(infra: Infrastructure) -> str:
    """The session's NATS, emptied of the streams earlier tests left behind."""
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()
    for info in await js.streams_info():
        await js.delete_stream(str(info.config.name))
    await nc.close()
    return infra.nats_url


def make_settings(database_url: str, nats_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "NATS_URL": nats_url,
        "data_dir": data_dir,
        "relay_poll_seconds": 0.2,
        "consumer_backoff_seconds": [0.05, 0.1, 0.2, 0.4],
        "consumer_max_deliver": 3,
        # The local key only, unless the test runs the gateway (run_services points every
        # service at its JWK Set then): never a gateway some other process serves here.
        "jwks_url": "",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str, nats_url: str, keys_dir: Path) -> Settings:
    return make_settings(database_url, nats_url, keys_dir)


@dataclass
class Platform:
    """Services running in-process against the test's database and NATS."""

    settings: Settings
    apps: dict[str, FastAPI]
    clients: dict[str, httpx.AsyncClient]

    def __getitem__(self, service: str) -> httpx.AsyncClient:
        return self.clients[service]

    def token(
        self,
        role: str,
        region: str = "100000",
        org: str | None = None,
        scopes: tuple[str, ...] = (),
    ) -> str:
        return issue_token(self.settings, role=role, region=region, org=org, scopes=list(scopes))

    def auth(
        self,
        role: str,
        region: str = "100000",
        org: str | None = None,
        scopes: tuple[str, ...] = (),
        **headers: str,
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, region, org, scopes)}", **headers}


def with_state(app: ASGIApp, state: dict[str, Any]) -> ASGIApp:
    """Give each request its own copy of the lifespan state, as uvicorn does."""

    async def stateful(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "state": dict(state)}, receive, send)

    return stateful


@asynccontextmanager
async def run_services(
    settings: Settings, names: list[str], **options: Any
) -> AsyncIterator[Platform]:
    """Start ``names`` with their lifespans (relay and consumers running) and HTTP clients."""
    async with AsyncExitStack() as stack:
        apps: dict[str, FastAPI] = {}
        clients: dict[str, httpx.AsyncClient] = {}
        transports: dict[str, httpx.ASGITransport] = {}
        for name in names:
            app = importlib.import_module(f"{name}.main").create(settings, **options)
            state = await stack.enter_async_context(app.router.lifespan_context(app))
            apps[name] = app
            transports[name] = httpx.ASGITransport(with_state(app, state or {}))
            clients[name] = await stack.enter_async_context(
                httpx.AsyncClient(transport=transports[name], base_url=f"http://{name}")
            )
        if "gateway" in transports:  # every service learns the gateway's keys, in process
            for app in apps.values():
                app.state.ctx.verifier.learn_keys_from(
                    f"http://gateway{JWKS_PATH}", transports["gateway"]
                )
        for app in apps.values():  # streams exist before a test publishes on its own
            await asyncio.wait_for(app.state.ctx.bus.ready.wait(), 10)
        yield Platform(settings, apps, clients)


DEFAULT_SERVICES = ("registry", "gateway")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "services(*names, **options): the services the platform fixture starts "
        f"(default {', '.join(DEFAULT_SERVICES)}); options go to each service's create(). "
        "The service fixture takes one name: the service-tier test's service.",
    )


@pytest.fixture
async def platform(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Platform]:
    """The services the closest ``@pytest.mark.services(...)`` names, running; a test starts
    only what it needs, as each service boots its relay and consumers."""
    marker = request.node.get_closest_marker("services")
    names = list(marker.args) if marker and marker.args else list(DEFAULT_SERVICES)
    options = dict(marker.kwargs) if marker else {}
    async with run_services(settings, names, **options) as started:
        yield started


@pytest.fixture(scope="session")
async def service_database(
    infra: Infrastructure, template_database: str
) -> AsyncIterator[Database]:
    """One migrated database for the worker's service-tier tests; each rolls its work back."""
    name = f"zjtx_svc_{os.getpid()}"
    admin = await asyncpg.connect(_server_dsn(infra.database_url, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
        db = await Database.connect(infra.database_url.rsplit("/", 1)[0] + f"/{name}", pool_size=2)
        yield db
        await db.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@dataclass
class ServiceTier:
    """One service's domain code, called directly inside a transaction the test rolls back.

    Services take ``(session, ctx, principal, payload)``; so does a test of this tier. Code
    that reads through ``ctx.db.pool`` (raw asyncpg, outside the session) sees nothing of the
    test's transaction: test it end to end instead.
    """

    ctx: ServiceContext
    session: AsyncSession
    subscriptions: tuple[Subscription, ...]

    def principal(
        self,
        role: str,
        region: str = "100000",
        org: str | None = None,
        scopes: tuple[str, ...] = (),
    ) -> Principal:
        return Principal(f"test-{role}", Role(role), region, org, frozenset(scopes))

    async def receive(self, *events: CloudEvent) -> None:
        """Apply ``events`` as the service's consumers do: the inbox, the routes and the
        batch handler of the subscription to each event's source."""
        for sub in self.subscriptions:
            mine = [e for e in events if e.source == f"/services/{sub.source}"]
            if mine:
                await consumer_for(self.ctx, sub).apply_many(self.session, mine)
        await self.session.flush()

    async def emitted(self, route: str = "") -> list[CloudEvent]:
        """What the service wrote to its outbox in this test whose ``<aggregate>.<event>``
        starts with ``route``, oldest first."""
        outbox = self.ctx.tables.outbox
        await self.session.flush()
        rows = await self.session.scalars(
            select(outbox.c.payload).order_by(outbox.c.created_at, outbox.c.id)
        )
        events = [CloudEvent.from_dict(dict(r)) for r in rows]
        return [e for e in events if e.route.startswith(route)]


@functools.cache
def _service_parts(name: str) -> tuple[Any, tuple[Subscription, ...]]:
    """A service's kit tables and subscriptions, as its app is built with them."""
    app = importlib.import_module(f"{name}.main").create(None, run_workers=False)
    tables = importlib.import_module(f"{name}.models").kit_tables
    return tables, tuple(app.state.subscriptions)


@pytest.fixture
async def service(
    request: pytest.FixtureRequest, service_database: Database, keys_dir: Path
) -> AsyncIterator[ServiceTier]:
    """The service the closest ``@pytest.mark.services(name)`` names, as a ``ServiceTier``."""
    marker = request.node.get_closest_marker("services")
    assert marker and len(marker.args) == 1, "the service tier takes @services(<one name>)"
    name = marker.args[0]
    tables, subscriptions = _service_parts(name)
    db = service_database
    settings = make_settings(db.engine.url.render_as_string(False), "nats://unused", keys_dir)
    async with db.engine.connect() as conn:
        outer = await conn.begin()
        # Every session of the test, the service's own included, joins the outer transaction:
        # their commits end savepoints, and the rollback below undoes everything.
        sessions = async_sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        ctx = ServiceContext(
            name,
            settings,
            Database(db.engine, sessions, db.pool),
            EventBus(settings.nats_url, name, settings.stream_duplicate_window_seconds),
            TokenVerifier(settings),
            tables,
        )
        async with sessions() as session:
            tier = ServiceTier(ctx, session, subscriptions)
            assert not await tier.emitted(), "an earlier service-tier test left rows behind"
            yield tier
        await outer.rollback()


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: float = 10.0,
    interval: float = 0.02,
    message: str = "condition not met",
) -> T:
    """Poll ``probe`` until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"{message} within {timeout}s (last: {last!r})")
