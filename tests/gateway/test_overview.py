"""The 专栏 overview: fed by registry events through outbox → JetStream → inbox."""

from __future__ import annotations

from typing import Any

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
