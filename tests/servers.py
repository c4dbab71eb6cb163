"""Services behind a real HTTP server (uvicorn on loopback, in a thread with its own loop).

The in-process ASGI client never sees what the server does with a connection; these tests
must: keep-alive after an error, header limits, what a browser or a fuzzer gets.
"""

from __future__ import annotations

import asyncio
import importlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI
from kit.settings import Settings

STARTUP_SECONDS = 30.0


def service_app(settings: Settings, service: str) -> FastAPI:
    app: FastAPI = importlib.import_module(f"{service}.main").create(settings)
    return app


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn (httptools, as ``zjtx serve``) at the returned base URL."""
    name = app.title
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, http="httptools")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=asyncio.run, args=(server.serve(sockets=[sock]),), name=f"uvicorn {name}"
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)  # polled with a deadline, as kit.testing.eventually does
        if not server.started:
            raise RuntimeError(f"{name} did not start within {STARTUP_SECONDS}s")
        host, port = sock.getsockname()
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)
        sock.close()
