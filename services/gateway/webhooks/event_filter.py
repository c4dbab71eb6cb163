"""An endpoint's filter on event types: names checked as written (DESIGN.md §3), and then
against the catalogue of every service's event types (``gateway.event_types``)."""

from __future__ import annotations

import re

from kit import services
from kit.errors import FieldError, Problem

from gateway.event_types import EVENT_TYPE_UNKNOWN, known
from gateway.webhooks.errors import EVENT_TYPE_INVALID

_NAME = re.compile(r"cn\.zjtx\.([a-z]+)\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v1")
MAX_TYPES = 100


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
                types=event_type,
                errors=[_error(n, EVENT_TYPE_UNKNOWN, "没有该事件类型", "unknown")],
            )
        if event_type not in kept:
            kept.append(event_type)
    return kept
