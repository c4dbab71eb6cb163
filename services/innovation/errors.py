"""Innovation problems (problem+json, DESIGN.md §4): stable codes, Chinese and English."""

from __future__ import annotations

from kit.errors import Problem

DEMAND_NOT_FOUND = Problem(
    "DEMAND_NOT_FOUND", 404, "技术创新需求不存在", "Innovation demand not found"
)
DEMAND_STATE = Problem(
    "DEMAND_STATE",
    409,
    "需求当前为“{state}”，不能{action}",
    "The demand is {state_en}: it cannot be {action_en}",
)
ENTERPRISE_UNKNOWN = Problem(
    "ENTERPRISE_UNKNOWN",
    422,
    "企业 {uscc} 不在企业库中",
    "Enterprise {uscc} is not in the registry",
)
ENTERPRISE_NOT_ELIGIBLE = Problem(
    "ENTERPRISE_NOT_ELIGIBLE",
    422,
    "企业在提交日（{on}）不是本单位技术创新服务面向的企业（{tiers}）",
    "On the filing date ({on}) the enterprise holds none of the tiers its unit admits ({tiers_en})",
)
TASK_NOT_RUN = Problem(
    "TASK_NOT_RUN",
    409,
    "单位 {unit} 未开展技术创新服务，不受理技术创新需求",
    "Unit {unit} does not run the technical-innovation task: it takes no demands",
)
