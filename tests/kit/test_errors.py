"""Bad input of every kind is a 4xx problem that says what is wrong, in both languages."""

from __future__ import annotations

import json

import pytest
from kit.testing import Platform

from tests.factories import enterprise

ENTERPRISES = "/api/v1/registry/enterprises"
EN = {"Accept-Language": "en"}


async def count(platform: Platform, table: str) -> int:
    pool = platform.apps["registry"].state.ctx.db.pool
    return int(await pool.fetchval(f"SELECT count(*) FROM registry.{table}"))


def only_error(body: dict[str, object]) -> dict[str, str]:
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) == 1, errors
    error: dict[str, str] = errors[0]
    return error


class TestControlCharacters:
    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("测试\x00公司", "TEXT_CONTROL_CHARACTER"),
            ("测试\x07公司", "TEXT_CONTROL_CHARACTER"),
            ("测试\ud800公司", "STRING_UNICODE"),  # JSON's "\ud800": no character at all
        ],
    )
    async def test_in_a_text_field_is_a_field_error_and_stores_nothing(
        self, platform: Platform, text: str, code: str
    ) -> None:
        r = await platform["registry"].post(
            ENTERPRISES,
            content=json.dumps(enterprise(main_product=text)),  # ASCII: "\u0000" escapes
            headers={**platform.auth("ministry"), "Content-Type": "application/json"},
        )
        assert r.status_code == 422, r.text
        error = only_error(r.json())
        assert (error["field"], error["code"]) == ("main_product", code)
        assert await count(platform, "enterprises") == 0

    async def test_the_message_names_the_character(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            ENTERPRISES,
            json=enterprise(name="测试\x00公司"),
            headers=platform.auth("ministry"),
        )
        assert only_error(r.json())["message"] == "文本不能包含控制字符（第 3 个字符为 U+0000）"

    async def test_in_a_query_parameter(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            ENTERPRISES, params={"q": "测试\x00"}, headers=platform.auth("ministry")
        )
        assert r.status_code == 422
        assert only_error(r.json())["field"] == "q"

    async def test_in_a_path_parameter(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            f"{ENTERPRISES}/91420100MA4K3C2P0%00", headers=platform.auth("ministry")
        )
        assert r.status_code == 422
        assert only_error(r.json())["field"] == "uscc"


class TestCursor:
    @pytest.mark.parametrize("cursor", ["WzFd", "W10", "WyJhIiwxXQ", "bnVsbA"])  # [1] [] …
    async def test_a_forged_cursor_is_400(self, platform: Platform, cursor: str) -> None:
        r = await platform["registry"].get(
            ENTERPRISES, params={"cursor": cursor}, headers=platform.auth("ministry")
        )
        assert r.status_code == 400, r.text
        assert r.json()["code"] == "CURSOR_INVALID"


class TestDates:
    @pytest.mark.parametrize("as_of", ["0", "1700000000", "2026-3-1", "9999-01-01"])
    async def test_a_query_date_is_an_iso_day(self, platform: Platform, as_of: str) -> None:
        r = await platform["registry"].get(
            ENTERPRISES, params={"valid_on": as_of}, headers=platform.auth("ministry")
        )
        assert r.status_code == 422, r.text
        assert only_error(r.json())["field"] == "valid_on"

    async def test_a_body_date_is_not_a_number(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            ENTERPRISES, json=enterprise(registered_on=0), headers=platform.auth("ministry")
        )
        assert r.status_code == 422
        error = only_error(r.json())
        assert (error["field"], error["code"]) == ("registered_on", "DATE_PARSING")
        assert error["message"] == "日期格式应为 YYYY-MM-DD"


class TestMessages:
    async def test_a_future_registration_says_which_day_in_both_languages(
        self, platform: Platform
    ) -> None:
        body = enterprise(registered_on="2999-01-01")
        zh, en = [
            only_error(
                (
                    await platform["registry"].post(
                        ENTERPRISES, json=body, headers=platform.auth("ministry", **lang)
                    )
                ).json()
            )
            for lang in ({}, EN)
        ]
        assert zh["code"] == en["code"] == "DATE_IN_FUTURE"
        assert "2999-01-01" in zh["message"] and "晚于今天" in zh["message"]
        assert "2999-01-01" in en["message"] and "future" in en["message"]

    async def test_a_region_code_given_for_a_province_says_so(self, platform: Platform) -> None:
        contact = {
            "province": "420000",
            "task": "training",
            "name": "张明",
            "mobile": "13800138000",
        }
        r = await platform["registry"].post(
            "/api/v1/registry/contacts", json=contact, headers=platform.auth("ministry")
        )
        assert r.status_code == 422
        error = only_error(r.json())
        assert error["code"] == "PROVINCE_INVALID"
        assert "6 位行政区划代码" in error["message"] and "42" in error["message"]

    async def test_limits_are_stated_in_chinese(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            ENTERPRISES, json=enterprise(name="名" * 201), headers=platform.auth("ministry")
        )
        assert only_error(r.json())["message"] == "长度超出限制（最多 200 个字符）"

    async def test_malformed_json_names_the_position(self, platform: Platform) -> None:
        for lang, words in (({}, "第 2 行第 10 列"), (EN, "line 2, column 10")):
            r = await platform["registry"].post(
                ENTERPRISES,
                content=b'{"name": "x",\n "uscc": }',
                headers={
                    **platform.auth("ministry", **lang),
                    "Content-Type": "application/json",
                },
            )
            assert r.status_code == 422
            error = only_error(r.json())
            assert (error["field"], error["code"]) == ("body", "JSON_INVALID")
            assert words in error["message"], error

    async def test_an_unreadable_body_is_explained_in_chinese(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            ENTERPRISES,
            content=b'{"name": "\xff"}',
            headers={**platform.auth("ministry"), "Content-Type": "application/json"},
        )
        assert r.status_code == 400
        assert r.json()["detail"] == "请求体无法解析"

    async def test_allowed_values_are_listed(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            ENTERPRISES, json=enterprise(scale="huge"), headers=platform.auth("ministry")
        )
        error = only_error(r.json())
        assert error["code"] == "ENUM"
        assert error["message"].startswith("取值不在允许范围内，应为：'")
        assert " or " not in error["message"] and "、" in error["message"]


class TestMethodNotAllowed:
    async def test_405_carries_allow(self, platform: Platform) -> None:
        r = await platform["registry"].delete(
            f"{ENTERPRISES}/91420100MA4K3C2P0R", headers=platform.auth("ministry")
        )
        assert r.status_code == 405
        assert r.json()["code"] == "METHOD_NOT_ALLOWED"
        assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
