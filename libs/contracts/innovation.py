"""The innovation service's events (``cn.zjtx.innovation.<aggregate>.<event>.v1``): their
``data``, each the aggregate's whole state (never a contact's phone)."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.base import Figure, Payload


class Setting(Payload):
    """``setting.updated``: whether a unit runs the task, and the tiers it admits."""

    unit: str
    runs: bool
    eligible_tiers: list[str]
    version: int


class Demand(Payload):
    """``demand.<state>``: the demand as it is after the step (no contact)."""

    id: uuid.UUID
    enterprise_uscc: str
    unit: str
    region_code: str
    enterprise_tier: str
    categories: list[str]
    title: str
    budget_wan_yuan: Figure
    onsite_needed: bool
    publishable: bool
    submitted_on: date
    state: str
    round_id: uuid.UUID | None = None  # the selection round that took it up
    batch: str | None = None  # that round's batch
    version: int


class Round(Payload):
    """``round.opened`` / ``round.closed``: a unit's selection round for a batch (001: 100 in
    the 需求库 → 16 selected)."""

    id: uuid.UUID
    unit: str
    batch: str
    quota: int
    eligible_tiers: list[str]
    state: str  # open / closed
    selected: int
    not_selected: int = 0  # the pooled rest, when it closed
    version: int


class Project(Payload):
    """``project.<event>``: a service project for a selected demand, as it is after the step."""

    id: uuid.UUID
    demand_id: uuid.UUID
    enterprise_uscc: str
    unit: str
    region_code: str
    batch: str
    institution_id: uuid.UUID
    categories: list[str]  # the demand's
    state: str  # in_service / delivered / accepted (a failed 验收 returns it to in_service)
    milestones: int
    milestones_done: int
    fee_to_enterprise: Figure  # always 0 ("不向企业收取任何费用")
    acceptance_result: str | None = None  # passed / failed, the last 验收's
    award_wan_yuan: Figure | None = None
    version: int


class SurveySubmitted(Payload):
    """``survey.submitted``: an enterprise's rating of its project."""

    project_id: uuid.UUID
    unit: str
    batch: str
    overall: Figure
    satisfied: bool


# The steps a demand is published at (``demand.<state>``).
DEMAND_STATES = (
    "submitted",
    "pooled",
    "declined",
    "selected",
    "not_selected",
    "in_service",
    "delivered",
    "accepted",
    "withdrawn",
)

# The steps a project is published at (``project.<event>``): its states, and each milestone
# completed; a 验收 that failed sends it back to service (``project.in_service`` again).
PROJECT_EVENTS = ("in_service", "milestone_completed", "delivered", "accepted")

# "该项任务地方可根据企业需求，自行决定是否开展" (000:39). *Interpreted*: a unit that has said
# nothing (no ``setting.updated`` yet) runs the task.
RUNS_BY_DEFAULT = True

# 001 附件1-3 需求类别, in the form's order (one or more per demand).
CATEGORIES = ("rd", "proof_of_concept", "pilot", "testing", "commercialization", "ip")

# The figures' states (``GET /stats`` and the gateway's overview count alike). A demand
# counts unless withdrawn; it is in the 需求库 once pooled, whatever came after; selected
# once a round chose it, whatever came after.
POOLED = frozenset({"pooled", "selected", "not_selected", "in_service", "delivered", "accepted"})
SELECTED = frozenset({"selected", "in_service", "delivered", "accepted"})
WITHDRAWN = "withdrawn"

# Every event the innovation service publishes, by ``<aggregate>.<event>``.
EVENTS: dict[str, type[Payload]] = {
    "setting.updated": Setting,
    **{f"demand.{state}": Demand for state in DEMAND_STATES},
    "round.opened": Round,
    "round.closed": Round,
    **{f"project.{event}": Project for event in PROJECT_EVENTS},
    "survey.submitted": SurveySubmitted,
}

# What each event tells a provincial system, in its own words (``GET /webhooks/event-types``).
DESCRIPTIONS: dict[str, str] = {
    "setting.updated": "技术创新服务设置：单位是否开展该项任务及面向的企业梯度",
    "demand.submitted": "技术创新需求提交：企业（或其单位代为）填报 001 附件1-3 需求征集表",
    "demand.pooled": "需求入库：单位将需求纳入技术创新需求库",
    "demand.declined": "需求未入库：单位不予入库（附原因）",
    "demand.selected": "需求遴选：在遴选轮次中被择优选中",
    "demand.not_selected": "需求未遴选：遴选轮次结束时未被选中",
    "demand.in_service": "需求进入服务：服务机构承接服务项目",
    "demand.delivered": "需求服务交付：服务机构交付服务成果",
    "demand.accepted": "需求服务验收通过",
    "demand.withdrawn": "需求撤回：企业或其单位撤回需求",
    "round.opened": "遴选轮次开启：单位按批次设定入选名额",
    "round.closed": "遴选轮次结束：入选需求确定，其余入库需求列为未遴选",
    "project.in_service": "服务项目立项：签约的服务机构承接入选需求；验收未通过退回时也发布",
    "project.milestone_completed": "服务项目完成一个里程碑",
    "project.delivered": "服务项目交付：服务机构交付服务成果",
    "project.accepted": "服务项目验收通过",
    "survey.submitted": "技术创新服务满意度调查提交",
}
