"""Retention: settled deliveries, their attempts and the events no delivery needs any more go
after ``webhooks_retention_days``; what is pending or recent stays; a service's published
outbox events go after ``outbox_retention_days``, unpublished ones never."""

from __future__ import annotations

import asyncio

from gateway.webhooks.rules import RETENTION
from kit import retention
from kit.testing import Platform

from tests.gateway.webhooks.conftest import (
    add_endpoint,
    attempted,
    gateway_ctx,
    register_enterprise,
)
from tests.gateway.webhooks.receiver import Receiver

AGE = """
UPDATE gateway.webhook_deliveries SET created_at = now() - make_interval(days => $2),
    last_attempt_at = now() - make_interval(days => $2)
WHERE id = $1
"""


async def _kept(platform: Platform) -> tuple[set[str], set[str], int]:
    pool = gateway_ctx(platform).db.pool
    rows = await pool.fetch("SELECT id::text, event_id::text FROM gateway.webhook_deliveries")
    events = await pool.fetch("SELECT id::text FROM gateway.webhook_events")
    attempts = await pool.fetchval("SELECT count(*) FROM gateway.webhook_attempts")
    return {r["id"] for r in rows}, {r["id"] for r in events}, attempts


class TestWebhookRetention:
    async def test_only_what_is_settled_and_old_goes(
        self, platform: Platform, receiver: Receiver
    ) -> None:
        ctx = gateway_ctx(platform)
        pool = ctx.db.pool
        await add_endpoint(platform, receiver)
        for _ in range(4):
            await register_enterprise(platform)
        await attempted(platform, 4)
        rows = await pool.fetch("SELECT id, event_id FROM gateway.webhook_deliveries ORDER BY id")
        [old, pending, young, shared] = rows
        days = ctx.settings.webhooks_retention_days
        await pool.execute(AGE, old["id"], days + 1)
        # Old but still to be tried (a retry by hand): kept, and its event with it.
        await pool.execute(AGE, pending["id"], days + 1)
        await pool.execute(
            "UPDATE gateway.webhook_deliveries SET status = 'pending',"
            " next_attempt_at = now() + interval '1 day' WHERE id = $1",
            pending["id"],
        )
        await pool.execute(AGE, young["id"], days - 1)
        # An old event that a recent delivery (a replay) still refers to: kept.
        await pool.execute(
            "UPDATE gateway.webhook_events SET received_at = now() - make_interval(days => $2)"
            " WHERE id = ANY($1::uuid[])",
            [old["event_id"], pending["event_id"], shared["event_id"]],
            days + 1,
        )

        deleted = await retention.purge(pool, ctx.schema, ctx.settings, RETENTION)

        assert deleted == {"gateway.webhook_deliveries": 1, "gateway.webhook_events": 1}
        deliveries, events, attempts = await _kept(platform)
        assert deliveries == {str(r["id"]) for r in (pending, young, shared)}
        assert events == {str(r["event_id"]) for r in (pending, young, shared)}
        assert attempts == 3  # the old delivery's attempt went with it
        assert await retention.purge(pool, ctx.schema, ctx.settings, RETENTION) == {
            "gateway.webhook_deliveries": 0,
            "gateway.webhook_events": 0,
        }

    async def test_every_service_runs_the_purge(self, platform: Platform) -> None:
        names = {task.get_name() for task in asyncio.all_tasks()}
        assert {"registry-purge_expired", "gateway-purge_expired"} <= names


class TestOutboxRetention:
    async def test_published_events_go_unpublished_stay(self, platform: Platform) -> None:
        """On a copy of a service's outbox (its relay would publish an unpublished row at
        once): old and published goes; old and never published, or recent, stays."""
        ctx = platform.apps["registry"].state.ctx
        pool = ctx.db.pool
        days = ctx.settings.outbox_retention_days
        await pool.execute(
            "CREATE SCHEMA retention_test;"
            " CREATE TABLE retention_test.outbox (LIKE registry.outbox INCLUDING ALL)"
        )
        try:
            for published, age in (("sent", days + 1), ("held", days + 400), ("new", days - 1)):
                await pool.execute(
                    "INSERT INTO retention_test.outbox (id, subject, payload, created_at,"
                    " published_at) VALUES (gen_random_uuid(), $1::text, '{}',"
                    " now() - make_interval(days => $2),"
                    " CASE WHEN $1::text = 'held' THEN NULL"
                    " ELSE now() - make_interval(days => $2) END)",
                    published,
                    age,
                )
            deleted = await retention.purge(
                pool, "retention_test", ctx.settings, [retention.OUTBOX]
            )
            kept = await pool.fetch("SELECT subject FROM retention_test.outbox")
            assert deleted == {"retention_test.outbox": 1}
            assert {r["subject"] for r in kept} == {"held", "new"}
        finally:
            await pool.execute("DROP SCHEMA retention_test CASCADE")
