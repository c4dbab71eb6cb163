"""服务满意度, one definition for every task (DESIGN.md §5; 附件5 T5 / Q5 / M3 / I4 name the
figure, never its formula): a response is satisfied when the mean of its scores (1–5) is at
least 4, and a rate is the share of satisfied responses. Kept as versioned data, shown beside
every rate, so a change of definition is a new version, not a silent one."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

VERSION = "2026.1"
SATISFIED_AT = Decimal(4)  # of 5 (interpreted, SEED-NOTES.md B §4.3)
_PLACES = Decimal("0.0001")


class Definition(BaseModel):
    version: str = Field(VERSION, description="满意度口径的版本")
    text: str = Field(
        "满意度 = 平均分不低于 4 分（5 分制）的评价份数 / 评价份数；"
        "附件5 未规定算法，为平台统一口径（解释性）",
    )


DEFINITION = Definition()


def mean(scores: Sequence[int | Decimal]) -> Decimal:
    """The mean of a response's scores, to 2 places."""
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def satisfied(overall: Decimal) -> bool:
    return overall >= SATISFIED_AT


def rate(satisfied_responses: int, responses: int) -> Decimal | None:
    """The share of satisfied responses (None when there are none)."""
    if not responses:
        return None
    return (Decimal(satisfied_responses) / responses).quantize(_PLACES, ROUND_HALF_UP)
