"""A 计划单列市 is a filing unit of its own (DESIGN.md §5): 宁波's enterprises are 宁波's, not
浙江's, and 宁波 keeps its own 附件6 contacts as a province does."""

from __future__ import annotations

import io

import pytest
from kit.testing import Platform
from openpyxl import load_workbook

from tests.registry.test_contacts import CONTACTS, contact, create
from tests.registry.test_recognitions import ENTERPRISES, registered

pytestmark = pytest.mark.services("registry")


async def listed(platform: Platform, role: str, at: str, **params: str) -> set[str]:
    r = await platform["registry"].get(ENTERPRISES, params=params, headers=platform.auth(role, at))
    assert r.status_code == 200, r.text
    return {e["uscc"] for e in r.json()["items"]}


async def test_each_enterprise_belongs_to_one_unit(platform: Platform) -> None:
    ningbo = await registered(platform, "330203")
    hangzhou = await registered(platform, "330102")
    r = await platform["registry"].get(f"{ENTERPRISES}/{ningbo}", headers=platform.auth("ministry"))
    assert r.json()["province"] == "3302"
    assert await listed(platform, "province", "330000") == {hangzhou}
    assert await listed(platform, "province", "330200") == {ningbo}
    assert await listed(platform, "ministry", "100000", region="330000") == {hangzhou}
    assert await listed(platform, "ministry", "100000", region="330200") == {ningbo}
    # A filter narrows the caller's scope; it never moves a province into its 计划单列市.
    assert await listed(platform, "province", "330000", region="330200") == set()
    r = await platform["registry"].get(
        f"{ENTERPRISES}/{ningbo}", headers=platform.auth("province", "330000")
    )
    assert r.status_code == 404


async def test_a_plan_city_keeps_its_contacts(platform: Platform) -> None:
    body = contact(province="3302", organisation="宁波市经济和信息化局")
    r = await create(platform, body, region="330200")
    assert r.status_code == 201, r.text
    r = await create(platform, contact(province="3302"), region="330000")
    assert r.status_code == 403 and r.json()["code"] == "REGION_OUT_OF_SCOPE"
    r = await platform["registry"].get(CONTACTS, headers=platform.auth("province", "330000"))
    assert r.json()["items"] == []
    r = await platform["registry"].get(
        f"{CONTACTS}/export.xlsx",
        params={"province": "3302"},
        headers=platform.auth("province", "330200"),
    )
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    assert any("宁波市经济和信息化局" in str(c.value) for line in sheet.iter_rows() for c in line)
