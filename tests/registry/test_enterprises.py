"""Enterprises: registration, reads, updates, region scoping, validation."""

from __future__ import annotations

import pytest
from kit.testing import Platform

from tests.factories import enterprise, make_uscc

PATH = "/api/v1/registry/enterprises"


class TestRegister:
    async def test_province_registers_enterprise_in_its_region(self, platform: Platform) -> None:
        body = enterprise("420102")
        r = await platform["registry"].post(
            PATH, json=body, headers=platform.auth("province", "420000")
        )
        assert r.status_code == 201, r.text
        assert r.json()["province"] == "42"
        assert r.json()["version"] == 1
        got = await platform["registry"].get(
            f"{PATH}/{body['uscc']}", headers=platform.auth("ministry")
        )
        assert got.status_code == 200
        assert got.json()["name"] == body["name"]

    async def test_invalid_uscc_is_rejected_in_chinese(self, platform: Platform) -> None:
        valid = make_uscc()
        wrong_check = "1" if valid.endswith("0") else "0"  # the same code, its check corrupted
        body = enterprise(uscc=valid[:17] + wrong_check)
        r = await platform["registry"].post(PATH, json=body, headers=platform.auth("ministry"))
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "VALIDATION_FAILED"
        assert problem["errors"][0]["field"] == "uscc"
        assert problem["errors"][0]["code"] == "USCC_INVALID"


class TestUpdateValidation:
    """PATCH validates as POST does, and null never stands for a required value."""

    async def registered(self, platform: Platform) -> dict[str, str]:
        body = enterprise(registered_on="2015-06-18", titles=["single_champion"])
        r = await platform["registry"].post(PATH, json=body, headers=platform.auth("ministry"))
        assert r.status_code == 201, r.text
        stored: dict[str, str] = r.json()
        return stored

    @pytest.mark.parametrize(
        "field", ["name", "listed", "region_code", "industry_code", "titles", "key_fields"]
    )
    async def test_null_for_a_required_field_is_refused_and_changes_nothing(
        self, platform: Platform, field: str
    ) -> None:
        before = await self.registered(platform)
        url = f"{PATH}/{before['uscc']}"
        r = await platform["registry"].patch(
            url, json={field: None, "main_product": "改过"}, headers=platform.auth("ministry")
        )
        assert r.status_code == 422, r.text
        (error,) = r.json()["errors"]
        assert (error["field"], error["code"]) == (field, "NULL_NOT_ALLOWED")
        assert "不能为 null" in error["message"]
        after = (await platform["registry"].get(url, headers=platform.auth("ministry"))).json()
        assert after == before

    async def test_null_clears_an_optional_field(self, platform: Platform) -> None:
        before = await self.registered(platform)
        r = await platform["registry"].patch(
            f"{PATH}/{before['uscc']}",
            json={"registered_on": None},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 200, r.text
        assert r.json()["registered_on"] is None

    async def test_a_future_registration_is_refused_as_on_create(self, platform: Platform) -> None:
        before = await self.registered(platform)
        r = await platform["registry"].patch(
            f"{PATH}/{before['uscc']}",
            json={"registered_on": "2999-01-01"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "DATE_IN_FUTURE"

    async def test_the_document_marks_no_field_required(self, platform: Platform) -> None:
        doc = (await platform["registry"].get("/openapi.json")).json()
        update = doc["components"]["schemas"]["EnterpriseUpdate"]
        assert "required" not in update
        assert update["properties"]["name"] == {
            "maxLength": 200,
            "minLength": 1,
            "title": "Name",
            "type": "string",
        }


class TestSeedFormFields:
    """004 附件1/2/7's fields, and the ones that hang together."""

    async def test_the_board_decides_whether_listed(self, platform: Platform) -> None:
        auth = platform.auth("ministry")
        for board, listed in (("bse", True), ("neeq", False)):
            body = enterprise(listing_board=board)
            r = await platform["registry"].post(PATH, json=body, headers=auth)
            assert r.status_code == 201, r.text
            assert (r.json()["listing_board"], r.json()["listed"]) == (board, listed)

    async def test_a_contradicting_listed_is_refused(self, platform: Platform) -> None:
        auth = platform.auth("ministry")
        body = enterprise(listing_board="sse_main", listed=False)
        r = await platform["registry"].post(PATH, json=body, headers=auth)
        assert r.status_code == 422 and r.json()["code"] == "ENTERPRISE_LISTING_CONFLICT"
        body = enterprise(listing_board="neeq")
        assert (await platform["registry"].post(PATH, json=body, headers=auth)).status_code == 201
        url = f"{PATH}/{body['uscc']}"
        r = await platform["registry"].patch(url, json={"listed": True}, headers=auth)
        assert r.status_code == 422 and r.json()["code"] == "ENTERPRISE_LISTING_CONFLICT"
        r = await platform["registry"].patch(
            url, json={"listing_board": "szse_chinext"}, headers=auth
        )
        assert r.status_code == 200, r.text
        assert r.json()["listed"] is True

    async def test_a_four_basics_kind_needs_four_basics(self, platform: Platform) -> None:
        auth = platform.auth("ministry")
        body = enterprise(four_basics_kind="materials", key_fields=["ten_sectors"])
        r = await platform["registry"].post(PATH, json=body, headers=auth)
        assert r.status_code == 422 and r.json()["code"] == "ENTERPRISE_FOUR_BASICS_KIND"
        body = enterprise(four_basics_kind="materials", key_fields=["four_basics"])
        r = await platform["registry"].post(PATH, json=body, headers=auth)
        assert r.status_code == 201, r.text
        url = f"{PATH}/{body['uscc']}"
        r = await platform["registry"].patch(url, json={"key_fields": ["long_board"]}, headers=auth)
        assert r.status_code == 422 and r.json()["code"] == "ENTERPRISE_FOUR_BASICS_KIND"

    async def test_capital_and_product_category(self, platform: Platform) -> None:
        auth = platform.auth("ministry")
        body = enterprise(registered_capital="5000.50", main_product_category="3401010100")
        r = await platform["registry"].post(PATH, json=body, headers=auth)
        assert r.status_code == 201, r.text
        assert (r.json()["registered_capital"], r.json()["main_product_category"]) == (
            "5000.50",
            "3401010100",
        )
        for bad in ({"main_product_category": "34A1"}, {"registered_capital": "-1"}):
            r = await platform["registry"].post(PATH, json=enterprise(**bad), headers=auth)
            assert r.status_code == 422, bad
            assert r.json()["errors"][0]["field"] in bad

    async def test_the_indicators_of_004s_forms(self, platform: Platform) -> None:
        auth = platform.auth("ministry")
        body = enterprise()
        assert (await platform["registry"].post(PATH, json=body, headers=auth)).status_code == 201
        url = f"{PATH}/{body['uscc']}/indicators/2025"
        figures = {
            "rd_institutions": 3,
            "rd_institutions_national": 1,
            "rd_institutions_provincial": 2,
            "standards_led_national": 1,
            "standards_led_industry": 2,
            "standards_joined_national": 3,
            "standards_joined_industry": 4,
            "foreign_certifications": 2,
            "main_product_export_share": "35.50",
        }
        r = await platform["registry"].put(url, json=figures, headers=auth)
        assert r.status_code == 200, r.text
        assert {k: r.json()[k] for k in figures} == figures
        r = await platform["registry"].put(
            url, json={**figures, "rd_institutions_provincial": 3}, headers=auth
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "RD_INSTITUTION_LEVELS_EXCEED_TOTAL"
        r = await platform["registry"].put(
            url, json={**figures, "main_product_export_share": "100.01"}, headers=auth
        )
        assert r.status_code == 422
