"""A provincial system's webhook receiver: a real HTTP server (uvicorn) on a loopback port,
in the test's own event loop, that verifies every delivery with the Standard Webhooks
reference library (``standardwebhooks``) and records it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvicorn
from kit.testing import eventually
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from starlette.types import Receive, Scope, Send

# What the receiver answers: status, headers and body (the default: 204, nothing).
Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Delivery:
    """One request as received: its headers, body, and which secrets verify it."""

    headers: dict[str, str]
    body: bytes
    verified_by: list[int]  # indexes into ``Receiver.secrets``
    client: tuple[str, int] | None = None  # the sender's address: one per connection

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.body)
        return parsed


class _InLoopServer(uvicorn.Server):
    """uvicorn inside the test's loop: the test runner keeps its own signal handlers."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    requests: list[Delivery] = field(default_factory=list)
    reply: Callable[[Delivery], Reply] = lambda _: (204, {}, b"")
    hold: asyncio.Event | None = None  # while unset, requests wait (a slow receiver)
    port: int = 0
    _server: _InLoopServer | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    @property
    def verified(self) -> list[Delivery]:
        """Requests the reference library verified with at least one of the secrets."""
        return [d for d in self.requests if d.verified_by]

    def ids(self) -> set[str]:
        return {d.id for d in self.verified}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        client = scope.get("client")
        delivery = Delivery(headers, body, [], None if client is None else tuple(client))
        for n, secret in enumerate(self.secrets):
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            delivery.verified_by.append(n)
        self.requests.append(delivery)
        if self.hold is not None:
            await self.hold.wait()
        status, extra, content = self.reply(delivery)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in extra.items()],
            }
        )
        await send({"type": "http.response.body", "body": content})

    async def start(self) -> None:
        """Listen (on the same port as before, after a ``stop``)."""
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self, log_level="warning", access_log=False, lifespan="off")
        self._server = server = _InLoopServer(config)
        self._task = asyncio.create_task(server.serve(sockets=[sock]))

        async def started() -> bool:
            if self._task is not None and self._task.done():
                self._task.result()  # a server that failed to start says why
            return server.started

        await eventually(started, message="the receiver started")

    async def stop(self) -> None:
        """Stop listening: deliveries meet a refused connection until ``start``."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        self._server = self._task = None


def respond(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Any:
    """A ``Receiver.reply`` answering every request alike."""
    return lambda _: (status, headers or {}, body)
