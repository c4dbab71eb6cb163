"""The training service's consumers: registry events keep its replica (``kit.registry_replica``)
and the coverage counts."""

from __future__ import annotations

from training.models import REPLICA
from training.service import coverage_counts

# The replica, and the coverage counts derived from it.
SUBSCRIPTIONS = [REPLICA.subscription(coverage_counts.on_replica)]
