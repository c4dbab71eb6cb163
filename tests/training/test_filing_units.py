"""A 计划单列市 is a filing unit of its own (DESIGN.md §5): 宁波 (3302) keeps its plans, classes
and trainees as a province does, its enterprises count in its coverage and not in 浙江's, and
浙江 neither keeps nor sees what is 宁波's."""

from __future__ import annotations

from typing import Any

import pytest
from kit.testing import Platform

from tests.fixtures.training import (
    API,
    backfilled_class,
    enroll,
    little_giant,
    plan,
    trainee,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

NINGBO = {"role": "province", "region": "330200"}
ZHEJIANG = {"role": "province", "region": "330000"}


async def coverage_row(platform: Platform, unit: str, **auth: Any) -> dict[str, Any]:
    r = await platform["training"].get(
        f"{API}/coverage", params={"batch": "2"}, headers=platform.auth(**(auth or NINGBO))
    )
    assert r.status_code == 200, r.text
    return next(p for p in r.json()["provinces"] if p["province"] == unit)


async def test_a_plan_city_keeps_its_own_plans(platform: Platform) -> None:
    p = await plan(platform, "2026", "3302")
    assert p["province"] == "3302"
    for auth, unit in ((ZHEJIANG, "3302"), (NINGBO, "33")):
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": unit, "period": "2027-2028"},
            headers=platform.auth(**auth),
        )
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"
    r = await platform["training"].get(
        f"{API}/plans", params={"province": "3302"}, headers=platform.auth(**ZHEJIANG)
    )
    assert r.json()["items"] == []  # 浙江 does not read 宁波's plans either
    r = await platform["training"].post(
        f"{API}/plans",
        json={"province": "330200", "period": "2027-2028"},
        headers=platform.auth(**NINGBO),
    )
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["code"] == "PROVINCE_INVALID" and "（此处为 3302）" in error["message"]


async def test_its_enterprises_count_in_its_coverage_not_its_provinces(
    platform: Platform,
) -> None:
    institution = await training_institution(platform, provinces=("3302",))
    ningbo = await little_giant(platform, region="330203")
    hangzhou = await little_giant(platform, region="330102")
    cls = await backfilled_class(platform, institution, province="3302")
    trainee_id = await trainee(platform, ningbo, province="3302")
    r = await enroll(platform, cls["id"], trainee_id, province="3302")
    assert r.status_code == 201, r.text
    r = await platform["training"].post(
        f"{API}/classes/{cls['id']}:close", headers=platform.auth(**NINGBO)
    )
    assert r.status_code == 200, r.text

    own = await coverage_row(platform, "3302")
    assert (own["name"], own["little_giants"]) == ("宁波市", 1)
    assert own["batches"][0]["trained_valid"] == 1
    province = await coverage_row(platform, "33", **ZHEJIANG)
    assert province["little_giants"] == 1  # 杭州's, not 宁波's
    assert province["batches"][0]["trained_valid"] == 0
    national = await platform["training"].get(
        f"{API}/coverage", params={"batch": "2"}, headers=platform.auth("ministry")
    )
    rows = {p["province"]: p for p in national.json()["provinces"]}
    assert len(rows) == 37 and rows["3302"]["little_giants"] == rows["33"]["little_giants"] == 1
    r = await platform["training"].get(
        f"{API}/coverage", params={"province": "3302"}, headers=platform.auth(**ZHEJIANG)
    )
    assert r.status_code == 403  # a province does not read its 计划单列市's figures

    # 宁波's trainee is 宁波's: 浙江 neither sees nor lists it; 宁波 does.
    r = await platform["training"].get(
        f"{API}/trainees/{trainee_id}", headers=platform.auth(**ZHEJIANG)
    )
    assert r.status_code == 404
    r = await platform["training"].get(f"{API}/trainees", headers=platform.auth(**ZHEJIANG))
    assert [t["id"] for t in r.json()["items"]] == []
    r = await platform["training"].get(f"{API}/trainees", headers=platform.auth(**NINGBO))
    assert [t["id"] for t in r.json()["items"]] == [trainee_id]
    assert hangzhou
