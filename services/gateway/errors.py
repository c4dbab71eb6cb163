"""Gateway problem types (stable codes; Chinese and English messages)."""

from __future__ import annotations

from kit.errors import Problem

OVERVIEW_YEAR_IN_FUTURE = Problem(
    "OVERVIEW_YEAR_IN_FUTURE",
    422,
    "统计年度 {year} 晚于今年，尚无数据",
    "Year {year} is after this year: there are no figures yet",
)
OVERVIEW_YEAR_WITH_AS_OF = Problem(
    "OVERVIEW_YEAR_WITH_AS_OF",
    422,
    "year（按年末统计）与 as_of（按日统计）只能给出一个",
    "Give either year (figures at the year's end) or as_of (figures on a date), not both",
)
