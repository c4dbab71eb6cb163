"""The diagnosis service's events (``cn.zjtx.diagnosis.<aggregate>.<event>.v1``): their
``data``, each the aggregate's whole state (never a contact's phone or email)."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.base import Payload


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
