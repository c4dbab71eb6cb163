"""Registry events → the shared replica, then the tier and enterprise counts derived from it.

An enterprise holds a tier over the union of its recognitions' periods (a renewal by 复核
may overlap the old one), and counts in the province and the city where it is. Each batch's
changes are recounted per enterprise: what the enterprise counted before the batch (its old
place, its old recognitions) is taken out of the counts and what it counts now is put in —
one rule for a registration, a move, a grant, a revocation, and for recognitions that arrive
before their enterprise (they count once it does).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from contracts.vocabulary import LITTLE_GIANTS
from kit.registry_replica import Changes, Row, rows_of
from kit.tiers import held_intervals, span_deltas
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.base import city_of
from gateway.registry.models import (
    EnterpriseReplica,
    RecognitionReplica,
    RegionCount,
    TierDelta,
)

# The count of valid 小巨人 (either tier, an enterprise holding both once), kept beside the
# tiers' own: coverage divides by it.
VALID_LITTLE_GIANT = "valid_little_giant"


def scopes(enterprise: Row | None) -> tuple[str, ...]:
    """Where an enterprise counts: its province and its city (nowhere until it is known)."""
    if enterprise is None:
        return ()
    return enterprise["province"], city_of(enterprise["region_code"])


def tier_deltas(
    where: tuple[str, ...], recognitions: list[Row], sign: int
) -> Counter[tuple[str, str, date]]:
    """What an enterprise with ``recognitions``, counted in ``where``, adds (``sign`` +1) or
    takes out (-1) of the tier deltas."""
    by_tier: dict[str, list[Row]] = {}
    for r in recognitions:
        by_tier.setdefault(r["tier"], []).append(r)
        if r["tier"] in LITTLE_GIANTS:
            by_tier.setdefault(VALID_LITTLE_GIANT, []).append(r)
    deltas: Counter[tuple[str, str, date]] = Counter()
    for tier, held in by_tier.items():
        for day, delta in span_deltas(held_intervals(held), sign):
            for scope in where:
                deltas[scope, tier, day] += delta
    return deltas


async def recount(session: AsyncSession, changes: Changes) -> dict[str, str]:
    """Move the counts of every enterprise the batch changed (the replica holds the
    enterprise's lock: see ``kit.registry_replica``); returns the enterprises it placed
    for the first time, with their city."""
    usccs = sorted(changes.usccs())
    if not usccs:
        return {}
    now: dict[str, Row | None] = {c.after["uscc"]: c.after for c in changes.enterprises}
    now.update(await _enterprises(session, [u for u in usccs if u not in now]))
    was = {**now, **{c.after["uscc"]: c.before for c in changes.enterprises}}
    recognitions = await _recognitions(session, usccs)
    replaced = {c.after["id"]: c.before for c in changes.recognitions}
    tiers: Counter[tuple[str, str, date]] = Counter()
    enterprises: Counter[str] = Counter()
    placed: dict[str, str] = {}
    for uscc in usccs:
        held = recognitions.get(uscc, [])
        before = [replaced.get(r["id"], r) for r in held]
        old, new = scopes(was.get(uscc)), scopes(now.get(uscc))
        tiers.update(tier_deltas(old, [r for r in before if r is not None], -1))
        tiers.update(tier_deltas(new, held, +1))
        enterprises.subtract(old)
        enterprises.update(new)
        if not old and new:
            placed[uscc] = new[1]
    await _add_tier_deltas(session, tiers)
    await _add_region_counts(session, enterprises)
    return placed


async def _enterprises(session: AsyncSession, usccs: list[str]) -> dict[str, Row | None]:
    if not usccs:
        return {}
    return {r["uscc"]: r for r in await rows_of(session, EnterpriseReplica, usccs)}


async def _recognitions(session: AsyncSession, usccs: list[str]) -> dict[str, list[Row]]:
    by_uscc: dict[str, list[Row]] = {}
    for r in await rows_of(session, RecognitionReplica, usccs):
        by_uscc.setdefault(r["uscc"], []).append(r)
    return by_uscc


async def _add_tier_deltas(session: AsyncSession, deltas: Counter[tuple[str, str, date]]) -> None:
    rows: list[dict[str, Any]] = [
        {"scope": scope, "tier": tier, "day": day, "delta": n}
        for (scope, tier, day), n in sorted(deltas.items())  # one lock order for every consumer
        if n
    ]
    if not rows:
        return
    stmt = insert(TierDelta).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope", "tier", "day"],
            set_={"delta": TierDelta.delta + stmt.excluded.delta},
        )
    )


async def _add_region_counts(session: AsyncSession, changes: Counter[str]) -> None:
    rows = [{"scope": p, "enterprises": n} for p, n in sorted(changes.items()) if n]
    if not rows:
        return
    stmt = insert(RegionCount).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope"],
            set_={"enterprises": RegionCount.enterprises + stmt.excluded.enterprises},
        )
    )
