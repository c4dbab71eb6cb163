"""The figures of the caller's technical-innovation services (``GET /stats``): its unit's, a
city's its own enterprises', the nation's for the ministry — one aggregate query over the
demands and one over the projects with their surveys. The gateway's overview counts the
same figures from the events (``gateway.innovation``), by the same states
(``contracts.innovation``)."""

from __future__ import annotations

from contracts.innovation import POOLED, SELECTED, WITHDRAWN
from kit import satisfaction as rating
from kit.auth import GOVERNMENT, Principal
from kit.codes import unit_region
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from kit.scope import unit as unit_of_principal
from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from innovation.enums import Category, DemandState, ProjectState
from innovation.models import Demand, Project, ProjectSurvey
from innovation.schemas.stats import Stats
from innovation.scope import visible_demands, visible_projects
from innovation.service.settings import effective


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


async def stats(
    session: AsyncSession, principal: Principal, *, unit: str | None, batch: str | None
) -> Stats:
    if principal.role not in GOVERNMENT:
        raise FORBIDDEN()
    own = unit_of_principal(principal)
    if own and unit not in (None, own):
        raise REGION_OUT_OF_SCOPE(region=unit_region(unit))
    unit = own or unit
    demands = [visible_demands(principal), Demand.state != WITHDRAWN]
    projects = [visible_projects(principal)]
    if unit:
        demands.append(Demand.unit == unit)
        projects.append(Project.unit == unit)
    if batch:
        demands.append(Demand.batch == batch)
        projects.append(Project.batch == batch)
    categories = list(Category)
    counted = (
        await session.execute(
            select(
                func.count(),
                _count(Demand.state.in_(POOLED)),
                _count(Demand.state == DemandState.DECLINED.value),
                _count(Demand.state.in_(SELECTED)),
                _count(Demand.state == DemandState.NOT_SELECTED.value),
                *(_count(Demand.categories.contains([c.value])) for c in categories),
            ).where(*demands)
        )
    ).one()
    n, pooled, declined, selected, not_selected, *by_category = counted
    served = (
        await session.execute(
            select(
                func.count(),
                func.count(distinct(Project.enterprise_uscc)),
                _count(Project.state == ProjectState.ACCEPTED.value),
                func.count(ProjectSurvey.project_id),
                _count(ProjectSurvey.satisfied.is_(True)),
            )
            .select_from(Project)
            .outerjoin(ProjectSurvey, ProjectSurvey.project_id == Project.id)
            .where(*projects)
        )
    ).one()
    n_projects, enterprises, accepted, responses, satisfied = served
    runs = (await effective(session, unit)).runs if unit else None
    satisfaction = rating.rate(satisfied, responses)
    if runs is False and not n:  # not run: null, not zero
        return Stats(unit=unit, batch=batch, runs=runs)
    return Stats(
        unit=unit,
        batch=batch,
        runs=runs,
        demands=n,
        categories=dict(zip(categories, by_category, strict=True)),
        pooled=pooled,
        declined=declined,
        selected=selected,
        not_selected=not_selected,
        projects=n_projects,
        enterprises_served=enterprises,
        accepted=accepted,
        responses=responses,
        satisfaction=satisfaction,
    )
