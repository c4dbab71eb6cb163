"""计划自设课程 over HTTP: the shapes and status codes of adding, listing and deleting, a class
teaching one, a survey rating it, the class's satisfaction and the 附1-2 export naming it."""

from __future__ import annotations

from typing import Any

import pytest
from kit.testing import Platform

from tests.fixtures.training import (
    API,
    backfilled_class,
    class_body,
    enroll,
    little_giant,
    live_dates,
    period_of,
    plan,
    trainee,
    training_institution,
)
from tests.sheets import rows_of

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}
KEY_TOPICS = [
    {"category": "science_theory", "course": "xi_on_smes"},
    {"category": "policy", "course": "laws_and_policies"},
]


async def add_course(
    platform: Platform, plan_id: str, name: str = "光谷产业链协同创新", **auth: Any
) -> Any:
    return await platform["training"].post(
        f"{API}/plans/{plan_id}/courses",
        json={"name": name, "category": "specialised_development", "description": "产业集群"},
        headers=platform.auth(**(auth or HUBEI)),
    )


async def schedule(platform: Platform, plan_id: str, institution: str, code: str) -> Any:
    start, end = live_dates()
    topics = [*KEY_TOPICS, {"category": "specialised_development", "course": code}]
    return await platform["training"].post(
        f"{API}/plans/{plan_id}/classes",
        json=class_body(institution, start, end, topics=topics),
        headers=platform.auth(**HUBEI),
    )


class TestPlanCourses:
    async def test_add_list_and_delete(self, platform: Platform) -> None:
        p = await plan(platform, period_of(live_dates()[0]))
        r = await add_course(platform, p["id"])
        assert r.status_code == 201, r.text
        course = r.json()
        assert course["code"].startswith("p-") and course["plan_id"] == p["id"]
        assert (course["name"], course["category"]) == (
            "光谷产业链协同创新",
            "specialised_development",
        )
        r = await platform["training"].get(
            f"{API}/plans/{p['id']}/courses", headers=platform.auth("city", "420100")
        )
        assert r.status_code == 200 and [c["code"] for c in r.json()] == [course["code"]]
        r = await add_course(platform, p["id"])
        assert r.status_code == 409 and r.json()["code"] == "PLAN_COURSE_EXISTS"
        r = await add_course(platform, p["id"], "企业家精神")
        assert r.status_code == 422 and r.json()["code"] == "PLAN_COURSE_IS_KEY_COURSE"
        r = await add_course(platform, p["id"], "城市课程", role="city", region="420100")
        assert r.status_code == 403
        r = await platform["training"].delete(
            f"{API}/plans/{p['id']}/courses/{course['code']}", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 204 and r.content == b""
        r = await platform["training"].get(
            f"{API}/plans/{p['id']}/courses", headers=platform.auth(**HUBEI)
        )
        assert r.json() == []

    async def test_a_class_teaches_its_own_plans_course_only(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        p = await plan(platform, period_of(live_dates()[0]))
        code = (await add_course(platform, p["id"])).json()["code"]
        other = await plan(platform, "2026")
        foreign = (await add_course(platform, other["id"])).json()["code"]
        r = await schedule(platform, p["id"], institution, foreign)
        assert r.status_code == 422 and r.json()["code"] == "COURSE_NOT_IN_PLAN"
        assert r.json()["errors"][0]["field"] == "topics.2.course"
        r = await schedule(platform, p["id"], institution, "p-unknown")
        assert r.status_code == 422  # not a code at all
        r = await schedule(platform, p["id"], institution, code)
        assert r.status_code == 201, r.text
        assert r.json()["topics"][2]["course"] == code
        r = await platform["training"].delete(
            f"{API}/plans/{p['id']}/courses/{code}", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 409 and r.json()["code"] == "PLAN_COURSE_IN_USE"
        assert "光谷产业链协同创新" in r.json()["detail"]


class TestRatingOverHttp:
    async def test_surveys_rate_it_and_the_class_flags_it(self, platform: Platform) -> None:
        p = await plan(platform, "2026")
        code = (await add_course(platform, p["id"])).json()["code"]
        institution = await training_institution(platform)
        topics = [*KEY_TOPICS, {"category": "specialised_development", "course": code}]
        cls = await backfilled_class(platform, institution, topics=topics)
        assert cls["plan_id"] == p["id"]
        t = await trainee(platform, await little_giant(platform))
        assert (await enroll(platform, cls["id"], t)).status_code == 201

        async def survey(courses: dict[str, int]) -> Any:
            body = {"trainee_id": t, "arrangement": 5, "content": 5, "effect": 5}
            return await platform["training"].post(
                f"{API}/classes/{cls['id']}/surveys",
                json={**body, "courses": courses},
                headers=platform.auth(**HUBEI),
            )

        r = await survey({"p-0000000000": 4})
        assert r.status_code == 422 and r.json()["errors"][0]["code"] == "NOT_IN_CLASS"
        r = await survey({"p-unknown": 4})
        assert r.status_code == 422 and r.json()["code"] == "VALIDATION_FAILED"
        r = await survey({code: 3, "xi_on_smes": 5})
        assert r.status_code == 201, r.text
        assert r.json()["courses"] == {code: 3, "xi_on_smes": 5}
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/satisfaction", headers=platform.auth(**HUBEI)
        )
        assert [
            (c["course"], c["name"], c["key_course"], c["average"], c["flagged"])
            for c in r.json()["courses"]
        ] == [
            ("xi_on_smes", "习近平总书记关于中小企业发展系列重要论述精神", True, "5.00", False),
            (code, "光谷产业链协同创新", False, "3.00", True),
        ]
        r = await platform["training"].get(
            f"{API}/plans/{p['id']}/export.xlsx", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 200, r.text
        assert "专精特新发展：光谷产业链协同创新" in rows_of(r.content)[2][3]
