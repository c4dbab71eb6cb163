"""The training service's events (``cn.zjtx.training.<aggregate>.<event>.v1``): their ``data``.

What the gateway and the provincial systems need, never a trainee's ID number, phone or
email. Class and enrollment events carry the aggregate's whole state; the others are facts.
"""

from __future__ import annotations

import uuid
from datetime import date

from contracts.base import Figure, Instant, Payload
from contracts.vocabulary import Tier


class TeacherRegistered(Payload):
    id: uuid.UUID
    province: str
    name: str
    affiliation_kind: str
    organisation: str
    topics: list[str]


class Plan(Payload):
    """``plan.created`` / ``plan.amended``."""

    id: uuid.UUID
    province: str
    period: str
    eligible_tiers: list[Tier]
    status: str
    version: int
    due_on: date


class PlanFiled(Plan):
    """``plan.filed``: when, and whether by the period's due date."""

    filed_at: Instant
    on_time: bool


class Class(Payload):
    """``class.scheduled`` / ``class.closed``."""

    id: uuid.UUID
    plan_id: uuid.UUID
    period: str
    province: str
    provinces: list[str]
    name: str
    kind: str
    start_on: date
    end_on: date
    institution_id: uuid.UUID
    capacity: int
    status: str
    backfilled: bool


class TraineeRegistered(Payload):
    id: uuid.UUID
    enterprise_uscc: str
    province: str


class Enrollment(Payload):
    """``enrollment.<state>``: one event per state it enters."""

    id: uuid.UUID
    class_id: uuid.UUID
    trainee_id: uuid.UUID
    enterprise_uscc: str
    province: str
    class_province: str
    class_provinces: list[str]
    period: str
    state: str
    backfilled: bool
    version: int


class CertificateIssued(Payload):
    number: str
    enrollment_id: uuid.UUID
    class_id: uuid.UUID
    trainee_id: uuid.UUID
    enterprise_uscc: str
    province: str
    class_province: str
    period: str
    issued_on: date
    attendance_rate: Figure


class SurveySubmitted(Payload):
    id: uuid.UUID
    class_id: uuid.UUID
    trainee_id: uuid.UUID
    province: str
    class_province: str
    period: str
    overall: Figure
    satisfied: bool


# Every event the training service publishes, by ``<aggregate>.<event>``.
EVENTS: dict[str, type[Payload]] = {
    "teacher.registered": TeacherRegistered,
    "plan.created": Plan,
    "plan.amended": Plan,
    "plan.filed": PlanFiled,
    "class.scheduled": Class,
    "class.closed": Class,
    "trainee.registered": TraineeRegistered,
    **{
        f"enrollment.{state}": Enrollment
        for state in ("applied", "qualified", "confirmed", "completed", "withdrawn", "rejected")
    },
    "certificate.issued": CertificateIssued,
    "survey.submitted": SurveySubmitted,
}

# What each event tells a provincial system, in its own words (``GET /webhooks/event-types``).
DESCRIPTIONS: dict[str, str] = {
    "teacher.registered": "师资入库：师资库新增一名授课教师",
    "plan.created": "培训计划创建：单位某一周期的培训计划",
    "plan.amended": "培训计划修订：培训计划的新版本",
    "plan.filed": "培训计划报送：报送时间及是否按期报送",
    "class.scheduled": "培训班开班安排：班次、类型、起止日期、承办机构和容量",
    "class.closed": "培训班结班：出勤率与结业证书已核定",
    "trainee.registered": "学员登记（附1-3）：不含身份证号码、电话和电子邮箱",
    "enrollment.applied": "学员报名培训班",
    "enrollment.qualified": "报名资格审核通过",
    "enrollment.confirmed": "报名确认，学员计入培训人数",
    "enrollment.completed": "学员结业",
    "enrollment.withdrawn": "学员退出培训",
    "enrollment.rejected": "报名未通过审核",
    "certificate.issued": "结业证书颁发",
    "survey.submitted": "培训满意度调查提交",
}
