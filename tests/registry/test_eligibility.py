"""重点“小巨人” eligibility: each rule of seed 004, data-driven and versioned."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from kit.testing import Platform

from tests.factories import enterprise, recognition

ENTERPRISES = "/api/v1/registry/enterprises"
AS_OF = "2026-03-31"


async def candidate(
    platform: Platform, region: str = "510104", share: str = "8000", **overrides: Any
) -> str:
    body = enterprise(region, key_fields=["four_basics"], **overrides)
    auth = platform.auth("ministry")
    assert (
        await platform["registry"].post(ENTERPRISES, json=body, headers=auth)
    ).status_code == 201
    uscc = body["uscc"]
    await platform["registry"].post(
        f"{ENTERPRISES}/{uscc}/recognitions",
        json=recognition(valid_from="2024-07-01"),
        headers=auth,
    )
    figures = {
        "revenue": "10000",
        "main_business_revenue": share,
        "rd_expense": "500",
        "invention_patents": 2,
        "quality_certifications": 1,
    }
    for year in (2024, 2025):
        r = await platform["registry"].put(
            f"{ENTERPRISES}/{uscc}/indicators/{year}", json=figures, headers=auth
        )
        assert r.status_code == 200, r.text
    return str(uscc)


async def evaluate(platform: Platform, uscc: str, as_of: str = AS_OF) -> dict[str, Any]:
    r = await platform["registry"].get(
        f"{ENTERPRISES}/{uscc}/eligibility/key-little-giant",
        params={"as_of": as_of},
        headers=platform.auth("ministry"),
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def rule(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in body["rules"] if r["code"] == code)


class TestKeyLittleGiant:
    async def test_qualifying_enterprise(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform))
        assert body["eligible"] is True
        assert body["rule_set"]["jurisdiction"] == "510000"
        assert body["jurisdiction_note"] is None
        assert rule(body, "main_business_share")["reason"] == "主营业务收入占比 80.0% ≥ 70.0%"

    async def test_low_main_business_share_fails_that_rule(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform, share="6000"))
        assert body["eligible"] is False
        assert rule(body, "main_business_share")["passed"] is False
        assert rule(body, "rd_intensity")["passed"] is True

    async def test_listed_enterprise_is_excluded(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform, listed=True))
        assert rule(body, "not_listed")["passed"] is False
        assert body["eligible"] is False

    async def test_reasons_read_chinese_labels_not_values(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform))
        reasons = " ".join(r["reason"] for r in body["rules"])
        assert "产业导向：《工业“四基”发展目录》重点领域" in reasons
        assert "four_basics" not in reasons and "little_giant" not in reasons

    async def test_as_of_is_an_iso_day(self, platform: Platform) -> None:
        uscc = await candidate(platform)
        for as_of in ("0", "1700000000"):
            r = await platform["registry"].get(
                f"{ENTERPRISES}/{uscc}/eligibility/key-little-giant",
                params={"as_of": as_of},
                headers=platform.auth("ministry"),
            )
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

    async def test_other_province_uses_sichuan_as_reference(self, platform: Platform) -> None:
        body = await evaluate(platform, await candidate(platform, region="420102"))
        assert "湖北省尚无本地规则" in body["jurisdiction_note"]

    async def test_a_new_version_applies_from_its_effective_date(self, platform: Platform) -> None:
        uscc = await candidate(platform)  # 80% main business share
        pool = platform.apps["registry"].state.ctx.db.pool
        rules = orjson.loads(
            await pool.fetchval(
                "SELECT rules::text FROM registry.rule_sets WHERE code = 'key_little_giant'"
            )
        )
        rule_of = next(r for r in rules if r["code"] == "main_business_share")
        rule_of["params"]["threshold"] = 0.90
        await pool.execute(
            "INSERT INTO registry.rule_sets (id, code, version, jurisdiction, effective_from, "
            "title, source, rules) VALUES ($1, 'key_little_giant', '2026', '510000', "
            "'2026-04-01', 't', 's', $2)",
            uuid.uuid4(),
            rules,
        )
        assert (await evaluate(platform, uscc, "2026-03-31"))["eligible"] is True
        later = await evaluate(platform, uscc, "2026-04-02")
        assert later["rule_set"]["version"] == "2026"
        assert later["eligible"] is False

    async def test_foreign_province_gets_404(self, platform: Platform) -> None:
        uscc = await candidate(platform)
        r = await platform["registry"].get(
            f"{ENTERPRISES}/{uscc}/eligibility/key-little-giant",
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 404
