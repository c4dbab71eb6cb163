"""Storing checked rows: COPY records and their ``registered`` events, written in the
request's transaction one chunk at a time while the next chunk is being checked."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

import asyncpg
from contracts.registry import Enterprise
from kit.codes import unit_of
from kit.context import ServiceContext
from kit.events import envelope
from kit.events.envelope import CloudEvent
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.errors import CONCURRENT_REGISTRATION
from registry.repository import imports as repo
from registry.service.imports.rows import Problems

# Column order of the COPY; the table's defaults fill the rest (version 1, now(), '{}').
COPY_COLUMNS = (
    "uscc",
    "name",
    "region_code",
    "province",
    "industry_code",
    "niche_field",
    "main_product",
    "scale",
    "ownership",
    "legal_representative",
    "registered_on",
    "employees",
    "address",
    "website",
    "listed",
    "listing_board",
)
# Event fields an import never sets (an imported enterprise has no IPO plan, titles or key
# fields yet); every other one comes from the COPY record (``registered_on`` as its text).
_UNSET = ("ipo_plan", "titles", "key_fields", "four_basics_kind")
_EVENT_SOURCES = [f for f in Enterprise.model_fields if f not in (*_UNSET, "registered_on")]
_event_values = itemgetter(*(COPY_COLUMNS.index(f) for f in _EVENT_SOURCES))
_REGISTERED_ON = COPY_COLUMNS.index("registered_on")


def event_data(record: tuple[Any, ...]) -> dict[str, Any]:
    """The ``contracts.registry.Enterprise`` of the enterprise a COPY record creates, built
    as a dict: the model would cost 1.6 s per 100,000 records (16 µs each), ten times this."""
    registered_on = record[_REGISTERED_ON]
    return dict(
        zip(_EVENT_SOURCES, _event_values(record), strict=True),
        ipo_plan=None,
        titles=[],
        key_fields=[],
        four_basics_kind=None,
        registered_on=registered_on.isoformat() if registered_on else None,
    )


def records(values: dict[str, Sequence[Any]], count: int, bad: Problems) -> list[tuple[Any, ...]]:
    """The COPY records of a chunk's good rows, from each field's checked values."""
    values["province"] = [unit_of(r) if isinstance(r, str) else "" for r in values["region_code"]]
    columns = [
        values.get(c) or repeat(False if c == "listed" else None, count) for c in COPY_COLUMNS
    ]
    out = list(zip(*columns, strict=True))
    return [r for i, r in enumerate(out) if i not in bad] if bad else out


async def registered_events(ctx: ServiceContext, rows: list[tuple[Any, ...]]) -> list[CloudEvent]:
    """One ``registered`` event per record, yielding to the loop every 2,000."""
    at = envelope.now()
    event = ctx.outbox.event
    out: list[CloudEvent] = []
    for start in range(0, len(rows), 2000):
        out += [
            event(
                events.ENTERPRISE,
                "registered",
                subject=r[0],
                data=event_data(r),
                province=r[3],
                version=1,
                time=at,
            )
            for r in rows[start : start + 2000]
        ]
        await asyncio.sleep(0)
    return out


class Writer:
    """Stores one chunk while the next is being checked: PostgreSQL ingests a COPY while
    Python validates, so an import costs about the larger of the two, not their sum.
    One write at a time, on the request's session; nothing else uses it meanwhile."""

    def __init__(self, session: AsyncSession, ctx: ServiceContext) -> None:
        self.session = session
        self.ctx = ctx
        self.pending: asyncio.Task[None] | None = None

    async def write(self, records: list[tuple[Any, ...]], events: list[CloudEvent]) -> None:
        await self.wait()
        self.pending = asyncio.create_task(self._write(records, events))
        await asyncio.sleep(0)  # let it start sending

    async def wait(self) -> None:
        task, self.pending = self.pending, None
        if task is not None:
            await task

    async def abandon(self) -> None:
        """After a failure: let the write in flight end; the request rolls it back."""
        with contextlib.suppress(Exception):
            await self.wait()

    async def _write(self, records: list[tuple[Any, ...]], events: list[CloudEvent]) -> None:
        try:
            await repo.copy_enterprises(self.session, COPY_COLUMNS, records)
        except asyncpg.UniqueViolationError as exc:  # a concurrent request registered one
            raise CONCURRENT_REGISTRATION() from exc
        await self.ctx.outbox.emit_many(self.session, events)
