"""The innovation service's consumers: registry events keep its replica."""

from __future__ import annotations

from innovation.models import REPLICA

SUBSCRIPTIONS = [REPLICA.subscription()]
