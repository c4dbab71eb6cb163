"""The diagnosis service's events (``cn.zjtx.diagnosis.<aggregate>.<event>.v1``): their
``data``, each the aggregate's whole state (never a contact's phone or email)."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.base import Figure, Payload

# What the events' states and kinds mean, for the service and its consumers alike.
# From the enterprise's self-assessment on; the report confirmed by the unit (diagnosed).
ASSESSED = frozenset({"self_assessed", "reviewed", "reported", "confirmed", "spot_checked"})
DIAGNOSED = frozenset({"confirmed", "spot_checked"})
# Which kind each activity counts for (附件5 Q1 开展质量管理活动 / M1 开展管理诊断活动).
ACTIVITY_KINDS = {
    "quality_standard_training": "quality",  # 贯标培训
    "quality_activity": "quality",
    "management_activity": "management",
}


class Plan(Payload):
    """``plan.created`` / ``plan.updated``: a unit's yearly number of enterprises."""

    id: uuid.UUID
    unit: str
    kind: str
    year: int
    planned_enterprises: int
    version: int


class Engagement(Payload):
    """``engagement.<state>``: the engagement as it is after the step."""

    id: uuid.UUID
    kind: str
    enterprise_uscc: str
    unit: str
    region_code: str
    batch: str
    mode: str
    state: str
    requested_on: date
    institution_id: uuid.UUID | None
    level: str | None = None  # the report's (quality)
    spot_level: str | None = None  # the ministry's spot check (quality)
    suggestions: int = 0
    typical_case: bool = False
    version: int


class Acceptance(Payload):
    """``acceptance.recorded``: 验收 of an institution's work for a unit × task × batch."""

    id: uuid.UUID
    institution_id: uuid.UUID
    unit: str
    kind: str
    batch: str
    body: str
    accepted_on: date
    result: str
    award_wan_yuan: Figure
    engagement_ids: list[uuid.UUID]


class Activity(Payload):
    """``activity.recorded``: 贯标培训 or a quality or management activity."""

    id: uuid.UUID
    kind: str
    held_on: date
    unit: str
    institution_id: uuid.UUID | None
    enterprises: int


class SurveySubmitted(Payload):
    """``survey.submitted``: an enterprise's rating of its engagement."""

    engagement_id: uuid.UUID
    kind: str
    unit: str
    batch: str
    overall: Figure
    satisfied: bool


# The steps an engagement is published at (``engagement.<state>``, a return to a step too).
ENGAGEMENT_STATES = (
    "requested",
    "assigned",
    "self_assessed",
    "reviewed",
    "reported",
    "confirmed",
    "spot_checked",
    "cancelled",
)

# Every event the diagnosis service publishes, by ``<aggregate>.<event>``.
EVENTS: dict[str, type[Payload]] = {
    "plan.created": Plan,
    "plan.updated": Plan,
    **{f"engagement.{state}": Engagement for state in ENGAGEMENT_STATES},
    "engagement.promoted": Engagement,  # 典型案例 (management), once confirmed
    "acceptance.recorded": Acceptance,
    "activity.recorded": Activity,
    "survey.submitted": SurveySubmitted,
}

# What each event tells a provincial system, in its own words (``GET /webhooks/event-types``).
DESCRIPTIONS: dict[str, str] = {
    "plan.created": "诊断计划创建：单位某一年度质量诊断或管理诊断的计划企业数",
    "plan.updated": "诊断计划修改：计划企业数有调整",
    "engagement.requested": "诊断申请：企业（或其单位代为）申请质量诊断或管理诊断",
    "engagement.assigned": "诊断分派：单位把诊断分派给签约的诊断机构",
    "engagement.self_assessed": "企业完成自我评价",
    "engagement.reviewed": "诊断机构完成复核；诊断报告被退回时也发布（回到此步）",
    "engagement.reported": "诊断机构出具诊断报告",
    "engagement.confirmed": "单位确认诊断结果",
    "engagement.spot_checked": "部级抽查诊断结果",
    "engagement.cancelled": "诊断取消",
    "engagement.promoted": "管理诊断列为典型案例",
    "acceptance.recorded": "验收记录：单位对服务机构某项任务（及批次）工作的验收结果",
    "activity.recorded": "活动记录：贯标培训或质量、管理诊断相关活动",
    "survey.submitted": "诊断满意度调查提交",
}
