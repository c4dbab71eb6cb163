"""Bulk sync for provincial systems (issue 12 item 5): institutions by USCC and 附件6 contacts
by the system's own id, ≤ 1,000 items a call, a result per item; a bad item fails alone and a
replay changes and publishes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from kit.testing import Platform

from tests.registry.test_contacts import contact
from tests.registry.test_institutions import API, institution

pytestmark = pytest.mark.services("registry")

HUBEI_SYSTEM = ("province_system", "420000")
NINGBO_SYSTEM = ("province_system", "330200")


async def sync(
    platform: Platform, what: str, items: list[dict[str, Any]], who: tuple[str, str], **headers: str
) -> httpx.Response:
    return await platform["registry"].post(
        f"{API}/{what}:batch-upsert",
        json={"items": items},
        headers=platform.auth(*who, **headers),
    )


def results(r: httpx.Response) -> list[tuple[str, list[str]]]:
    assert r.status_code == 200, r.text
    return [(i["result"], [e["code"] for e in i["errors"]]) for i in r.json()["items"]]


async def published(platform: Platform, aggregate: str) -> int:
    pool = platform.apps["registry"].state.ctx.db.pool
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM registry.outbox WHERE subject LIKE $1",
            f"zjtx.registry.{aggregate}.%",
        )
    )


async def test_institutions_by_uscc(platform: Platform) -> None:
    a, b = institution(name="甲机构"), institution(name="乙机构")
    items = [a, b, institution(uscc="not-a-uscc"), {**a, "name": "甲机构（重复）"}]
    r = await sync(platform, "institutions", items, HUBEI_SYSTEM)
    assert results(r) == [
        ("created", []),
        ("created", []),
        ("failed", ["USCC_INVALID"]),
        ("failed", ["DUPLICATE_IN_BATCH"]),
    ]
    assert (r.json()["created"], r.json()["failed"]) == (2, 2)
    assert await published(platform, "institution") == 2
    again = await sync(platform, "institutions", [a, b], HUBEI_SYSTEM)
    assert results(again) == [("unchanged", []), ("unchanged", [])]
    assert [i["id"] for i in again.json()["items"]] == [i["id"] for i in r.json()["items"][:2]]
    assert await published(platform, "institution") == 2  # a replay publishes nothing
    moved = {**b, "region_code": "420502"}
    elsewhere = institution(region_code="330102")  # 浙江's, not Hubei's system's
    r = await sync(
        platform, "institutions", [{**a, "staff_count": 30}, moved, elsewhere], HUBEI_SYSTEM
    )
    assert results(r) == [
        ("updated", []),
        ("failed", ["INSTITUTION_REGION_FIXED"]),
        ("failed", ["REGION_OUT_OF_SCOPE"]),
    ]
    assert await published(platform, "institution") == 3
    r = await sync(platform, "institutions", [a] * 1001, HUBEI_SYSTEM)
    assert r.status_code == 422


async def test_contacts_by_the_systems_own_id(platform: Platform) -> None:
    ningbo = "宁波市经济和信息化局"
    one = {**contact(province="3302", organisation=ningbo), "external_id": "nb-1"}
    two = {
        **contact(province="3302", task="innovation", mobile="13900001111"),
        "external_id": "nb-2",
    }
    r = await sync(platform, "contacts", [one, two], NINGBO_SYSTEM)
    assert results(r) == [("created", []), ("created", [])]
    assert results(await sync(platform, "contacts", [one, two], NINGBO_SYSTEM)) == [
        ("unchanged", []),
        ("unchanged", []),
    ]
    assert await published(platform, "contact") == 2
    zhejiang = {**contact(province="33"), "external_id": "zj-1"}
    r = await sync(
        platform,
        "contacts",
        [{**one, "mobile": "13700002222"}, {**two, "task": "training"}, zhejiang],
        NINGBO_SYSTEM,
    )
    assert results(r) == [
        ("updated", []),
        ("failed", ["CONTACT_TASK_FIXED"]),
        ("failed", ["REGION_OUT_OF_SCOPE"]),
    ]
    r = await platform["registry"].get(
        f"{API}/contacts/{r.json()['items'][0]['id']}",
        headers=platform.auth(*NINGBO_SYSTEM, scopes=("pii:read",)),
    )
    assert r.json()["mobile"] == "13700002222"
    english = {"Accept-Language": "en"}
    r = await sync(platform, "contacts", [{**two, "task": "training"}], NINGBO_SYSTEM, **english)
    [item] = r.json()["items"]
    assert item["errors"][0]["message"].startswith("Contact nb-2 is the")
