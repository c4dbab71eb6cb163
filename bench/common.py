"""What every benchmark part uses: server processes, a database per part, load, percentiles."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import nats
from kit.migrations import upgrade_all
from stdnum.cn import uscc as stdnum_uscc

from bench.load import requests_per_second


class Servers:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.procs: dict[int, subprocess.Popen[bytes]] = {}  # by port

    def start(self, args: list[str], port: int) -> int:
        self.procs[port] = subprocess.Popen(
            [sys.executable, *args, "--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (
                    200,
                    404,
                ):
                    return port
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"{args} did not start")

    def cpu_seconds(self, port: int) -> float:
        """User + system CPU the server on ``port`` has used (Linux): unlike a rate, barely
        moved by other work on a shared machine."""
        fields = Path(f"/proc/{self.procs[port].pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            proc.wait(15)
        self.procs.clear()


async def _create(base_url: str, name: str) -> None:
    admin = await asyncpg.connect(asyncpg_dsn(f"{base_url}/postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def create_database(base_url: str, name: str) -> str:
    """A fresh database ``name`` on the server of ``base_url``, migrated; its SQLAlchemy URL."""
    asyncio.run(_create(base_url, name))
    url = f"{base_url}/{name}"
    upgrade_all(url)
    return url


async def _clear(base_url: str, name: str, nats_url: str) -> None:
    admin = await asyncpg.connect(asyncpg_dsn(f"{base_url}/postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute("CHECKPOINT")
    finally:
        await admin.close()
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for info in await js.streams_info():
            await js.delete_stream(str(info.config.name))
    finally:
        await nc.close()


def clear_part(base_url: str, name: str, nats_url: str) -> None:
    """Drop a finished part's database and streams, so the next part measures on quiet
    servers (no replay of the last part's events, no vacuum of its rows)."""
    asyncio.run(_clear(base_url, name, nats_url))


def asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def get_throughput(
    port: int, paths: list[str], token: str, seconds: float, connections: int = 32
) -> float:
    """GET req/s from a load generator in its own process (the client must not share our GIL)."""
    with concurrent.futures.ProcessPoolExecutor(1) as pool:
        return pool.submit(requests_per_second, port, paths, token, seconds, connections).result()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "n": len(ordered),
    }


async def http_latency(port: int, path: str, auth: dict[str, str], n: int) -> dict[str, float]:
    """p50/p99 of ``n`` sequential GETs of ``path`` (after three to warm up), each a 200."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for _ in range(3):
            (await client.get(path, headers=auth)).raise_for_status()
        samples = []
        for _ in range(n):
            began = time.perf_counter()
            r = await client.get(path, headers=auth)
            samples.append((time.perf_counter() - began) * 1000)
            assert r.status_code == 200, r.text[:300]
        return percentiles(samples)


def uscc_for(n: int, region: str) -> str:
    """A valid 统一社会信用代码, unique per ``n``."""
    body = f"91{region}{n:09d}"
    return body + stdnum_uscc.calc_check_digit(body)
