"""The training benchmarks at programme scale: 1,000,000 trainees of 150,000 小巨人.

Seeding is not measured: it COPYs straight into the training service's own tables (registry
replicas, plans, backfilled 2025 and 2026 classes with their sessions, trainees with
encrypted PII, their completed enrollments, and live classes to enroll into). Then, against
the service as a real uvicorn process:

1. GET /coverage (national, and one province and batch), read from the counts the service
   keeps: p50/p99 over sequential requests and req/s under load, next to the scan of every
   completed enrollment it replaced (``SCAN``) run directly with asyncpg;
2. POST /classes/{id}/enrollments from 32 clients over 200 live classes, every rule checked
   (eligibility from the replica, ≤ 2 per enterprise, capacity, deadline, class row locked),
   next to single-row asyncpg INSERTs (one transaction each) into a copy of the table.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from contracts.vocabulary import LITTLE_GIANTS
from kit import clock, codes
from kit.auth import issue_token
from kit.infra import free_port
from kit.migrations import load_migration
from kit.pii import PiiCipher
from kit.settings import Settings
from stdnum.cn import ric
from training.enums import Period
from training.repository.coverage import COUNTS, SCAN
from training.rules import DUE_ON, PER_ENTERPRISE
from uuid6 import uuid7

from bench.common import Servers, asyncpg_dsn, get_throughput, percentiles, uscc_for

API = "/api/v1/training"
CLIENTS = 32
CLASS_SIZE = 50  # trainees per backfilled class
PAIRS_PER_CLASS = 80  # live enrollments prepared per class: more than 32 clients can make
BACKFILLED = ("2025", "2026")
TOPICS = json.dumps(
    [
        {"category": "science_theory", "course": "xi_on_smes"},
        {"category": "policy", "course": "laws_and_policies"},
        {"category": "specialised_development", "course": "digital_transformation"},
    ]
)
ONSITE = json.dumps([{"kind": "enterprise_visit", "site": "标杆企业"}])


@dataclass(frozen=True)
class Scale:
    enterprises: int
    trainees: int
    live_classes: int
    seconds: float  # each enrollment run (HTTP and baseline)
    requests: int  # sequential coverage requests per query (the scan: a fifth of them)
    load_seconds: float  # coverage under load


FULL = Scale(150_000, 1_000_000, 200, 30.0, 50, 20.0)
QUICK = Scale(15_000, 100_000, 200, 8.0, 20, 5.0)
ADMITTED = [t.value for t in LITTLE_GIANTS]


def batch_days(today: date) -> list[date]:
    """小巨人 are recognised in yearly batches, each valid from one day: the last six, newest
    first (a few are revoked on days of their own). The counts the service keeps have a
    row per such day, not per enterprise."""
    return [today - timedelta(days=100 + 365 * k) for k in range(6)]


# The migrations that built the counts build them from the tables, as after this COPY.
BACKFILL = (
    load_migration("training", "coverage_counts_and_targets").TRAINED,
    load_migration("training", "filing_unit_keys").DELTAS,
)


@dataclass
class Enterprise:
    uscc: str
    region: str
    province: str
    periods: tuple[str, ...]  # the plan periods its managers completed a class in
    trainees: list[uuid.UUID] = field(default_factory=list)
    revoked: bool = False  # its recognition revoked: not eligible for the live classes


@dataclass(frozen=True)
class Pair:
    """A live enrollment to make: the class, the trainee and what the row copies of them."""

    class_id: uuid.UUID
    trainee_id: uuid.UUID
    uscc: str
    province: str


# What is COPYed into each training table, parents before children (the foreign keys).
COLUMNS = {
    "enterprises": "uscc name region_code province version",
    "recognitions": "id uscc tier batch valid_from valid_until revoked_on version",
    "institutions": "id name qualified_types version",
    "contracts": "id institution_id province task batch",
    "plans": "id province period eligible_tiers status version",
    "plan_filings": "id plan_id version due_on filed_at on_time filed_by snapshot",
    "classes": "id plan_id province provinces name kind start_on end_on institution_id "
    "institution_name topics onsite_items teacher_ids capacity status backfilled closed_at version",
    "class_sessions": "id class_id day",
    "trainees": "id enterprise_uscc region_code province name gender id_number_enc "
    "id_number_index mobile_enc email_enc position management_years education version",
    "enrollments": "id class_id trainee_id enterprise_uscc province state backfilled "
    "attendance_rate version",
}
Rows = dict[str, list[tuple[Any, ...]]]  # table → its rows, in COLUMNS order


# ---- seeding ------------------------------------------------------------------------------


def period_of(day: date) -> str:
    return Period.Y2027_2028.value if day.year >= 2027 else str(day.year)


def live_dates(today: date) -> tuple[date, date]:
    """Three days starting 45 days ahead (past the 7-day deadline), within one period."""
    start = today + timedelta(days=45)
    if start.year != (start + timedelta(days=2)).year:
        start = date(start.year + 1, 1, 10)
    return start, start + timedelta(days=2)


def counties() -> dict[str, list[str]]:
    """County-level region codes per filing unit (units without any are left out)."""
    found: dict[str, list[str]] = defaultdict(list)
    for code in sorted(codes.REGIONS):
        if not code.endswith("00") and code[:2] in codes.PROVINCES:
            found[codes.unit_of(code)].append(code)
    return dict(found)


def trained_periods(rng: random.Random) -> tuple[str, ...]:
    """About 55% trained in 2025, 45% in 2026 (15% in both), 15% never."""
    draw = rng.random()
    if draw < 0.40:
        return ("2025",)
    if draw < 0.70:
        return ("2026",)
    if draw < 0.85:
        return BACKFILLED
    return ()


def seed_enterprises(rows: Rows, n: int, today: date, rng: random.Random) -> list[Enterprise]:
    """``n`` 小巨人 round-robin over the provinces, each recognised in a recent batch for three
    years; every tenth also holds its lapsed previous term, which the validity filters must
    skip, and every hundredth was revoked on a day of its own."""
    regions = counties()
    provinces = sorted(regions)
    batches = batch_days(today)
    enterprises = []
    for i in range(n):
        province = provinces[i % len(provinces)]
        region = rng.choice(regions[province])
        e = Enterprise(uscc_for(i, region), region, province, trained_periods(rng))
        enterprises.append(e)
        rows["enterprises"].append((e.uscc, f"培训基准企业{i}", region, province, 1))
        tier = "key_little_giant" if i % 10 == 3 else "little_giant"
        since = rng.choice(batches[:3])  # every one still valid when the live classes start
        terms = [(since, since + timedelta(days=3 * 365 - 1))]
        if i % 10 == 0:
            earlier = batches[batches.index(since) + 3]
            terms.append((earlier, since - timedelta(days=1)))
        e.revoked = i % 100 == 7
        revoked = today - timedelta(days=rng.randrange(1, 300)) if e.revoked else None
        for batch, (valid_from, valid_until) in enumerate(terms, start=1):
            rows["recognitions"].append(
                (uuid7(), e.uscc, tier, f"第{batch}批", valid_from, valid_until, revoked, 1)
            )
    return enterprises


def id_number(n: int, region: str) -> str:
    """A valid 居民身份证号码, unique per ``n`` (birth date and sequence number from it)."""
    born = date(1965, 1, 1) + timedelta(days=n // 1000)
    body = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads past a check-digit slot


def seed_trainees(rows: Rows, enterprises: list[Enterprise], n: int, cipher: PiiCipher) -> None:
    """``n`` trainees spread evenly over the enterprises. Every row is encrypted for real (≈1 s
    per 100,000 rows): the service can read any of them back, and the ID number's blind index
    is unique as the table requires."""
    for i in range(n):
        e = enterprises[i % len(enterprises)]
        trainee_id = uuid7()
        e.trainees.append(trainee_id)
        number = id_number(i, e.region)
        rows["trainees"].append(
            (
                trainee_id,
                e.uscc,
                e.region,
                e.province,
                f"学员{i}",
                "male" if i % 3 else "female",
                cipher.encrypt(number, context="trainee.id_number"),
                cipher.blind_index(number, context="trainee.id_number"),
                cipher.encrypt(f"139{i:08d}", context="trainee.mobile"),
                cipher.encrypt(f"trainee{i}@example.com", context="trainee.email"),
                "总经理",
                10,
                "master",
                1,
            )
        )


def seed_plans(
    rows: Rows, provinces: Iterable[str], periods: Iterable[str], live_period: str
) -> dict[tuple[str, str], uuid.UUID]:
    """One plan per province and period: the live period's in draft (classes are scheduled
    into it), the others filed once."""
    plans: dict[tuple[str, str], uuid.UUID] = {}
    for province in provinces:
        for period in periods:
            plan_id = uuid7()
            plans[province, period] = plan_id
            draft = period == live_period
            rows["plans"].append(
                (
                    plan_id,
                    province,
                    period,
                    list(ADMITTED),
                    "draft" if draft else "filed",
                    1,
                )
            )
            if not draft:
                due = DUE_ON[Period(period)]
                rows["plan_filings"].append(
                    (
                        uuid7(),
                        plan_id,
                        1,
                        due,
                        datetime.combine(due, day_time(2), UTC),
                        True,
                        "bench",
                        json.dumps({"province": province, "period": period}),
                    )
                )
    return plans


def seed_institution(rows: Rows, provinces: Iterable[str]) -> uuid.UUID:
    institution = uuid7()
    rows["institutions"].append((institution, "专精特新培训学院", ["training"], 1))
    for province in provinces:
        rows["contracts"].append((uuid7(), institution, province, "training", "第一批"))
    return institution


def add_class(
    rows: Rows,
    plan_id: uuid.UUID,
    province: str,
    institution: uuid.UUID,
    start: date,
    *,
    backfilled: bool,
) -> uuid.UUID:
    class_id = uuid7()
    end = start + timedelta(days=2)
    rows["classes"].append(
        (
            class_id,
            plan_id,
            province,
            [province],
            f"专精特新“小巨人”企业家综合班 {start}",
            "comprehensive",
            start,
            end,
            institution,
            "专精特新培训学院",
            TOPICS,
            ONSITE,
            [],
            CLASS_SIZE if backfilled else 100_000,  # live classes never fill up here
            "closed" if backfilled else "scheduled",
            backfilled,
            datetime.combine(end, day_time(10), UTC) if backfilled else None,
            2 if backfilled else 1,
        )
    )
    for offset in range(3):
        rows["class_sessions"].append((uuid7(), class_id, start + timedelta(days=offset)))
    return class_id


def interleaved(
    enterprises: list[Enterprise], trainees: dict[str, list[uuid.UUID]]
) -> list[tuple[Enterprise, uuid.UUID]]:
    """Every enterprise's first trainee, then every second one, and so on: classes cut from
    this run fill up with many enterprises rather than a few."""
    rounds = max((len(trainees[e.uscc]) for e in enterprises), default=0)
    return [
        (e, trainees[e.uscc][k])
        for k in range(rounds)
        for e in enterprises
        if k < len(trainees[e.uscc])
    ]


def class_lists(
    queue: list[tuple[Enterprise, uuid.UUID]],
) -> Iterator[list[tuple[Enterprise, uuid.UUID]]]:
    """``queue`` cut into classes of at most ``CLASS_SIZE``, a class closing early rather than
    take a third trainee of one enterprise (the rule live enrollment enforces)."""
    members: list[tuple[Enterprise, uuid.UUID]] = []
    per_enterprise: Counter[str] = Counter()
    for e, trainee_id in queue:
        if len(members) == CLASS_SIZE or per_enterprise[e.uscc] == PER_ENTERPRISE:
            yield members
            members, per_enterprise = [], Counter()
        members.append((e, trainee_id))
        per_enterprise[e.uscc] += 1
    if members:
        yield members


def backfill_day(period: str, today: date, rng: random.Random) -> date:
    """A start day in the period's year, March to October, and well before today."""
    first = date(int(period), 3, 1)
    last = min(date(int(period), 10, 31), today - timedelta(days=10))
    return first + timedelta(days=rng.randrange(max(1, (last - first).days)))


def seed_completed(
    rows: Rows,
    enterprises: list[Enterprise],
    plans: dict[tuple[str, str], uuid.UUID],
    institution: uuid.UUID,
    today: date,
    rng: random.Random,
) -> None:
    """Every trainee of a trained enterprise completed one backfilled class of one of its
    periods, in classes of their own province."""
    groups: dict[tuple[str, str], list[Enterprise]] = defaultdict(list)
    trainees: dict[tuple[str, str], dict[str, list[uuid.UUID]]] = defaultdict(dict)
    for e in enterprises:
        for k, period in enumerate(e.periods):
            groups[e.province, period].append(e)
            trainees[e.province, period][e.uscc] = e.trainees[k :: len(e.periods)]
    for (province, period), members in groups.items():
        for listed in class_lists(interleaved(members, trainees[province, period])):
            class_id = add_class(
                rows,
                plans[province, period],
                province,
                institution,
                backfill_day(period, today, rng),
                backfilled=True,
            )
            for e, trainee_id in listed:
                rows["enrollments"].append(
                    (
                        uuid7(),
                        class_id,
                        trainee_id,
                        e.uscc,
                        province,
                        "completed",
                        True,
                        Decimal("0.9500"),
                        4,  # confirmed on backfilling, then completed on closing
                    )
                )


def seed_live(
    rows: Rows,
    enterprises: list[Enterprise],
    plans: dict[tuple[str, str], uuid.UUID],
    institution: uuid.UUID,
    scale: Scale,
    today: date,
    rng: random.Random,
) -> list[Pair]:
    """Live classes round-robin over the provinces, and for each up to ``PAIRS_PER_CLASS``
    trainees of distinct enterprises of its province to enroll; the pairs come class after
    class so that concurrent clients hit different classes."""
    by_province: dict[str, list[Enterprise]] = defaultdict(list)
    for e in enterprises:
        if not e.revoked:
            by_province[e.province].append(e)
    for members in by_province.values():
        rng.shuffle(members)
    provinces = sorted(by_province)
    start, _ = live_dates(today)
    period = period_of(start)
    per_class: list[list[Pair]] = []
    for j in range(scale.live_classes):
        province = provinces[j % len(provinces)]
        class_id = add_class(
            rows, plans[province, period], province, institution, start, backfilled=False
        )
        # Each enterprise in one live class of the plan: the plan's limit is per period.
        free = by_province[province]
        chosen, by_province[province] = free[:PAIRS_PER_CLASS], free[PAIRS_PER_CLASS:]
        per_class.append([Pair(class_id, rng.choice(e.trainees), e.uscc, province) for e in chosen])
    rounds = max(len(pairs) for pairs in per_class)
    return [pairs[k] for k in range(rounds) for pairs in per_class if k < len(pairs)]


def build(scale: Scale, cipher: PiiCipher, today: date) -> tuple[Rows, list[Pair]]:
    rng = random.Random(2026)
    rows: Rows = defaultdict(list)
    enterprises = seed_enterprises(rows, scale.enterprises, today, rng)
    seed_trainees(rows, enterprises, scale.trainees, cipher)
    provinces = sorted({e.province for e in enterprises})
    live_period = period_of(live_dates(today)[0])
    plans = seed_plans(rows, provinces, dict.fromkeys([*BACKFILLED, live_period]), live_period)
    institution = seed_institution(rows, provinces)
    seed_completed(rows, enterprises, plans, institution, today, rng)
    pairs = seed_live(rows, enterprises, plans, institution, scale, today, rng)
    return rows, pairs


async def seed(dsn: str, rows: Rows) -> None:
    """COPY the rows, then build the coverage counts from them as the migration does."""
    conn = await asyncpg.connect(dsn)
    try:
        for table, columns in COLUMNS.items():  # parents before children
            await conn.copy_records_to_table(
                table, schema_name="training", columns=columns.split(), records=rows[table]
            )
        # A settled database, as in production: planner statistics and visibility maps, and
        # no autovacuum of the fresh rows in the middle of a measurement.
        for statement in BACKFILL:
            await conn.execute(statement)
        for table in (*COLUMNS, "trained_enterprises", "coverage_deltas"):
            await conn.execute(f"VACUUM (ANALYZE) training.{table}")
    finally:
        await conn.close()


# ---- coverage -----------------------------------------------------------------------------


def positional(sql: str, names: list[str]) -> str:
    """SQLAlchemy ``:name`` parameters as asyncpg's ``$n``."""
    return re.sub(
        r"(?<!:):(\w+)", lambda m: f"${names.index(m[1]) + 1}" if m[1] in names else m[0], sql
    )


async def http_latency(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], n: int
) -> dict[str, float]:
    for _ in range(3):  # warm-up: connection, prepared statements, caches
        (await client.get(path, headers=headers)).raise_for_status()
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        r = await client.get(path, headers=headers)
        samples.append((time.perf_counter() - began) * 1000)
        assert r.status_code == 200, r.text[:500]
    return percentiles(samples)


async def sql_latency(dsn: str, region: str, n: int, *, kept: bool = False) -> dict[str, float]:
    """The scan the kept counts replaced (every completed enrollment of the region and the
    valid 小巨人 on the day), or with ``kept`` the service's own read of its counts, over
    asyncpg."""
    sql = (
        positional(COUNTS, ["as_of", "scopes"])
        if kept
        else positional(SCAN, ["tiers", "as_of", "region"])
    )
    scopes = [region] if region else sorted(codes.PROVINCES)
    conn = await asyncpg.connect(dsn)
    try:
        args: tuple[Any, ...] = (
            (clock.today(), scopes) if kept else (list(ADMITTED), clock.today(), region + "%")
        )
        for _ in range(3):
            await conn.fetch(sql, *args)
        samples = []
        for _ in range(n):
            began = time.perf_counter()
            await conn.fetch(sql, *args)
            samples.append((time.perf_counter() - began) * 1000)
    finally:
        await conn.close()
    return percentiles(samples)


COVERAGE = {  # name → (path, region the SQL counts, token's role and region)
    "national": (f"{API}/coverage", "", ("ministry", "100000")),
    "hubei_2026": (f"{API}/coverage?province=42&batch=2026", "42", ("province", "420000")),
}


async def coverage_latencies(port: int, dsn: str, tokens: dict[str, str], n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        for name, (path, region, _) in COVERAGE.items():
            out[name] = {
                "http_ms": await http_latency(client, path, bearer(tokens[name]), n),
                "counts_sql_ms": await sql_latency(dsn, region, n, kept=True),
                "scan_ms": await sql_latency(dsn, region, max(3, n // 5)),
            }
    return out


# ---- enrollment ---------------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def enroll_until(
    client: httpx.AsyncClient,
    work: Iterator[Pair],
    auth: dict[str, dict[str, str]],
    until: float,
    tally: Counter[str],
) -> None:
    """One client: takes the next pair (each is used once, by one client) and applies."""
    for pair in work:
        r = await client.post(
            f"{API}/classes/{pair.class_id}/enrollments",
            json={"trainee_id": str(pair.trainee_id)},
            headers=auth[pair.province],
        )
        tally["created" if r.status_code == 201 else problem_code(r)] += 1
        if time.perf_counter() >= until:
            return
    tally["exhausted"] += 1


def problem_code(r: httpx.Response) -> str:
    try:
        return str(r.json().get("code", r.status_code))
    except ValueError:
        return str(r.status_code)


async def enrollments_per_second(
    port: int, work: Iterator[Pair], auth: dict[str, dict[str, str]], seconds: float
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=120, limits=limits
    ) as client:

        async def run(duration: float) -> tuple[Counter[str], float]:
            tally: Counter[str] = Counter()
            began = time.perf_counter()
            await asyncio.gather(
                *[enroll_until(client, work, auth, began + duration, tally) for _ in range(CLIENTS)]
            )
            return tally, time.perf_counter() - began

        warm, _ = await run(2.0)  # connections, statement caches, pools
        tally, elapsed = await run(seconds)
    created = tally.pop("created", 0)
    exhausted = bool(tally.pop("exhausted", 0) + warm.pop("exhausted", 0))
    return {
        "per_s": created / elapsed,
        "created": created,
        "warm_up": warm.pop("created", 0),
        "seconds": elapsed,
        "rejects": dict(tally + warm),
        "ran_out_of_pairs": exhausted,  # then raise PAIRS_PER_CLASS: the clients idled
    }


INSERT = """INSERT INTO bench.enrollments
    (id, class_id, trainee_id, enterprise_uscc, province, state, version)
VALUES ($1, $2, $3, $4, $5, 'applied', 1)"""


def baseline_rows(pairs: list[Pair]) -> Iterator[tuple[Any, ...]]:
    """Every live class × every prepared trainee: unique (class, trainee) rows, far more than
    the HTTP run's pairs, since the bare INSERT is much faster."""
    classes = list(dict.fromkeys(p.class_id for p in pairs))
    people = list(dict.fromkeys((p.trainee_id, p.uscc, p.province) for p in pairs))
    for trainee_id, uscc, province in people:
        for class_id in classes:
            yield (uuid7(), class_id, trainee_id, uscc, province)


async def insert_until(pool: asyncpg.Pool, work: Iterator[tuple[Any, ...]], until: float) -> int:
    done = 0
    async with pool.acquire() as conn:
        for row in work:
            await conn.execute(INSERT, *row)  # autocommit: one transaction per row
            done += 1
            if time.perf_counter() >= until:
                break
    return done


async def inserts_per_second(dsn: str, pairs: list[Pair], seconds: float) -> float:
    """Single-row INSERTs into an empty copy of training.enrollments (same columns, indexes,
    checks and defaults; no foreign keys), from as many concurrent connections."""
    conn = await asyncpg.connect(dsn)
    await conn.execute(
        "CREATE SCHEMA bench; "
        "CREATE TABLE bench.enrollments (LIKE training.enrollments INCLUDING ALL)"
    )
    pool = await asyncpg.create_pool(dsn, min_size=CLIENTS, max_size=CLIENTS)
    try:
        work = baseline_rows(pairs)
        until = time.perf_counter() + 2.0  # warm-up
        await asyncio.gather(*[insert_until(pool, work, until) for _ in range(CLIENTS)])
        began = time.perf_counter()
        counts = await asyncio.gather(
            *[insert_until(pool, work, began + seconds) for _ in range(CLIENTS)]
        )
        return sum(counts) / (time.perf_counter() - began)
    finally:
        await pool.close()
        await conn.execute("DROP SCHEMA bench CASCADE")
        await conn.close()


# ---- the part -----------------------------------------------------------------------------


def run(servers: Servers, url: str, settings: Settings, quick: bool) -> dict[str, Any]:
    """Seeds, starts the training service, measures; the results for bench-results.json."""
    scale = QUICK if quick else FULL
    dsn = asyncpg_dsn(url)
    # The same development keys the service will load from the data directory.
    cipher = PiiCipher.from_settings(
        settings.pii_keys, settings.pii_index_key, settings.data_dir / "keys"
    )
    began = time.perf_counter()
    rows, pairs = build(scale, cipher, clock.today())
    asyncio.run(seed(dsn, rows))
    results: dict[str, Any] = {
        "enterprises": scale.enterprises,
        "trainees": scale.trainees,
        "completed_enrollments": len(rows["enrollments"]),
        "backfilled_classes": len(rows["classes"]) - scale.live_classes,
        "live_classes": scale.live_classes,
        "clients": CLIENTS,
        "seed_seconds": time.perf_counter() - began,
    }
    port = servers.start(["-m", "kit.cli", "serve", "training"], free_port())

    def token(role: str, region: str) -> str:
        return str(issue_token(settings, role=role, region=region, ttl_seconds=24 * 3600))

    tokens = {name: token(*auth) for name, (_, _, auth) in COVERAGE.items()}
    results["coverage"] = asyncio.run(coverage_latencies(port, dsn, tokens, scale.requests))
    for name, (path, _, _) in COVERAGE.items():
        results["coverage"][name]["rps"] = get_throughput(
            port, [path], tokens[name], scale.load_seconds, connections=8
        )

    auth = {
        p: bearer(token("province", codes.unit_region(p)))
        for p in {pair.province for pair in pairs}
    }
    cpu = servers.cpu_seconds(port)
    results["enroll"] = asyncio.run(enrollments_per_second(port, iter(pairs), auth, scale.seconds))
    made = results["enroll"]["created"] + results["enroll"]["warm_up"]
    results["enroll"]["service_cpu_ms"] = (servers.cpu_seconds(port) - cpu) * 1000 / made
    results["insert_rows_per_s"] = asyncio.run(inserts_per_second(dsn, pairs, scale.seconds))
    return results


def table_rows(r: dict[str, Any]) -> list[str]:
    """This part's lines of the results table."""
    enroll, cov = r["enroll"], r["coverage"]
    rejects = sum(enroll["rejects"].values())
    scale = f"{r['trainees']:,} trainees / {r['enterprises']:,} enterprises"
    lines = [
        f"| enroll: POST /classes/{{id}}/enrollments ({r['clients']} clients, "
        f"{r['live_classes']} classes) | {enroll['per_s']:,.0f} enrollments/s "
        f"({enroll['created']:,} in {enroll['seconds']:.0f} s, {rejects} rejected; "
        f"{enroll['service_cpu_ms']:.1f} ms service CPU each) | raw asyncpg "
        f"INSERT, 1 txn/row {r['insert_rows_per_s']:,.0f} rows/s | "
        f"{enroll['per_s'] / r['insert_rows_per_s']:.3f}× | 0 rejected |",
    ]
    for name, label in (
        ("national", "GET /coverage"),
        ("hubei_2026", "GET /coverage?province=42&batch=2026"),
    ):
        c = cov[name]
        http, scan = c["http_ms"], c["scan_ms"]
        lines.append(
            f"| {label} ({scale}) | p50 {http['p50']:.1f} ms, p99 {http['p99']:.1f} ms; "
            f"{c['rps']:,.1f} req/s (8 clients); its counts' SQL p50 "
            f"{c['counts_sql_ms']['p50']:.1f} ms | the scan it replaced, over asyncpg, "
            f"p50 {scan['p50']:.0f} ms | {http['p50'] / scan['p50']:.3f}× | p50 a few ms |"
        )
    return lines
