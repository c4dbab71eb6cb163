"""The webhook benchmarks: the registry and the gateway as real processes (the registry's
relay publishes to NATS, the gateway's consumers fan out, its worker delivers), receivers
on loopback in a process of their own (``bench/receivers.py``).

1. write → webhook received: enterprises POSTed in 湖北 at a fixed rate (each write started
   on schedule, however long the last took); per event, from the write's HTTP response to
   its webhook's arrival at unit 42's receiver; p50 and p99.
2. fan-out deliveries/s to 37 receivers, one endpoint per filing unit (``codes.UNITS``).
   The events are real: enterprises batch-upserted in every unit's regions, fanned out and
   delivered once (that first pass, batch → every webhook received, is reported too). Each
   worker round then puts every delivery back to pending and due in one transaction (with
   the worker's NOTIFY), and times first → last arrival while the worker drains the backlog:
   claim, lease, sign, POST, log the attempt, settle, as for any delivery. Alternating with
   it, a raw httpx POST loop in a process of its own sends the same bodies, with the same
   headers, to the same receivers, as many at once as the worker's ``max_in_flight``. Every
   round checks that each receiver got each of its unit's events, and the reference library
   (``standardwebhooks``) verifies a request of each receiver.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import uvloop
from gateway.webhooks.repository import CHANNEL
from gateway.webhooks.signing import signature_header
from gateway.webhooks.worker import USER_AGENT
from kit import codes
from kit.auth import issue_token
from kit.infra import free_port
from kit.settings import Settings
from standardwebhooks import Webhook

from bench.common import Servers, asyncpg_dsn, percentiles, uscc_for

ENDPOINTS = "/api/v1/webhooks/endpoints"
ENTERPRISES = "/api/v1/registry/enterprises"
BATCH = 1000  # enterprises per batch upsert
WAIT_SECONDS = 300.0


@dataclass(frozen=True)
class Scale:
    rate: float  # writes/s of the latency run
    seconds: float  # how long it writes
    per_unit: int  # events per unit of the fan-out
    rounds: int  # alternating rounds of worker and raw loop


FULL = Scale(25.0, 30.0, 500, 3)
QUICK = Scale(25.0, 10.0, 100, 2)


def regions_of(unit: str) -> list[str]:
    """Regions an enterprise of ``unit`` may be registered in (兵团 has only its own)."""
    counties = sorted(r for r in codes.REGIONS if codes.unit_of(r) == unit and r[-2:] != "00")
    return counties or [codes.unit_region(unit)]


def enterprise(serial: int, region: str) -> dict[str, str]:
    return {
        "uscc": uscc_for(serial, region),
        "name": f"推送基准企业{serial}",
        "region_code": region,
        "industry_code": "39",
    }


async def until(check: Callable[[], Awaitable[bool]], message: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out: {message}")
        await asyncio.sleep(0.05)


class Control:
    """The receivers' process, over its control port."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def ports(self) -> list[int]:
        return [int(p) for p in (await self.client.get("/ports")).json()]

    async def reset(self) -> None:
        (await self.client.post("/reset")).raise_for_status()

    async def arrivals(self) -> dict[int, list[tuple[str, float, str]]]:
        body = (await self.client.get("/arrivals")).json()
        return {int(p): [(a[0], a[1], a[2]) for a in got] for p, got in body.items()}

    async def count(self) -> int:
        return sum(len(a) for a in (await self.arrivals()).values())

    async def connections(self) -> int:
        return int((await self.client.get("/connections")).json())

    async def samples(self) -> dict[int, dict[str, Any]]:
        return {int(p): s for p, s in (await self.client.get("/samples")).json().items()}

    async def wait(self, n: int, message: str) -> dict[int, list[tuple[str, float, str]]]:
        async def arrived() -> bool:
            return await self.count() >= n

        await until(arrived, message)
        return await self.arrivals()


# ---- write → webhook latency ----------------------------------------------------------------


async def write_latency(
    reg: httpx.AsyncClient, control: Control, port: int, scale: Scale
) -> dict[str, Any]:
    """Writes in 湖北 started every 1/rate s; per event, response → webhook arrival."""
    hubei = regions_of("42")
    responded: dict[str, float] = {}

    async def write(serial: int) -> None:
        body = enterprise(serial, hubei[serial % len(hubei)])
        r = await reg.post(ENTERPRISES, json=body)
        responded[body["uscc"]] = time.monotonic()
        assert r.status_code == 201, r.text[:300]

    for serial in range(5):  # warm up: the relay, the consumers, the worker's connection
        await write(10_000_000 + serial)
    await control.wait(5, "the warm-up writes' webhooks")
    await control.reset()
    responded.clear()

    n = int(scale.rate * scale.seconds)
    writes = []
    began = time.monotonic()
    for i in range(n):
        await asyncio.sleep(max(0.0, began + i / scale.rate - time.monotonic()))
        writes.append(asyncio.create_task(write(20_000_000 + i)))
    await asyncio.gather(*writes)
    wrote_for = time.monotonic() - began
    arrivals = (await control.wait(n, "every write's webhook"))[port]
    first: dict[str, float] = {}
    for _, at, subject in arrivals:
        first.setdefault(subject, at)
    assert set(first) == set(responded), "a write's webhook is missing"
    latencies = [(first[uscc] - at) * 1000 for uscc, at in responded.items()]
    return {**percentiles(latencies), "rate": n / wrote_for, "writes": n}


# ---- fan-out ---------------------------------------------------------------------------------

Item = tuple[str, dict[str, str], bytes]  # url, headers, body


@dataclass
class Endpoint:
    unit: str
    port: int
    id: str
    secret: str


async def add_endpoints(
    gw: httpx.AsyncClient, units: list[str], ports: list[int]
) -> dict[int, Endpoint]:
    made: dict[int, Endpoint] = {}
    for unit, port in zip(units, ports, strict=True):
        r = await gw.post(ENDPOINTS, json={"url": f"http://127.0.0.1:{port}/hooks", "unit": unit})
        assert r.status_code == 201, r.text[:300]
        made[port] = Endpoint(unit, port, r.json()["id"], r.json()["secret"])
    return made


def check_round(
    arrivals: dict[int, list[tuple[str, float, str]]],
    expected: dict[int, set[str]],
) -> dict[str, Any]:
    """Every receiver got every event of its unit and nothing else; first → last arrival."""
    duplicates = 0
    for port, wanted in expected.items():
        got = arrivals.get(port, [])
        subjects = Counter(subject for _, _, subject in got)
        missing = wanted - set(subjects)
        foreign = set(subjects) - wanted
        if missing or foreign:
            raise RuntimeError(f"receiver {port}: {len(missing)} missing, {len(foreign)} foreign")
        duplicates += sum(c - 1 for c in subjects.values())
    times = [at for got in arrivals.values() for _, at, _ in got]
    seconds = max(times) - min(times)
    delivered = len(times)
    return {
        "deliveries": delivered,
        "duplicates": duplicates,
        "seconds": seconds,
        "per_s": delivered / seconds,
        "per_receiver_min": min(len(arrivals.get(p, [])) for p in expected),
    }


async def verify_samples(control: Control, endpoints: dict[int, Endpoint]) -> int:
    """How many receivers' first request the reference library verifies (raises if not)."""
    samples = await control.samples()
    for port, sample in samples.items():
        Webhook(endpoints[port].secret).verify(sample["body"], sample["headers"])
    return len(samples)


REDO = f"""
WITH again AS (
    UPDATE gateway.webhook_deliveries SET status = 'pending', tries = 0, lease = NULL,
        next_attempt_at = now(), succeeded_at = NULL
    RETURNING 1
)
SELECT count(*), pg_notify('{CHANNEL}', '') FROM again
"""

PENDING = "SELECT count(*) FROM gateway.webhook_deliveries WHERE status = 'pending'"
FORGET = "DELETE FROM gateway.webhook_deliveries"  # their attempts with them (cascade)
SETTLED = "SELECT count(*) FROM gateway.webhook_deliveries WHERE status = 'succeeded'"

ITEMS = """
SELECT e.url, d.event_id::text, v.body
FROM gateway.webhook_deliveries d
JOIN gateway.webhook_endpoints e ON e.id = d.endpoint_id
JOIN gateway.webhook_events v ON v.id = d.event_id
ORDER BY d.id
"""


async def worker_round(
    conn: asyncpg.Connection,
    control: Control,
    n: int,
    expected: dict[int, set[str]],
    gateway_cpu: Callable[[], float],
) -> dict[str, Any]:
    await control.reset()
    assert await conn.fetchval(SETTLED) == n
    cpu = gateway_cpu()
    redone = (await conn.fetchrow(REDO))[0]
    assert redone == n, redone
    result = check_round(await control.wait(n, "the worker's round"), expected)
    result["cpu_ms"] = (gateway_cpu() - cpu) * 1000 / n  # the gateway's, each delivery
    result["connections"] = await control.connections()

    async def settled() -> bool:
        return bool(await conn.fetchval(SETTLED) == n)

    await until(settled, "the worker settled every delivery")  # the next round starts quiet
    return result


async def raw_items(conn: asyncpg.Connection, endpoints: dict[int, Endpoint]) -> list[Item]:
    """The deliveries as the worker sends them: body, headers, signature."""
    secret = {f"http://127.0.0.1:{p}/hooks": e.secret for p, e in endpoints.items()}
    timestamp = int(time.time())
    items: list[Item] = []
    for url, event_id, body in await conn.fetch(ITEMS):
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT.decode(),
            "webhook-id": event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header([secret[url]], event_id, timestamp, body),
        }
        items.append((url, headers, bytes(body)))
    return items


@dataclass
class Bench:
    """What the measurements share: the servers' clients, the database, the scale."""

    reg: httpx.AsyncClient
    gw: httpx.AsyncClient
    control: Control
    dsn: str
    scale: Scale
    in_flight: int  # the worker's max_in_flight and per_endpoint: the raw loop's too
    per_endpoint: int
    gateway_cpu: Callable[[], float]


async def _raw_posts(items: list[Item], in_flight: int, per_receiver: int) -> float:
    """``in_flight`` POST loops over the items, a client per receiver holding at most
    ``per_receiver`` connections, as the worker holds per endpoint. (One client shared by
    all: at 64 connections over 37 receivers nearly every request opens a connection, and
    httpcore scans the whole pool per request; it ran at half this rate.)"""
    limits = httpx.Limits(max_connections=per_receiver, max_keepalive_connections=per_receiver)
    clients = {url: httpx.AsyncClient(limits=limits, timeout=15) for url in {i[0] for i in items}}
    work = iter(items)

    async def post_all() -> None:
        for url, headers, body in work:
            r = await clients[url].post(url, headers=headers, content=body)
            if r.status_code != 204:
                raise RuntimeError(f"{url}: {r.status_code}")

    try:
        cpu = time.process_time()
        await asyncio.gather(*[post_all() for _ in range(in_flight)])
        return time.process_time() - cpu
    finally:
        for client in clients.values():
            await client.aclose()


def raw_posts(items: list[Item], in_flight: int, per_receiver: int) -> float:
    """Entry point of the raw loop's process; the CPU seconds it used to send."""
    return uvloop.run(_raw_posts(items, in_flight, per_receiver))


async def raw_round(
    bench: Bench, items: list[Item], expected: dict[int, set[str]]
) -> dict[str, Any]:
    await bench.control.reset()
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor(1) as pool:
        cpu = await loop.run_in_executor(
            pool, raw_posts, items, bench.in_flight, bench.per_endpoint
        )
    result = check_round(await bench.control.wait(len(items), "the raw loop's round"), expected)
    result["cpu_ms"] = cpu * 1000 / len(items)
    result["connections"] = await bench.control.connections()
    return result


async def fan_out(bench: Bench, ports: list[int], hubei: Endpoint) -> dict[str, Any]:
    others = [u for u in codes.UNITS if u != "42"]
    spare = [p for p in ports if p != hubei.port]
    endpoints = {hubei.port: hubei, **await add_endpoints(bench.gw, others, spare)}
    port_of = {e.unit: p for p, e in endpoints.items()}
    expected: dict[int, set[str]] = {p: set() for p in endpoints}
    bodies: list[dict[str, str]] = []
    units = list(codes.UNITS)
    for n in range(bench.scale.per_unit * len(units)):  # the units interleaved, as writes come
        unit = units[n % len(units)]
        regions = regions_of(unit)
        body = enterprise(30_000_000 + n, regions[(n // len(units)) % len(regions)])
        bodies.append(body)
        expected[port_of[unit]].add(body["uscc"])

    conn = await asyncpg.connect(bench.dsn)
    try:
        await until(lambda: _none_pending(conn), "the latency run's deliveries settled")
        await conn.execute(FORGET)  # the rounds count and redo the fan-out's deliveries only
        rounds = await _fan_out_rounds(bench, conn, endpoints, bodies, expected)
    finally:
        await conn.close()
    return {
        "events": len(bodies),
        "receivers": len(endpoints),
        "in_flight": bench.in_flight,
        "per_endpoint": bench.per_endpoint,
        **rounds,
        "worker_per_s": max(r["worker"]["per_s"] for r in rounds["rounds"]),
        "raw_per_s": max(r["raw"]["per_s"] for r in rounds["rounds"]),
        "worker_cpu_ms": min(r["worker"]["cpu_ms"] for r in rounds["rounds"]),
        "raw_cpu_ms": min(r["raw"]["cpu_ms"] for r in rounds["rounds"]),
    }


async def _none_pending(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval(PENDING) == 0)


async def _fan_out_rounds(
    bench: Bench,
    conn: asyncpg.Connection,
    endpoints: dict[int, Endpoint],
    bodies: list[dict[str, str]],
    expected: dict[int, set[str]],
) -> dict[str, Any]:
    n, control = len(bodies), bench.control
    await control.reset()
    began = time.monotonic()
    for start in range(0, n, BATCH):
        r = await bench.reg.post(
            f"{ENTERPRISES}:batch-upsert", json={"items": bodies[start : start + BATCH]}
        )
        assert r.status_code == 200, r.text[:300]
    first_pass = check_round(await control.wait(n, "the first pass"), expected)
    first_pass["batch_to_last_s"] = (
        max(at for got in (await control.arrivals()).values() for _, at, _ in got) - began
    )

    async def settled() -> bool:
        return bool(await conn.fetchval(SETTLED) == n)

    await until(settled, "the first pass settled")
    rounds = []
    for _ in range(bench.scale.rounds):
        worker = await worker_round(conn, control, n, expected, bench.gateway_cpu)
        worker["verified_receivers"] = await verify_samples(control, endpoints)
        items = await raw_items(conn, endpoints)  # signed now: a fresh timestamp
        assert len(items) == n
        raw = await raw_round(bench, items, expected)
        raw["verified_receivers"] = await verify_samples(control, endpoints)
        rounds.append({"worker": worker, "raw": raw})
    return {"first_pass": first_pass, "rounds": rounds}


async def measure(
    servers: Servers, ports: dict[str, int], dsn: str, token: str, settings: Settings, quick: bool
) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"}

    def base(name: str) -> str:
        return f"http://127.0.0.1:{ports[name]}"

    async with (
        httpx.AsyncClient(base_url=base("registry"), headers=auth, timeout=120) as reg,
        httpx.AsyncClient(base_url=base("gateway"), headers=auth, timeout=120) as gw,
        httpx.AsyncClient(base_url=base("receivers"), timeout=120) as ctl,
    ):
        bench = Bench(
            reg,
            gw,
            Control(ctl),
            dsn,
            QUICK if quick else FULL,
            settings.webhooks_max_in_flight,
            settings.webhooks_per_endpoint,
            lambda: servers.cpu_seconds(ports["gateway"]),
        )
        receivers = await bench.control.ports()
        [hubei] = (await add_endpoints(gw, ["42"], receivers[:1])).values()
        latency = await write_latency(reg, bench.control, hubei.port, bench.scale)
        fan = await fan_out(bench, receivers, hubei)
    return {"latency_ms": latency, "fan_out": fan}


def run(servers: Servers, url: str, settings: Settings, quick: bool) -> dict[str, Any]:
    servers.env = {**servers.env, "ZJTX_WEBHOOKS_ALLOW_PRIVATE": "true"}  # loopback receivers
    ports = {
        "receivers": servers.start(
            ["-m", "bench.receivers", "--count", str(len(codes.UNITS))], free_port()
        ),
        "registry": servers.start(["-m", "kit.cli", "serve", "registry"], free_port()),
        "gateway": servers.start(["-m", "kit.cli", "serve", "gateway"], free_port()),
    }
    token = issue_token(settings, role="ministry", region="100000", ttl_seconds=24 * 3600)
    return asyncio.run(measure(servers, ports, asyncpg_dsn(url), token, settings, quick))


def table_rows(r: dict[str, Any]) -> list[str]:
    lat, fan = r["latency_ms"], r["fan_out"]
    first = fan["first_pass"]
    return [
        f"| webhooks: write → webhook received (POST /enterprises in 湖北, "
        f"{lat['rate']:.0f} writes/s, {lat['writes']} events) | p50 {lat['p50']:.0f} ms, "
        f"p99 {lat['p99']:.0f} ms | | | |",
        f"| webhooks: fan-out to {fan['receivers']} receivers ({fan['events']:,} deliveries "
        f"a round, all arrived; {fan['in_flight']} in flight, {fan['per_endpoint']} per "
        f"endpoint) | "
        f"{fan['worker_per_s']:,.0f} deliveries/s ({fan['worker_cpu_ms']:.1f} ms gateway CPU "
        f"each) | raw httpx POST loop {fan['raw_per_s']:,.0f}/s ({fan['raw_cpu_ms']:.1f} ms "
        f"CPU each) | {fan['worker_per_s'] / fan['raw_per_s']:.2f}× | ≥ 0.5× |",
        f"| webhooks: batch upsert → every webhook received (first pass) | "
        f"{first['deliveries'] / first['batch_to_last_s']:,.0f} events/s | | | |",
    ]
