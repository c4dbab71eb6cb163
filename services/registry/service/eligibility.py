"""重点“小巨人” eligibility (seed 004 §二(一)), evaluated as of a date."""

from __future__ import annotations

from datetime import date

from kit import tiers
from kit.auth import Principal
from kit.codes import filing_unit, unit_name
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import ENTERPRISE_NOT_FOUND, RULE_SET_MISSING
from registry.models import Enterprise
from registry.repository import recognitions as recognition_repo
from registry.repository import rule_sets as repo
from registry.rules import Facts, evaluate
from registry.schemas.eligibility import Eligibility, RuleResult, RuleSetInfo
from registry.scope import sees_enterprise

KEY_LITTLE_GIANT = "key_little_giant"


async def key_little_giant(
    session: AsyncSession, principal: Principal, uscc: str, as_of: date
) -> Eligibility:
    enterprise = await session.get(Enterprise, uscc)
    if enterprise is None or not sees_enterprise(principal, uscc, enterprise.region_code):
        raise ENTERPRISE_NOT_FOUND(uscc=uscc)
    unit = filing_unit(enterprise.region_code)
    rule_set = await repo.in_force(session, KEY_LITTLE_GIANT, as_of, unit)
    if rule_set is None:  # another unit's rules are not this unit's (DESIGN.md §5)
        raise RULE_SET_MISSING(unit=unit_name(unit), unit_en=unit, as_of=as_of.isoformat())
    recognitions = await recognition_repo.of_enterprise(session, uscc)
    facts = Facts(
        enterprise=enterprise,
        indicators={i.year: i for i in await recognition_repo.indicators(session, uscc)},
        tiers_held={
            r.tier
            for r in recognitions
            if tiers.is_held(r.valid_from, r.valid_until, r.revoked_on, as_of)
        },
        recognised={(r.tier, r.batch) for r in recognitions if r.recognized_on <= as_of},
        as_of=as_of,
    )
    results = []
    for rule in rule_set.rules:
        outcome = evaluate(rule, facts)
        results.append(
            RuleResult(
                code=rule["code"],
                title=rule["title"],
                required=rule["required"],
                passed=outcome.passed,
                reason=outcome.zh,
                reason_en=outcome.en,
                source=rule["source"],
                interpretation=rule.get("interpretation"),
            )
        )
    return Eligibility(
        uscc=uscc,
        as_of=as_of,
        rule_set=RuleSetInfo.model_validate(rule_set, from_attributes=True),
        eligible=all(r.passed for r in results if r.required),
        rules=results,
    )
