"""The overview, composed of each source's figures: a few hundred rows, whatever the
enterprise count.

Every query reads only the scopes the caller's region holds (``gateway.base.in_region``):
the ministry the units and the nation, a unit itself and its cities, a city itself.
"""

from __future__ import annotations

from datetime import date

from kit import clock
from kit.auth import Principal
from kit.codes import UNITS, city_name, unit_of
from kit.db import Database
from kit.errors import FieldError

from gateway.base import NATION
from gateway.diagnosis.overview import Diagnosis, diagnosis
from gateway.errors import OVERVIEW_YEAR_IN_FUTURE, OVERVIEW_YEAR_WITH_AS_OF
from gateway.innovation.overview import Innovation, innovation
from gateway.registry.overview import Places, TierCounts, places
from gateway.schemas import Overview, OverviewQuery, RegionRow
from gateway.training.models import ALL_PERIODS
from gateway.training.overview import PERIOD_OF_BATCH, Training, training


def figures_date(query: OverviewQuery) -> date:
    """The date the figures are taken on: ``as_of``, the end of ``year`` (today for this
    year, whose end has not come), or today."""
    today = clock.today()
    if query.year is None:
        return query.as_of or today
    if query.as_of is not None:
        raise OVERVIEW_YEAR_WITH_AS_OF(
            errors=[FieldError("year", "CONFLICT", "不能与 as_of 同时使用", "Not with as_of")]
        )
    if query.year > today.year:
        raise OVERVIEW_YEAR_IN_FUTURE(
            year=query.year,
            errors=[FieldError("year", "IN_FUTURE", "不能晚于今年", "Not after this year")],
        )
    return min(date(query.year, 12, 31), today)


class _Rows:
    """Builds each scope's row from the sources' figures."""

    def __init__(
        self, places: Places, training: Training, diagnosis: Diagnosis, innovation: Innovation
    ) -> None:
        self.places, self.training = places, training
        self.diagnosis, self.innovation = diagnosis, innovation

    def scopes(self) -> set[str]:
        return {
            *self.places.enterprises,
            *self.places.held,
            *self.training.counts,
            *self.diagnosis.scopes(),
            *self.innovation.counts,
        }

    def row(self, scope: str, name: str) -> RegionRow:
        tiers = self.places.tiers(scope)
        return RegionRow(
            province=unit_of(scope),
            city=scope if len(scope) == 6 else None,
            name=name,
            enterprises=self.places.enterprises.get(scope, 0),
            tiers=tiers,
            training=self.training.section(scope, tiers.valid_little_giant),
            diagnosis=self.diagnosis.section(scope),
            innovation=self.innovation.section(scope),
        )


async def overview(db: Database, principal: Principal, query: OverviewQuery) -> Overview:
    as_of = figures_date(query)
    batch = query.batch
    period = ALL_PERIODS if batch is None else PERIOD_OF_BATCH.get(batch, batch)
    prefix = principal.region_prefix
    async with db.pool.acquire() as conn:
        rows = _Rows(
            await places(conn, prefix, as_of),
            await training(conn, prefix, as_of, period),
            await diagnosis(conn, prefix, None if batch is None else period),
            await innovation(conn, prefix, None if batch is None else period),
        )
    provinces: list[RegionRow] = []
    cities: list[RegionRow] = []
    if prefix == "":
        provinces = [rows.row(code, name) for code, name in UNITS.items()]
        # The nation's registry, diagnosis and innovation figures are the sum of the units'
        # (an enterprise, an engagement, a demand, is in one unit); its training figures
        # are kept apart, as a joint class or a trainee from elsewhere touches several
        # units and must count once.
        rows.places.add_up(NATION, list(UNITS))
        rows.diagnosis.add_up(NATION, list(UNITS))
        rows.innovation.add_up(NATION, list(UNITS))
        totals = rows.row(NATION, "全国")
    elif prefix in UNITS:
        provinces = [rows.row(prefix, UNITS[prefix])]
        own = sorted(s for s in rows.scopes() if len(s) == 6)
        cities = [rows.row(code, city_name(code)) for code in own]
        totals = provinces[0].model_copy(update={"name": "合计"})
    elif len(prefix) == 4:
        cities = [rows.row(prefix + "00", city_name(prefix + "00"))]
        totals = cities[0].model_copy(update={"name": "合计"})
    else:  # a county: the read model keeps no county scope
        totals = RegionRow(province=unit_of(prefix), name="合计", enterprises=0, tiers=TierCounts())
    return Overview(
        as_of=as_of,
        year=query.year,
        batch=None if batch is None else period,
        totals=totals,
        provinces=provinces,
        cities=cities,
    )
