"""Annual indicators (年度指标)."""

from __future__ import annotations

from kit.testing import Platform

from tests.registry.test_recognitions import events, registered

FIGURES = {
    "revenue": "10000",
    "main_business_revenue": "8000",
    "rd_expense": "500",
    "invention_patents": 3,
    "quality_certifications": 1,
}


class TestIndicators:
    async def test_record_and_replay_without_change(self, platform: Platform) -> None:
        uscc = await registered(platform)
        path = f"/api/v1/registry/enterprises/{uscc}/indicators/2025"
        r = await platform["registry"].put(path, json=FIGURES, headers=platform.auth("ministry"))
        assert r.status_code == 200, r.text
        assert r.json()["version"] == 1
        again = await platform["registry"].put(
            path, json=FIGURES, headers=platform.auth("ministry")
        )
        assert again.json()["version"] == 1
        assert len(await events(platform, "zjtx.registry.indicator.recorded")) == 1

    async def test_enterprise_reports_its_own_figures(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await platform["registry"].put(
            f"/api/v1/registry/enterprises/{uscc}/indicators/2025",
            json=FIGURES,
            headers=platform.auth("enterprise", "420100", org=uscc),
        )
        assert r.status_code == 200

    async def test_main_business_above_revenue_is_rejected(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await platform["registry"].put(
            f"/api/v1/registry/enterprises/{uscc}/indicators/2025",
            json={"revenue": "100", "main_business_revenue": "200"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "MAIN_REVENUE_EXCEEDS_REVENUE"
        assert r.json()["errors"][0]["message"] == "主营业务收入不能大于营业收入"

    async def test_year_out_of_range(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await platform["registry"].put(
            f"/api/v1/registry/enterprises/{uscc}/indicators/1999",
            json=FIGURES,
            headers=platform.auth("ministry"),
        )
        assert r.json()["code"] == "INDICATOR_YEAR_INVALID"

    async def test_negative_revenue_is_rejected(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await platform["registry"].put(
            f"/api/v1/registry/enterprises/{uscc}/indicators/2025",
            json={"revenue": "-1"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 422
