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
ROUND_NOT_FOUND = Problem("ROUND_NOT_FOUND", 404, "遴选轮次不存在", "Selection round not found")
ROUND_EXISTS = Problem(
    "ROUND_EXISTS",
    409,
    "单位 {unit} 的{batch}已有进行中的遴选轮次",
    "Unit {unit} already has an open selection round for batch {batch}",
)
ROUND_CLOSED = Problem(
    "ROUND_CLOSED",
    409,
    "遴选轮次已结束，不能{action}",
    "The selection round is closed: it cannot be {action_en}",
)
QUOTA_EXCEEDED = Problem(
    "QUOTA_EXCEEDED",
    409,
    "已遴选 {selected} 项，超过名额 {quota} 项：请先撤销多出的遴选",
    "{selected} demands are selected, more than the quota of {quota}: unselect the extra first",
)
DEMAND_OF_ANOTHER_UNIT = Problem(
    "DEMAND_OF_ANOTHER_UNIT",
    422,
    "需求属于单位 {unit}，不能在单位 {round_unit} 的遴选轮次中遴选",
    "The demand is unit {unit}'s: a round of unit {round_unit} cannot select it",
)
TIER_NOT_ADMITTED = Problem(
    "TIER_NOT_ADMITTED",
    422,
    "需求企业类型为“{tier}”，本轮遴选仅面向：{tiers}",
    "The demand's enterprise is {tier_en}: this round admits only {tiers_en}",
)
SELECTION_NOT_FOUND = Problem(
    "SELECTION_NOT_FOUND", 404, "本轮未遴选该需求", "This round has not selected the demand"
)
