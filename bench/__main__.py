"""``make bench``: the platform's benchmarks, each next to a baseline measured in the same run.

1. bulk import rows/s (HTTP, CSV, full validation, events) vs raw asyncpg COPY of the rows;
2. events/s until the gateway's overview counts every imported enterprise;
3. write → overview latency p50/p99 under a steady write load;
4. GET /enterprises/{uscc} req/s vs a bare FastAPI + asyncpg primary-key endpoint;
5. the training part (``bench/training.py``): enrollments/s vs single-row INSERTs, and
   coverage at 1,000,000 trainees / 150,000 enterprises, from the kept counts, vs the scan
   of enrollments it replaced;
6. the webhooks part (``bench/webhooks.py``): write → webhook received p50/p99 under a steady
   write load, and fan-out deliveries/s to 37 receivers vs a raw httpx POST loop.

Servers are real processes (uvicorn), on embedded PostgreSQL/NATS unless DATABASE_URL /
NATS_URL are set; each part gets its own database. ``--only <part>`` runs one part. Prints
one table and writes bench-results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from kit import codes
from kit.auth import issue_token
from kit.infra import free_port, start_infrastructure
from kit.settings import REPO_ROOT, Settings

from bench import diagnosis, innovation, training, webhooks
from bench.common import (
    Servers,
    asyncpg_dsn,
    clear_part,
    create_database,
    get_throughput,
    uscc_for,
)

CHUNK = 100_000
HEAD = [
    "统一社会信用代码",
    "企业名称",
    "行政区划代码",
    "所属行业代码",
    "企业规模",
    "企业类型",
    "主导产品",
    "从业人员",
    "成立日期",
    "是否上市",
]
COUNTIES = sorted(c for c in codes.REGIONS if not c.endswith("00") and c[:2] != "66")[::20]


def rows(start: int, count: int) -> Iterator[list[str]]:
    rng = random.Random(start)
    for n in range(start, start + count):
        region = rng.choice(COUNTIES)
        yield [
            uscc_for(n, region),
            f"基准测试企业{n}",
            region,
            str(rng.randint(13, 43)),
            rng.choice(["中型", "小型", "微型"]),
            "民营",
            "工业传感器",
            str(rng.randint(10, 900)),
            "2015-06-01",
            "否",
        ]


def csv_bytes(start: int, count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEAD)
    writer.writerows(rows(start, count))
    return buffer.getvalue().encode()


def copy_records(start: int, count: int) -> list[tuple[Any, ...]]:
    now = datetime.now(UTC)
    return [
        (
            r[0],
            r[1],
            r[2],
            codes.unit_of(r[2]),
            r[3],
            "small",
            "private",
            r[6],
            int(r[7]),
            date(2015, 6, 1),
            False,
            1,
            now,
            now,
        )
        for r in rows(start, count)
    ]


COPY_COLUMNS = [
    "uscc",
    "name",
    "region_code",
    "province",
    "industry_code",
    "scale",
    "ownership",
    "main_product",
    "employees",
    "registered_on",
    "listed",
    "version",
    "created_at",
    "updated_at",
]


async def overview_total(client: httpx.AsyncClient, province: str | None = None) -> int:
    body = (await client.get("/api/v1/column/overview")).json()
    if province is None:
        return int(body["totals"]["enterprises"])
    return int(next(p for p in body["provinces"] if p["province"] == province)["enterprises"])


async def measure(
    n: int,
    dsn: str,
    registry: int,
    gateway: int,
    token: str,
    results: dict[str, Any],
    seconds: float,
) -> list[str]:
    auth = {"Authorization": f"Bearer {token}"}
    conn = await asyncpg.connect(dsn)
    await conn.execute("CREATE TABLE bench_copy (LIKE registry.enterprises INCLUDING ALL)")
    copy_seconds = 0.0
    for start in range(0, n, CHUNK):
        records = copy_records(start, min(CHUNK, n - start))
        began = time.perf_counter()
        await conn.copy_records_to_table("bench_copy", records=records, columns=COPY_COLUMNS)
        copy_seconds += time.perf_counter() - began
    await conn.execute("DROP TABLE bench_copy")
    results["copy_rows_per_s"] = n / copy_seconds

    timeout = httpx.Timeout(600)
    async with (
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{registry}", headers=auth, timeout=timeout
        ) as reg,
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{gateway}", headers=auth, timeout=timeout
        ) as gw,
    ):
        import_seconds = 0.0
        began_all = time.perf_counter()
        for start in range(0, n, CHUNK):
            content = csv_bytes(start, min(CHUNK, n - start))
            began = time.perf_counter()
            r = await reg.post(
                "/api/v1/registry/enterprises:import", files={"file": ("bench.csv", content)}
            )
            import_seconds += time.perf_counter() - began
            assert r.status_code == 201, r.text[:500]
        results["import_rows_per_s"] = n / import_seconds

        deadline = time.monotonic() + 1800
        while await overview_total(gw) < n:
            if time.monotonic() > deadline:
                raise RuntimeError("the gateway did not catch up")
            await asyncio.sleep(0.25)
        results["pipeline_events_per_s"] = n / (time.perf_counter() - began_all)

        results["latency_ms"] = await write_latency(reg, gw, n, seconds)

    sample = [r[0] for r in rows(0, min(n, 50_000))]
    await conn.close()
    return sample


async def write_latency(
    reg: httpx.AsyncClient, gw: httpx.AsyncClient, n: int, seconds: float
) -> dict[str, float]:
    """~50 writes/s of background load; once a second a probe write in 新疆 (65), timed
    until the overview shows it."""
    stop = asyncio.Event()
    counter = iter(range(n + 10_000_000, n + 20_000_000))

    async def background() -> None:
        while not stop.is_set():
            row = next(rows(next(counter), 1))
            await reg.post(
                "/api/v1/registry/enterprises",
                json={
                    "uscc": row[0],
                    "name": row[1],
                    "region_code": row[2],
                    "industry_code": row[3],
                },
            )
            await asyncio.sleep(0.02)

    load = asyncio.create_task(background())
    latencies: list[float] = []
    try:
        for _ in range(int(seconds)):
            before = await overview_total(gw, "65")
            serial = next(counter)
            began = time.perf_counter()
            r = await reg.post(
                "/api/v1/registry/enterprises",
                json={
                    "uscc": uscc_for(serial, "650102"),
                    "name": f"探针{serial}",
                    "region_code": "650102",
                    "industry_code": "39",
                },
            )
            assert r.status_code == 201, r.text
            while await overview_total(gw, "65") <= before:  # noqa: ASYNC110 - polling HTTP
                await asyncio.sleep(0.005)
            latencies.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(max(0.0, 1 - (time.perf_counter() - began)))
    finally:
        stop.set()
        await load
    latencies.sort()
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "probes": len(latencies),
    }


def registry_rows(results: dict[str, Any]) -> list[str]:
    lat = results["latency_ms"]
    return [
        f"| bulk import (CSV over HTTP, full validation + events) | "
        f"{results['import_rows_per_s']:,.0f} rows/s | raw asyncpg COPY "
        f"{results['copy_rows_per_s']:,.0f} rows/s | "
        f"{results['import_rows_per_s'] / results['copy_rows_per_s']:.2f}× | ≥ 0.25× |",
        f"| import → gateway overview (events end to end) | "
        f"{results['pipeline_events_per_s']:,.0f} events/s | | | |",
        f"| write → overview latency ({lat['probes']} probes, ~50 writes/s) | "
        f"p50 {lat['p50']:.0f} ms, p99 {lat['p99']:.0f} ms | | | < 1000 ms |",
        f"| GET /enterprises/{{uscc}} | {results['get_rps']:,.0f} req/s | bare FastAPI + "
        f"asyncpg {results['bare_rps']:,.0f} req/s | "
        f"{results['get_rps'] / results['bare_rps']:.2f}× | ≥ 0.7× |",
    ]


def table(results: dict[str, Any]) -> str:
    lines = ["| benchmark | value | baseline | ratio | goal |", "|---|---|---|---|---|"]
    if "registry" in results:
        lines += registry_rows(results["registry"])
    if "training" in results:
        lines += training.table_rows(results["training"])
    if "diagnosis" in results:
        lines += diagnosis.table_rows(results["diagnosis"])
    if "webhooks" in results:
        lines += webhooks.table_rows(results["webhooks"])
    if "innovation" in results:
        lines += innovation.table_rows(results["innovation"])
    return "\n".join(lines)


def run_registry(
    servers: Servers, url: str, settings: Settings, args: argparse.Namespace
) -> dict[str, Any]:
    n = 20_000 if args.quick else args.enterprises
    seconds = 8.0 if args.quick else 30.0
    token = issue_token(settings, role="ministry", region="100000", ttl_seconds=24 * 3600)
    registry = servers.start(["-m", "kit.cli", "serve", "registry"], free_port())
    gateway = servers.start(["-m", "kit.cli", "serve", "gateway"], free_port())
    results: dict[str, Any] = {"enterprises": n}
    sample = asyncio.run(measure(n, asyncpg_dsn(url), registry, gateway, token, results, seconds))
    bare = servers.start(
        [
            "-m",
            "uvicorn",
            "bench.bare:app",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        free_port(),
    )
    # Alternating rounds, best of each: whatever else the machine does in one window
    # (a vacuum, a checkpoint) then weighs on both sides alike.
    load_seconds = 4.0 if args.quick else 10.0
    ours = [f"/api/v1/registry/enterprises/{u}" for u in sample]
    theirs = [f"/enterprises/{u}" for u in sample]
    rounds = [
        (
            get_throughput(registry, ours, token, load_seconds),
            get_throughput(bare, theirs, "", load_seconds),
        )
        for _ in range(3)
    ]
    results["get_rps"] = max(r[0] for r in rounds)
    results["bare_rps"] = max(r[1] for r in rounds)
    results["get_rounds"] = rounds
    return results


def run_training(
    servers: Servers, url: str, settings: Settings, args: argparse.Namespace
) -> dict[str, Any]:
    return training.run(servers, url, settings, args.quick)


def run_diagnosis(
    servers: Servers, url: str, settings: Settings, args: argparse.Namespace
) -> dict[str, Any]:
    return diagnosis.run(servers, url, settings, args.quick)


def run_webhooks(
    servers: Servers, url: str, settings: Settings, args: argparse.Namespace
) -> dict[str, Any]:
    return webhooks.run(servers, url, settings, args.quick)


def run_innovation(
    servers: Servers, url: str, settings: Settings, args: argparse.Namespace
) -> dict[str, Any]:
    return innovation.run(servers, url, settings, args.quick)


# Each part runs on its own database and streams, cleared after it (``clear_part``).
PARTS: dict[str, Callable[[Servers, str, Settings, argparse.Namespace], dict[str, Any]]] = {
    "registry": run_registry,
    "training": run_training,
    "diagnosis": run_diagnosis,
    "webhooks": run_webhooks,
    "innovation": run_innovation,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--enterprises", type=int, default=1_000_000, help="registry part")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="20,000 registry / 15,000 training enterprises, 30,000 innovation demands",
    )
    parser.add_argument("--only", choices=list(PARTS), help="run one part")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="zjtx-bench-"))
    folder.chmod(0o755)
    infra = start_infrastructure(folder, os.environ.get("DATABASE_URL"), os.environ.get("NATS_URL"))
    try:
        base, _ = infra.database_url.rsplit("/", 1)
        settings = Settings(data_dir=folder)
        results: dict[str, Any] = {}
        for part in [args.only] if args.only else list(PARTS):
            name = f"zjtx_bench_{os.getpid()}_{part}"
            url = create_database(base, name)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "NATS_URL": infra.nats_url,
                "ZJTX_DATA_DIR": str(folder),
            }
            servers = Servers(env)
            try:
                results[part] = PARTS[part](servers, url, settings, args)
            finally:
                servers.stop()
                clear_part(base, name, infra.nats_url)

        results["machine"] = {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m_at_end": os.getloadavg()[0],  # a busy machine skews every figure
        }
        results["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        print(table(results))
        (REPO_ROOT / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nwritten: {REPO_ROOT / 'bench-results.json'}")
        return 0
    finally:
        infra.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
