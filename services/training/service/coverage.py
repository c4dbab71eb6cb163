"""培训覆盖率 (000 附件1): the share of a unit's valid 小巨人 trained, against the unit's own
target (001's 30% / 全覆盖 are Hubei's); 附件5's 30% is only a scoring floor.

An enterprise is trained in a batch when one of its managers completed a class of that
batch's plan period; it counts for its own unit (a joint class's organiser counts its
trainees elsewhere, not its coverage). The denominator is the unit's enterprises
holding 小巨人 (or 重点小巨人) on ``as_of``, from the replica; only trained enterprises still
valid then count in the numerator, so the share never exceeds 1.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kit.auth import Principal
from kit.codes import UNITS, unit_of
from kit.scope import ensure_keeps
from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import Period
from training.repository import coverage as repo
from training.repository.coverage import Counts
from training.rules import BATCHES, SCORING_FLOOR
from training.schemas.coverage import BatchCoverage, Coverage, ProvinceCoverage, TargetWrite
from training.scope import counted_region


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


async def coverage(
    session: AsyncSession,
    principal: Principal,
    *,
    province: str | None,
    batch: int | None,
    as_of: date,
) -> Coverage:
    region = counted_region(principal, province)
    # The country: every unit, zeros included; otherwise the one in scope.
    provinces = [unit_of(region)] if region else list(UNITS)
    counts = await repo.counts(session, [region] if region else provinces, as_of)
    targets = {(t.province, t.period): t.target for t in await repo.targets(session, provinces)}
    numbers = [batch] if batch else list(BATCHES)
    return Coverage(
        as_of=as_of,
        region=region,
        provinces=[_province(counts, targets, p, numbers) for p in provinces],
    )


def _province(
    counts: Counts, targets: dict[tuple[str, str], Decimal], province: str, numbers: list[int]
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
            cumulative.append(row(number, *running, targets.get((province, period))))
    return ProvinceCoverage(
        province=province,
        name=UNITS[province],
        little_giants=valid,
        scoring_floor=SCORING_FLOOR,
        batches=batches,
        cumulative=cumulative,
    )


async def targets(session: AsyncSession, principal: Principal, province: str | None) -> list[Any]:
    """The targets the caller may read: its own unit's, or every unit's for the country."""
    region = counted_region(principal, province)
    provinces = [unit_of(region)] if region else list(UNITS)
    return await repo.targets(session, provinces)


async def set_target(
    session: AsyncSession, principal: Principal, province: str, period: Period, payload: TargetWrite
) -> Any:
    """A unit's own cumulative target for a period, set by its keepers (or the ministry)."""
    ensure_keeps(principal, province)
    return await repo.set_target(session, province, period.value, payload.target, payload.source)
