"""Registry events → the gateway's read model (idempotent: the inbox runs each event once).

An enterprise holds a tier over the union of its recognitions' periods (a renewal by 复核
may overlap the old one). On every change the enterprise's old union is taken out of the
day deltas and the new one put in, in the province and the city where the enterprise is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from contracts import registry
from kit.events.consumer import Handler, dispatch
from kit.events.envelope import CloudEvent
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.handlers.training import place_enterprises
from gateway.models import (
    EnterpriseReplica,
    RecognitionReplica,
    RegionCount,
    TierDelta,
    city_of,
)

Interval = tuple[date, date]  # [start, end) — end is the first day not held


def scopes(enterprise: EnterpriseReplica) -> tuple[str, str]:
    """Where an enterprise counts: its province and its city."""
    return enterprise.province, city_of(enterprise.region_code)


def held_intervals(recognitions: list[RecognitionReplica]) -> list[Interval]:
    spans = sorted(
        (r.valid_from, min(r.valid_until + timedelta(days=1), r.revoked_on or date.max))
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


def interval_deltas(intervals: list[Interval], sign: int) -> Counter[date]:
    deltas: Counter[date] = Counter()
    for start, end in intervals:
        deltas[start] += sign
        if end != date.max:
            deltas[end] -= sign
    return deltas


async def _recognitions(
    session: AsyncSession, uscc: str, tier: str | None = None
) -> list[RecognitionReplica]:
    query = select(RecognitionReplica).where(RecognitionReplica.uscc == uscc)
    if tier is not None:
        query = query.where(RecognitionReplica.tier == tier)
    return list((await session.scalars(query)).all())


async def _add_deltas(
    session: AsyncSession, where: Iterable[str], tier: str, deltas: Counter[date]
) -> None:
    rows = [
        {"scope": scope, "tier": tier, "day": d, "delta": n}
        for scope in sorted(where)  # one lock order for every consumer
        for d, n in sorted(deltas.items())
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


async def _region_counts(session: AsyncSession, changes: Counter[str]) -> None:
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


async def on_enterprise(session: AsyncSession, event: CloudEvent) -> None:
    place = registry.EnterprisePlace.parse(event.data)
    uscc = place.uscc
    current = await session.get(EnterpriseReplica, uscc, with_for_update=True)
    if current is None:
        current = EnterpriseReplica(
            uscc=uscc,
            region_code=place.region_code,
            province=place.province,
            version=event.aggregateversion,
        )
        session.add(current)
        await _region_counts(session, Counter(scopes(current)))
        await session.flush()
        await _move_tiers(session, uscc, set(), set(scopes(current)))  # recognitions came first
        await place_enterprises(session, {uscc: city_of(current.region_code)})
        return
    if event.aggregateversion <= current.version:
        return  # stale
    old = set(scopes(current))
    current.region_code, current.province = place.region_code, place.province
    current.version = event.aggregateversion
    new = set(scopes(current))
    if old != new:
        changes = Counter(new - old)
        changes.subtract(old - new)
        await _region_counts(session, changes)
        await _move_tiers(session, uscc, old - new, new - old)


async def _move_tiers(session: AsyncSession, uscc: str, old: set[str], new: set[str]) -> None:
    by_tier: dict[str, list[RecognitionReplica]] = {}
    for r in await _recognitions(session, uscc):
        by_tier.setdefault(r.tier, []).append(r)
    for tier, recs in by_tier.items():
        intervals = held_intervals(recs)
        await _add_deltas(session, old, tier, interval_deltas(intervals, -1))
        await _add_deltas(session, new, tier, interval_deltas(intervals, +1))


async def on_recognition(session: AsyncSession, event: CloudEvent) -> None:
    recognition = registry.Recognition.parse(event.data)
    rec_id, uscc, tier = recognition.id, recognition.uscc, recognition.tier.value
    existing = await session.get(RecognitionReplica, rec_id, with_for_update=True)
    if existing is not None and event.aggregateversion <= existing.version:
        return  # stale
    enterprise = await session.get(EnterpriseReplica, uscc)
    before = held_intervals(await _recognitions(session, uscc, tier))
    fields = {
        "uscc": uscc,
        "tier": tier,
        "valid_from": recognition.valid_from,
        "valid_until": recognition.valid_until,
        "revoked_on": recognition.revoked_on,
        "version": event.aggregateversion,
    }
    if existing is None:
        session.add(RecognitionReplica(id=rec_id, **fields))
    else:
        for key, value in fields.items():
            setattr(existing, key, value)
    await session.flush()
    if enterprise is None:
        return  # counted when the enterprise arrives (see on_enterprise)
    after = held_intervals(await _recognitions(session, uscc, tier))
    deltas = interval_deltas(after, +1)
    deltas.update(interval_deltas(before, -1))
    await _add_deltas(session, scopes(enterprise), tier, deltas)


ROUTES: dict[str, Handler] = {"enterprise.*": on_enterprise, "recognition.*": on_recognition}


async def on_registry_event(session: AsyncSession, event: CloudEvent) -> None:
    await dispatch(ROUTES, session, event)


REGISTERED = "enterprise.registered"


async def on_registry_events(session: AsyncSession, events: list[CloudEvent]) -> None:
    """A batch: new enterprises in one statement (imports bring them by the thousand), then
    the other events one by one, in order (none of them can precede its registration)."""
    registered = [e for e in events if e.route == REGISTERED]
    if registered:
        await _register_many(session, registered)
    for event in events:
        if event.route != REGISTERED:
            await on_registry_event(session, event)


async def _register_many(session: AsyncSession, events: list[CloudEvent]) -> None:
    places = [(registry.EnterprisePlace.parse(e.data), e.aggregateversion) for e in events]
    rows = {
        p.uscc: {
            "uscc": p.uscc,
            "region_code": p.region_code,
            "province": p.province,
            "version": version,
        }
        for p, version in places
    }
    inserted = (
        await session.execute(
            insert(EnterpriseReplica)
            .values(list(rows.values()))
            .on_conflict_do_nothing()
            .returning(
                EnterpriseReplica.uscc, EnterpriseReplica.province, EnterpriseReplica.region_code
            )
        )
    ).all()
    placed = {uscc: (province, city_of(region)) for uscc, province, region in inserted}
    await _region_counts(session, Counter(s for where in placed.values() for s in where))
    early = await session.scalars(
        select(RecognitionReplica.uscc).distinct().where(RecognitionReplica.uscc.in_(placed))
    )
    for uscc in early:  # recognitions that arrived before their enterprise
        await _move_tiers(session, uscc, set(), set(placed[uscc]))
    await place_enterprises(session, {uscc: city for uscc, (_, city) in placed.items()})
