"""The training section of the overview: classes, trainees, coverage, certificates and
satisfaction per scope, from the counters the training handlers keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import asyncpg
from contracts.vocabulary import LITTLE_GIANTS
from kit.tiers import held_on_sql
from pydantic import BaseModel, Field

from gateway.base import NATION, in_region

# 培训计划周期 (000 附件1 §三(二)); 1, 2, 3 name the same periods as the three batches.
TrainingBatch = Literal["2025", "2026", "2027-2028", "1", "2", "3"]
PERIOD_OF_BATCH = {"1": "2025", "2": "2026", "3": "2027-2028"}

# Figures kept as current counts only: ``as_of`` does not take them back.
NOT_AS_OF = ("trainees", "enterprises_trained", "coverage", "satisfaction")

_TRAINING = f"""
SELECT scope, trainees, enterprises_trained, responses, satisfied
FROM gateway.training_counts WHERE period = $1 AND {in_region("$2")}
"""
_TRAINING_DAYS = f"""
SELECT scope, sum(classes)::int AS classes, sum(certificates)::int AS certificates
FROM gateway.training_day_counts WHERE period = $1 AND day <= $3 AND {in_region("$2")}
GROUP BY scope
"""
# The coverage numerator: trained enterprises (the national memberships, one row each) that
# hold 小巨人 or 重点小巨人 on the date, in the unit and city the registry places them —
# those whose valid_little_giant count is the denominator.
_VALID_TIERS = ", ".join(f"'{tier.value}'" for tier in LITTLE_GIANTS)
_TRAINED_LITTLE_GIANTS = f"""
SELECT e.province, left(e.region_code, 4) || '00' AS city, count(*)::int AS trained
FROM gateway.training_enterprise_members m
JOIN gateway.enterprises e ON e.uscc = m.uscc
WHERE m.scope = '{NATION}' AND m.period = $1 AND e.region_code LIKE $2 || '%'
  AND (length($2) <> 2 OR e.province = $2) AND EXISTS (
    SELECT 1 FROM gateway.recognitions r
    WHERE r.uscc = m.uscc AND r.tier IN ({_VALID_TIERS})
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


class TrainingFigures(BaseModel):
    """人才培训 in a province, a city or the caller's whole region."""

    classes: int | None = Field(
        0,
        description="培训班次：as_of 当日及以前开班的班次（联合组班计入各参与省份，"
        "全国合计每班计一次）；培训班由省份组织，市级为空",
    )
    trainees: int = Field(
        0,
        description="培训学员：报名已确认或已结业的学员人数（计入所在企业的省份和城市以及"
        "主办省份；当前值）",
    )
    enterprises_trained: int = Field(
        0, description="已培训企业：有学员结业的企业数（计入企业所在省份和城市；当前值）"
    )
    coverage: Decimal = Field(
        Decimal("0.0000"),
        description="覆盖率：已培训（当前）且 as_of 当日有效的“小巨人”企业数（含重点“小巨人”）"
        " / as_of 当日有效的“小巨人”企业数（tiers.valid_little_giant），保留4位小数；"
        "无“小巨人”企业时为0",
    )
    certificates: int = Field(
        0,
        description="结业证书：as_of 当日及以前颁发的证书（计入学员所在企业的省份和城市以及"
        "主办省份）",
    )
    satisfaction: Decimal | None = Field(
        None,
        description="培训满意度：满意的评价份数 / 评价份数，保留4位小数；无评价时为空（当前值）",
    )


@dataclass
class Training:
    """The training counters of each scope, for one period."""

    counts: dict[str, dict[str, Any]]
    trained: dict[str, int] = field(default_factory=dict)  # trained 小巨人 (coverage)

    def section(self, scope: str, little_giants: int) -> TrainingFigures:
        figures = self.counts.get(scope, {})
        responses = int(figures.get("responses", 0))
        return TrainingFigures(
            classes=None if len(scope) == 6 else figures.get("classes", 0),
            trainees=figures.get("trainees", 0),
            enterprises_trained=figures.get("enterprises_trained", 0),
            coverage=ratio(self.trained.get(scope, 0), little_giants),
            certificates=figures.get("certificates", 0),
            satisfaction=ratio(figures["satisfied"], responses) if responses else None,
        )


async def training(conn: asyncpg.Connection, prefix: str, as_of: date, period: str) -> Training:
    found = Training({r["scope"]: dict(r) for r in await conn.fetch(_TRAINING, period, prefix)})
    for r in await conn.fetch(_TRAINING_DAYS, period, prefix, as_of):
        found.counts.setdefault(r["scope"], {}).update(
            classes=r["classes"], certificates=r["certificates"]
        )
    for r in await conn.fetch(_TRAINED_LITTLE_GIANTS, period, prefix, as_of):
        for scope in (r["province"], r["city"], NATION):
            found.trained[scope] = found.trained.get(scope, 0) + r["trained"]
    return found
