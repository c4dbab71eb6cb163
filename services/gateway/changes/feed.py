"""The change feed (``GET /api/v1/column/changes``): every event of the caller's unit, in
the order the gateway recorded them, from an opaque cursor.

Who reads what: the ministry every event (those of no unit too); a unit's own users
(``province``) and systems (``province_system``) the events whose ``province`` extension
is their unit (浙江省 33 does not get 宁波 3302's: a 计划单列市 is a unit of its own);
everyone else is refused (403), cities included: the feed is a unit's copy of its data.
"""

from __future__ import annotations

import orjson
from kit import scope
from kit.auth import Principal, Role
from kit.db import Database
from kit.pagination import decode_cursor, encode_cursor

from gateway.changes import repository
from gateway.changes.schemas import ChangesQuery
from gateway.event_types import checked_types

READERS = (Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM)


def unit_read(principal: Principal) -> str | None:
    """The unit whose events ``principal`` (one of :data:`READERS`) reads; None: all."""
    return scope.unit(principal) or None


def requested_types(types: str | None) -> list[str]:
    """``types``' comma list, each a known event type (else ``EVENT_TYPE_UNKNOWN``)."""
    return checked_types(t.strip() for t in (types or "").split(",") if t.strip())


async def read(db: Database, principal: Principal, query: ChangesQuery) -> bytes:
    """The page as JSON: the stored events spliced in as they are, not decoded and
    encoded again."""
    types = requested_types(query.types)
    key = decode_cursor(query.after, int)
    after = 0 if key is None else key[0]
    async with db.pool.acquire() as conn:
        rows = await repository.page(
            conn, after=after, limit=query.limit + 1, unit=unit_read(principal), types=types
        )
    shown = rows[: query.limit]
    return orjson.dumps(
        {
            "items": [orjson.Fragment(r["event"]) for r in shown],
            "next_cursor": encode_cursor([shown[-1]["seq"] if shown else after]),
            "has_more": len(rows) > query.limit,
        }
    )
