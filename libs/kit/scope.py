"""What every service asks of a principal (DESIGN.md §4 Auth), written once.

Provincial records (plans, classes, contacts, contracts) are kept by :data:`KEEPERS`; a
province is named by its two digits, so ":func:`covers` a province" and ":func:`unit`"
replace the ``province + "0000"`` and ``region_prefix[:2]`` idioms each service wrote by hand.
Which role sees which record stays each service's ``scope.py``: only the vocabulary is here.
"""

from __future__ import annotations

import uuid

from kit.auth import Principal, Role

# Who keeps provincial records: the ministry, the provinces and their systems (city users
# read them).
KEEPERS = frozenset({Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM})


def province_region(province: str) -> str:
    """A province's own region code: ``"33"`` → ``"330000"``."""
    return province + "0000"


def unit(principal: Principal) -> str:
    """The province the principal is confined to, ``""`` for the whole country (a city and
    a plan-listed city are confined to their province)."""
    return principal.region_prefix[:2]


def covers(principal: Principal, province: str) -> bool:
    """The principal's region covers the whole province: the ministry and the province's own
    users do, its cities (and plan-listed cities) do not."""
    return principal.sees_region(province_region(province))


def keeps(principal: Principal, province: str) -> bool:
    """A keeper whose region covers the province."""
    return principal.role in KEEPERS and covers(principal, province)


def acts_for(principal: Principal, uscc: str) -> bool:
    """An enterprise user acting for its own enterprise."""
    return principal.role is Role.ENTERPRISE and principal.org == uscc


def institution_id(principal: Principal) -> uuid.UUID | None:
    """An institution principal's ``org`` is its institution id (None if it is not one)."""
    if principal.role is not Role.INSTITUTION:
        return None
    try:
        return uuid.UUID(principal.org or "")
    except ValueError:
        return None
