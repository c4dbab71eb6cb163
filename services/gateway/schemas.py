"""The 专栏 overview: a row per region, each a registry part (enterprises, tiers) and a
section per task (``training``, ``diagnosis``, ``innovation``; evaluation joins the same
way)."""

from __future__ import annotations

from datetime import date

from kit.fields import Day
from pydantic import BaseModel, ConfigDict, Field

from gateway.diagnosis.overview import DiagnosisFigures
from gateway.innovation.overview import InnovationFigures
from gateway.registry.overview import TierCounts
from gateway.training.overview import NOT_AS_OF as TRAINING_NOT_AS_OF
from gateway.training.overview import TrainingBatch, TrainingFigures

# Figures the read model keeps as current counts only: ``as_of`` does not take them back.
NOT_AS_OF = (
    "enterprises",
    *(f"training.{name}" for name in TRAINING_NOT_AS_OF),
    "diagnosis",
    "innovation",
)


class OverviewQuery(BaseModel):
    """The overview's query; a parameter it does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    as_of: Day | None = Field(None, description="统计日期，默认今天；不能与 year 同时使用")
    year: int | None = Field(
        None,
        ge=1800,
        le=2999,
        description="统计年度：按该年 12 月 31 日（本年为今天）统计，即年末累计数，"
        "不是当年新增数；不能晚于今年，不能与 as_of 同时使用",
    )
    batch: TrainingBatch | None = Field(
        None,
        description="培育赋能工作批次：1、2、3，培训按计划周期 2025、2026、2027-2028（也可直接"
        "用周期表示），诊断按 第一批、第二批、第三批；不填为各批次累计",
    )


class RegionRow(BaseModel):
    """The figures of a province, of a city, or (as totals) of the caller's whole region."""

    province: str = Field(
        description="单位代码：省级 2 位，计划单列市 4 位（如 3302），兵团 66；全国合计为 00"
    )
    city: str | None = Field(None, description="市级行政区划代码（6位）；省份行和全国合计为空")
    name: str
    enterprises: int = Field(description="登记企业数（当前值，不随 as_of 回溯）")
    tiers: TierCounts = Field(description="as_of 当日持有各层级的企业数")
    training: TrainingFigures = Field(default_factory=TrainingFigures, description="人才培训")
    diagnosis: DiagnosisFigures = Field(
        default_factory=DiagnosisFigures, description="质量诊断与管理诊断（当前值）"
    )
    innovation: InnovationFigures = Field(
        default_factory=InnovationFigures, description="技术创新服务（当前值）"
    )


class Overview(BaseModel):
    """What the caller's region holds. The ministry gets a row per filing unit (31 provinces,
    5 计划单列市, 兵团) and national totals; a unit its own row, a row per city of it that
    has figures, and its totals;
    a city (地级市) one row, its own, with its totals. A county-level region has no figures
    of its own in the read model: its rows are empty and its totals zero."""

    as_of: date = Field(description="统计日期（给出 year 时为该年年末或今天）")
    year: int | None = Field(None, description="请求的统计年度；为空表示按 as_of 统计")
    batch: str | None = Field(
        None,
        description="批次，以培训计划周期表示（2025、2026、2027-2028，即第一批、第二批、"
        "第三批）；为空表示各批次累计",
    )
    not_as_of: list[str] = Field(
        list(NOT_AS_OF),
        description="不随 as_of（或 year）回溯、取当前值的指标：登记企业数、培训学员、"
        "已培训企业、满意度，覆盖率的分子（已培训企业），以及诊断、技术创新服务的各项指标",
    )
    totals: RegionRow
    provinces: list[RegionRow] = Field(
        description="单位行：部级为各省、计划单列市和兵团（省份行不含其计划单列市），"
        "单位级为本单位，市级为空"
    )
    cities: list[RegionRow] = Field(
        description="城市行：省级为本省有数据的各市，市级为本市，部级为空"
    )
