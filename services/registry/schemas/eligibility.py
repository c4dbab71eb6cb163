"""重点“小巨人” eligibility: each rule of the rule set in force, with its reason."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class RuleSetInfo(BaseModel):
    code: str
    version: str
    jurisdiction: str
    effective_from: date
    effective_until: date | None
    title: str
    source: str


class RuleResult(BaseModel):
    code: str
    title: str
    required: bool
    passed: bool
    reason: str
    reason_en: str
    source: str
    interpretation: str | None = None


class Eligibility(BaseModel):
    uscc: str
    as_of: date
    rule_set: RuleSetInfo
    eligible: bool
    rules: list[RuleResult]


class RuleSetRead(RuleSetInfo):
    rules: list[dict[str, object]]
