"""重点“小巨人” eligibility (seed 004 §二(一)), evaluated as of a date."""

from __future__ import annotations

from datetime import date

from kit.auth import Principal
from kit.codes import PROVINCES
from kit.scope import province_region
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import ENTERPRISE_NOT_FOUND, RULE_SET_MISSING
from registry.models import Enterprise
from registry.repository import enterprises as enterprise_repo
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
    own = province_region(enterprise.province)
    rule_set = await repo.in_force(session, KEY_LITTLE_GIANT, as_of, own)
    if rule_set is None:
        raise RULE_SET_MISSING(as_of=as_of.isoformat())
    facts = Facts(
        enterprise=enterprise,
        indicators={i.year: i for i in await recognition_repo.indicators(session, uscc)},
        tiers_held=set(await enterprise_repo.tiers_held(session, uscc, as_of)),
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
    note = None
    if rule_set.jurisdiction != own:
        province = PROVINCES.get(rule_set.jurisdiction[:2], rule_set.jurisdiction)
        note = (
            f"{PROVINCES.get(enterprise.province, enterprise.province)}尚无本地规则，"
            f"参照{province}规则评价"
        )
    return Eligibility(
        uscc=uscc,
        as_of=as_of,
        rule_set=RuleSetInfo.model_validate(rule_set, from_attributes=True),
        jurisdiction_note=note,
        eligible=all(r.passed for r in results if r.required),
        rules=results,
    )
