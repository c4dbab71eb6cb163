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
    version: int


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

# Every event the innovation service publishes, by ``<aggregate>.<event>``.
EVENTS: dict[str, type[Payload]] = {
    "setting.updated": Setting,
    **{f"demand.{state}": Demand for state in DEMAND_STATES},
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
}
