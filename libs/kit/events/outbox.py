"""Transactional outbox: an event commits in the same transaction as the change it reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession

from kit.events.envelope import CloudEvent


def notify_channel(schema: str) -> str:
    return f"zjtx_outbox_{schema}"


class Outbox:
    """Writes a service's events into its ``outbox`` table, inside the caller's session."""

    def __init__(self, service: str, table: Table) -> None:
        self.service = service
        self.table = table
        self.schema = str(table.schema)
        self._notify = text(f"SELECT pg_notify('{notify_channel(self.schema)}', '')")

    def event(
        self,
        aggregate: str,
        event: str,
        *,
        subject: str,
        data: dict[str, Any],
        province: str | None,
        version: int,
        time: str | None = None,
    ) -> CloudEvent:
        """An event to emit later (``emit_many``); a batch may share one ``time``."""
        return CloudEvent.new(
            service=self.service,
            aggregate=aggregate,
            event=event,
            subject=subject,
            data=data,
            province=province,
            version=version,
            time=time,
        )

    async def emit(
        self,
        session: AsyncSession,
        aggregate: str,
        event: str,
        *,
        subject: str,
        data: dict[str, Any],
        province: str | None,
        version: int,
    ) -> CloudEvent:
        ce = self.event(
            aggregate, event, subject=subject, data=data, province=province, version=version
        )
        await session.execute(
            self.table.insert().values(id=ce.id, subject=ce.nats_subject, payload=ce.to_dict())
        )
        await session.execute(self._notify)  # delivered at commit, wakes the relay
        return ce

    async def emit_many(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        """Bulk path (imports): COPY the events in through the session's own connection."""
        if not events:
            return
        conn = await session.connection()
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        now = datetime.now(UTC)
        await raw.copy_records_to_table(
            self.table.name,
            schema_name=self.schema,
            columns=["id", "subject", "payload", "created_at", "attempts"],
            # SQLAlchemy's asyncpg codec takes jsonb as serialised text.
            records=[
                (e.id, e.nats_subject, orjson.dumps(e.to_dict()).decode(), now, 0) for e in events
            ],
        )
        await session.execute(self._notify)
