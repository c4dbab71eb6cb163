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
