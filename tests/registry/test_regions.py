"""Each filing unit's regions: a 计划单列市's districts are its own, not its province's."""

from __future__ import annotations

from kit.codes import filing_unit
from kit.regions import UNITS, hierarchy
from kit.testing import Platform

REGIONS = "/api/v1/registry/regions"


def test_a_plan_listed_city_is_cut_out_of_its_province() -> None:
    zhejiang = hierarchy("330000")
    assert "330200" not in {c.code for c in zhejiang.places}
    counties = {k.code for c in zhejiang.places for k in c.places}
    assert "330203" not in counties and "330102" in counties
    [ningbo] = hierarchy("330200").places
    assert "330203" in {k.code for k in ningbo.places}
    assert filing_unit("330203") == "330200" and filing_unit("330102") == "330000"


def test_every_region_is_in_exactly_one_unit() -> None:
    seen: dict[str, str] = {}
    for unit in UNITS:
        for city in hierarchy(unit, former=True).places:
            for code in [city.code, *(k.code for k in city.places)]:
                assert code not in seen, (code, seen.get(code), unit)
                seen[code] = unit
    assert len(UNITS) == 37 and seen["440305"] == "440300" and seen["440106"] == "440000"


def test_abolished_codes_only_on_request() -> None:
    [beijing] = hierarchy("110000").places
    assert "110103" not in {k.code for k in beijing.places}  # [-2010]崇文区
    beijing = hierarchy("110000", former=True)
    assert {c.code: c.current for c in beijing.places} == {"110100": True, "110200": False}
    districts = {k.code: k.current for k in beijing.places[0].places}
    assert districts["110103"] is False and districts["110101"] is True


async def test_the_units_and_one_units_tree(platform: Platform) -> None:
    auth = platform.auth("city", "330200")
    r = await platform["registry"].get(REGIONS, headers=auth)
    assert r.status_code == 200, r.text
    units = {u["code"]: u["kind"] for u in r.json()["units"]}
    assert len(units) == 37 and units["330200"] == "plan_city" and units["660000"] == "corps"
    assert "GB/T 2260" in r.json()["version"]
    r = await platform["registry"].get(f"{REGIONS}/330200", headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "宁波市" and r.json()["places"][0]["code"] == "330200"
    r = await platform["registry"].get(f"{REGIONS}/330100", headers=auth)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "UNIT_UNKNOWN"


async def test_the_enums_catalogue_labels_every_form_vocabulary(platform: Platform) -> None:
    r = await platform["registry"].get("/api/v1/registry/enums", headers=platform.auth("ministry"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"value": "szse_chinext", "zh": "深交所创业板", "en": "szse chinext"} in (
        body["ListingBoard"]
    )
    assert {v["value"] for v in body["FourBasicsKind"]} >= {"components", "materials"}
