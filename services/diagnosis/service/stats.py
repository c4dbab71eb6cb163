"""The figures of a unit's (or the nation's) diagnosis of one kind: planned, requested,
self-assessed, diagnosed (the report confirmed), reports with suggestions, the level
distribution, typical cases, activities, 愿诊尽诊 (000:19: diagnosed / requested) and
satisfaction — one aggregate query per table, on the (unit, kind, batch) index."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kit import satisfaction as rating
from kit.auth import GOVERNMENT, Principal
from kit.errors import FORBIDDEN
from kit.scope import unit as unit_of_principal
from sqlalchemy import ColumnElement, and_, extract, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.enums import Kind, Level, State
from diagnosis.errors import ENGAGEMENT_NOT_FOUND
from diagnosis.models import Activity, Engagement, Plan, Survey
from diagnosis.rules import ACTIVITY_KIND, DONE
from diagnosis.schemas.results import Stats

_ASSESSED = [State.SELF_ASSESSED, State.REVIEWED, State.REPORTED, *DONE]


def _in(states: list[State] | frozenset[State]) -> ColumnElement[bool]:
    return Engagement.state.in_([s.value for s in states])


async def stats(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: Kind,
    unit: str | None,
    batch: str | None,
    year: int | None,
) -> Stats:
    if principal.role not in GOVERNMENT:
        raise FORBIDDEN()
    own = unit_of_principal(principal)
    if own and unit not in (None, own):
        raise ENGAGEMENT_NOT_FOUND()  # another unit's figures: as if there were none
    unit = own or unit
    where = [Engagement.kind == kind.value]
    if unit:
        where.append(Engagement.unit == unit)
    if batch:
        where.append(Engagement.batch == batch)
    if year:
        where.append(extract("year", Engagement.requested_on) == year)
    done = _in(DONE)

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count().filter(condition)

    row = (
        await session.execute(
            select(
                count(Engagement.state != State.CANCELLED.value),
                count(_in(_ASSESSED)),
                count(done),
                count(and_(done, Engagement.suggestions > 0)),
                count(Engagement.typical_case.is_(True)),
                count(Survey.engagement_id.is_not(None)),
                count(Survey.satisfied.is_(True)),
            )
            .select_from(Engagement)
            .outerjoin(Survey, Survey.engagement_id == Engagement.id)
            .where(*where)
        )
    ).one()
    requested, assessed, diagnosed, suggested, cases, responses, satisfied = row
    levels: dict[Level, int] = {}
    if kind is Kind.QUALITY:
        final = func.coalesce(Engagement.spot_level, Engagement.level)
        for level, n in await session.execute(
            select(final, func.count()).where(*where, done, final.is_not(None)).group_by(final)
        ):
            levels[Level(level)] = n
    kinds = [k for k, v in ACTIVITY_KIND.items() if v is kind]
    activities = await session.scalar(
        select(func.count())
        .select_from(Activity)
        .where(
            Activity.kind.in_(kinds),
            Activity.unit == unit if unit else true(),
            extract("year", Activity.held_on) == year if year else true(),
        )
    )
    planned = None
    if year:
        planned = await session.scalar(
            select(func.coalesce(func.sum(Plan.planned_enterprises), 0)).where(
                Plan.kind == kind.value, Plan.year == year, Plan.unit == unit if unit else true()
            )
        )
    served = (
        (Decimal(diagnosed) / requested).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if requested
        else None
    )
    return Stats(
        kind=kind,
        unit=unit,
        batch=batch,
        year=year,
        planned=planned,
        requested=requested,
        self_assessed=assessed,
        diagnosed=diagnosed,
        reports_with_suggestions=suggested,
        levels=levels,
        typical_cases=cases,
        activities=activities or 0,
        willing_served=served,
        responses=responses,
        satisfaction=rating.rate(satisfied, responses),
    )
