"""Overview figures from the read model: a few hundred rows, whatever the enterprise count.

Every query reads only the scopes the caller's region holds (``scope LIKE prefix%``, see
``gateway.models``): the ministry the provinces and the nation, a province itself and its
cities, a city itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kit import clock
from kit.auth import Principal
from kit.codes import PROVINCES, region_name
from kit.db import Database
from kit.errors import FieldError
from kit.tiers import held_on_sql

from gateway.errors import OVERVIEW_YEAR_IN_FUTURE, OVERVIEW_YEAR_WITH_AS_OF
from gateway.models import ALL_PERIODS, NATIONAL
from gateway.schemas import PERIOD_OF_BATCH, Overview, OverviewQuery, RegionRow, TierCounts


def _in_region(prefix: str) -> str:
    """The scopes under the caller's region ``prefix`` (a parameter: '' for the ministry,
    who reads the provinces and the nation, not the cities)."""
    return f"scope LIKE {prefix} || '%' AND ({prefix} <> '' OR length(scope) = 2)"


_TIERS = f"""
SELECT scope, tier, sum(delta)::int AS held FROM gateway.tier_deltas
WHERE day <= $1 AND {_in_region("$2")} GROUP BY scope, tier
"""
_COUNTS = f"SELECT scope, enterprises FROM gateway.region_counts WHERE {_in_region('$1')}"
_TRAINING = f"""
SELECT scope, trainees, enterprises_trained, responses, satisfied
FROM gateway.training_counts WHERE period = $1 AND {_in_region("$2")}
"""
_TRAINING_DAYS = f"""
SELECT scope, sum(classes)::int AS classes, sum(certificates)::int AS certificates
FROM gateway.training_day_counts WHERE period = $1 AND day <= $3 AND {_in_region("$2")}
GROUP BY scope
"""
# The coverage numerator: trained enterprises (the national memberships, one row each) that
# hold 小巨人 on the date, in the province and city the registry places them — those whose
# little_giant count is the denominator.
_TRAINED_LITTLE_GIANTS = f"""
SELECT e.province, left(e.region_code, 4) || '00' AS city, count(*)::int AS trained
FROM gateway.training_enterprise_members m
JOIN gateway.enterprises e ON e.uscc = m.uscc
WHERE m.scope = '{NATIONAL}' AND m.period = $1 AND e.region_code LIKE $2 || '%' AND EXISTS (
    SELECT 1 FROM gateway.recognitions r
    WHERE r.uscc = m.uscc AND r.tier = 'little_giant'
      AND {held_on_sql("r", "$3")}
)
GROUP BY 1, 2
"""
_PLACES = Decimal("0.0001")


def ratio(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator to 4 places (0 when there is nothing to divide by)."""
    if denominator == 0:
        return Decimal(0).quantize(_PLACES)
    return (Decimal(numerator) / denominator).quantize(_PLACES, rounding=ROUND_HALF_UP)


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


@dataclass
class _Figures:
    """What the read model holds per scope, for the caller's region."""

    counts: dict[str, int]
    held: dict[str, dict[str, int]]
    training: dict[str, dict[str, Any]]
    trained: dict[str, int] = field(default_factory=dict)

    def scopes(self) -> set[str]:
        return {*self.counts, *self.held, *self.training}

    def row(self, scope: str, name: str) -> RegionRow:
        tiers = TierCounts(**self.held.get(scope, {}))
        training = self.training.get(scope, {})
        responses = int(training.get("responses", 0))
        city = len(scope) == 6
        return RegionRow(
            province=scope[:2],
            city=scope if city else None,
            name=name,
            enterprises=self.counts.get(scope, 0),
            tiers=tiers,
            classes=None if city else training.get("classes", 0),
            trainees=training.get("trainees", 0),
            enterprises_trained=training.get("enterprises_trained", 0),
            coverage=ratio(self.trained.get(scope, 0), tiers.little_giant),
            certificates=training.get("certificates", 0),
            satisfaction=ratio(training["satisfied"], responses) if responses else None,
        )


async def _figures(db: Database, prefix: str, as_of: date, period: str) -> _Figures:
    async with db.pool.acquire() as conn:
        tiers = await conn.fetch(_TIERS, as_of, prefix)
        counts = await conn.fetch(_COUNTS, prefix)
        training = await conn.fetch(_TRAINING, period, prefix)
        dated = await conn.fetch(_TRAINING_DAYS, period, prefix, as_of)
        trained = await conn.fetch(_TRAINED_LITTLE_GIANTS, period, prefix, as_of)
    figures = _Figures(
        counts={r["scope"]: r["enterprises"] for r in counts},
        held={},
        training={r["scope"]: dict(r) for r in training},
    )
    for r in tiers:
        figures.held.setdefault(r["scope"], {})[r["tier"]] = r["held"]
    for r in dated:
        figures.training.setdefault(r["scope"], {}).update(
            classes=r["classes"], certificates=r["certificates"]
        )
    for r in trained:
        for scope in (r["province"], r["city"], NATIONAL):
            figures.trained[scope] = figures.trained.get(scope, 0) + r["trained"]
    return figures


def city_name(code: str) -> str:
    """``420100`` → 武汉市; a municipality's 市辖区 or 县 (and 省直辖县级行政单位) takes its
    province's name first."""
    name = region_name(code) or f"（{code}）"
    return name if name.endswith(("市", "州", "盟", "地区")) else PROVINCES[code[:2]] + name


async def overview(db: Database, principal: Principal, query: OverviewQuery) -> Overview:
    as_of = figures_date(query)
    batch = query.batch
    period = ALL_PERIODS if batch is None else PERIOD_OF_BATCH.get(batch, batch)
    prefix = principal.region_prefix
    figures = await _figures(db, prefix, as_of, period)
    provinces: list[RegionRow] = []
    cities: list[RegionRow] = []
    if prefix == "":
        provinces = [figures.row(code, name) for code, name in PROVINCES.items()]
        # An enterprise is in one province, so the nation's registry figures are the sum of
        # the rows; its training figures are kept apart, as a joint class or a trainee from
        # elsewhere touches several provinces and must count once.
        figures.counts[NATIONAL] = sum(r.enterprises for r in provinces)
        figures.held[NATIONAL] = {
            t: sum(getattr(r.tiers, t) for r in provinces) for t in TierCounts.model_fields
        }
        totals = figures.row(NATIONAL, "全国")
    elif len(prefix) == 2:
        provinces = [figures.row(prefix, PROVINCES[prefix])]
        own = sorted(s for s in figures.scopes() if len(s) == 6)
        cities = [figures.row(code, city_name(code)) for code in own]
        totals = provinces[0].model_copy(update={"name": "合计"})
    elif len(prefix) == 4:
        cities = [figures.row(prefix + "00", city_name(prefix + "00"))]
        totals = cities[0].model_copy(update={"name": "合计"})
    else:  # a county: the read model keeps no county scope
        totals = RegionRow(province=prefix[:2], name="合计", enterprises=0, tiers=TierCounts())
    return Overview(
        as_of=as_of,
        year=query.year,
        batch=None if batch is None else period,
        totals=totals,
        provinces=provinces,
        cities=cities,
    )
