"""Cancellation that survives nats-py, which turns some cancellations into ordinary errors
(``publish_async`` raises ``TooManyStalledMsgsError``, ``fetch`` a timeout): a worker that
catches those errors and carries on would never stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)


def raise_if_cancelling() -> None:
    """Call in an ``except`` branch of a worker loop: a cancellation that a library swallowed
    still ends the worker."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def stop(tasks: Iterable[asyncio.Task[None]], timeout: float = 10.0) -> None:
    """Cancel the tasks until they have ended, or give up after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pending = {t for t in tasks if not t.done()}
    while pending and loop.time() < deadline:
        for task in pending:
            task.cancel()
        # nats-py may swallow a cancellation mid-fetch: cancel again soon rather than wait
        # (at 0.5 s a round, every service stop took half a second).
        _, pending = await asyncio.wait(pending, timeout=0.05)
    for task in pending:
        log.error("task %s did not stop within %.0fs", task.get_name(), timeout)
