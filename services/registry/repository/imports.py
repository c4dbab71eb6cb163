"""Bulk queries: duplicate lookup by chunks, COPY within the request's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from kit.db import Database
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Enterprise

LOOKUP_CHUNK = 20_000
_EXISTING = "SELECT uscc FROM registry.enterprises WHERE uscc = ANY($1::text[])"


async def _raw(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session, inside the request's transaction.

    SQLAlchemy's asyncpg adapter issues BEGIN only with its first statement: a COPY sent
    straight to the driver before that would run in autocommit and survive a rollback.
    """
    conn = await session.connection()
    raw: asyncpg.Connection = (await conn.get_raw_connection()).driver_connection
    if not raw.is_in_transaction():
        await session.execute(text("SELECT 1"))
    return raw


async def existing(db: Database, usccs: Sequence[str]) -> set[str]:
    """Which of ``usccs`` are registered (committed) already. A pooled connection, not the
    request's: that one may be busy with a COPY of the same import."""
    found: set[str] = set()
    for start in range(0, len(usccs), LOOKUP_CHUNK):
        rows = await db.pool.fetch(_EXISTING, usccs[start : start + LOOKUP_CHUNK])
        found.update(r["uscc"] for r in rows)
    return found


async def copy_enterprises(
    session: AsyncSession, columns: Sequence[str], records: Sequence[tuple[Any, ...]]
) -> None:
    """COPY new enterprises; the columns left out take their defaults (version 1, now())."""
    if records:
        raw = await _raw(session)
        await raw.copy_records_to_table(
            Enterprise.__tablename__, schema_name="registry", columns=list(columns), records=records
        )


async def for_update(session: AsyncSession, usccs: Sequence[str]) -> list[Enterprise]:
    rows = await session.scalars(
        select(Enterprise).where(Enterprise.uscc.in_(usccs)).with_for_update()
    )
    return list(rows)
