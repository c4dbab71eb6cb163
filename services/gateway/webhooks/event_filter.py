"""An endpoint's filter on event types: names checked as written (DESIGN.md §3), and then
against the catalogue of every service's event types."""

from __future__ import annotations

import re

from kit import services
from kit.errors import FieldError, Problem

from gateway.webhooks.errors import EVENT_TYPE_INVALID, EVENT_TYPE_UNKNOWN

_NAME = re.compile(r"cn\.zjtx\.([a-z]+)\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v1")
MAX_TYPES = 100


def known(event_type: str) -> bool:
    """Whether the event-type catalogue lists ``event_type``. The one place the catalogue
    (``gateway.event_types``, being built beside this) plugs in; until then every well-formed
    name of a platform service passes."""
    return True


def _error(n: int, problem: Problem, zh: str, en: str) -> FieldError:
    return FieldError(f"event_types.{n}", problem.code, zh, en)


def checked(event_types: list[str]) -> list[str]:
    """The filter as kept: each name well formed and known, once, in order."""
    kept: list[str] = []
    for n, event_type in enumerate(event_types):
        match = _NAME.fullmatch(event_type)
        if match is None or match.group(1) not in services.PORTS:
            raise EVENT_TYPE_INVALID(
                type=event_type, errors=[_error(n, EVENT_TYPE_INVALID, "格式无效", "malformed")]
            )
        if not known(event_type):
            raise EVENT_TYPE_UNKNOWN(
                type=event_type, errors=[_error(n, EVENT_TYPE_UNKNOWN, "没有该事件类型", "unknown")]
            )
        if event_type not in kept:
            kept.append(event_type)
    return kept
