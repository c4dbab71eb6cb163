"""The public 需求库 (``GET /demands/public``): every unit's publishable pooled demands to any
signed-in caller, institutions of other provinces included, without contact or budget;
filtered by category and text; keyset pages."""

from __future__ import annotations

import pytest
from kit.testing import Platform

from tests.fixtures.innovation import API, PHONE, act, code, holder, submitted

pytestmark = pytest.mark.services("registry", "innovation")
INSTITUTION = "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802"


async def public(platform: Platform, query: str = "", **auth: str) -> list[dict[str, object]]:
    headers = platform.auth("institution", "110000", org=INSTITUTION)
    r = await platform["innovation"].get(f"{API}/demands/public{query}", headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


class TestPublicCatalogue:
    async def test_only_publishable_pooled_demands_of_every_unit(self, platform: Platform) -> None:
        hubei, hunan = await holder(platform), await holder(platform, region="430102")
        shown = await submitted(platform, hubei)
        other_unit = await submitted(platform, hunan)
        private = await submitted(platform, hubei, publishable=False)
        unpooled = await submitted(platform, hubei)
        withdrawn = await submitted(platform, hubei)
        for d, region in (
            (shown, "420000"),
            (other_unit, "430000"),
            (private, "420000"),
            (withdrawn, "420000"),
        ):
            assert (await act(platform, d, "pool", region=region)).status_code == 200
        await act(platform, withdrawn, "withdraw")
        items = await public(platform)
        assert {d["id"] for d in items} == {shown, other_unit}
        assert unpooled not in {d["id"] for d in items}
        for item in items:
            assert not {"contact", "budget_wan_yuan", "past_cooperation"} & set(item)
            assert PHONE not in str(item) and "李明" not in str(item)

    async def test_anyone_signed_in_but_not_anonymous(self, platform: Platform) -> None:
        r = await platform["innovation"].get(f"{API}/demands/public")
        assert r.status_code == 401
        uscc = await holder(platform)
        r = await platform["innovation"].get(
            f"{API}/demands/public", headers=platform.auth("enterprise", "440300", org=uscc)
        )
        assert r.status_code == 200

    async def test_by_category_and_text(self, platform: Platform) -> None:
        uscc = await holder(platform)
        bearing = await submitted(platform, uscc, categories=["testing"])
        sensor = await submitted(
            platform, uscc, title="MEMS 传感器封装", problem="封装良率只有 60%（目标 95%）"
        )
        for d in (bearing, sensor):
            await act(platform, d, "pool")
        assert [d["id"] for d in await public(platform, "?category=testing")] == [bearing]
        assert [d["id"] for d in await public(platform, "?q=轴承")] == [bearing]  # the title
        assert [d["id"] for d in await public(platform, "?q=良率")] == [sensor]  # the problem
        assert [d["id"] for d in await public(platform, "?q=mems")] == [sensor]  # any case
        assert [d["id"] for d in await public(platform, "?q=60%25（目标")] == [sensor]
        assert await public(platform, "?q=6_%25") == []  # _ and % are literal, not wildcards
        assert await public(platform, "?category=testing&q=良率") == []

    async def test_keyset_pages(self, platform: Platform) -> None:
        uscc = await holder(platform)
        ids = [await submitted(platform, uscc) for _ in range(3)]
        for d in ids:
            await act(platform, d, "pool")
        headers = platform.auth("institution", "110000", org=INSTITUTION)
        seen, cursor = [], ""
        while True:
            r = await platform["innovation"].get(
                f"{API}/demands/public?limit=2{cursor}", headers=headers
            )
            seen += [d["id"] for d in r.json()["items"]]
            if not r.json()["next_cursor"]:
                break
            cursor = f"&cursor={r.json()['next_cursor']}"
        assert sorted(seen) == sorted(ids) and len(seen) == 3
        r = await platform["innovation"].get(f"{API}/demands/public?q=", headers=headers)
        assert (r.status_code, code(r)) == (422, "TOO_SHORT")
