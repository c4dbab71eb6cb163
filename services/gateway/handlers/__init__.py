"""Consumers of other services' events, one module per source service."""

from __future__ import annotations

from kit.events.consumer import Subscription

from gateway.handlers import registry, training

SUBSCRIPTIONS = [
    Subscription("registry", registry.ROUTES, registry.on_registry_events),
    Subscription("training", training.ROUTES),
]
