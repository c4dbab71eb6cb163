"""The diagnosis service's consumers: registry events keep its replica."""

from __future__ import annotations

from diagnosis.models import REPLICA

SUBSCRIPTIONS = [REPLICA.subscription()]
