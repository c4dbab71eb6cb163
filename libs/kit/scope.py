"""What every service asks of a principal (DESIGN.md §4 Auth), written once.

Provincial records (plans, classes, contacts, contracts) are kept by :data:`KEEPERS` and
belong to a filing unit, named by its prefix (``kit.codes.UNITS``: 33 浙江省, 3302 宁波市), so
":func:`covers` a unit" and ":func:`unit`" replace the idioms each service wrote by hand.
Which role sees which record stays each service's ``scope.py``: only the vocabulary is here.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import QueryableAttribute

from kit.auth import Principal, Role
from kit.codes import PLAN_CITIES_OF, unit_of, unit_region
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE

# Who keeps provincial records: the ministry, the units and their systems (city users read
# them).
KEEPERS = frozenset({Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM})


def unit(principal: Principal) -> str:
    """The filing unit the principal is confined to, ``""`` for the whole country (a city's
    is its province's, a 宁波 district's is 3302)."""
    return unit_of(principal.region) if principal.region_prefix else ""


def covers(principal: Principal, unit: str) -> bool:
    """The principal's region is the whole unit: the ministry's and the unit's own users' are;
    its cities' are not, nor is a province's over its 计划单列市."""
    return principal.region_prefix in ("", unit)


def keeps(principal: Principal, unit: str) -> bool:
    """A keeper whose region is the whole unit."""
    return principal.role in KEEPERS and covers(principal, unit)


def ensure_keeps(principal: Principal, unit: str) -> None:
    """A write for the unit needs one of its keepers (or the ministry)."""
    if principal.role not in KEEPERS:
        raise FORBIDDEN()
    if not covers(principal, unit):
        raise REGION_OUT_OF_SCOPE(region=unit_region(unit))


def in_region(
    prefix: str, region: ColumnElement[str] | QueryableAttribute[str]
) -> ColumnElement[bool] | None:
    """``Principal.sees_region`` for a region ``prefix`` on a column of region codes, in SQL
    (None: every region)."""
    if not prefix:
        return None
    clause = region.startswith(prefix)
    if excluded := PLAN_CITIES_OF.get(prefix):
        clause = clause & func.left(region, 4).not_in(excluded)
    return clause


def acts_for(principal: Principal, uscc: str) -> bool:
    """An enterprise user acting for its own enterprise."""
    return principal.role is Role.ENTERPRISE and principal.org == uscc


def files_for(principal: Principal, uscc: str, unit: str) -> bool:
    """The enterprise itself, or its unit's keepers, file (and withdraw) what it asks for."""
    return acts_for(principal, uscc) or keeps(principal, unit)


def institution_id(principal: Principal) -> uuid.UUID | None:
    """An institution principal's ``org`` is its institution id (None if it is not one)."""
    if principal.role is not Role.INSTITUTION:
        return None
    try:
        return uuid.UUID(principal.org or "")
    except ValueError:
        return None
