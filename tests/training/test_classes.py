"""培训班: content rules, institutions, dates, backfill, joint classes and their scoping."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from kit.clock import today
from kit.testing import Platform, eventually

from tests.fixtures.training import (
    API,
    REGISTRY,
    class_body,
    live_dates,
    period_of,
    plan,
    scheduled_class,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}


async def schedule(platform: Platform, plan_id: str, body: dict[str, Any]) -> Any:
    return await platform["training"].post(
        f"{API}/plans/{plan_id}/classes", json=body, headers=platform.auth(**HUBEI)
    )


async def classes_stored(platform: Platform) -> int:
    pool = platform.apps["training"].state.ctx.db.pool
    return int(await pool.fetchval("SELECT count(*) FROM training.classes"))


class TestContent:
    async def test_a_valid_class_is_scheduled(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        assert cls["status"] == "scheduled"
        assert cls["institution_name"] == "湖北专精特新学院"
        start = cls["start_on"]
        assert cls["sessions"][0] == start and len(cls["sessions"]) == 3
        deadline = (today() + timedelta(days=30) - timedelta(days=7)).isoformat()
        assert cls["enrollment_deadline"] <= deadline

    async def test_without_science_theory_and_policy_is_rejected(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        body = class_body(
            institution,
            start,
            end,
            topics=[{"category": "management", "course": "compliance"}],
        )
        r = await schedule(platform, p["id"], body)
        assert r.status_code == 422
        problem = r.json()
        assert problem["code"] == "CLASS_CONTENT_INVALID"
        assert "科学理论" in problem["detail"]
        assert [e["code"] for e in problem["errors"]] == ["TOPIC_REQUIRED", "TOPIC_REQUIRED"]
        assert await classes_stored(platform) == 0

    async def test_without_an_onsite_item_is_rejected(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        r = await schedule(platform, p["id"], class_body(institution, start, end, onsite_items=[]))
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "onsite_items"
        english = await platform["training"].post(
            f"{API}/plans/{p['id']}/classes",
            json=class_body(institution, start, end, onsite_items=[]),
            headers=platform.auth(**HUBEI, **{"Accept-Language": "en"}),
        )
        assert "on-site" in english.json()["detail"]
        assert await classes_stored(platform) == 0


class TestInstitution:
    async def test_an_institution_without_a_contract_here_is_refused(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform, provinces=("43",))
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        r = await schedule(platform, p["id"], class_body(institution, start, end))
        assert r.status_code == 422
        assert r.json()["code"] == "INSTITUTION_NOT_ENGAGED"

    async def test_only_a_verified_qualification_engages(self, platform: Platform) -> None:
        """The replica follows the registry's review: a qualification the unit rejects stops
        counting, even under a signed contract."""
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        assert (await schedule(platform, p["id"], class_body(institution, start, end))).is_success
        r = await platform["registry"].post(
            f"{REGISTRY}/institutions/{institution}/qualifications/training:reject",
            json={"reason": "培训机构未通过省级审核"},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 200, r.text
        pool = platform.apps["training"].state.ctx.db.pool

        async def unqualified() -> bool:
            held = await pool.fetchval(
                "SELECT qualified_types FROM training.institutions WHERE id = $1::uuid",
                institution,
            )
            return held == []

        await eventually(unqualified, message="the rejection replicated")
        r = await schedule(platform, p["id"], class_body(institution, start, end))
        assert r.status_code == 422
        assert r.json()["code"] == "INSTITUTION_NOT_ENGAGED"

    async def test_an_unknown_institution_is_refused(self, platform: Platform) -> None:
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        body = class_body("0190d1f2-7c3a-7e4b-8f00-000000000000", start, end)
        r = await schedule(platform, p["id"], body)
        assert r.json()["code"] == "INSTITUTION_NOT_ENGAGED"


class TestDates:
    async def test_inverted_dates(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        r = await schedule(platform, p["id"], class_body(institution, end, start))
        assert r.status_code == 422
        assert r.json()["code"] == "CLASS_DATES_INVALID"

    async def test_a_class_outside_the_plans_period(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        p = await plan(platform, "2025")
        start, end = live_dates()
        r = await schedule(platform, p["id"], class_body(institution, start, end))
        assert r.status_code == 422
        assert r.json()["code"] == "CLASS_OUTSIDE_PERIOD"

    async def test_a_past_class_must_be_backfilled(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start = today() - timedelta(days=40)
        end = start + timedelta(days=2)
        p = await plan(platform, period_of(start))
        r = await schedule(platform, p["id"], class_body(institution, start, end))
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "IN_THE_PAST"
        backfilled = await schedule(
            platform, p["id"], class_body(institution, start, end, backfilled=True)
        )
        assert backfilled.status_code == 201, backfilled.text
        assert backfilled.json()["backfilled"] is True

    async def test_a_future_class_cannot_be_backfilled(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        r = await schedule(platform, p["id"], class_body(institution, start, end, backfilled=True))
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "NOT_YET_HELD"

    async def test_sessions_outside_the_class(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start))
        outside = (end + timedelta(days=1)).isoformat()
        r = await schedule(
            platform,
            p["id"],
            class_body(institution, start, end, sessions=[start.isoformat(), outside]),
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "sessions[1]"


class TestJointClasses:
    async def test_each_joint_province_sees_it_and_no_other(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution, joint_provinces=["43", "42"])
        assert cls["joint_provinces"] == ["43"]
        client = platform["training"]
        url = f"{API}/classes/{cls['id']}"
        assert (
            await client.get(url, headers=platform.auth("province", "430000"))
        ).status_code == 200
        assert (await client.get(url, headers=platform.auth("city", "430100"))).status_code == 200
        assert (
            await client.get(url, headers=platform.auth("province", "440000"))
        ).status_code == 404
        hunan = await client.get(f"{API}/classes", headers=platform.auth("province", "430000"))
        assert [c["id"] for c in hunan.json()["items"]] == [cls["id"]]
        guangdong = await client.get(f"{API}/classes", headers=platform.auth("province", "440000"))
        assert guangdong.json()["items"] == []

    async def test_the_institution_sees_its_classes(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        own = platform.auth("institution", "420000", org=institution)
        r = await platform["training"].get(f"{API}/classes", headers=own)
        assert [c["id"] for c in r.json()["items"]] == [cls["id"]]
        other = platform.auth("institution", "420000", org="0190d1f2-7c3a-7e4b-8f00-000000000000")
        assert (
            await platform["training"].get(f"{API}/classes/{cls['id']}", headers=other)
        ).status_code == 404


class TestReference:
    async def test_the_eleven_key_courses_and_four_categories(self, platform: Platform) -> None:
        r = await platform["training"].get(f"{API}/enums", headers=platform.auth("city", "420100"))
        body = r.json()
        assert len(body["Course"]) == 11
        assert body["Course"][0]["zh"] == "习近平总书记关于中小企业发展系列重要论述精神"
        assert [c["zh"] for c in body["ContentCategory"]] == [
            "科学理论",
            "形势政策",
            "经营管理",
            "专精特新发展",
        ]
