"""Who may see and change which innovation records (DESIGN.md §4 Auth).

Demands belong to the enterprise's filing unit: its government users see them (a city
those of its own enterprises), its keepers (province users and systems) act for the unit;
an enterprise sees its own. Foreign records are reported as missing (404). The public
catalogue (``GET /demands/public``) is the one read open to every signed-in caller.
"""

from __future__ import annotations

from kit.auth import GOVERNMENT, Principal, Role
from kit.scope import in_region, institution_id, unit
from sqlalchemy import ColumnElement, false, true

from innovation.models import Demand, Project, Round


def visible_demands(principal: Principal) -> ColumnElement[bool]:
    """The one predicate of every path that shows a demand with its contact and budget."""
    if principal.role is Role.ENTERPRISE:
        return Demand.enterprise_uscc == (principal.org or "")
    if principal.role in GOVERNMENT:
        region = in_region(principal.region_prefix, Demand.region_code)
        return true() if region is None else region
    return false()


def visible_rounds(principal: Principal) -> ColumnElement[bool]:
    """A unit's rounds: its government users' (a city's included), and the ministry's."""
    if principal.role not in GOVERNMENT:
        return false()
    confined = unit(principal)
    return true() if not confined else Round.unit == confined


def visible_projects(principal: Principal) -> ColumnElement[bool]:
    """A project: its unit's government users (a city its enterprises'), the institution
    running it and no other, its enterprise."""
    if principal.role is Role.ENTERPRISE:
        return Project.enterprise_uscc == (principal.org or "")
    if principal.role in GOVERNMENT:
        region = in_region(principal.region_prefix, Project.region_code)
        return true() if region is None else region
    if institution := institution_id(principal):
        return Project.institution_id == institution
    return false()
