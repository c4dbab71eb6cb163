"""Training plans and their filings: due dates, on-time flags, amendments as new versions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from kit.clock import today
from kit.testing import Platform

from tests.fixtures.training import (
    API,
    class_body,
    live_dates,
    outbox,
    period_of,
    plan,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}
DUE = {"2025": date(2025, 1, 31), "2026": date(2025, 11, 30), "2027-2028": date(2026, 11, 30)}


async def add_class(platform: Platform, plan_id: str, institution_id: str) -> Any:
    start, end = live_dates()
    return await platform["training"].post(
        f"{API}/plans/{plan_id}/classes",
        json=class_body(institution_id, start, end),
        headers=platform.auth(**HUBEI),
    )


class TestCreate:
    async def test_a_province_creates_its_plan_in_draft(self, platform: Platform) -> None:
        p = await plan(platform, "2027-2028")
        assert p["status"] == "draft"
        assert p["version"] == 1
        assert p["due_on"] == "2026-11-30"
        assert p["eligible_tiers"] == ["little_giant", "key_little_giant"]
        assert p["filings"] == []

    async def test_one_plan_per_province_and_period(self, platform: Platform) -> None:
        await plan(platform, "2026")
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2026"},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 409
        assert r.json()["code"] == "PLAN_EXISTS"

    async def test_another_provinces_plan_is_refused(self, platform: Platform) -> None:
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "43", "period": "2026"},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"

    async def test_a_city_is_refused_for_its_role_not_its_region(self, platform: Platform) -> None:
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2026"},
            headers=platform.auth("city", "420100", **{"Accept-Language": "en"}),
        )
        assert (r.status_code, r.json()["code"]) == (403, "FORBIDDEN")
        assert r.json()["detail"] == "Your role is not allowed to perform this action"
        listed = await platform["training"].get(f"{API}/plans", headers=platform.auth("ministry"))
        assert listed.json()["items"] == []

    async def test_unknown_period_is_422(self, platform: Platform) -> None:
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2029"},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "period"

    async def test_a_city_cannot_file_plans(self, platform: Platform) -> None:
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2026"},
            headers=platform.auth("city", "420100"),
        )
        assert r.status_code == 403


class TestFiling:
    async def test_an_empty_plan_cannot_be_filed(self, platform: Platform) -> None:
        p = await plan(platform, "2027-2028")
        r = await platform["training"].post(
            f"{API}/plans/{p['id']}:submit", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 422
        assert r.json()["code"] == "PLAN_EMPTY"

    async def test_filing_records_due_date_and_timeliness(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, _ = live_dates()
        period = period_of(start)
        p = await plan(platform, period)
        assert (await add_class(platform, p["id"], institution)).status_code == 201
        r = await platform["training"].post(
            f"{API}/plans/{p['id']}:submit", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 200, r.text
        filed = r.json()
        assert filed["status"] == "filed"
        [filing] = filed["filings"]
        assert filing["version"] == 1
        assert filing["due_on"] == DUE[period].isoformat()
        assert filing["on_time"] is (today() <= DUE[period])
        [event] = await outbox(platform, "plan.filed")
        assert event["data"]["on_time"] is filing["on_time"]
        assert event["aggregateversion"] == 1

    async def test_a_filed_plan_changes_only_by_amendment(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, _ = live_dates()
        p = await plan(platform, period_of(start))
        await add_class(platform, p["id"], institution)
        await platform["training"].post(
            f"{API}/plans/{p['id']}:submit", headers=platform.auth(**HUBEI)
        )
        refused = await add_class(platform, p["id"], institution)
        assert refused.status_code == 409
        assert refused.json()["code"] == "PLAN_FILED"

        amended = await platform["training"].post(
            f"{API}/plans/{p['id']}:amend", headers=platform.auth(**HUBEI)
        )
        assert amended.status_code == 200
        assert amended.json()["status"] == "draft"
        assert amended.json()["version"] == 2
        assert (await add_class(platform, p["id"], institution)).status_code == 201
        refiled = await platform["training"].post(
            f"{API}/plans/{p['id']}:submit", headers=platform.auth(**HUBEI)
        )
        assert [f["version"] for f in refiled.json()["filings"]] == [1, 2]
        pool = platform.apps["training"].state.ctx.db.pool
        sizes = await pool.fetch(
            "SELECT version, jsonb_array_length(snapshot->'classes') AS n "
            "FROM training.plan_filings ORDER BY version"
        )
        assert [(s["version"], s["n"]) for s in sizes] == [(1, 1), (2, 2)]
        assert [e["type"] for e in await outbox(platform, "plan.amended")] == [
            "cn.zjtx.training.plan.amended.v1"
        ]

    async def test_a_draft_cannot_be_amended(self, platform: Platform) -> None:
        p = await plan(platform, "2026")
        r = await platform["training"].post(
            f"{API}/plans/{p['id']}:amend", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 409
        assert r.json()["code"] == "PLAN_NOT_FILED"

    async def test_another_province_cannot_see_or_file_it(self, platform: Platform) -> None:
        p = await plan(platform, "2026")
        hunan = platform.auth("province", "430000")
        assert (
            await platform["training"].get(f"{API}/plans/{p['id']}", headers=hunan)
        ).status_code == 404
        r = await platform["training"].post(f"{API}/plans/{p['id']}:submit", headers=hunan)
        assert r.status_code == 404


async def patch(platform: Platform, plan_id: str, body: dict[str, Any], **auth: Any) -> Any:
    return await platform["training"].patch(
        f"{API}/plans/{plan_id}", json=body, headers=platform.auth(**(auth or HUBEI))
    )


class TestSettings:
    """The per-enterprise limit and its scope, and the certificate threshold (DESIGN.md §5)."""

    async def test_defaults_are_shown(self, platform: Platform) -> None:
        p = await plan(platform, "2026")
        r = await platform["training"].get(f"{API}/plans/{p['id']}", headers=platform.auth(**HUBEI))
        shown = r.json()
        assert shown["per_enterprise_limit"] == 2
        assert shown["per_enterprise_scope"] == "plan"
        assert shown["certificate_threshold"] == "0.90"

    async def test_settings_on_create(self, platform: Platform) -> None:
        p = await plan(
            platform,
            "2026",
            per_enterprise_limit=1,
            per_enterprise_scope="class",
            certificate_threshold="0.8",
        )
        assert (p["per_enterprise_limit"], p["per_enterprise_scope"]) == (1, "class")
        assert p["certificate_threshold"] == "0.80"

    async def test_a_draft_changes_only_what_is_sent(self, platform: Platform) -> None:
        p = await plan(platform, "2026", per_enterprise_limit=3)
        r = await patch(platform, p["id"], {"per_enterprise_scope": "class"})
        assert r.status_code == 200, r.text
        changed = r.json()
        assert (changed["per_enterprise_limit"], changed["per_enterprise_scope"]) == (3, "class")
        assert changed["certificate_threshold"] == "0.90"
        assert (changed["status"], changed["version"]) == ("draft", 1)
        r = await platform["training"].get(f"{API}/plans/{p['id']}", headers=platform.auth(**HUBEI))
        assert r.json()["per_enterprise_scope"] == "class"

    async def test_a_filed_plan_is_409_until_amended(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        p = await plan(platform, period_of(live_dates()[0]))
        await add_class(platform, p["id"], institution)
        await platform["training"].post(
            f"{API}/plans/{p['id']}:submit", headers=platform.auth(**HUBEI)
        )
        r = await patch(platform, p["id"], {"certificate_threshold": "0.8"})
        assert r.status_code == 409
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "PLAN_FILED"
        await platform["training"].post(
            f"{API}/plans/{p['id']}:amend", headers=platform.auth(**HUBEI)
        )
        r = await patch(platform, p["id"], {"certificate_threshold": "0.8"})
        assert (r.status_code, r.json()["certificate_threshold"]) == (200, "0.80")

    async def test_another_province_cannot_change_it(self, platform: Platform) -> None:
        p = await plan(platform, "2026")
        r = await patch(
            platform, p["id"], {"per_enterprise_limit": 1}, role="province", region="430000"
        )
        assert r.status_code == 404

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("per_enterprise_limit", 0),
            ("per_enterprise_limit", 21),
            ("per_enterprise_scope", "x"),
            ("certificate_threshold", "1.5"),
            ("certificate_threshold", "0.4"),
        ],
    )
    async def test_bad_settings_are_422(self, platform: Platform, field: str, value: Any) -> None:
        created = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2026", field: value},
            headers=platform.auth(**HUBEI),
        )
        p = await plan(platform, "2026")
        patched = await patch(platform, p["id"], {field: value})
        for r in (created, patched):
            assert r.status_code == 422, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["code"] == "VALIDATION_FAILED"
            assert r.json()["errors"][0]["field"] == field

    async def test_a_setting_cannot_be_nulled(self, platform: Platform) -> None:
        p = await plan(platform, "2026")
        r = await patch(platform, p["id"], {"per_enterprise_limit": None})
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "per_enterprise_limit"

    async def test_the_filing_keeps_the_settings(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        p = await plan(platform, period_of(live_dates()[0]), per_enterprise_scope="class")
        await add_class(platform, p["id"], institution)
        await platform["training"].post(
            f"{API}/plans/{p['id']}:submit", headers=platform.auth(**HUBEI)
        )
        pool = platform.apps["training"].state.ctx.db.pool
        snapshot = await pool.fetchval("SELECT snapshot FROM training.plan_filings")
        assert snapshot["per_enterprise_scope"] == "class"
        assert snapshot["per_enterprise_limit"] == 2
        assert snapshot["certificate_threshold"] == "0.90"
