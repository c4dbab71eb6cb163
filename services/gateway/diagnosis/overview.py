"""The diagnosis section of the overview (质量诊断 + 管理诊断) per scope, from the counters the
diagnosis handlers keep: two queries of a few rows per scope, whatever the engagement count.

The overview's ``batch`` is the 培育赋能工作批次 (000 §三(四)): training reads it as its plan
period (batch 1 = 2025, 2 = 2026, 3 = 2027-2028, due on the same dates), diagnosis as the
engagements' batch (``第一批`` …, the names registry contracts and engagements carry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import asyncpg
from kit import satisfaction as rating
from pydantic import BaseModel, Field

from gateway.base import ALL_BATCHES, BATCH_OF_PERIOD, in_region
from gateway.diagnosis.models import FIGURES, QUALITY

_COUNTS = f"""
SELECT scope, kind, {", ".join(FIGURES)}
FROM gateway.diagnosis_counts WHERE batch = $1 AND {in_region("$2")}
"""
_LEVELS = f"""
SELECT scope, level, engagements
FROM gateway.diagnosis_level_counts WHERE batch = $1 AND {in_region("$2")}
"""

_SATISFACTION = (
    "满意度：满意的评价份数 / 评价份数，保留4位小数；满意指各项评分平均不低于4分（5分制），"
    "为平台统一口径；无评价时为空"
)
_ACTIVITIES = "活动按单位记录、不分批次：市级行和按批次查询时为空"


class LevelCounts(BaseModel):
    """已诊断企业的质量管理水平分布（经验级 < 检验级 < 保证级 < 预防级 < 卓越级）."""

    experience: int = Field(0, description="经验级")
    inspection: int = Field(0, description="检验级")
    assurance: int = Field(0, description="保证级")
    prevention: int = Field(0, description="预防级")
    excellence: int = Field(0, description="卓越级")


class QualityFigures(BaseModel):
    """质量诊断 in a province, a city or the caller's whole region."""

    requested: int = Field(
        0, description="提出诊断需求的企业数（未取消；各批次累计时每批次计一次）"
    )
    self_assessed: int = Field(0, description="已完成自我评价的企业数（未取消）")
    diagnosed: int = Field(0, description="已完成诊断的企业数：诊断报告经单位确认（含部级已抽查）")
    reports_with_suggestions: int = Field(
        0, description="提出能力提升建议的诊断报告数（报告已确认）"
    )
    levels: LevelCounts = Field(
        default_factory=LevelCounts,
        description="已完成诊断企业的等级分布：经部级抽查的按抽查等级，否则按诊断报告等级",
    )
    activities: int | None = Field(
        0, description=f"开展质量管理活动次数（含贯标培训）；{_ACTIVITIES}"
    )
    responses: int = Field(0, description="满意度评价份数")
    satisfaction: Decimal | None = Field(None, description=f"质量诊断{_SATISFACTION}")


class ManagementFigures(BaseModel):
    """管理诊断 in a province, a city or the caller's whole region."""

    requested: int = Field(
        0, description="提出诊断需求的企业数（未取消；各批次累计时每批次计一次）"
    )
    diagnosed: int = Field(0, description="已完成诊断的企业数：诊断报告经单位确认")
    activities: int | None = Field(0, description=f"开展管理诊断活动次数；{_ACTIVITIES}")
    typical_cases: int = Field(0, description="列为典型案例的管理诊断数")
    responses: int = Field(0, description="满意度评价份数")
    satisfaction: Decimal | None = Field(None, description=f"管理诊断{_SATISFACTION}")


class DiagnosisFigures(BaseModel):
    """质量诊断与管理诊断（当前值，不随 as_of 回溯）."""

    quality: QualityFigures = Field(default_factory=QualityFigures, description="质量诊断")
    management: ManagementFigures = Field(default_factory=ManagementFigures, description="管理诊断")


@dataclass
class Diagnosis:
    """The diagnosis counters of each scope, for one batch (or all)."""

    batch: str
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # scope → kind
    levels: dict[str, dict[str, int]] = field(default_factory=dict)  # scope → level → n

    def scopes(self) -> set[str]:
        return {*self.counts, *self.levels}

    def add_up(self, scope: str, parts: list[str]) -> None:
        """``scope`` holds the sum of ``parts`` (an engagement is in one unit, so the
        nation's figures are the sum of the units')."""
        kinds: dict[str, dict[str, int]] = {}
        levels: dict[str, int] = {}
        for part in parts:
            for kind, figures in self.counts.get(part, {}).items():
                total = kinds.setdefault(kind, dict.fromkeys(FIGURES, 0))
                for name, n in figures.items():
                    total[name] += n
            for level, n in self.levels.get(part, {}).items():
                levels[level] = levels.get(level, 0) + n
        self.counts[scope], self.levels[scope] = kinds, levels

    def section(self, scope: str) -> DiagnosisFigures:
        counts = self.counts.get(scope, {})
        quality, management = counts.get(QUALITY, {}), counts.get("management", {})
        # Activities are counted per unit in ``all`` only.
        unbatched = len(scope) < 6 and self.batch == ALL_BATCHES

        def activities(figures: dict[str, int]) -> int | None:
            return figures.get("activities", 0) if unbatched else None

        def satisfaction(figures: dict[str, int]) -> Decimal | None:
            return rating.rate(figures.get("satisfied", 0), figures.get("responses", 0))

        levels = self.levels.get(scope, {})
        return DiagnosisFigures(
            quality=QualityFigures(
                requested=quality.get("requested", 0),
                self_assessed=quality.get("self_assessed", 0),
                diagnosed=quality.get("diagnosed", 0),
                reports_with_suggestions=quality.get("reports_with_suggestions", 0),
                levels=LevelCounts(
                    **{name: levels.get(name, 0) for name in LevelCounts.model_fields}
                ),
                activities=activities(quality),
                responses=quality.get("responses", 0),
                satisfaction=satisfaction(quality),
            ),
            management=ManagementFigures(
                requested=management.get("requested", 0),
                diagnosed=management.get("diagnosed", 0),
                activities=activities(management),
                typical_cases=management.get("typical_cases", 0),
                responses=management.get("responses", 0),
                satisfaction=satisfaction(management),
            ),
        )


async def diagnosis(conn: asyncpg.Connection, prefix: str, period: str | None) -> Diagnosis:
    """The counters under ``prefix`` in the batch of the training ``period`` (None: all)."""
    batch = ALL_BATCHES if period is None else BATCH_OF_PERIOD[period]
    found = Diagnosis(batch)
    for r in await conn.fetch(_COUNTS, batch, prefix):
        found.counts.setdefault(r["scope"], {})[r["kind"]] = {f: r[f] for f in FIGURES}
    for r in await conn.fetch(_LEVELS, batch, prefix):
        found.levels.setdefault(r["scope"], {})[r["level"]] = r["engagements"]
    return found
