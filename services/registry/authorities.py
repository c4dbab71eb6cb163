"""Who recognises which tier (DESIGN.md §5; 000:87 "经工业和信息化部认定").

The ministry recognises 小巨人 and 重点小巨人: a ministry user records them by hand or imports
the ministry's published list. The enterprise's filing unit (its province, 计划单列市 or 兵团,
by the unit's users or its system) recognises 创新型 and 专精特新中小企业; a city does not.
Revocation follows the same rights. A recognition's authority is derived from who recognises
it, never typed by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.vocabulary import LITTLE_GIANTS, Tier
from kit.auth import Principal, Role
from kit.codes import NATIONAL, filing_unit, unit_name

from registry.errors import RECOGNITION_AUTHORITY

UNIT_RECORDERS = frozenset({Role.PROVINCE, Role.PROVINCE_SYSTEM})


@dataclass(frozen=True)
class Authority:
    code: str  # NATIONAL for the ministry, else the filing unit's code
    name: str
    name_en: str


MINISTRY = Authority(NATIONAL, "工业和信息化部", "the ministry (MIIT)")


def of(tier: Tier, region_code: str) -> Authority:
    """The authority recognising ``tier`` for an enterprise registered in ``region_code``."""
    if tier in LITTLE_GIANTS:
        return MINISTRY
    unit = filing_unit(region_code)
    return Authority(unit, f"{unit_name(unit)}中小企业主管部门", f"the filing unit {unit}")


def may_record(principal: Principal, authority: Authority) -> bool:
    if authority is MINISTRY:
        return principal.role is Role.MINISTRY
    return principal.role in UNIT_RECORDERS and principal.region == authority.code


def ensure_may_record(principal: Principal, tier: Tier, region_code: str) -> Authority:
    """The authority the principal records ``tier`` for, or a problem naming the right one."""
    authority = of(tier, region_code)
    if not may_record(principal, authority):
        raise RECOGNITION_AUTHORITY(
            tier_zh=tier.zh,
            tier_en=tier.label("en"),
            authority_zh=authority.name,
            authority_en=authority.name_en,
        )
    return authority
