"""The diagnosis service's events (``cn.zjtx.diagnosis.<aggregate>.<event>.v1``): their
``data``, each the aggregate's whole state (never a contact's phone or email)."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.base import Figure, Payload


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
