"""The 专栏 overview: fed by registry events through outbox → JetStream → inbox."""

from __future__ import annotations

from typing import Any

from kit.events.envelope import CloudEvent
from kit.testing import Platform, eventually

from tests.factories import enterprise

OVERVIEW = "/api/v1/column/overview"


async def overview(platform: Platform, **params: str) -> dict[str, Any]:
    r = await platform["gateway"].get(OVERVIEW, params=params, headers=platform.auth("ministry"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def row(body: dict[str, Any], province: str) -> dict[str, Any]:
    return next(p for p in body["provinces"] if p["province"] == province)


async def emit(
    platform: Platform,
    service: str,
    aggregate: str,
    event: str,
    data: dict[str, Any],
    *,
    subject: str,
    unit: str,
    version: int | None = None,
) -> CloudEvent:
    """Through ``service``'s outbox, committed, as it publishes (at ``version``, by default
    the data's): its relay takes it from there."""
    ctx = platform.apps[service].state.ctx
    async with ctx.db.sessions() as session, session.begin():
        return await ctx.outbox.emit(
            session,
            aggregate,
            event,
            subject=subject,
            data=data,
            province=unit,
            version=version or int(data.get("version", 1)),
        )


async def applied(platform: Platform, service: str, *events: CloudEvent) -> None:
    """The gateway has processed ``service``'s ``events`` (the inbox row commits with their
    effect)."""
    pool = platform.apps["gateway"].state.ctx.db.pool
    ids = [e.id for e in events]

    async def probe() -> bool:
        n = await pool.fetchval(
            "SELECT count(*) FROM gateway.inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])",
            f"gateway--{service}",
            ids,
        )
        return bool(n == len(ids))

    await eventually(probe, message=f"gateway applied {len(ids)} {service} events")


class TestEnterpriseCounts:
    async def test_registered_enterprise_appears_in_its_province(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            "/api/v1/registry/enterprises",
            json=enterprise("420102"),
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 201

        async def counted() -> bool:
            return bool(row(await overview(platform), "42")["enterprises"] == 1)

        await eventually(counted, timeout=5)
        body = await overview(platform)
        assert body["totals"]["enterprises"] == 1
        assert row(body, "51")["enterprises"] == 0
