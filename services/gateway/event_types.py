"""The event-type catalogue: every event type every service publishes
(``cn.zjtx.<svc>.<aggregate>.<event>.v1``), the JSON Schema of its ``data`` and what it
means, in Chinese.

Nothing is listed here: the catalogue is read from the published contracts, one module per
publishing service (``contracts.<svc>``), each with ``EVENTS`` (the payload model of every
``<aggregate>.<event>`` it emits) and ``DESCRIPTIONS``. A service that publishes its
contract joins the catalogue, and the change feed's consumers (``gateway.changes``), by
itself. Import :data:`CATALOGUE`, :func:`known` and :func:`checked_types` to filter by type.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

import contracts
from contracts.base import Payload
from kit.errors import FieldError, Problem
from kit.events.envelope import event_type

EVENT_TYPE_UNKNOWN = Problem(
    "EVENT_TYPE_UNKNOWN",
    422,
    "未知的事件类型：{types}（可用的类型见 GET /api/v1/webhooks/event-types）",
    "Unknown event types: {types} (see GET /api/v1/webhooks/event-types)",
)


@dataclass(frozen=True)
class EventType:
    """One event type: who publishes it, what it means and its payload's model."""

    name: str  # cn.zjtx.<svc>.<aggregate>.<event>.v1
    service: str
    route: str  # <aggregate>.<event>
    description: str
    payload: type[Payload]

    @cached_property
    def data_schema(self) -> dict[str, Any]:
        """The JSON Schema of ``data`` as published (``model_dump(mode="json")``)."""
        schema: dict[str, Any] = self.payload.model_json_schema(mode="serialization")
        return schema


def publishers() -> dict[str, ModuleType]:
    """Every contracts module that lists the events of its service, by service name."""
    found = {}
    for info in pkgutil.iter_modules(contracts.__path__):
        module = importlib.import_module(f"{contracts.__name__}.{info.name}")
        if hasattr(module, "EVENTS"):
            found[info.name] = module
    return dict(sorted(found.items()))


def _catalogue() -> dict[str, EventType]:
    catalogue: dict[str, EventType] = {}
    for service, module in publishers().items():
        events: dict[str, type[Payload]] = module.EVENTS
        descriptions: dict[str, str] = getattr(module, "DESCRIPTIONS", {})
        for route, payload in events.items():
            if not descriptions.get(route):
                raise LookupError(f"contracts.{service}.DESCRIPTIONS does not describe {route}")
            aggregate, event = route.split(".")
            name = event_type(service, aggregate, event)
            catalogue[name] = EventType(name, service, route, descriptions[route], payload)
    return catalogue


CATALOGUE: dict[str, EventType] = _catalogue()

# The services whose events the catalogue holds: the streams the change feed consumes.
SERVICES: tuple[str, ...] = tuple(dict.fromkeys(e.service for e in CATALOGUE.values()))


def known(type_: str) -> bool:
    """``type_`` is an event type some service publishes."""
    return type_ in CATALOGUE


def checked_types(types: Iterable[str], field: str = "types") -> list[str]:
    """``types`` without repeats, each a known event type; else the ``EVENT_TYPE_UNKNOWN``
    problem, naming them (on ``field``)."""
    wanted = list(dict.fromkeys(types))
    unknown = [t for t in wanted if not known(t)]
    if unknown:
        raise EVENT_TYPE_UNKNOWN(
            types="、".join(unknown),
            errors=[
                FieldError(
                    field,
                    "EVENT_TYPE_UNKNOWN",
                    f"未知的事件类型：{t}",
                    f"Unknown event type: {t}",
                )
                for t in unknown
            ],
        )
    return wanted
