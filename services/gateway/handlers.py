"""The gateway's subscriptions: each source's events keep its part of the read model."""

from __future__ import annotations

from kit.events.consumer import Subscription
from kit.registry_replica import Changes
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.changes.handlers import SUBSCRIPTIONS as CHANGE_FEED
from gateway.diagnosis import handlers as diagnosis
from gateway.innovation import handlers as innovation
from gateway.registry import handlers as registry
from gateway.registry.models import REPLICA
from gateway.training import handlers as training
from gateway.webhooks import fanout


async def on_registry_changes(session: AsyncSession, changes: Changes) -> None:
    placed = await registry.recount(session, changes)
    # Training facts that arrived before their enterprise count in its city from now on.
    await training.place_enterprises(session, placed)


SUBSCRIPTIONS = [
    REPLICA.subscription(then=on_registry_changes),
    Subscription("training", training.ROUTES),
    Subscription("diagnosis", diagnosis.ROUTES),
    Subscription("innovation", innovation.ROUTES),
    *fanout.subscriptions(),  # webhooks: every service's events, a consumer of their own
    *CHANGE_FEED,
]
