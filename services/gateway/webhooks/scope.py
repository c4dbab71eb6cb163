"""Who manages which webhook endpoints: the ministry every one, a unit's users and systems
their unit's. Another unit's endpoint is reported as missing (404), never as forbidden."""

from __future__ import annotations

from kit.auth import Principal
from kit.codes import unit_region
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from kit.scope import KEEPERS, keeps, unit

MANAGERS = KEEPERS  # the ministry, provincial users and provincial systems


def ensure_manager(principal: Principal) -> None:
    if principal.role not in MANAGERS:
        raise FORBIDDEN()


def manages(principal: Principal, endpoint_unit: str | None) -> bool:
    """An endpoint of every unit (``None``) is the ministry's alone."""
    if endpoint_unit is None:
        return principal.role in MANAGERS and unit(principal) == ""
    return keeps(principal, endpoint_unit)


def listed_unit(principal: Principal) -> str:
    """The unit whose endpoints the principal lists ('' for the ministry: every one)."""
    ensure_manager(principal)
    return unit(principal)


def unit_of_new_endpoint(principal: Principal, requested: str | None) -> str | None:
    """The unit a new endpoint takes events of: the ministry names one, or none for every
    unit; anyone else gets their own, and naming another is refused."""
    ensure_manager(principal)
    own = unit(principal)
    if not own:
        return requested
    if requested not in (None, own):
        raise REGION_OUT_OF_SCOPE(region=unit_region(requested))
    return own
