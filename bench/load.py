"""A lean HTTP/1.1 keep-alive load generator (raw asyncio streams), run in its own process."""

from __future__ import annotations

import asyncio
import random
import time

import uvloop


async def _connection(
    host: str, port: int, paths: list[str], headers: bytes, until: float, counts: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    while time.perf_counter() < until:
        path = random.choice(paths)
        writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: bench\r\n" + headers + b"\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n", 1)[0].decode())
        counts[0] += 1
    writer.close()


async def _run(port: int, paths: list[str], token: str, seconds: float, connections: int) -> float:
    headers = f"Authorization: Bearer {token}\r\n".encode() if token else b""
    counts = [0]
    # Warm up, then measure.
    await asyncio.gather(
        *[
            _connection("127.0.0.1", port, paths, headers, time.perf_counter() + 1.0, [0])
            for _ in range(4)
        ]
    )
    started = time.perf_counter()
    await asyncio.gather(
        *[
            _connection("127.0.0.1", port, paths, headers, started + seconds, counts)
            for _ in range(connections)
        ]
    )
    return counts[0] / (time.perf_counter() - started)


def requests_per_second(
    port: int, paths: list[str], token: str, seconds: float, connections: int
) -> float:
    """Entry point for a worker process."""
    return uvloop.run(_run(port, paths, token, seconds, connections))
