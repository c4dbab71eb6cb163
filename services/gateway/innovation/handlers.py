"""Innovation events → the gateway's innovation figures (idempotent: the inbox runs each
event once, and the replicas make a re-emitted fact count once).

A demand and a project count under their unit and city, in their batch and in ``all``.
Their events carry the whole record: the replica keeps the last state applied, and a newer
version takes that state's contributions out and puts the new one's in (a withdrawn
selection, a failed 验收, a withdrawal); an older or repeated version changes nothing. The
states counted are those ``GET /stats`` counts (``contracts.innovation``). A survey counts
with its project; an enterprise counts as served once per scope and batch, from the first
state of its first project there.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from contracts import innovation
from contracts.innovation import POOLED, SELECTED, WITHDRAWN
from kit.events.consumer import Handler
from kit.events.envelope import CloudEvent
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.base import ALL_BATCHES, city_of
from gateway.counters import Deltas, bump
from gateway.innovation.models import (
    FIGURES,
    DemandReplica,
    InnovationCount,
    ProjectReplica,
    ServedEnterprise,
    UnitSetting,
)

Where = list[tuple[str, str]]  # the (scope, batch) rows a record counts in
R = TypeVar("R", DemandReplica, ProjectReplica)


def _where(unit: str | None, city: str | None, batch: str | None) -> Where:
    batches = [ALL_BATCHES] if batch is None else [batch, ALL_BATCHES]
    return [(s, b) for s in (unit, city) if s is not None for b in batches]


def _counts(figures: Counter[str], where: Where) -> Deltas:
    return Deltas({((s, b), f): n for f, n in figures.items() for s, b in where})


def _demand_counts(d: DemandReplica) -> Deltas:
    """What the demand in its current state counts, wherever it counts (nothing before its
    first state, nor once withdrawn)."""
    if d.state is None or d.state == WITHDRAWN:
        return Deltas()
    figures = Counter(
        {
            "demands": 1,
            **{f"category_{c}": 1 for c in d.categories},
            "pooled": int(d.state in POOLED),
            "declined": int(d.state == "declined"),
            "selected": int(d.state in SELECTED),
            "not_selected": int(d.state == "not_selected"),
        }
    )
    return _counts(figures, _where(d.unit, d.city, d.batch))


def _project_counts(p: ProjectReplica) -> Deltas:
    """What the project counts: itself once its state is known, its survey's rating."""
    figures: Counter[str] = Counter()
    if p.state is not None:
        figures["projects"] = 1
        figures["accepted"] = int(p.state == "accepted")
    if p.satisfied is not None:
        figures["responses"] = 1
        figures["satisfied"] = int(p.satisfied)
    return _counts(figures, _where(p.unit, p.city, p.batch))


def _move(replica: R, fields: dict[str, Any], counts: Callable[[R], Deltas]) -> Deltas:
    """Set ``fields`` on the replica: the counts its old state made out, its new one's in."""
    changes = Deltas()
    changes.subtract(counts(replica))
    for name, value in fields.items():
        setattr(replica, name, value)
    changes.update(counts(replica))
    return changes


async def _bump(session: AsyncSession, changes: Deltas) -> None:
    await bump(session, InnovationCount, ("scope", "batch"), FIGURES, changes)


async def on_demand(session: AsyncSession, event: CloudEvent) -> None:
    data = innovation.Demand.parse(event.data)
    current = await session.get(DemandReplica, data.id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale or repeated: a state as new is already applied
    if current is None:
        current = DemandReplica(id=data.id)
        session.add(current)
    fields = {
        "unit": data.unit,
        "city": city_of(data.region_code),
        "batch": data.batch,
        "state": data.state,
        "categories": list(data.categories),
        "version": event.aggregateversion,
    }
    await _bump(session, _move(current, fields, _demand_counts))


async def _serve(session: AsyncSession, p: ProjectReplica) -> Deltas:
    """The enterprise of ``p`` (its first state just known) served where it was not yet."""
    rows = [
        {"scope": s, "batch": b, "enterprise_uscc": p.enterprise_uscc}
        for s, b in _where(p.unit, p.city, p.batch)
    ]
    first = await session.execute(
        insert(ServedEnterprise)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(ServedEnterprise.scope, ServedEnterprise.batch)
    )
    return Deltas({((s, b), "enterprises_served"): 1 for s, b in first.all()})


async def _apply(session: AsyncSession, p: ProjectReplica, fields: dict[str, Any]) -> None:
    known = p.state is not None
    changes = _move(p, fields, _project_counts)
    if not known and p.state is not None:
        changes.update(await _serve(session, p))
    await _bump(session, changes)


def _unknown(project_id: uuid.UUID, unit: str, batch: str) -> ProjectReplica:
    """The replica of a project no state of which has arrived yet."""
    return ProjectReplica(
        id=project_id,
        unit=unit,
        city=None,
        batch=batch,
        enterprise_uscc=None,
        state=None,
        satisfied=None,
        version=0,
    )


async def on_project(session: AsyncSession, event: CloudEvent) -> None:
    data = innovation.Project.parse(event.data)
    current = await session.get(ProjectReplica, data.id, with_for_update=True)
    if current is not None and event.aggregateversion <= current.version:
        return  # stale or repeated
    if current is None:
        current = _unknown(data.id, data.unit, data.batch)
        session.add(current)
    fields = {
        "unit": data.unit,
        "city": city_of(data.region_code),
        "batch": data.batch,
        "enterprise_uscc": data.enterprise_uscc,
        "state": data.state,
        "version": event.aggregateversion,
    }
    await _apply(session, current, fields)


async def on_survey_submitted(session: AsyncSession, event: CloudEvent) -> None:
    data = innovation.SurveySubmitted.parse(event.data)
    current = await session.get(ProjectReplica, data.project_id, with_for_update=True)
    if current is None:
        current = _unknown(data.project_id, data.unit, data.batch)
        session.add(current)
    elif current.satisfied is not None:
        return  # one survey per project: counted already
    await _apply(session, current, {"satisfied": data.satisfied})


async def on_setting(session: AsyncSession, event: CloudEvent) -> None:
    data = innovation.Setting.parse(event.data)
    stmt = insert(UnitSetting).values(unit=data.unit, runs=data.runs, version=data.version)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["unit"],
            set_={"runs": stmt.excluded.runs, "version": stmt.excluded.version},
            where=UnitSetting.version < stmt.excluded.version,  # a newer setting only
        )
    )


# Demand and project events all carry the record's whole state; surveys and settings are
# facts. Rounds feed no figure of the overview (their demands' events do).
ROUTES: dict[str, Handler] = {
    "setting.updated": on_setting,
    "demand.*": on_demand,
    "project.*": on_project,
    "survey.submitted": on_survey_submitted,
}
