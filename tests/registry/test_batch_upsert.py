"""Batch upsert by USCC: create, update, unchanged; replays change and emit nothing."""

from __future__ import annotations

from typing import Any

from kit.testing import Platform

from tests.factories import enterprise
from tests.registry.test_imports import counts, events

UPSERT = "/api/v1/registry/enterprises:batch-upsert"


async def upsert(
    platform: Platform,
    items: list[dict[str, Any]],
    role: str = "ministry",
    region: str = "100000",
    **headers: str,
) -> Any:
    return await platform["registry"].post(
        UPSERT, json={"items": items}, headers=platform.auth(role, region, **headers)
    )


class TestUpsert:
    async def test_creates_the_missing(self, platform: Platform) -> None:
        a, b = enterprise(), enterprise("510104")
        r = await upsert(platform, [a, b])
        assert r.status_code == 200, r.text
        assert r.json() == {
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "items": [
                {"uscc": a["uscc"], "result": "created"},
                {"uscc": b["uscc"], "result": "created"},
            ],
        }
        assert [(e["type"], e["aggregateversion"]) for e in await events(platform)] == [
            ("cn.zjtx.registry.enterprise.registered.v1", 1)
        ] * 2

    async def test_updates_the_changed_and_leaves_the_identical(self, platform: Platform) -> None:
        a, b = enterprise(), enterprise()
        await upsert(platform, [a, b])
        a["name"] = "新名称有限公司"
        r = await upsert(platform, [a, b])
        assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 1)
        assert [i["result"] for i in r.json()["items"]] == ["updated", "unchanged"]
        got = await platform["registry"].get(
            f"/api/v1/registry/enterprises/{a['uscc']}", headers=platform.auth("ministry")
        )
        assert (got.json()["name"], got.json()["version"]) == ("新名称有限公司", 2)
        last = (await events(platform))[-1]
        assert (last["type"], last["subject"], last["aggregateversion"]) == (
            "cn.zjtx.registry.enterprise.updated.v1",
            a["uscc"],
            2,
        )
        assert last["data"]["name"] == "新名称有限公司"
        assert await counts(platform) == (2, 3)

    async def test_replay_changes_and_emits_nothing(self, platform: Platform) -> None:
        items = [enterprise(), enterprise(website="https://example.com", employees=30)]
        await upsert(platform, items)
        r = await upsert(platform, items)
        assert r.json()["unchanged"] == 2
        assert await counts(platform) == (2, 2)

    async def test_idempotency_key_replays_the_response(self, platform: Platform) -> None:
        items = [enterprise()]
        first = await upsert(platform, items, **{"Idempotency-Key": "batch-1"})
        again = await upsert(platform, items, **{"Idempotency-Key": "batch-1"})
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        assert again.json()["created"] == 1
        assert await counts(platform) == (1, 1)


class TestRejected:
    async def test_invalid_items_are_all_named_and_nothing_is_stored(
        self, platform: Platform
    ) -> None:
        r = await upsert(
            platform,
            [
                enterprise(),
                enterprise(industry_code="99"),
                enterprise(uscc="91420100MA4KX00000", scale="huge"),
            ],
        )
        assert r.status_code == 422
        assert r.json()["code"] == "VALIDATION_FAILED"
        assert {(e["field"], e["code"]) for e in r.json()["errors"]} == {
            ("items[1].industry_code", "INDUSTRY_INVALID"),
            ("items[2].uscc", "USCC_INVALID"),
            ("items[2].scale", "ENUM"),
        }
        assert await counts(platform) == (0, 0)

    async def test_same_credit_code_twice(self, platform: Platform) -> None:
        a = enterprise()
        r = await upsert(platform, [a, enterprise(), {**a, "name": "别名公司"}])
        assert r.status_code == 422
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("items[2].uscc", "USCC_DUPLICATE_IN_BATCH")
        ]
        assert await counts(platform) == (0, 0)

    async def test_foreign_region_for_a_province_user(self, platform: Platform) -> None:
        r = await upsert(
            platform, [enterprise("420102"), enterprise("510104")], role="province", region="420000"
        )
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"
        assert [e["field"] for e in r.json()["errors"]] == ["items[1].region_code"]
        assert await counts(platform) == (0, 0)

    async def test_province_user_cannot_take_over_a_foreign_enterprise(
        self, platform: Platform
    ) -> None:
        sichuan = enterprise("510104")
        await upsert(platform, [sichuan])
        moved = {**sichuan, "region_code": "420102"}
        r = await upsert(platform, [moved], role="province", region="420000")
        assert r.status_code == 409
        assert [e["field"] for e in r.json()["errors"]] == ["items[0].uscc"]
        got = await platform["registry"].get(
            f"/api/v1/registry/enterprises/{sichuan['uscc']}", headers=platform.auth("ministry")
        )
        assert (got.json()["region_code"], got.json()["version"]) == ("510104", 1)

    async def test_at_most_5000_items(self, platform: Platform) -> None:
        r = await upsert(platform, [enterprise() for _ in range(5001)])
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "items"
        assert await counts(platform) == (0, 0)

    async def test_enterprise_user_may_not_upsert(self, platform: Platform) -> None:
        e = enterprise()
        assert (await upsert(platform, [e])).status_code == 200
        before = await counts(platform)
        own = platform.auth("enterprise", e["region_code"], org=e["uscc"])
        # The token is valid (it reads its own enterprise), so the 403 is the role's refusal.
        read = await platform["registry"].get(
            f"/api/v1/registry/enterprises/{e['uscc']}", headers=own
        )
        assert read.status_code == 200, read.text
        r = await platform["registry"].post(
            UPSERT, json={"items": [{**e, "name": "自改名称公司"}]}, headers=own
        )
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "FORBIDDEN"
        assert await counts(platform) == before
