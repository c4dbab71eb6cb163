"""Diagnosis events → the gateway's diagnosis figures (idempotent: the inbox runs each event
once, and the replicas make a re-emitted fact count once).

An engagement counts under its unit and its city (the city of its region code), in its batch
and in ``all``. Engagement events carry the whole engagement: its replica keeps the last
state applied, and a newer version takes that state's contributions out and puts the new
one's in — a cancel undoes everything the engagement counted, a return (reported →
reviewed) what its report did; an older or repeated version changes nothing, so events that
arrive out of order end in the latest state. A survey counts with its engagement (in its
city once the engagement's state has told where it is); an activity in its unit, in ``all``.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from contracts import diagnosis
from contracts.diagnosis import ACTIVITY_KINDS, ASSESSED, DIAGNOSED
from kit.events.consumer import Handler
from kit.events.envelope import CloudEvent
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.base import ALL_BATCHES, city_of
from gateway.counters import Deltas, bump
from gateway.diagnosis.models import (
    FIGURES,
    QUALITY,
    CountedActivity,
    DiagnosisCount,
    DiagnosisLevelCount,
    EngagementReplica,
)

Key = tuple[str, str, str]  # (scope, kind, batch) of diagnosis_counts
LevelKey = tuple[str, str, str]  # (scope, batch, level) of diagnosis_level_counts

CANCELLED = "cancelled"


def _figures(e: EngagementReplica) -> Counter[str]:
    """What the engagement in its current state counts, wherever it counts."""
    counted: Counter[str] = Counter()
    if e.state is not None and e.state != CANCELLED:
        counted["requested"] = 1
        counted["self_assessed"] = int(e.state in ASSESSED)
        if e.state in DIAGNOSED:
            counted["diagnosed"] = 1
            counted["reports_with_suggestions"] = int(e.suggestions > 0)
            counted["typical_cases"] = int(e.typical_case)  # promoted once confirmed
    if e.satisfied is not None:
        counted["responses"] = 1
        counted["satisfied"] = int(e.satisfied)
    return counted


def _level(e: EngagementReplica) -> str | None:
    """The level a diagnosed quality engagement counts at: the spot check's wins."""
    if e.kind != QUALITY or e.state not in DIAGNOSED:
        return None
    return e.spot_level or e.level


def contributions(e: EngagementReplica) -> tuple[Counter[tuple[Key, str]], Counter[LevelKey]]:
    """The counts the engagement's replica puts in (none before any state is known but its
    survey's)."""
    where = [(s, b) for s in (e.unit, e.city) if s is not None for b in (e.batch, ALL_BATCHES)]
    counts: Counter[tuple[Key, str]] = Counter()
    for figure, n in _figures(e).items():
        counts.update({((scope, e.kind, batch), figure): n for scope, batch in where})
    levels: Counter[LevelKey] = Counter()
    level = _level(e)
    if level is not None:
        levels.update((scope, batch, level) for scope, batch in where)
    return counts, levels


async def _bump(session: AsyncSession, changes: Counter[tuple[Key, str]]) -> None:
    await bump(session, DiagnosisCount, ("scope", "kind", "batch"), FIGURES, Deltas(changes))


async def _bump_levels(session: AsyncSession, changes: Counter[LevelKey]) -> None:
    levels = Deltas({(key, "engagements"): n for key, n in changes.items()})
    await bump(session, DiagnosisLevelCount, ("scope", "batch", "level"), ("engagements",), levels)


async def _apply(session: AsyncSession, e: EngagementReplica, fields: dict[str, Any]) -> None:
    """Set ``fields`` on the replica and move the counts the change touches."""
    old_counts, old_levels = contributions(e)
    for name, value in fields.items():
        setattr(e, name, value)
    counts, levels = contributions(e)
    counts.subtract(old_counts)
    levels.subtract(old_levels)
    await _bump(session, counts)
    await _bump_levels(session, levels)


def _unknown(engagement_id: uuid.UUID, kind: str, unit: str, batch: str) -> EngagementReplica:
    """The replica of an engagement no state of which has arrived yet."""
    return EngagementReplica(
        id=engagement_id,
        kind=kind,
        unit=unit,
        city=None,
        batch=batch,
        state=None,
        level=None,
        spot_level=None,
        suggestions=0,
        typical_case=False,
        satisfied=None,
        version=0,
    )


async def on_engagement(session: AsyncSession, event: CloudEvent) -> None:
    data = diagnosis.Engagement.parse(event.data)
    current = await session.get(EngagementReplica, data.id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale or repeated: a state as new is already applied
    if current is None:
        current = _unknown(data.id, data.kind, data.unit, data.batch)
        session.add(current)
    await _apply(
        session,
        current,
        {
            "kind": data.kind,
            "unit": data.unit,
            "city": city_of(data.region_code),
            "batch": data.batch,
            "state": data.state,
            "level": data.level,
            "spot_level": data.spot_level,
            "suggestions": data.suggestions,
            "typical_case": data.typical_case,
            "version": event.aggregateversion,
        },
    )


async def on_survey_submitted(session: AsyncSession, event: CloudEvent) -> None:
    data = diagnosis.SurveySubmitted.parse(event.data)
    current = await session.get(EngagementReplica, data.engagement_id, with_for_update=True)
    if current is None:
        current = _unknown(data.engagement_id, data.kind, data.unit, data.batch)
        session.add(current)
    elif current.satisfied is not None:
        return  # one survey per engagement: counted already
    await _apply(session, current, {"satisfied": data.satisfied})


async def on_activity_recorded(session: AsyncSession, event: CloudEvent) -> None:
    data = diagnosis.Activity.parse(event.data)
    kind = ACTIVITY_KINDS.get(data.kind)
    if kind is None:
        return  # a kind the overview has no figure for
    first = await session.scalar(
        insert(CountedActivity)
        .values(id=data.id, kind=data.kind, unit=data.unit)
        .on_conflict_do_nothing()
        .returning(CountedActivity.id)
    )
    if first is not None:
        await _bump(session, Counter({((data.unit, kind, ALL_BATCHES), "activities"): 1}))


# Engagement events all carry the engagement's whole state; the others are facts. Plans and
# 验收 feed no figure of the overview.
ROUTES: dict[str, Handler] = {
    "engagement.*": on_engagement,
    "survey.submitted": on_survey_submitted,
    "activity.recorded": on_activity_recorded,
}
