"""What a service keeps, and for how long: rows past their retention are deleted in small
batches by a worker every service runs (``kit.app``), so a table of sent events or webhook
attempts does not grow for ever. Batches skip rows another transaction holds, so any number
of replicas purge side by side."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from kit.context import ServiceContext
from kit.db import describe
from kit.events.tasks import raise_if_cancelling
from kit.settings import Settings

log = logging.getLogger(__name__)

BATCH = 5_000
EVERY_SECONDS = 600.0  # a purge round this often; a round ends when nothing is left to go


@dataclass(frozen=True)
class Rule:
    """Rows ``t`` of ``table`` whose ``since`` (an SQL expression over ``t``) is older than
    ``days(settings)`` days and that match ``where`` go; ``{schema}`` in ``table`` and
    ``where`` is the service's schema."""

    table: str
    since: str
    days: Callable[[Settings], int]
    where: str = "TRUE"

    def sql(self, schema: str) -> str:
        table = self.table.replace("{schema}", schema)
        where = self.where.replace("{schema}", schema)
        return f"""
DELETE FROM {table} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM {table} t
    WHERE {self.since} < now() - make_interval(days => $1) AND ({where})
    LIMIT $2 FOR UPDATE SKIP LOCKED))
"""


# Every service's: events the relay published that long ago (an unpublished one has no
# ``published_at``, so it stays until it is published).
OUTBOX = Rule("{schema}.outbox", "t.published_at", lambda s: s.outbox_retention_days)


async def purge(
    pool: asyncpg.Pool, schema: str, settings: Settings, rules: Sequence[Rule]
) -> dict[str, int]:
    """One round: every rule until none of its rows is left; how many rows each deleted."""
    deleted: dict[str, int] = {}
    for rule in rules:
        sql, days, total = rule.sql(schema), rule.days(settings), 0
        while True:
            async with pool.acquire() as conn:
                status = await conn.execute(sql, days, BATCH)
            count = int(status.split()[-1])
            total += count
            if count < BATCH:
                break
        deleted[rule.table.replace("{schema}", schema)] = total
    return deleted


def worker(rules: Sequence[Rule]) -> Callable[[ServiceContext], Coroutine[Any, Any, None]]:
    """The service's purge worker (a ``kit.app.Worker``): ``OUTBOX`` and ``rules``."""

    async def purge_expired(ctx: ServiceContext) -> None:
        while True:
            try:
                deleted = await purge(ctx.db.pool, ctx.schema, ctx.settings, [OUTBOX, *rules])
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                raise_if_cancelling()
                log.warning("retention: %s", describe(exc))  # the next round tries again
            else:
                if any(deleted.values()):
                    log.info("retention: deleted %s", deleted)
            await asyncio.sleep(EVERY_SECONDS)

    return purge_expired
