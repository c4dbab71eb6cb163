"""Who may see and change which registry records (DESIGN.md §4 Auth).

Foreign records are reported as missing (404), never as forbidden, so a caller cannot
probe which enterprises exist outside its region.
"""

from __future__ import annotations

from kit.auth import GOVERNMENT, Principal, Role
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE

# The roles granted region-wide reads of enterprises. An enterprise sees only itself; any
# other role (an institution, an auditor, a role added later) sees none until granted here.
ENTERPRISE_READERS = GOVERNMENT


def sees_enterprise(principal: Principal, uscc: str, region_code: str) -> bool:
    if principal.role is Role.ENTERPRISE:
        return principal.org == uscc
    if principal.role in ENTERPRISE_READERS:
        return principal.sees_region(region_code)
    return False


def ensure_governs(principal: Principal, region_code: str) -> None:
    """A write into ``region_code`` needs a government principal whose region covers it
    (a role denial and a region denial are told apart: they send the user different ways)."""
    if principal.role not in GOVERNMENT:
        raise FORBIDDEN()
    if not principal.sees_region(region_code):
        raise REGION_OUT_OF_SCOPE(region=region_code)
