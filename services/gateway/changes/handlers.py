"""Every service's events → the change feed's table (``gateway.changes.models``).

One durable consumer per service stream (named ``changes``, beside the read models' own),
taking every event of the stream, known to the catalogue or not: the feed holds what was
published, not what the gateway understands. Idempotent twice over: the consumer's inbox,
and the event id's unique key.
"""

from __future__ import annotations

from collections.abc import Sequence

from kit.events.consumer import Subscription
from kit.events.envelope import CloudEvent
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.changes.models import Change
from gateway.event_types import SERVICES

# The one lock every recording transaction holds from taking its ``seq`` values to its
# commit: ``seq`` order is then commit order (see ``gateway.changes.models``). A single
# bigint key, apart from the two-key locks of ``kit.registry_replica``.
SEQ_LOCK = 0x7A6A_7478_4348_4753  # "zjtxCHGS"
_TAKE_SEQ_LOCK = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=SEQ_LOCK)


async def record(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """Append ``events`` to the feed, in this order, those it holds already left out. The
    lock is held until the caller's transaction ends: keep that transaction short."""
    if not events:
        return
    await session.execute(_TAKE_SEQ_LOCK)
    rows = [
        {"event_id": e.id, "type": e.type, "province": e.province, "event": e.to_dict()}
        for e in events
    ]
    await session.execute(
        insert(Change).values(rows).on_conflict_do_nothing(index_elements=[Change.event_id])
    )


async def record_one(session: AsyncSession, event: CloudEvent) -> None:
    await record(session, [event])


SUBSCRIPTIONS = [
    Subscription(service, {"*": record_one}, record, name="changes") for service in SERVICES
]
