"""The innovation section of the overview (技术创新服务) per scope, from the counters the
innovation handlers keep and the units' settings: two queries of a few rows per scope,
whatever the demand count. The overview's ``batch`` is read as the selection rounds' batch
(``gateway.base.BATCH_OF_PERIOD``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import asyncpg
from contracts.innovation import CATEGORIES, RUNS_BY_DEFAULT
from kit import satisfaction as rating
from kit.codes import unit_of
from pydantic import BaseModel, Field

from gateway.base import ALL_BATCHES, BATCH_OF_PERIOD, NATION, in_region
from gateway.innovation.models import FIGURES

_COUNTS = f"""
SELECT scope, {", ".join(FIGURES)}
FROM gateway.innovation_counts WHERE batch = $1 AND {in_region("$2")}
"""
_SETTINGS = "SELECT unit, runs FROM gateway.innovation_settings"  # a row per unit at most

_NULL = "；未开展该项任务（且无需求）的单位为空，不是 0"


class CategoryCounts(BaseModel):
    """各需求类别的需求数（001 附件1-3，一项需求可属多个类别）."""

    rd: int = Field(0, description="技术研发")
    proof_of_concept: int = Field(0, description="概念验证")
    pilot: int = Field(0, description="小试中试")
    testing: int = Field(0, description="检验检测")
    commercialization: int = Field(0, description="成果转化")
    ip: int = Field(0, description="知识产权")


class InnovationFigures(BaseModel):
    """技术创新服务 in a province, a city or the caller's whole region (当前值), counted as
    the innovation service's ``GET /stats`` counts. A demand joins a batch when a selection
    round of that batch takes it up: the demands not yet in a round count only without
    ``batch``."""

    runs: bool | None = Field(
        None,
        description="单位是否开展技术创新服务（000:39 地方自行决定，未设置的视为开展）；"
        "市级行为所属单位的，全国合计为空",
    )
    demands: int | None = Field(0, description=f"技术创新需求数（未撤回）{_NULL}")
    categories: CategoryCounts | None = Field(
        default_factory=CategoryCounts, description=f"各需求类别的需求数{_NULL}"
    )
    pooled: int | None = Field(0, description=f"纳入需求库的需求数（含其后遴选、服务的）{_NULL}")
    declined: int | None = Field(0, description=f"未入库的需求数{_NULL}")
    selected: int | None = Field(0, description=f"择优遴选入选的需求数（含其后服务的）{_NULL}")
    not_selected: int | None = Field(0, description=f"遴选轮次结束时未入选的需求数{_NULL}")
    projects: int | None = Field(0, description=f"服务项目数{_NULL}")
    enterprises_served: int | None = Field(
        0, description=f"服务企业数（附件5 I1）：有服务项目的企业，每家计一次{_NULL}"
    )
    accepted: int | None = Field(0, description=f"验收通过的服务项目数{_NULL}")
    responses: int | None = Field(0, description=f"满意度评价份数{_NULL}")
    satisfaction: Decimal | None = Field(
        None,
        description="服务满意度（附件5 I4）：满意的评价份数 / 评价份数，保留4位小数；"
        "满意指各项评分平均不低于4分（5分制），为平台统一口径；无评价时为空",
    )


_NOT_RUN = dict.fromkeys(InnovationFigures.model_fields.keys() - {"runs"})  # all null


@dataclass
class Innovation:
    """The innovation counters of each scope, for one batch (or all), and what each unit
    said about running the task."""

    batch: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # scope → figure → n
    runs: dict[str, bool] = field(default_factory=dict)  # unit → runs (the units that said)

    def add_up(self, scope: str, parts: list[str]) -> None:
        """``scope`` holds the sum of ``parts`` (a demand, a project, is in one unit)."""
        total = dict.fromkeys(FIGURES, 0)
        for part in parts:
            for name, n in self.counts.get(part, {}).items():
                total[name] += n
        self.counts[scope] = total

    def section(self, scope: str) -> InnovationFigures:
        runs = None if scope == NATION else self.runs.get(unit_of(scope), RUNS_BY_DEFAULT)
        counts = dict.fromkeys(FIGURES, 0) | self.counts.get(scope, {})
        if runs is False and not counts["demands"]:
            return InnovationFigures(runs=False, **_NOT_RUN)
        return InnovationFigures(
            runs=runs,
            demands=counts["demands"],
            categories=CategoryCounts(**{c: counts[f"category_{c}"] for c in CATEGORIES}),
            pooled=counts["pooled"],
            declined=counts["declined"],
            selected=counts["selected"],
            not_selected=counts["not_selected"],
            projects=counts["projects"],
            enterprises_served=counts["enterprises_served"],
            accepted=counts["accepted"],
            responses=counts["responses"],
            satisfaction=rating.rate(counts["satisfied"], counts["responses"]),
        )


async def innovation(conn: asyncpg.Connection, prefix: str, period: str | None) -> Innovation:
    """The counters under ``prefix`` in the batch of the training ``period`` (None: all)."""
    found = Innovation(ALL_BATCHES if period is None else BATCH_OF_PERIOD[period])
    for r in await conn.fetch(_COUNTS, found.batch, prefix):
        found.counts[r["scope"]] = {f: r[f] for f in FIGURES}
    found.runs = {r["unit"]: r["runs"] for r in await conn.fetch(_SETTINGS)}
    return found
