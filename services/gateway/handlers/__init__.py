"""Consumers of other services' events, one module per source service."""

from __future__ import annotations

from kit.events.consumer import Subscription

from gateway.handlers.registry import on_registry_event, on_registry_events
from gateway.handlers.training import on_training_event

SUBSCRIPTIONS = [
    Subscription("registry", on_registry_event, on_registry_events),
    Subscription("training", on_training_event),
]
