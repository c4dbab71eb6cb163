"""报名: every rule broken on purpose, every transition and its event, joint-class scoping."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from kit.clock import today
from kit.testing import Platform

from tests.fixtures.training import (
    API,
    class_body,
    enroll,
    little_giant,
    live_dates,
    outbox,
    period_of,
    plan,
    scheduled_class,
    trainee,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}
HUNAN = {"role": "province", "region": "430000"}


async def decide(platform: Platform, enrollment_id: str, action: str, **auth: Any) -> Any:
    reason = {"reason": "不符合参训条件"} if action == "reject" else None
    return await platform["training"].post(
        f"{API}/enrollments/{enrollment_id}:{action}",
        json=reason,
        headers=platform.auth(**(auth or HUBEI)),
    )


async def ready(platform: Platform, **class_overrides: Any) -> tuple[dict[str, Any], str, str]:
    """A live Hubei class, a 小巨人 and its registered manager."""
    institution = await training_institution(platform)
    cls = await scheduled_class(platform, institution, **class_overrides)
    uscc = await little_giant(platform)
    return cls, uscc, await trainee(platform, uscc)


async def active(platform: Platform) -> int:
    pool = platform.apps["training"].state.ctx.db.pool
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM training.enrollments WHERE state NOT IN ('withdrawn', 'rejected')"
        )
    )


class TestLifecycle:
    async def test_applied_qualified_confirmed_each_an_event(self, platform: Platform) -> None:
        cls, uscc, trainee_id = await ready(platform)
        r = await platform["training"].post(
            f"{API}/classes/{cls['id']}/enrollments",
            json={"trainee_id": trainee_id},
            headers=platform.auth("enterprise", "420102", org=uscc),
        )
        assert r.status_code == 201, r.text
        enrollment = r.json()
        assert enrollment["state"] == "applied" and enrollment["backfilled"] is False
        for action, state in (("qualify", "qualified"), ("confirm", "confirmed")):
            r = await decide(platform, enrollment["id"], action)
            assert r.status_code == 200, r.text
            assert r.json()["state"] == state
        r = await platform["training"].get(
            f"{API}/enrollments/{enrollment['id']}", headers=platform.auth(**HUBEI)
        )
        assert r.json()["state"] == "confirmed" and r.json()["version"] == 3
        for state, version in (("applied", 1), ("qualified", 2), ("confirmed", 3)):
            [event] = await outbox(platform, f"enrollment.{state}")
            data = event["data"]
            assert data["id"] == enrollment["id"] and data["state"] == state
            assert data["version"] == version and data["enterprise_uscc"] == uscc
            assert data["class_provinces"] == ["42"] and data["period"] == cls["period"]

    async def test_reject_needs_a_reason_and_ends_the_application(self, platform: Platform) -> None:
        cls, _, trainee_id = await ready(platform)
        enrollment = (await enroll(platform, cls["id"], trainee_id)).json()
        r = await platform["training"].post(
            f"{API}/enrollments/{enrollment['id']}:reject", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "reason"
        r = await decide(platform, enrollment["id"], "reject")
        assert r.json()["state"] == "rejected" and r.json()["reason"] == "不符合参训条件"
        assert len(await outbox(platform, "enrollment.rejected")) == 1
        r = await decide(platform, enrollment["id"], "qualify")
        assert r.status_code == 409
        assert r.json()["code"] == "TRANSITION_INVALID"

    async def test_transitions_out_of_order_are_refused(self, platform: Platform) -> None:
        cls, uscc, trainee_id = await ready(platform)
        enrollment = (await enroll(platform, cls["id"], trainee_id)).json()
        r = await decide(platform, enrollment["id"], "confirm")  # 录取 before 资格审核
        assert r.status_code == 409
        assert "已报名" in r.json()["detail"]
        await decide(platform, enrollment["id"], "qualify")
        r = await decide(platform, enrollment["id"], "qualify")
        assert r.json()["code"] == "TRANSITION_INVALID"
        r = await platform["training"].post(
            f"{API}/enrollments/{enrollment['id']}:confirm",
            headers=platform.auth("enterprise", "420102", org=uscc),
        )
        assert r.status_code == 403  # the enterprise cannot admit itself
        r = await decide(
            platform, enrollment["id"], "withdraw", role="enterprise", region="420102", org=uscc
        )
        assert r.json()["state"] == "withdrawn"
        assert len(await outbox(platform, "enrollment.withdrawn")) == 1

    async def test_applying_again_after_withdrawing(self, platform: Platform) -> None:
        cls, _, trainee_id = await ready(platform)
        first = (await enroll(platform, cls["id"], trainee_id)).json()
        r = await enroll(platform, cls["id"], trainee_id)
        assert r.status_code == 409
        assert r.json()["code"] == "ENROLLMENT_EXISTS"
        await decide(platform, first["id"], "withdraw")
        again = await enroll(platform, cls["id"], trainee_id)
        assert again.status_code == 201
        assert again.json()["id"] == first["id"]
        assert again.json()["state"] == "applied" and again.json()["version"] == 3


class TestRules:
    async def test_an_enterprise_without_an_admitted_tier_is_refused(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        specialised = await little_giant(platform, tier="specialized_sme")
        r = await enroll(platform, cls["id"], await trainee(platform, specialised))
        assert r.status_code == 422
        assert r.json()["code"] == "ENTERPRISE_NOT_ELIGIBLE"
        assert "专精特新“小巨人”企业" in r.json()["detail"]
        # Valid today, expired by the start date: the start date decides.
        start = cls["start_on"]
        lapsing = await little_giant(
            platform,
            valid_from=(today() - timedelta(days=400)).isoformat(),
            valid_until=(today() + timedelta(days=1)).isoformat(),
        )
        r = await enroll(platform, cls["id"], await trainee(platform, lapsing))
        assert r.status_code == 422, start
        assert await active(platform) == 0

    async def test_a_plan_admitting_little_giants_admits_key_little_giants(
        self, platform: Platform
    ) -> None:
        """A 重点小巨人 holds 小巨人 too (DESIGN.md §5)."""
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start), eligible_tiers=["little_giant"])
        r = await platform["training"].post(
            f"{API}/plans/{p['id']}/classes",
            json=class_body(institution, start, end),
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 201, r.text
        key = await little_giant(platform, tier="key_little_giant")
        specialised = await little_giant(platform, tier="specialized_sme")
        assert (
            await enroll(platform, r.json()["id"], await trainee(platform, key))
        ).status_code == 201
        refused = await enroll(platform, r.json()["id"], await trainee(platform, specialised))
        assert refused.json()["code"] == "ENTERPRISE_NOT_ELIGIBLE"

    async def test_at_most_two_per_enterprise(self, platform: Platform) -> None:
        cls, uscc, first = await ready(platform)
        second, third = await trainee(platform, uscc), await trainee(platform, uscc)
        assert (await enroll(platform, cls["id"], first)).status_code == 201
        assert (await enroll(platform, cls["id"], second)).status_code == 201
        r = await enroll(platform, cls["id"], third)
        assert r.status_code == 409
        assert r.json()["code"] == "ENTERPRISE_QUOTA_REACHED"
        first_id = (await outbox(platform, "enrollment.applied"))[0]["data"]["id"]
        await decide(platform, first_id, "withdraw")
        assert (await enroll(platform, cls["id"], third)).status_code == 201

    async def test_capacity(self, platform: Platform) -> None:
        cls, _, trainee_id = await ready(platform, planned_trainees=1)
        assert (await enroll(platform, cls["id"], trainee_id)).status_code == 201
        other = await trainee(platform, await little_giant(platform))
        r = await enroll(platform, cls["id"], other)
        assert r.status_code == 409
        assert r.json()["code"] == "CLASS_FULL"
        assert await active(platform) == 1

    async def test_closed_seven_days_before_the_start(self, platform: Platform) -> None:
        cls, _, trainee_id = await ready(platform, lead_days=6)
        r = await enroll(platform, cls["id"], trainee_id)
        assert r.status_code == 409
        problem = r.json()
        assert problem["code"] == "ENROLLMENT_CLOSED"
        assert (today() - timedelta(days=1)).isoformat() in problem["detail"]
        assert await active(platform) == 0

    async def test_on_the_deadline_day_it_is_still_open(self, platform: Platform) -> None:
        cls, _, trainee_id = await ready(platform, lead_days=7)
        assert (await enroll(platform, cls["id"], trainee_id)).status_code == 201

    async def test_confirmation_closes_too_but_withdrawal_does_not(
        self, platform: Platform
    ) -> None:
        cls, _, trainee_id = await ready(platform)
        enrollment = (await enroll(platform, cls["id"], trainee_id)).json()
        await decide(platform, enrollment["id"], "qualify")
        pool = platform.apps["training"].state.ctx.db.pool
        await pool.execute(  # the class now starts in 3 days: past the deadline
            "UPDATE training.classes SET start_on = $1, end_on = $1 WHERE id = $2::uuid",
            today() + timedelta(days=3),
            cls["id"],
        )
        r = await decide(platform, enrollment["id"], "confirm")
        assert r.json()["code"] == "ENROLLMENT_CLOSED"
        r = await decide(platform, enrollment["id"], "withdraw")
        assert r.json()["state"] == "withdrawn"


class TestJointClasses:
    async def test_joint_province_trainees_enroll_and_both_see_the_roster(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution, joint_provinces=["43"])
        hunan = await little_giant(platform, region="430102")
        trainee_id = await trainee(platform, hunan, province="43")
        r = await enroll(platform, cls["id"], trainee_id, province="43")
        assert r.status_code == 201, r.text
        enrollment = r.json()
        assert enrollment["province"] == "43"
        r = await decide(platform, enrollment["id"], "qualify", **HUNAN)  # home province checks
        assert r.json()["state"] == "qualified"
        r = await decide(platform, enrollment["id"], "confirm", **HUNAN)  # organiser admits
        assert r.status_code == 403
        r = await decide(platform, enrollment["id"], "confirm")
        assert r.json()["state"] == "confirmed"
        for who in (HUBEI, HUNAN):
            r = await platform["training"].get(
                f"{API}/classes/{cls['id']}/enrollments", headers=platform.auth(**who)
            )
            assert [e["id"] for e in r.json()["items"]] == [enrollment["id"]]
        # The organiser sees the joint trainee's record through the class.
        r = await platform["training"].get(
            f"{API}/trainees/{trainee_id}", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 200
        henan = {"role": "province", "region": "410000"}
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/enrollments", headers=platform.auth(**henan)
        )
        assert r.status_code == 404
        r = await platform["training"].get(
            f"{API}/enrollments/{enrollment['id']}", headers=platform.auth(**henan)
        )
        assert r.status_code == 404

    async def test_an_enterprise_outside_the_class_provinces_is_refused(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        hunan = await little_giant(platform, region="430102")
        trainee_id = await trainee(platform, hunan, province="43")
        r = await platform["training"].post(
            f"{API}/classes/{cls['id']}/enrollments",
            json={"trainee_id": trainee_id},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 422
        assert r.json()["code"] == "PROVINCE_NOT_IN_CLASS"
        r = await enroll(platform, cls["id"], trainee_id)  # Hubei does not see the trainee
        assert r.status_code == 404
        assert r.json()["code"] == "TRAINEE_NOT_FOUND"

    async def test_an_enterprise_sees_only_its_own_enrollments(self, platform: Platform) -> None:
        cls, uscc, trainee_id = await ready(platform)
        other = await little_giant(platform)
        await enroll(platform, cls["id"], trainee_id)
        await enroll(platform, cls["id"], await trainee(platform, other))
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/enrollments",
            headers=platform.auth("enterprise", "420102", org=uscc),
        )
        assert [e["trainee_id"] for e in r.json()["items"]] == [trainee_id]
