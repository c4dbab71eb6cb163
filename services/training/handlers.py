"""The training service's consumers: registry events keep its replica (``kit.registry_replica``)."""

from __future__ import annotations

from training.models import REPLICA

SUBSCRIPTIONS = [REPLICA.subscription()]
