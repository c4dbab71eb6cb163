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
PROJECT_NOT_FOUND = Problem("PROJECT_NOT_FOUND", 404, "服务项目不存在", "Service project not found")
PROJECT_STATE = Problem(
    "PROJECT_STATE",
    409,
    "服务项目当前为“{state}”，不能{action}",
    "The project is {state_en}: it cannot be {action_en}",
)
PROJECT_EXISTS = Problem(
    "PROJECT_EXISTS", 409, "该需求已有服务项目", "The demand already has a service project"
)
INSTITUTION_NOT_ENGAGED = Problem(
    "INSTITUTION_NOT_ENGAGED",
    422,
    "服务机构须为技术创新服务机构、满足必备条件，并与单位签订{batch}技术创新服务合同",
    "The institution must be an innovation-service institution meeting its mandatory"
    " conditions under contract with the unit for innovation in batch {batch}",
)
FEE_NOT_ZERO = Problem(
    "FEE_NOT_ZERO",
    422,
    "技术创新服务不向企业收取任何费用（000:47），企业付费须为 0",
    "Technical-innovation services charge the enterprise nothing (000:47): the fee must be 0",
)
MILESTONE_ORDER = Problem(
    "MILESTONE_ORDER",
    409,
    "里程碑须逐个完成：下一个应完成的是第 {next} 个",
    "Milestones are completed one by one: the next is number {next}",
)
MILESTONES_OPEN = Problem(
    "MILESTONES_OPEN",
    409,
    "尚有 {open} 个里程碑未完成，不能交付",
    "{open} milestones are not completed: the project cannot be delivered",
)
ACCEPTANCE_AWARD = Problem(
    "ACCEPTANCE_AWARD",
    422,
    "验收不通过时不予奖补，奖补金额须为 0",
    "A failed acceptance awards nothing: the award must be 0",
)
SURVEY_EXISTS = Problem(
    "SURVEY_EXISTS", 409, "该服务项目已评价", "The project has already been rated"
)
