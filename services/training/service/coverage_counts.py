"""Coverage kept as counts (``CoverageDelta``): what each enterprise adds to them is derived
from where it is, the days it holds 小巨人 and the periods it was trained in, and recounted
whenever one of them changes — a replica batch (a move, a grant, a revocation) or a class
closing. The enterprise's old contribution is taken out and its new one put in, under the
replica's lock on the enterprise, so the counts equal a scan of the enrollments
(``bench/training.py`` runs both).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from contracts.vocabulary import LITTLE_GIANTS
from kit.codes import unit_of
from kit.registry_replica import Changes, Row, lock_enterprises, rows_of
from kit.tiers import Interval, held_intervals, span_deltas
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training.models import CoverageDelta, EnterpriseReplica, RecognitionReplica, TrainedEnterprise

UNDATED = date(1, 1, 1)  # the day of the counts that do not depend on the day
ALWAYS: list[Interval] = [(UNDATED, date.max)]
Key = tuple[str, str, str, date]  # scope, kind, period, day


def scopes(enterprise: Row | None) -> tuple[str, ...]:
    """Where an enterprise counts: its unit, city and county (nowhere until known); a
    计划单列市 is its unit and its city, one scope."""
    if enterprise is None:
        return ()
    region = enterprise["region_code"]
    return tuple(dict.fromkeys((unit_of(region), region[:4], region)))


def contribution(
    enterprise: Row | None, recognitions: Iterable[Row], periods: set[str], sign: int
) -> Counter[Key]:
    """What one enterprise adds to the counts (``sign`` +1), or takes out of them (-1)."""
    where = scopes(enterprise)
    out: Counter[Key] = Counter()
    if not where:
        return out
    held = held_intervals(r for r in recognitions if r["tier"] in LITTLE_GIANTS)

    def add(kind: str, period: str, spans: list[Interval]) -> None:
        for day, delta in span_deltas(spans, sign):
            for scope in where:
                out[scope, kind, period, day] += delta

    add("valid", "", held)
    for period in periods:
        add("batch", period, ALWAYS)
        add("batch_valid", period, held)
    if periods:  # "2025" < "2026" < "2027-2028"
        add("first", min(periods), ALWAYS)
        add("first_valid", min(periods), held)
    return out


async def on_replica(session: AsyncSession, changes: Changes) -> None:
    """The replica's ``then``: recount the enterprises the batch changed (locked by it)."""
    was_enterprises = {c.after["uscc"]: c.before for c in changes.enterprises}
    was_recognitions = {c.after["id"]: c.before for c in changes.recognitions}
    await _recount(session, changes.usccs(), was_enterprises, was_recognitions, {})


async def on_trained(session: AsyncSession, trained: dict[str, set[str]]) -> None:
    """Enterprises trained in periods (a class closed): recorded and recounted."""
    if not trained:
        return
    await lock_enterprises(session, trained)
    await _recount(session, set(trained), {}, {}, trained)


async def _recount(
    session: AsyncSession,
    usccs: set[str],
    was_enterprises: dict[str, Row | None],
    was_recognitions: dict[Any, Row | None],
    trained: dict[str, set[str]],
) -> None:
    keys = sorted(usccs)
    if not keys:
        return
    enterprises = {r["uscc"]: r for r in await rows_of(session, EnterpriseReplica, keys)}
    recognitions: dict[str, list[Row]] = {}
    for r in await rows_of(session, RecognitionReplica, keys):
        recognitions.setdefault(r["uscc"], []).append(r)
    periods: dict[str, set[str]] = {}
    for r in await rows_of(session, TrainedEnterprise, keys):
        periods.setdefault(r["uscc"], set()).add(r["period"])
    deltas: Counter[Key] = Counter()
    for uscc in keys:
        now = enterprises.get(uscc)
        was = was_enterprises.get(uscc, now)
        held = recognitions.get(uscc, [])
        before = [b for r in held if (b := was_recognitions.get(r["id"], r)) is not None]
        old_periods = periods.get(uscc, set())
        new_periods = old_periods | trained.get(uscc, set())
        deltas.update(contribution(was, before, old_periods, -1))
        deltas.update(contribution(now, held, new_periods, +1))
    await _add_trained(session, trained)
    await _add_deltas(session, deltas)


async def _add_trained(session: AsyncSession, trained: dict[str, set[str]]) -> None:
    rows = [{"uscc": u, "period": p} for u, ps in sorted(trained.items()) for p in sorted(ps)]
    if rows:
        await session.execute(insert(TrainedEnterprise).values(rows).on_conflict_do_nothing())


async def _add_deltas(session: AsyncSession, deltas: Counter[Key]) -> None:
    rows: list[dict[str, Any]] = [
        {"scope": scope, "kind": kind, "period": period, "day": day, "delta": n}
        for (scope, kind, period, day), n in sorted(deltas.items())  # one lock order for all
        if n
    ]
    if not rows:
        return
    for start in range(0, len(rows), 5000):  # bind parameters stay under asyncpg's limit
        stmt = insert(CoverageDelta).values(rows[start : start + 5000])
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["scope", "kind", "period", "day"],
                set_={"delta": CoverageDelta.delta + stmt.excluded.delta},
            )
        )
