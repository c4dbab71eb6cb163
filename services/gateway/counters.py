"""The read model's counters: rows of figures per key, moved by signed amounts — one upsert
for every key a change touches, keys in sorted order (one lock order for every consumer)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from sqlalchemy import Integer, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from gateway.base import Base

Key = tuple[str, ...]
Deltas = Counter[tuple[Key, str]]  # (key, figure) → amount


def counter() -> Mapped[int]:
    """A figure's column: a count from 0."""
    return mapped_column(Integer, server_default=text("0"))


async def bump(
    session: AsyncSession,
    table: type[Base],
    key: Sequence[str],
    figures: Sequence[str],
    changes: Deltas,
) -> None:
    """Add ``changes`` to the rows of ``table`` keyed by the columns ``key``."""
    by_key: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(figures, 0))
    for (k, figure), n in changes.items():
        if n:
            by_key[k][figure] += n
    rows = [{**dict(zip(key, k, strict=True)), **amounts} for k, amounts in sorted(by_key.items())]
    if not rows:
        return
    stmt = insert(table).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=list(key),
            set_={f: getattr(table, f) + getattr(stmt.excluded, f) for f in figures},
        )
    )
