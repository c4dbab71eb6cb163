"""Who may see and change which training records (DESIGN.md §4 Auth).

Plans and classes are provincial: the organising province writes them; a joint class is
visible to each of its provinces. Foreign records are reported as missing (404).
"""

from __future__ import annotations

from kit.auth import GOVERNMENT, Principal, Role
from kit.errors import FORBIDDEN

from training.errors import REGION_OUT_OF_SCOPE

# Who writes provincial training records (city users read them).
KEEPERS = (Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM)


def own_province(principal: Principal) -> str | None:
    """The province a government principal is confined to (None: the whole country)."""
    return principal.region_prefix[:2] or None


def sees_province(principal: Principal, province: str) -> bool:
    if principal.role not in GOVERNMENT:
        return False
    own = own_province(principal)
    return own is None or own == province


def sees_any(principal: Principal, provinces: list[str]) -> bool:
    return any(sees_province(principal, p) for p in provinces)


def ensure_keeps(principal: Principal, province: str) -> None:
    """A write into ``province`` needs a keeper (role) whose region covers it (region)."""
    if principal.role not in KEEPERS:
        raise FORBIDDEN()
    if not sees_province(principal, province):
        raise REGION_OUT_OF_SCOPE(region=province + "0000")
