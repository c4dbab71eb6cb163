"""The diagnosis benchmarks at 30,000 engagements (37 units, every state):

1. engagement transitions/s: the unit confirms reported engagements (``POST :confirm``, 16
   clients) — locked read, state check, history row, outbox event, commit — next to the same
   writes as bare asyncpg transactions (UPDATE + two INSERTs) from as many connections;
2. ``GET /stats`` (a unit's quality figures in a year) p50, next to the same aggregate as one
   SQL statement over asyncpg.

The engagements are COPYed in; the service runs as ``zjtx serve diagnosis``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx
from kit import clock, codes
from kit.auth import issue_token
from kit.infra import free_port
from kit.pii import PiiCipher
from kit.settings import Settings
from uuid6 import uuid7

from bench.common import Servers, asyncpg_dsn, http_latency, percentiles, uscc_for

API = "/api/v1/diagnosis"
CLIENTS = 16
STATES = ["requested", "assigned", "self_assessed", "reviewed", "confirmed", "cancelled"]
LEVELS = ["experience", "inspection", "assurance", "prevention", "excellence"]


@dataclass(frozen=True)
class Scale:
    engagements: int
    reported: int  # engagements left reported: the work of the transition runs
    seconds: float
    requests: int


FULL = Scale(30_000, 6_000, 20.0, 300)
QUICK = Scale(30_000, 2_000, 6.0, 100)

COLUMNS = [
    "id",
    "kind",
    "enterprise_uscc",
    "enterprise_name",
    "unit",
    "region_code",
    "batch",
    "mode",
    "expected_month",
    "focus_areas",
    "focus_other",
    "contact_name",
    "contact_title",
    "contact_mobile_enc",
    "contact_email_enc",
    "requested_on",
    "state",
    "institution_id",
    "institution_name",
    "level",
    "spot_level",
    "suggestions",
    "typical_case",
    "version",
]


def rows(
    scale: Scale, cipher: PiiCipher, today: date
) -> tuple[list[tuple[Any, ...]], list[uuid.UUID]]:
    """The engagements; the ids of Hubei's reported ones (the transitions' work)."""
    rng = random.Random(13)
    units = list(codes.UNITS)
    mobile = cipher.encrypt("13912345678", context="engagement.contact_mobile")
    institution = uuid7()
    out: list[tuple[Any, ...]] = []
    reported: list[uuid.UUID] = []
    for n in range(scale.engagements):
        hubei_reported = n < scale.reported
        unit = "42" if hubei_reported else rng.choice(units)
        region = codes.unit_region(unit)[:4] + "01" if len(unit) == 2 else unit + "03"
        kind = "quality" if n % 3 else "management"
        state = "reported" if hubei_reported else rng.choice(STATES)
        done = state == "confirmed"
        engagement_id = uuid7()
        if hubei_reported:
            reported.append(engagement_id)
        out.append(
            (
                engagement_id,
                "quality" if hubei_reported else kind,
                uscc_for(n, region),
                f"诊断基准企业{n}",
                unit,
                region,
                f"第{1 + n % 3}批",
                "online",
                None,
                ["basic"] if kind == "quality" or hubei_reported else ["strategy"],
                None,
                "联系人",
                None,
                mobile,
                None,
                today - timedelta(days=n % 300),
                state,
                None if state == "requested" else institution,
                None if state == "requested" else "基准诊断机构",
                rng.choice(LEVELS) if (done or hubei_reported) and kind == "quality" else None,
                None,
                2 if done or hubei_reported else 0,
                False,
                3,
            )
        )
    return out, reported


async def seed(dsn: str, records: list[tuple[Any, ...]]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "engagements", schema_name="diagnosis", columns=COLUMNS, records=records
        )
        await conn.execute("VACUUM (ANALYZE) diagnosis.engagements")
    finally:
        await conn.close()


# ---- transitions ----------------------------------------------------------------------------


async def confirm_until(
    client: httpx.AsyncClient, work: Iterator[uuid.UUID], auth: dict[str, str], until: float
) -> int:
    done = 0
    for engagement_id in work:
        r = await client.post(f"{API}/engagements/{engagement_id}:confirm", headers=auth)
        assert r.status_code == 200, r.text[:300]
        done += 1
        if time.perf_counter() >= until:
            break
    return done


async def confirms_per_second(
    port: int, work: Iterator[uuid.UUID], auth: dict[str, str], seconds: float
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=120, limits=limits
    ) as client:
        warm = time.perf_counter() + 1.5
        await asyncio.gather(*[confirm_until(client, work, auth, warm) for _ in range(CLIENTS)])
        began = time.perf_counter()
        counts = await asyncio.gather(
            *[confirm_until(client, work, auth, began + seconds) for _ in range(CLIENTS)]
        )
        elapsed = time.perf_counter() - began
    return {"per_s": sum(counts) / elapsed, "done": sum(counts), "seconds": elapsed}


BARE = [
    "SELECT state FROM diagnosis.engagements WHERE id = $1 FOR UPDATE",
    "UPDATE diagnosis.engagements SET state = 'confirmed', version = version + 1,"
    " updated_at = now() WHERE id = $1",
    "INSERT INTO diagnosis.engagement_transitions"
    " (engagement_id, from_state, to_state, by_subject, by_role, details)"
    " VALUES ($1, 'reported', 'confirmed', 'bench', 'province', '{}')",
    # Marked published: the service's relay is not to send the baseline's rows.
    "INSERT INTO diagnosis.outbox (id, subject, payload, published_at)"
    " VALUES ($1, 'zjtx.diagnosis.bench', $2, now())",
]


async def bare_until(pool: asyncpg.Pool, work: Iterator[uuid.UUID], until: float) -> int:
    done = 0
    payload = json.dumps({"state": "confirmed"})
    async with pool.acquire() as conn:
        for engagement_id in work:
            async with conn.transaction():
                for i, sql in enumerate(BARE):
                    args: tuple[Any, ...] = (engagement_id,) if i < 3 else (uuid7(), payload)
                    await conn.execute(sql, *args) if i else await conn.fetchval(sql, *args)
            done += 1
            if time.perf_counter() >= until:
                break
    return done


async def bare_per_second(dsn: str, work: Iterator[uuid.UUID], seconds: float) -> float:
    pool = await asyncpg.create_pool(dsn, min_size=CLIENTS, max_size=CLIENTS)
    try:
        warm = time.perf_counter() + 1.5
        await asyncio.gather(*[bare_until(pool, work, warm) for _ in range(CLIENTS)])
        began = time.perf_counter()
        counts = await asyncio.gather(
            *[bare_until(pool, work, began + seconds) for _ in range(CLIENTS)]
        )
        return sum(counts) / (time.perf_counter() - began)
    finally:
        await pool.close()


# ---- stats ----------------------------------------------------------------------------------

STATS_SQL = """
SELECT count(*) FILTER (WHERE e.state <> 'cancelled'),
       count(*) FILTER (WHERE e.state IN ('self_assessed', 'reviewed', 'reported', 'confirmed',
                                          'spot_checked')),
       count(*) FILTER (WHERE e.state IN ('confirmed', 'spot_checked')),
       count(*) FILTER (WHERE e.state IN ('confirmed', 'spot_checked') AND e.suggestions > 0),
       count(*) FILTER (WHERE e.typical_case),
       count(s.engagement_id), count(*) FILTER (WHERE s.satisfied)
FROM diagnosis.engagements e LEFT JOIN diagnosis.surveys s ON s.engagement_id = e.id
WHERE e.kind = 'quality' AND e.unit = $1 AND extract(year FROM e.requested_on) = $2
"""


async def sql_latency(dsn: str, year: int, n: int) -> dict[str, float]:
    conn = await asyncpg.connect(dsn)
    try:
        for _ in range(3):
            await conn.fetch(STATS_SQL, "42", year)
        samples = []
        for _ in range(n):
            began = time.perf_counter()
            await conn.fetch(STATS_SQL, "42", year)
            samples.append((time.perf_counter() - began) * 1000)
        return percentiles(samples)
    finally:
        await conn.close()


# ---- the part -------------------------------------------------------------------------------


def run(servers: Servers, url: str, settings: Settings, quick: bool) -> dict[str, Any]:
    scale = QUICK if quick else FULL
    dsn = asyncpg_dsn(url)
    cipher = PiiCipher.from_settings(
        settings.pii_keys, settings.pii_index_key, settings.data_dir / "keys"
    )
    today = clock.today()
    records, reported = rows(scale, cipher, today)
    asyncio.run(seed(dsn, records))
    port = servers.start(["-m", "kit.cli", "serve", "diagnosis"], free_port())
    token = issue_token(settings, role="province", region="420000", ttl_seconds=24 * 3600)
    auth = {"Authorization": f"Bearer {token}"}
    half = len(reported) // 2
    cpu = servers.cpu_seconds(port)
    ours = asyncio.run(confirms_per_second(port, iter(reported[:half]), auth, scale.seconds))
    ours["service_cpu_ms"] = (servers.cpu_seconds(port) - cpu) * 1000 / max(ours["done"], 1)
    # The bare writes need no state to move, so they cycle over their rows.
    bare = asyncio.run(bare_per_second(dsn, itertools.cycle(reported[half:]), scale.seconds))
    path = f"{API}/stats?kind=quality&unit=42&year={today.year}"
    return {
        "engagements": scale.engagements,
        "clients": CLIENTS,
        "confirm": ours,
        "bare_per_s": bare,
        "stats_http_ms": asyncio.run(http_latency(port, path, auth, scale.requests)),
        "stats_sql_ms": asyncio.run(sql_latency(dsn, today.year, scale.requests)),
    }


def table_rows(r: dict[str, Any]) -> list[str]:
    c, http, sql = r["confirm"], r["stats_http_ms"], r["stats_sql_ms"]
    return [
        f"| diagnosis: POST /engagements/{{id}}:confirm ({r['clients']} clients, "
        f"{r['engagements']:,} engagements) | {c['per_s']:,.0f} transitions/s ({c['done']:,} in "
        f"{c['seconds']:.0f} s; {c['service_cpu_ms']:.1f} ms service CPU each) | bare asyncpg "
        f"transaction (lock, UPDATE, 2 INSERTs) {r['bare_per_s']:,.0f}/s | "
        f"{c['per_s'] / r['bare_per_s']:.3f}× | — |",
        f"| diagnosis: GET /stats (a unit's year, {r['engagements']:,} engagements) | p50 "
        f"{http['p50']:.1f} ms, p99 {http['p99']:.1f} ms | the same aggregate over asyncpg p50 "
        f"{sql['p50']:.1f} ms | {http['p50'] / sql['p50']:.2f}× | — |",
    ]
