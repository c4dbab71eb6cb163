"""Who may see and change which diagnosis records (DESIGN.md §4 Auth).

Engagements belong to the enterprise's filing unit: its government users see them (a city
those of its own enterprises), its keepers (province users and systems) act for the unit;
the institution assigned to an engagement, and no other, sees and works on it from its
assignment; an enterprise sees its own. Foreign records are reported as missing (404).
"""

from __future__ import annotations

from kit.auth import GOVERNMENT, Principal, Role
from kit.scope import in_region, institution_id
from sqlalchemy import ColumnElement, false, true

from diagnosis.models import Engagement


def visible_engagements(principal: Principal) -> ColumnElement[bool]:
    """The one predicate of every path that shows an engagement."""
    if principal.role is Role.ENTERPRISE:
        return Engagement.enterprise_uscc == (principal.org or "")
    if principal.role in GOVERNMENT:
        region = in_region(principal.region_prefix, Engagement.region_code)
        return true() if region is None else region
    if institution := institution_id(principal):
        return Engagement.institution_id == institution
    return false()


def sees(principal: Principal, e: Engagement) -> bool:
    """``visible_engagements`` for one loaded engagement."""
    if principal.role is Role.ENTERPRISE:
        return principal.org == e.enterprise_uscc
    if principal.role in GOVERNMENT:
        return principal.sees_region(e.region_code)
    return is_assigned(principal, e)


def is_assigned(principal: Principal, e: Engagement) -> bool:
    return e.institution_id is not None and institution_id(principal) == e.institution_id
