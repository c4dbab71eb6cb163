"""择优遴选 (001:18: 需求库 100 项 → 16 个): a unit's round per batch with its quota, selections of
its pooled demands, the close that refuses more than the quota and leaves the rest not
selected, each step published, and who may see and do what."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from kit.testing import Platform

from tests.fixtures.innovation import (
    API,
    HUBEI,
    a_round,
    code,
    holder,
    open_round,
    outbox,
    pooled,
    select,
    submitted,
)

pytestmark = pytest.mark.services("registry", "innovation")


async def close(platform: Platform, round_id: str, auth: tuple[str, str] = HUBEI) -> httpx.Response:
    return await platform["innovation"].post(
        f"{API}/rounds/{round_id}:close", headers=platform.auth(*auth)
    )


async def state_of(platform: Platform, demand_id: str) -> dict[str, Any]:
    r = await platform["innovation"].get(
        f"{API}/demands/{demand_id}", headers=platform.auth(*HUBEI)
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


class TestRound:
    async def test_a_round_selects_within_its_quota_and_the_rest_are_not_selected(
        self, platform: Platform
    ) -> None:
        first, second, rest = [await pooled(platform) for _ in range(3)]
        r = await open_round(platform, eligible_tiers=["little_giant", "key_little_giant"])
        assert r.status_code == 201, r.text
        round_id = r.json()["id"]
        assert r.headers["location"].endswith(f"/rounds/{round_id}")
        assert (r.json()["state"], r.json()["selected"]) == ("open", 0)
        for demand_id in (first, second):
            r = await select(platform, round_id, demand_id)
            assert r.status_code == 201, r.text
            assert r.json()["score"] == "88.50"
        shown = await state_of(platform, first)
        assert (shown["state"], shown["round_id"], shown["batch"]) == (
            "selected",
            round_id,
            "第一批",
        )
        r = await close(platform, round_id)
        assert r.status_code == 200, r.text
        assert (r.json()["state"], r.json()["selected"], r.json()["not_selected"]) == (
            "closed",
            2,
            1,
        )
        assert r.json()["closed_at"] is not None
        assert (await state_of(platform, rest))["state"] == "not_selected"

        [opened] = await outbox(platform, "round.opened")
        [closed] = await outbox(platform, "round.closed")
        assert opened["data"]["quota"] == 2 and opened["province"] == "42"
        assert (closed["data"]["selected"], closed["data"]["not_selected"]) == (2, 1)
        assert closed["data"]["state"] == "closed"
        selected = await outbox(platform, "demand.selected")
        assert {e["subject"] for e in selected} == {first, second}
        assert all(e["data"]["round_id"] == round_id for e in selected)
        assert all(e["data"]["batch"] == "第一批" for e in selected)
        [not_selected] = await outbox(platform, "demand.not_selected")
        assert not_selected["subject"] == rest and not_selected["data"]["round_id"] == round_id

    async def test_more_selections_than_the_quota_do_not_close(self, platform: Platform) -> None:
        first, second, rest = [await pooled(platform) for _ in range(3)]
        round_id = await a_round(platform, quota=1)
        for demand_id in (first, second):  # the unit deliberates past its quota
            assert (await select(platform, round_id, demand_id)).status_code == 201
        r = await close(platform, round_id)
        assert (r.status_code, code(r)) == (409, "QUOTA_EXCEEDED")
        assert "超过名额 1 项" in r.json()["detail"]
        assert (await state_of(platform, rest))["state"] == "pooled"  # nothing changed
        assert await outbox(platform, "round.closed") == []

        r = await platform["innovation"].delete(
            f"{API}/rounds/{round_id}/selections/{second}", headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 204, r.text
        back = await state_of(platform, second)
        assert (back["state"], back["round_id"], back["batch"]) == ("pooled", None, None)
        r = await close(platform, round_id)
        assert r.status_code == 200, r.text
        assert (r.json()["selected"], r.json()["not_selected"]) == (1, 2)

    async def test_one_open_round_per_unit_and_batch(self, platform: Platform) -> None:
        round_id = await a_round(platform)
        r = await open_round(platform)
        assert (r.status_code, code(r)) == (409, "ROUND_EXISTS")
        assert (await open_round(platform, batch="第二批")).status_code == 201
        assert (await close(platform, round_id)).status_code == 200
        assert (await open_round(platform)).status_code == 201  # once the first is closed

    async def test_a_closed_round_takes_nothing_more(self, platform: Platform) -> None:
        demand_id = await pooled(platform)
        round_id = await a_round(platform)
        assert (await close(platform, round_id)).status_code == 200
        r = await select(platform, round_id, demand_id)
        assert (r.status_code, code(r)) == (409, "ROUND_CLOSED")
        r = await close(platform, round_id)
        assert (r.status_code, code(r)) == (409, "ROUND_CLOSED")
        # It was pooled when the round closed: not selected.
        assert (await state_of(platform, demand_id))["state"] == "not_selected"


class TestSelectionRules:
    async def test_only_pooled_demands_of_the_rounds_unit_and_tiers(
        self, platform: Platform
    ) -> None:
        uscc = await holder(platform)
        unpooled = await submitted(platform, uscc)
        hunan = await pooled(platform, region="430102")
        specialised = await pooled(platform, "specialized_sme")
        round_id = await a_round(platform, eligible_tiers=["little_giant"])

        r = await select(platform, round_id, unpooled)
        assert (r.status_code, code(r)) == (409, "DEMAND_STATE")
        assert "已提交" in r.json()["detail"]
        r = await select(platform, round_id, hunan)
        assert (r.status_code, code(r)) == (422, "DEMAND_OF_ANOTHER_UNIT")
        r = await select(platform, round_id, specialised)
        assert (r.status_code, code(r)) == (422, "TIER_NOT_ADMITTED")
        assert "专精特新中小企业" in r.json()["detail"]
        r = await open_round(platform, batch="第二批", eligible_tiers=["innovative_sme"])
        assert (r.status_code, code(r)) == (422, "TIER_NOT_ADMISSIBLE")
        r = await open_round(platform, batch="第二批", quota=0)
        assert r.status_code == 422
        assert await outbox(platform, "demand.selected") == []

    async def test_a_round_takes_the_units_tiers_by_default(self, platform: Platform) -> None:
        r = await open_round(platform)
        assert r.json()["eligible_tiers"] == [
            "specialized_sme",
            "little_giant",
            "key_little_giant",
        ]

    async def test_a_demand_is_selected_once_when_two_race(self, platform: Platform) -> None:
        demand_id = await pooled(platform)
        round_id = await a_round(platform)
        results = await asyncio.gather(*(select(platform, round_id, demand_id) for _ in range(2)))
        assert sorted(r.status_code for r in results) == [201, 409]
        r = await platform["innovation"].get(
            f"{API}/rounds/{round_id}", headers=platform.auth(*HUBEI)
        )
        assert r.json()["selected"] == 1

    async def test_unselecting_what_the_round_did_not_select(self, platform: Platform) -> None:
        demand_id = await pooled(platform)
        round_id = await a_round(platform)
        r = await platform["innovation"].delete(
            f"{API}/rounds/{round_id}/selections/{demand_id}", headers=platform.auth(*HUBEI)
        )
        assert (r.status_code, code(r)) == (404, "SELECTION_NOT_FOUND")


class TestScope:
    async def test_the_units_government_reads_its_keepers_act(self, platform: Platform) -> None:
        demand_id = await pooled(platform)
        round_id = await a_round(platform)
        path = f"{API}/rounds/{round_id}"
        city = platform.auth("city", "420100")
        assert (await platform["innovation"].get(path, headers=city)).status_code == 200
        r = await select(platform, round_id, demand_id, ("city", "420100"))
        assert r.status_code == 403
        assert (await close(platform, round_id, ("city", "420100"))).status_code == 403
        ministry = platform.auth("ministry")
        assert (await platform["innovation"].get(path, headers=ministry)).status_code == 200
        for outsider in (
            platform.auth("province", "430000"),
            platform.auth("institution", "110000", org="0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802"),
        ):
            assert (await platform["innovation"].get(path, headers=outsider)).status_code == 404
            listed = await platform["innovation"].get(f"{API}/rounds", headers=outsider)
            assert listed.json() == []
        r = await select(platform, round_id, demand_id, ("province", "430000"))
        assert r.status_code == 404
        r = await open_round(platform, ("province", "430000"))
        assert r.status_code == 403
