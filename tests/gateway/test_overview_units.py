"""The overview by filing unit (DESIGN.md §5): the ministry reads the 37 units — 宁波 (3302)
beside 浙江 (33), whose row leaves it out — and national totals that are their sum; 宁波 reads
its own row and city, 浙江 its own without 宁波's."""

from __future__ import annotations

from typing import Any

import pytest
from kit.codes import UNITS
from kit.testing import Platform, eventually

from tests.gateway.test_overview import overview
from tests.gateway.test_overview_regions import counted, little_giant, seen_by
from tests.gateway.test_overview_training import a_class, an_enrollment, move, schedule

pytestmark = pytest.mark.services("registry", "training", "gateway")

NINGBO, HANGZHOU = "330200", "330100"


def row(body: dict[str, Any], unit: str) -> dict[str, Any]:
    return next(p for p in body["provinces"] if p["province"] == unit)


async def test_a_plan_city_is_a_row_of_its_own(platform: Platform) -> None:
    ningbo = await little_giant(platform, "330203")
    await little_giant(platform, "330102")
    await counted(platform, 2, 2)
    cls = a_class("3302")
    await schedule(platform, cls)
    await move(platform, an_enrollment(cls, "3302", ningbo), "completed", 5)

    async def trained() -> bool:
        body = await seen_by(platform, "province", NINGBO)
        return bool(body["totals"]["training"]["enterprises_trained"])

    await eventually(trained, message="宁波's trainee counted")
    national = await overview(platform)
    assert [p["province"] for p in national["provinces"]] == list(UNITS)
    assert (row(national, "3302")["name"], row(national, "3302")["enterprises"]) == ("宁波市", 1)
    assert row(national, "33")["enterprises"] == 1  # 杭州's only
    assert national["totals"]["enterprises"] == sum(p["enterprises"] for p in national["provinces"])
    assert row(national, "3302")["training"]["coverage"] == "1.0000"
    assert row(national, "33")["training"]["enterprises_trained"] == 0

    own = await seen_by(platform, "province", NINGBO)
    assert [(p["province"], p["name"]) for p in own["provinces"]] == [("3302", "宁波市")]
    assert [(c["province"], c["city"]) for c in own["cities"]] == [("3302", NINGBO)]
    assert own["totals"]["tiers"]["little_giant"] == 1
    province = await seen_by(platform, "province", "330000")
    assert [p["province"] for p in province["provinces"]] == ["33"]
    assert [c["city"] for c in province["cities"]] == [HANGZHOU]
    assert province["totals"]["enterprises"] == 1
    assert province["totals"]["training"]["trainees"] == 0
