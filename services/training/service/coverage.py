"""培训覆盖率 (000 附件1; 001: 2025 ≥ 30% of the valid 小巨人, all of them by 2028).

An enterprise is trained in a batch when one of its managers completed a class of that
batch's plan period; it counts for its own province (a joint class's organiser counts its
trainees elsewhere, not its coverage). The denominator is the province's enterprises
holding 小巨人 (or 重点小巨人) on ``as_of``, from the replica; only trained enterprises still
valid then count in the numerator, so the share never exceeds 1.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kit.auth import GOVERNMENT, Principal
from kit.codes import PROVINCES
from kit.enums import Tier
from kit.errors import FORBIDDEN
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import Period
from training.errors import REGION_OUT_OF_SCOPE
from training.schemas.coverage import BatchCoverage, Coverage, ProvinceCoverage

BATCHES = {1: Period.Y2025, 2: Period.Y2026, 3: Period.Y2027_2028}
TARGETS = {Period.Y2025: Decimal("0.30"), Period.Y2027_2028: Decimal(1)}  # cumulative
ADMITTED = [Tier.LITTLE_GIANT.value, Tier.KEY_LITTLE_GIANT.value]

_VALID = """
SELECT DISTINCT e.uscc, e.province FROM training.recognitions r
JOIN training.enterprises e ON e.uscc = r.uscc
WHERE r.tier = ANY(:tiers) AND r.valid_from <= :as_of AND r.valid_until >= :as_of
  AND (r.revoked_on IS NULL OR r.revoked_on > :as_of) AND e.region_code LIKE :region
"""
_TRAINED = """
SELECT en.province, en.enterprise_uscc AS uscc, p.period FROM training.enrollments en
JOIN training.classes c ON c.id = en.class_id
JOIN training.plans p ON p.id = c.plan_id
JOIN training.enterprises e ON e.uscc = en.enterprise_uscc
WHERE en.state = 'completed' AND e.region_code LIKE :region
GROUP BY en.province, en.enterprise_uscc, p.period
"""
# Per province and period: enterprises trained in it; per province and the period an
# enterprise was first trained in (cumulative counts are running sums of these).
_COUNTS = f"""
WITH valid AS ({_VALID}), trained AS ({_TRAINED}),
first AS (SELECT province, uscc, min(period) AS period FROM trained GROUP BY province, uscc)
SELECT 'batch' AS kind, t.province, t.period, count(*) AS n, count(v.uscc) AS n_valid
FROM trained t LEFT JOIN valid v ON v.uscc = t.uscc GROUP BY t.province, t.period
UNION ALL
SELECT 'first', f.province, f.period, count(*), count(v.uscc)
FROM first f LEFT JOIN valid v ON v.uscc = f.uscc GROUP BY f.province, f.period
UNION ALL
SELECT 'valid', province, NULL, count(*), count(*) FROM valid GROUP BY province
"""


def batch_of(value: str) -> int:
    """``1``–``3`` or the period itself (``2025``, ``2026``, ``2027-2028``)."""
    for number, period in BATCHES.items():
        if value in (str(number), period.value):
            return number
    raise ValueError(value)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _scope(principal: Principal, province: str | None) -> str:
    """The region prefix to count: the caller's, narrowed to ``province`` if asked."""
    if principal.role not in GOVERNMENT:
        raise FORBIDDEN()
    own = principal.region_prefix
    if province is None:
        return own
    if own and not (own.startswith(province) or province.startswith(own)):
        raise REGION_OUT_OF_SCOPE(region=province + "0000")
    return own if len(own) > len(province) else province


async def coverage(
    session: AsyncSession,
    principal: Principal,
    *,
    province: str | None,
    batch: int | None,
    as_of: date,
) -> Coverage:
    region = _scope(principal, province)
    rows = await session.execute(
        text(_COUNTS), {"tiers": ADMITTED, "as_of": as_of, "region": region + "%"}
    )
    counts: dict[tuple[str, str, str | None], tuple[int, int]] = {
        (kind, prov, period): (n, n_valid) for kind, prov, period, n, n_valid in rows
    }
    # The country: every province, zeros included; otherwise the one in scope.
    provinces = [region[:2]] if region else list(PROVINCES)
    numbers = [batch] if batch else list(BATCHES)
    return Coverage(
        as_of=as_of,
        region=region,
        provinces=[_province(counts, p, numbers) for p in provinces],
    )


def _province(
    counts: dict[tuple[str, str, str | None], tuple[int, int]], province: str, numbers: list[int]
) -> ProvinceCoverage:
    valid = counts.get(("valid", province, None), (0, 0))[0]

    def row(number: int, trained: int, trained_valid: int, target: Any) -> BatchCoverage:
        return BatchCoverage(
            batch=number,
            period=BATCHES[number],
            trained=trained,
            trained_valid=trained_valid,
            share=_share(trained_valid, valid),
            target=target,
        )

    batches, cumulative = [], []
    running = (0, 0)
    for number in BATCHES:
        period = BATCHES[number].value
        first = counts.get(("first", province, period), (0, 0))
        running = (running[0] + first[0], running[1] + first[1])
        if number in numbers:
            n, n_valid = counts.get(("batch", province, period), (0, 0))
            batches.append(row(number, n, n_valid, None))
            cumulative.append(row(number, *running, TARGETS.get(BATCHES[number])))
    return ProvinceCoverage(
        province=province,
        name=PROVINCES.get(province, province),
        little_giants=valid,
        batches=batches,
        cumulative=cumulative,
    )
