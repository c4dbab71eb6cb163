"""Rule sets as data: each rule names a kind and its parameters; code only knows the kinds.

A new threshold or a province's own rules is a new ``rule_sets`` row with an effective date,
never a code change (DESIGN.md §5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.vocabulary import Tier

from registry.enums import KeyField, ListingBoard
from registry.models import AnnualIndicator, Enterprise
from registry.schemas.indicators import IndicatorWrite


@dataclass(frozen=True)
class Facts:
    """What the rules look at, as of a date."""

    enterprise: Enterprise
    indicators: dict[int, AnnualIndicator]
    tiers_held: set[str]
    recognised: set[tuple[str, str]]  # (tier, batch) of every recognition recorded by then
    as_of: date

    @property
    def last_year(self) -> int:
        return self.as_of.year - 1


@dataclass(frozen=True)
class Outcome:
    passed: bool
    zh: str
    en: str


def _pct(value: Decimal) -> str:
    return f"{value * 100:.1f}%"


def _missing(year: int, field: str) -> Outcome:
    label = IndicatorWrite.model_fields[field].description or field
    return Outcome(
        False, f"缺少 {year} 年度指标：{label}", f"Indicator {field} for {year} is missing"
    )


def holds_tier(facts: Facts, p: dict[str, Any]) -> Outcome:
    tier = Tier(p["tier"])
    held = tier in facts.tiers_held
    return Outcome(
        held,
        f"{facts.as_of} {'持有' if held else '未持有'}有效的{tier.zh}认定",
        f"{'Holds' if held else 'Does not hold'} a valid {tier.label('en')} recognition"
        f" on {facts.as_of}",
    )


def not_listed(facts: Facts, p: dict[str, Any]) -> Outcome:
    """Not listed on one of the ``excluded_boards`` (004 names them: 北交所 and 新三板 are not
    among them). A listed enterprise whose board is not recorded cannot be judged."""
    e = facts.enterprise
    if e.listing_board is None:
        if e.listed:
            return Outcome(
                False,
                "已上市但未填报上市板块，无法判断是否在申报范围",
                "Listed, but the listing board is not recorded",
            )
        return Outcome(True, "未上市", "Not listed")
    board = ListingBoard(e.listing_board)
    excluded = board in p["excluded_boards"]
    return Outcome(
        not excluded,
        f"{board.zh}{'企业不在申报范围' if excluded else '，不在排除范围内'}",
        f"{board.value}: {'excluded' if excluded else 'not an excluded board'}",
    )


def not_recognised(facts: Facts, p: dict[str, Any]) -> Outcome:
    """Not already recognised as ``tier`` in one of ``batches`` (e.g. a 第一批 重点小巨人)."""
    tier = Tier(p["tier"])
    hit = sorted(b for t, b in facts.recognised if t == tier and b in p["batches"])
    if hit:
        return Outcome(
            False,
            f"已是{hit[0]}{tier.zh}，不在申报范围",
            f"Already a {tier.label('en')} of {hit[0]}",
        )
    batches = "、".join(p["batches"])
    return Outcome(True, f"非{batches}{tier.zh}", f"Not a {tier.label('en')} of {batches}")


def any_key_field(facts: Facts, p: dict[str, Any]) -> Outcome:
    fields = facts.enterprise.key_fields or []
    return Outcome(
        bool(fields),
        f"产业导向：{'、'.join(KeyField(f).zh for f in fields)}" if fields else "未填报产业导向",
        f"Industry orientation: {', '.join(fields)}"
        if fields
        else "No industry orientation recorded",
    )


def ratio_at_least(facts: Facts, p: dict[str, Any]) -> Outcome:
    """numerator / denominator ≥ threshold over the last ``years`` years: pooled (the sums'
    ratio), or with ``each_year`` in every one of them (004:383 "逐年计算")."""
    years = range(facts.last_year - p["years"] + 1, facts.last_year + 1)
    ratios: dict[int, Decimal] = {}
    numerator = denominator = Decimal(0)
    for year in years:
        row = facts.indicators.get(year)
        for field in (p["numerator"], p["denominator"]):
            if row is None or getattr(row, field) is None:
                return _missing(year, field)
        assert row is not None
        top, bottom = getattr(row, p["numerator"]), getattr(row, p["denominator"])
        if bottom == 0 and p.get("each_year"):
            return _missing(year, p["denominator"])
        if bottom:
            ratios[year] = top / bottom
        numerator += top
        denominator += bottom
    if denominator == 0:
        return _missing(facts.last_year, p["denominator"])
    threshold = Decimal(str(p["threshold"]))
    if p.get("each_year"):
        passed = all(r >= threshold for r in ratios.values())
        shown = "，".join(
            f"{y} 年 {_pct(r)} {'≥' if r >= threshold else '<'} {_pct(threshold)}"
            for y, r in ratios.items()
        )
        shown_en = ", ".join(f"{y}: {_pct(r)}" for y, r in ratios.items())
        return Outcome(
            passed,
            f"{p['label_zh']}（逐年计算）：{shown}",
            f"{p['label_en']} (each year, threshold {_pct(threshold)}): {shown_en}",
        )
    ratio = numerator / denominator
    passed = ratio >= threshold
    sign = "≥" if passed else "<"
    return Outcome(
        passed,
        f"{p['label_zh']} {_pct(ratio)} {sign} {_pct(threshold)}",
        f"{p['label_en']} {_pct(ratio)} {sign} {_pct(threshold)}",
    )


def any_count_at_least(facts: Facts, p: dict[str, Any]) -> Outcome:
    """One of several alternatives, each a sum of counts of the last year ≥ a minimum."""
    row = facts.indicators.get(facts.last_year)
    if row is None:
        return _missing(facts.last_year, "invention_patents")
    met = []
    for alt in p["alternatives"]:
        total = sum(getattr(row, f) or 0 for f in alt["fields"])
        if total >= alt["at_least"]:
            met.append(alt)
    if met:
        return Outcome(
            True,
            "满足：" + "、".join(a["label_zh"] for a in met),
            "Met: " + ", ".join(a["label_en"] for a in met),
        )
    return Outcome(
        False,
        "不满足任何一项：" + "、".join(a["label_zh"] for a in p["alternatives"]),
        "None met: " + ", ".join(a["label_en"] for a in p["alternatives"]),
    )


def count_at_least(facts: Facts, p: dict[str, Any]) -> Outcome:
    row = facts.indicators.get(facts.last_year)
    value = None if row is None else getattr(row, p["field"])
    if value is None:
        return _missing(facts.last_year, p["field"])
    passed = value >= p["at_least"]
    return Outcome(
        passed,
        f"{p['label_zh']} {value} {'≥' if passed else '<'} {p['at_least']}",
        f"{p['label_en']} {value} {'≥' if passed else '<'} {p['at_least']}",
    )


def growth_or_ipo(facts: Facts, p: dict[str, Any]) -> Outcome:
    plan = facts.enterprise.ipo_plan or {}
    if plan.get("stage") in p["ipo_stages"]:
        return Outcome(
            True,
            "有上市计划（已递交申请或已进入辅导期）",
            "Has an IPO plan (applied or in tutoring)",
        )
    revenues = {}
    for year in (facts.last_year, facts.last_year - 1):
        row = facts.indicators.get(year)
        if row is None or row.main_business_revenue is None:
            return _missing(year, "main_business_revenue")
        revenues[year] = row.main_business_revenue
    grew = revenues[facts.last_year] > revenues[facts.last_year - 1]
    return Outcome(
        grew,
        f"上年主营业务收入{'增长' if grew else '未增长'}，且无上市计划",
        f"Main business revenue {'grew' if grew else 'did not grow'}; no IPO plan",
    )


KINDS: dict[str, Callable[[Facts, dict[str, Any]], Outcome]] = {
    "holds_tier": holds_tier,
    "not_listed": not_listed,
    "not_recognised": not_recognised,
    "any_key_field": any_key_field,
    "ratio_at_least": ratio_at_least,
    "any_count_at_least": any_count_at_least,
    "count_at_least": count_at_least,
    "growth_or_ipo": growth_or_ipo,
}


def evaluate(rule: dict[str, Any], facts: Facts) -> Outcome:
    return KINDS[rule["kind"]](facts, rule.get("params", {}))
