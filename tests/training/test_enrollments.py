"""报名: every rule broken on purpose, every transition and its event, joint-class scoping."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
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


class TestConcurrentApplications:
    async def test_the_plans_limit_holds_across_classes(self, platform: Platform) -> None:
        """Applications of one enterprise to two classes of a plan allowing it one trainee,
        all at once: the plan row is locked while its seats are counted, so one gets in."""
        institution = await training_institution(platform)
        start, end = live_dates()
        p = await plan(platform, period_of(start), per_enterprise_limit=1)
        class_ids = []
        for _ in range(2):
            r = await platform["training"].post(
                f"{API}/plans/{p['id']}/classes",
                json=class_body(institution, start, end),
                headers=platform.auth(**HUBEI),
            )
            assert r.status_code == 201, r.text
            class_ids.append(r.json()["id"])
        uscc = await little_giant(platform)
        trainees = [await trainee(platform, uscc) for _ in range(6)]
        results = await asyncio.gather(
            *(enroll(platform, class_ids[i % 2], t) for i, t in enumerate(trainees))
        )
        assert sorted(r.status_code for r in results) == [201] + [409] * 5
        assert {r.json()["code"] for r in results if r.status_code == 409} == {
            "ENTERPRISE_QUOTA_REACHED"
        }
        assert await active(platform) == 1
