"""A tier recognition held on a day: the one predicate the registry and every replica of
its recognitions (training, the gateway, and diagnosis and innovation next) apply.

A recognition is held from ``valid_from`` through ``valid_until`` (both included), until
the day it is revoked (from ``revoked_on`` on, it is no longer held). The same rule is
written three ways: on a row in Python, as a SQLAlchemy condition on a mapped class, and
as SQL text for the statements written raw (the hot paths run them through asyncpg).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement


def is_held(valid_from: date, valid_until: date, revoked_on: date | None, day: date) -> bool:
    return valid_from <= day <= valid_until and (revoked_on is None or day < revoked_on)


def held_on(recognitions: Any, day: Any) -> ColumnElement[bool]:
    """``recognitions`` (a mapped class or alias with the three columns) held on ``day``
    (a date or a column)."""
    return and_(
        recognitions.valid_from <= day,
        recognitions.valid_until >= day,
        or_(recognitions.revoked_on.is_(None), recognitions.revoked_on > day),
    )


def held_on_sql(alias: str, day: str) -> str:
    """The same as SQL text: ``alias`` names the recognitions, ``day`` the placeholder
    (``$2``, ``:as_of``)."""
    return (
        f"{alias}.valid_from <= {day} AND {alias}.valid_until >= {day}"
        f" AND ({alias}.revoked_on IS NULL OR {alias}.revoked_on > {day})"
    )


Interval = tuple[date, date]  # [start, end) — end is the first day not held (date.max: open)


def held_intervals(recognitions: Iterable[dict[str, Any]]) -> list[Interval]:
    """The days some of ``recognitions`` (rows with the three columns) hold, as disjoint
    intervals: a renewal by 复核 may overlap the old recognition."""
    spans = sorted(
        (
            r["valid_from"],
            min(r["valid_until"] + timedelta(days=1), r["revoked_on"] or date.max),
        )
        for r in recognitions
    )
    merged: list[Interval] = []
    for start, end in spans:
        if start >= end:
            continue  # revoked before it began
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def span_deltas(spans: Iterable[Interval], sign: int) -> Iterator[tuple[date, int]]:
    """The day deltas of a count that ``spans`` add to (``sign`` +1) or take from (-1): the
    count on a day is the sum of the deltas up to it."""
    for start, end in spans:
        yield start, sign
        if end != date.max:
            yield end, -sign
