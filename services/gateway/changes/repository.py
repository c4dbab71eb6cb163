"""The change feed's read: one index range per page (``seq`` for the whole country,
``(province, seq)`` for a unit), through the pool, the events as the stored JSON text."""

from __future__ import annotations

import asyncpg


def _page_sql(by_unit: bool, by_type: bool) -> str:
    where, n = ["seq > $1"], 2  # $1 after, $2 limit
    if by_unit:
        n += 1
        where.append(f"province = ${n}")
    if by_type:
        n += 1
        where.append(f"type = ANY(${n}::text[])")
    return (
        "SELECT seq, event::text AS event FROM gateway.changes"
        f" WHERE {' AND '.join(where)} ORDER BY seq LIMIT $2"
    )


_PAGES = {(u, t): _page_sql(u, t) for u in (False, True) for t in (False, True)}


async def page(
    conn: asyncpg.Connection, *, after: int, limit: int, unit: str | None, types: list[str]
) -> list[asyncpg.Record]:
    """Up to ``limit`` events past ``after``, oldest first: of ``unit`` (None: of every
    unit, and those of none), of ``types`` (empty: of every type)."""
    args: list[object] = [after, limit]
    if unit is not None:
        args.append(unit)
    if types:
        args.append(types)
    return list(await conn.fetch(_PAGES[unit is not None, bool(types)], *args))
