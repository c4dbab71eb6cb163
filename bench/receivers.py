"""Webhook receivers for the webhooks benchmark: ``--count`` loopback HTTP/1.1 servers in one
process (raw asyncio streams on uvloop, keep-alive), each answering every POST ``204`` at
once and recording, per request, its ``webhook-id``, when it arrived (``time.monotonic``:
CLOCK_MONOTONIC, the same clock in every process of the machine) and its event's
``subject``; the first request of each receiver is kept whole, for the signature check.

A control server on ``--port`` (``GET /healthz``, ``/ports``, ``/arrivals``, ``/samples``,
``/connections``; ``POST /reset``) lets the benchmark read them. Run as a process of its
own, so receiving never competes with the benchmark's own client for a GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import uvloop

NO_CONTENT = b"HTTP/1.1 204 No Content\r\n\r\n"

Arrival = tuple[str, float, str]  # webhook-id, monotonic seconds, subject


class Receivers:
    def __init__(self) -> None:
        self.arrivals: dict[int, list[Arrival]] = {}
        self.samples: dict[int, dict[str, Any]] = {}
        self.connections = 0  # accepted since the last reset: how well senders keep them

    def reset(self) -> None:
        for port in self.arrivals:
            self.arrivals[port] = []
        self.samples.clear()
        self.connections = 0

    async def serve(self, port: int) -> int:
        """A receiver on ``port`` (0: any free one); the port it listens on."""

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await self._connection(bound, reader, writer)

        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
        bound = int(server.sockets[0].getsockname()[1])
        self.arrivals[bound] = []
        return bound

    async def _connection(
        self, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        try:
            while True:
                _, headers, body = await _read_request(reader)
                arrived = time.monotonic()
                try:
                    subject = str(orjson.loads(body).get("subject", ""))
                except orjson.JSONDecodeError:
                    subject = ""
                self.arrivals[port].append((headers.get("webhook-id", ""), arrived, subject))
                if port not in self.samples:
                    self.samples[port] = {"headers": headers, "body": body.decode()}
                writer.write(NO_CONTENT)
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> tuple[bytes, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if b":" in line:
            name, value = line.split(b":", 1)
            headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
        return lines[0], headers, bytes(body)
    return lines[0], headers, await reader.readexactly(int(headers.get("content-length", "0")))


def _reply(status: int, content: bytes) -> bytes:
    reason = {200: b"OK", 204: b"No Content", 404: b"Not Found"}[status]
    return b"HTTP/1.1 %d %b\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%b" % (
        status,
        reason,
        len(content),
        content,
    )


async def _control(
    receivers: Receivers, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    routes: dict[bytes, Callable[[], Any]] = {
        b"GET /healthz": lambda: {"ok": True},
        b"GET /ports": lambda: sorted(receivers.arrivals),
        b"GET /arrivals": lambda: {str(p): a for p, a in receivers.arrivals.items()},
        b"GET /connections": lambda: receivers.connections,
        b"GET /samples": lambda: {str(p): s for p, s in receivers.samples.items()},
        b"POST /reset": receivers.reset,
    }
    try:
        while True:
            head, _, _ = await _read_request(reader)
            method, path = head.split(b" ")[:2]
            route = routes.get(method + b" " + path)
            if route is None:
                writer.write(_reply(404, b"{}"))
            else:
                writer.write(_reply(200, orjson.dumps(route())))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(count: int, port: int) -> None:
    receivers = Receivers()
    for _ in range(count):
        await receivers.serve(0)

    def control(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> Awaitable[None]:
        return _control(receivers, r, w)

    server = await asyncio.start_server(control, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.receivers")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvloop.run(main(args.count, args.port))
