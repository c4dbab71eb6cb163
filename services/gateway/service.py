"""Overview figures from the read model: a few hundred rows, whatever the enterprise count."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kit.auth import Principal
from kit.codes import PROVINCES
from kit.db import Database

from gateway.models import ALL_PERIODS, NATIONAL
from gateway.schemas import PERIOD_OF_BATCH, Overview, ProvinceRow, TierCounts

_TIERS = """
SELECT province, tier, sum(delta)::int AS held FROM gateway.tier_deltas
WHERE day <= $1 GROUP BY province, tier
"""
_COUNTS = "SELECT province, enterprises FROM gateway.province_counts"
_TRAINING = """
SELECT scope, classes, trainees, enterprises_trained, certificates, responses, satisfied
FROM gateway.training_counts WHERE period = $1
"""
# The coverage numerator: trained enterprises (the national memberships, one row each) that
# hold 小巨人 on the date, in the province the registry places them — the province whose
# little_giant count is the denominator.
_TRAINED_LITTLE_GIANTS = """
SELECT e.province, count(*)::int AS trained
FROM gateway.training_enterprise_members m
JOIN gateway.enterprises e ON e.uscc = m.uscc
WHERE m.scope = $3 AND m.period = $1 AND EXISTS (
    SELECT 1 FROM gateway.recognitions r
    WHERE r.uscc = m.uscc AND r.tier = 'little_giant'
      AND r.valid_from <= $2 AND r.valid_until >= $2
      AND (r.revoked_on IS NULL OR r.revoked_on > $2)
)
GROUP BY e.province
"""
_PLACES = Decimal("0.0001")


def ratio(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator to 4 places (0 when there is nothing to divide by)."""
    if denominator == 0:
        return Decimal(0).quantize(_PLACES)
    return (Decimal(numerator) / denominator).quantize(_PLACES, rounding=ROUND_HALF_UP)


def _row(
    province: str,
    name: str,
    enterprises: int,
    tiers: TierCounts,
    training: dict[str, Any],
    trained_little_giants: int,
) -> ProvinceRow:
    responses = int(training.get("responses", 0))
    return ProvinceRow(
        province=province,
        name=name,
        enterprises=enterprises,
        tiers=tiers,
        classes=training.get("classes", 0),
        trainees=training.get("trainees", 0),
        enterprises_trained=training.get("enterprises_trained", 0),
        coverage=ratio(trained_little_giants, tiers.little_giant),
        certificates=training.get("certificates", 0),
        satisfaction=ratio(training["satisfied"], responses) if responses else None,
    )


async def overview(
    db: Database, principal: Principal, as_of: date, batch: str | None = None
) -> Overview:
    period = ALL_PERIODS if batch is None else PERIOD_OF_BATCH.get(batch, batch)
    async with db.pool.acquire() as conn:
        tiers = await conn.fetch(_TIERS, as_of)
        counts = {r["province"]: r["enterprises"] for r in await conn.fetch(_COUNTS)}
        training = {r["scope"]: dict(r) for r in await conn.fetch(_TRAINING, period)}
        trained = {
            r["province"]: r["trained"]
            for r in await conn.fetch(_TRAINED_LITTLE_GIANTS, period, as_of, NATIONAL)
        }
    held: dict[str, dict[str, int]] = {}
    for r in tiers:
        held.setdefault(r["province"], {})[r["tier"]] = r["held"]
    national = principal.region_prefix == ""
    visible = [code for code in PROVINCES if principal.sees_region(code + "0000")]
    rows = [
        _row(
            code,
            PROVINCES[code],
            counts.get(code, 0),
            TierCounts(**held.get(code, {})),
            training.get(code, {}),
            trained.get(code, 0),
        )
        for code in visible
    ]
    # Training facts touch several provinces (joint classes, trainees from elsewhere), so the
    # national totals count each once rather than summing the rows; a province sees one row
    # (a city none), whose figures are its totals.
    if national:
        scope, name = NATIONAL, "全国"
    else:
        scope, name = (visible[0] if visible else NATIONAL), "合计"
    totals = _row(
        scope,
        name,
        sum(r.enterprises for r in rows),
        TierCounts(**{t: sum(getattr(r.tiers, t) for r in rows) for t in TierCounts.model_fields}),
        training.get(scope, {}) if national or visible else {},
        sum(trained.get(code, 0) for code in visible),
    )
    return Overview(
        as_of=as_of, batch=None if batch is None else period, totals=totals, provinces=rows
    )
