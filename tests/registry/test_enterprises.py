"""Enterprises: registration, reads, updates, region scoping, validation."""

from __future__ import annotations

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
        body = enterprise(
            uscc=make_uscc()[:17] + "0" if not make_uscc().endswith("0") else make_uscc()[:17] + "1"
        )
        r = await platform["registry"].post(PATH, json=body, headers=platform.auth("ministry"))
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "VALIDATION_FAILED"
        assert problem["errors"][0]["field"] == "uscc"
        assert problem["errors"][0]["code"] == "USCC_INVALID"
