"""Who may see and change which innovation records (DESIGN.md §4 Auth).

Demands belong to the enterprise's filing unit: its government users see them (a city
those of its own enterprises), its keepers (province users and systems) act for the unit;
an enterprise sees its own. Foreign records are reported as missing (404). The public
catalogue (``GET /demands/public``) is the one read open to every signed-in caller.
"""

from __future__ import annotations

from kit.auth import GOVERNMENT, Principal, Role
from kit.codes import unit_region
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from kit.scope import KEEPERS, acts_for, in_region, keeps
from sqlalchemy import ColumnElement, false, true

from innovation.models import Demand


def visible_demands(principal: Principal) -> ColumnElement[bool]:
    """The one predicate of every path that shows a demand with its contact and budget."""
    if principal.role is Role.ENTERPRISE:
        return Demand.enterprise_uscc == (principal.org or "")
    if principal.role in GOVERNMENT:
        region = in_region(principal.region_prefix, Demand.region_code)
        return true() if region is None else region
    return false()


def ensure_keeps(principal: Principal, unit: str) -> None:
    """A write for the unit needs one of its keepers (or the ministry)."""
    if principal.role not in KEEPERS:
        raise FORBIDDEN()
    if not keeps(principal, unit):
        raise REGION_OUT_OF_SCOPE(region=unit_region(unit))


def files_for(principal: Principal, uscc: str, unit: str) -> bool:
    """The enterprise itself or its unit's keepers file (and withdraw) its demand."""
    return acts_for(principal, uscc) or keeps(principal, unit)
