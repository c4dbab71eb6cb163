"""Database access: SQLAlchemy async for writes, a raw asyncpg pool for hot reads.

Measured here: one primary-key read costs ~950 µs of client CPU through SQLAlchemy's async
layer and ~170 µs through asyncpg, so read paths that must be fast use ``Database.pool``.

A database error carries the request's values: SQLAlchemy prints the statement's parameters
and asyncpg the server's DETAIL ("Failing row contains (…)", "Key (…)=(…)"), names, addresses
and ID ciphertexts included. Engines hide parameters, and :class:`DatabaseFailure` is what
gets logged instead of the driver's exception: statement, SQLSTATE and names, no values.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from sqlalchemy import MetaData
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """Metadata of a service's declarative base: its tables live in its own schema."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


async def _init_connection(conn: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(
            kind,
            encoder=lambda v: orjson.dumps(v).decode(),
            decoder=orjson.loads,
            schema="pg_catalog",
        )


async def _reset(conn: asyncpg.Connection) -> None:
    """Before a connection goes back to the pool. asyncpg's default resets session state
    with a four-statement round trip on every release (~12% of a hot read's CPU here), but
    this pool's users keep none: no SET, no advisory locks, and the relay unlistens before
    it releases. Only an abandoned transaction needs undoing."""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


class DatabaseFailure(Exception):
    """A database error stripped of every value: what logs and tracebacks may show."""

    @classmethod
    def of(cls, exc: BaseException) -> DatabaseFailure:
        return cls(describe(exc))


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, (StatementError, asyncpg.PostgresError))


def describe(exc: BaseException) -> str:
    """``exc`` in words safe to log: the driver's error class, SQLSTATE, the constraint,
    table, column and type it names, and the statement (placeholders, never parameters).
    The server's message is left out: some quote the offending value."""
    parts = [type(exc).__name__]
    pg = _postgres_error(exc)
    if pg is not None:
        parts.append(type(pg).__name__)
        for label in (
            "sqlstate",
            "schema_name",
            "table_name",
            "column_name",
            "data_type_name",
            "constraint_name",
        ):
            value = getattr(pg, label, None)
            if value:
                parts.append(f"{label}={value}")
    if isinstance(exc, StatementError) and exc.statement:
        parts.append(f"statement: {' '.join(exc.statement.split())[:2000]}")
    return " ".join(parts)


def _postgres_error(exc: BaseException) -> asyncpg.PostgresError | None:
    seen: BaseException | None = exc
    for _ in range(5):  # SQLAlchemy → its asyncpg adapter → asyncpg
        if seen is None or isinstance(seen, asyncpg.PostgresError):
            return seen
        seen = seen.__cause__ or getattr(seen, "orig", None)
    return None


@dataclass
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    pool: asyncpg.Pool

    @classmethod
    async def connect(cls, url: str, *, pool_size: int = 10) -> Database:
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            hide_parameters=True,
            json_serializer=lambda v: orjson.dumps(v).decode(),
            json_deserializer=orjson.loads,
        )
        pool = await asyncpg.create_pool(
            url.replace("postgresql+asyncpg://", "postgresql://"),
            min_size=1,
            max_size=pool_size,
            init=_init_connection,
            reset=_reset,
        )
        assert pool is not None
        return cls(engine, async_sessionmaker(engine, expire_on_commit=False), pool)

    async def close(self, timeout: float = 5.0) -> None:
        # A task cancelled inside pool.acquire() can leave a connection checked out, and
        # pool.close() would wait for it forever: give it a moment, then cut.
        try:
            await asyncio.wait_for(self.pool.close(), timeout)
        except TimeoutError:
            self.pool.terminate()
        await self.engine.dispose()

    async def ping(self) -> bool:
        try:
            return bool(await self.pool.fetchval("SELECT 1", timeout=2))
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        return await self.pool.fetchrow(query, *args)
