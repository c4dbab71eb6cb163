"""重点“小巨人” eligibility: each rule of seed 004, data-driven and versioned, per unit."""

from __future__ import annotations

from typing import Any

import pytest
from kit.testing import Platform

from tests.factories import enterprise, recognition

ENTERPRISES = "/api/v1/registry/enterprises"
RULE_SETS = "/api/v1/registry/rule-sets"
AS_OF = "2026-03-31"
FIGURES = {
    "revenue": "10000",
    "main_business_revenue": "8000",
    "rd_expense": "500",
    "invention_patents": 2,
    "quality_certifications": 1,
}


async def candidate(
    platform: Platform, region: str = "510104", share: str = "8000", **overrides: Any
) -> str:
    body = enterprise(region, **{"key_fields": ["four_basics"], **overrides})
    auth = platform.auth("ministry")
    r = await platform["registry"].post(ENTERPRISES, json=body, headers=auth)
    assert r.status_code == 201, r.text
    uscc = body["uscc"]
    await platform["registry"].post(
        f"{ENTERPRISES}/{uscc}/recognitions",
        json=recognition(valid_from="2024-07-01"),
        headers=auth,
    )
    for year in (2024, 2025):
        await indicators(platform, uscc, year, main_business_revenue=share)
    return str(uscc)


async def indicators(platform: Platform, uscc: str, year: int, **figures: Any) -> None:
    r = await platform["registry"].put(
        f"{ENTERPRISES}/{uscc}/indicators/{year}",
        json={**FIGURES, **figures},
        headers=platform.auth("ministry"),
    )
    assert r.status_code == 200, r.text


async def eligibility(platform: Platform, uscc: str, as_of: str = AS_OF) -> Any:
    return await platform["registry"].get(
        f"{ENTERPRISES}/{uscc}/eligibility/key-little-giant",
        params={"as_of": as_of},
        headers=platform.auth("ministry"),
    )


async def evaluate(platform: Platform, uscc: str, as_of: str = AS_OF) -> dict[str, Any]:
    r = await eligibility(platform, uscc, as_of)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def rule(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in body["rules"] if r["code"] == code)


async def add_set(
    platform: Platform,
    jurisdiction: str = "510000",
    version: str = "t1",
    threshold: float = 0.70,
    *,
    effective_from: str = "2026-04-01",
    rules: list[dict[str, Any]] | None = None,
    by: tuple[str, str] = ("ministry", "100000"),
) -> Any:
    """A new version through the API: Sichuan's rules with the main-business threshold given
    (or ``rules``)."""
    if rules is None:
        sets = await platform["registry"].get(RULE_SETS, headers=platform.auth("ministry"))
        [sichuan] = [s for s in sets.json() if s["version"] == "2021-sc-2.1"]
        rules = sichuan["rules"]
        for r in rules:
            if r["code"] == "main_business_share":
                r["params"]["threshold"] = threshold
    body = {
        "code": "key_little_giant",
        "version": version,
        "jurisdiction": jurisdiction,
        "effective_from": effective_from,
        "title": "测试规则集",
        "source": "测试",
        "rules": rules,
    }
    return await platform["registry"].post(RULE_SETS, json=body, headers=platform.auth(*by))


class TestKeyLittleGiant:
    async def test_qualifying_enterprise(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform))
        assert body["eligible"] is True
        assert body["rule_set"]["jurisdiction"] == "510000"
        assert body["rule_set"]["version"] == "2021-sc-2.1"
        assert rule(body, "main_business_share")["reason"] == "主营业务收入占比 80.0% ≥ 70.0%"

    async def test_low_main_business_share_fails_that_rule(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform, share="6000"))
        assert body["eligible"] is False
        assert rule(body, "main_business_share")["passed"] is False
        assert rule(body, "rd_intensity")["passed"] is True

    @pytest.mark.parametrize(
        ("board", "passes"),
        [
            ("sse_star", False),
            ("szse_sme", False),
            ("overseas", False),
            ("bse", True),
            ("neeq", True),
        ],
    )
    async def test_only_the_boards_004_names_exclude(
        self, platform: Platform, board: str, passes: bool
    ) -> None:
        body = await evaluate(platform, await candidate(platform, listing_board=board))
        assert rule(body, "not_listed")["passed"] is passes
        assert body["eligible"] is passes

    async def test_a_listing_without_its_board_cannot_be_judged(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform, listed=True))
        assert rule(body, "not_listed")["passed"] is False
        assert "未填报上市板块" in rule(body, "not_listed")["reason"]

    async def test_a_first_batch_key_little_giant_is_excluded(self, platform: Platform) -> None:
        first, second = await candidate(platform), await candidate(platform)
        for uscc, batch in ((first, "第一批"), (second, "第二批")):
            r = await platform["registry"].post(
                f"{ENTERPRISES}/{uscc}/recognitions",
                json=recognition("key_little_giant", "2022-01-01", batch=batch),
                headers=platform.auth("ministry"),
            )
            assert r.status_code == 201, r.text
        excluded = await evaluate(platform, first)
        assert rule(excluded, "not_first_batch_key")["passed"] is False
        assert excluded["eligible"] is False
        assert rule(await evaluate(platform, second), "not_first_batch_key")["passed"] is True

    async def test_rd_intensity_is_counted_year_by_year(self, platform: Platform) -> None:
        uscc = await candidate(platform)
        # 3% then 5%: pooled 4% would pass, 逐年计算 does not.
        await indicators(platform, uscc, 2024, rd_expense="300")
        body = await evaluate(platform, uscc)
        rd = rule(body, "rd_intensity")
        assert rd["passed"] is False
        assert "2024 年 3.0% < 4.0%" in rd["reason"] and "2025 年 5.0% ≥ 4.0%" in rd["reason"]
        assert body["eligible"] is False

    @pytest.mark.parametrize("field", ["long_board", "core_technology"])
    async def test_long_board_and_core_technology_are_key_fields(
        self, platform: Platform, field: str
    ) -> None:
        body = await evaluate(platform, await candidate(platform, key_fields=[field]))
        assert rule(body, "industry_orientation")["passed"] is True

    async def test_reasons_read_chinese_labels_not_values(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform))
        reasons = " ".join(r["reason"] for r in body["rules"])
        assert "产业导向：《工业“四基”发展目录》重点领域" in reasons
        assert "four_basics" not in reasons and "little_giant" not in reasons

    async def test_as_of_is_an_iso_day(self, platform: Platform) -> None:
        uscc = await candidate(platform)
        for as_of in ("0", "1700000000"):
            r = await eligibility(platform, uscc, as_of)
            assert r.status_code == 422, as_of
            assert r.json()["errors"][0]["field"] == "as_of"

    async def test_missing_year_is_named(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform), as_of="2027-06-01")
        assert rule(body, "main_business_share")["reason"].startswith("缺少 2026 年度指标")
        assert rule(body, "is_little_giant")["passed"] is True

    async def test_growth_is_reported_but_not_required(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform))
        growth = rule(body, "growth_or_ipo")
        assert (growth["required"], growth["passed"]) == (False, False)
        assert body["eligible"] is True
        assert "不作为第二批申报条件" in growth["source"]

    async def test_foreign_province_gets_404(self, platform: Platform) -> None:
        uscc = await candidate(platform)
        r = await platform["registry"].get(
            f"{ENTERPRISES}/{uscc}/eligibility/key-little-giant",
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 404


class TestUnitsRules:
    async def test_a_unit_without_rules_is_told_so(self, platform: Platform) -> None:
        r = await eligibility(platform, await candidate(platform, region="420102"))
        assert r.status_code == 404
        assert r.json()["code"] == "RULE_SET_MISSING"
        assert r.json()["detail"].startswith("湖北省尚无")

    async def test_a_plan_listed_city_has_rules_of_its_own(self, platform: Platform) -> None:
        uscc = await candidate(platform, region="370212")  # 青岛市崂山区, not 山东省's
        r = await add_set(platform, "370000", effective_from="2021-01-01")
        assert r.status_code == 201, r.text
        r = await eligibility(platform, uscc)
        assert r.status_code == 404 and r.json()["detail"].startswith("青岛市尚无")
        r = await add_set(
            platform, "370200", effective_from="2021-01-01", by=("province", "370200")
        )
        assert r.status_code == 201, r.text
        assert (await evaluate(platform, uscc))["rule_set"]["jurisdiction"] == "370200"

    async def test_a_national_set_applies_where_a_unit_has_none(self, platform: Platform) -> None:
        hubei, sichuan = await candidate(platform, region="420102"), await candidate(platform)
        r = await add_set(platform, "100000", effective_from="2021-01-01")
        assert r.status_code == 201, r.text
        assert (await evaluate(platform, hubei))["rule_set"]["jurisdiction"] == "100000"
        assert (await evaluate(platform, sichuan))["rule_set"]["jurisdiction"] == "510000"

    async def test_a_new_version_applies_from_its_effective_date(self, platform: Platform) -> None:
        uscc = await candidate(platform)  # 80% main business share
        r = await add_set(platform, version="2026", threshold=0.90)
        assert r.status_code == 201, r.text
        assert (await evaluate(platform, uscc, "2026-03-31"))["eligible"] is True
        later = await evaluate(platform, uscc, "2026-04-02")
        assert later["rule_set"]["version"] == "2026"
        assert later["eligible"] is False


class TestRuleSetVersions:
    @pytest.mark.parametrize(
        ("by", "code"),
        [
            (("city", "420100"), "FORBIDDEN"),
            (("province_system", "420000"), "FORBIDDEN"),
            (("province", "510000"), "REGION_OUT_OF_SCOPE"),
        ],
    )
    async def test_only_the_ministry_or_the_units_own(
        self, platform: Platform, by: tuple[str, str], code: str
    ) -> None:
        r = await add_set(platform, "420000", by=by)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == code

    async def test_a_unit_adds_its_own(self, platform: Platform) -> None:
        r = await add_set(platform, "420000", by=("province", "420000"))
        assert r.status_code == 201, r.text
        assert r.json()["jurisdiction"] == "420000"

    async def test_the_same_day_twice_is_a_conflict(self, platform: Platform) -> None:
        assert (await add_set(platform, version="a")).status_code == 201
        r = await add_set(platform, version="b")
        assert r.status_code == 409 and r.json()["code"] == "RULE_SET_EXISTS"

    @pytest.mark.parametrize(
        ("broken", "code"),
        [
            ({"kind": "astrology"}, "VALUE_NOT_ALLOWED"),
            ({"kind": "ratio_at_least", "params": {"numerator": "revenue"}}, "RULE_PARAMS_INVALID"),
            (
                {
                    "kind": "count_at_least",
                    "params": {"field": "salary", "at_least": 1, "label_zh": "x", "label_en": "x"},
                },
                "RULE_PARAMS_INVALID",
            ),
            (
                {"kind": "not_listed", "params": {"excluded_boards": ["nasdaq"]}},
                "RULE_PARAMS_INVALID",
            ),
        ],
    )
    async def test_a_rule_that_cannot_be_evaluated_is_refused(
        self, platform: Platform, broken: dict[str, Any], code: str
    ) -> None:
        rule_ = {
            "code": "r1",
            "kind": "holds_tier",
            "required": True,
            "title": "t",
            "params": {"tier": "little_giant"},
            "source": "s",
            **broken,
        }
        r = await add_set(platform, rules=[rule_])
        assert r.status_code == 422, r.text
        assert code in {e["code"] for e in r.json()["errors"]}
        sets = await platform["registry"].get(RULE_SETS, headers=platform.auth("ministry"))
        assert [s["version"] for s in sets.json()] == ["2021-sc-2.1"]
