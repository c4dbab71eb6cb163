"""Scoping through every path that shows a trainee: the direct read, the list, the class
roster, the 附1-3 export and the 培训档案 apply one predicate; refusals for foreign records
answer exactly as for unknown ones."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from kit.testing import Platform
from openpyxl import load_workbook

from tests.factories import make_uscc
from tests.fixtures.training import (
    API,
    backfilled_class,
    enroll,
    little_giant,
    trainee,
    trainee_body,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

WUHAN = {"role": "city", "region": "420100"}
HUBEI = {"role": "province", "region": "420000"}
HUNAN = {"role": "province", "region": "430000"}
UNKNOWN = "0190d1f2-7c3a-7e4b-8f00-000000000000"


@dataclass
class Joint:
    """A 2026 Hubei class joint with Hunan, a Hunan-only class, and their trainees."""

    cls: str
    hunan_cls: str
    institution: str
    wuhan: str  # a trainee of an enterprise in 420102
    yichang: str  # of 420502
    hunan: str  # of 430102, in both classes
    enrollments: dict[str, str]  # trainee → enrollment in the joint class


@pytest.fixture
async def joint(platform: Platform) -> Joint:
    institution = await training_institution(platform, ("42", "43"))
    cls = await backfilled_class(platform, institution, joint_provinces=["43"])
    other = await training_institution(platform, ("43",))
    hunan_cls = await backfilled_class(platform, other, province="43")
    wuhan = await trainee(
        platform, await little_giant(platform, "420102"), name="武汉学员", position="总经理"
    )
    yichang = await trainee(
        platform,
        await little_giant(platform, "420502"),
        name="宜昌学员",
        position="宜昌董事长",
        address="宜昌市西陵区某路1号",
    )
    hunan = await trainee(platform, await little_giant(platform, "430102"), "43", name="湖南学员")
    enrollments = {}
    for t, province in ((wuhan, "42"), (yichang, "42"), (hunan, "43")):
        r = await enroll(platform, cls["id"], t, province)
        assert r.status_code == 201, r.text
        enrollments[t] = r.json()["id"]
    assert (await enroll(platform, hunan_cls["id"], hunan, "43")).status_code == 201
    return Joint(cls["id"], hunan_cls["id"], institution, wuhan, yichang, hunan, enrollments)


async def get(platform: Platform, path: str, auth: dict[str, Any]) -> Any:
    return await platform["training"].get(f"{API}{path}", headers=platform.auth(**auth))


async def roster(platform: Platform, class_id: str, auth: dict[str, Any]) -> list[str]:
    r = await get(platform, f"/classes/{class_id}/enrollments", auth)
    assert r.status_code == 200, r.text
    return [e["trainee_id"] for e in r.json()["items"]]


async def exported(platform: Platform, class_id: str, auth: dict[str, Any]) -> list[list[Any]]:
    r = await get(platform, f"/classes/{class_id}/trainees/export.xlsx", auth)
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]


async def archived(platform: Platform, trainee_id: str, auth: dict[str, Any]) -> list[str]:
    r = await get(platform, f"/trainees/{trainee_id}/archive", auth)
    assert r.status_code == 200, r.text
    return [c["class_id"] for c in r.json()["classes"]]


def without_request(problem: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in problem.items() if k not in ("instance", "request_id")}


class TestCity:
    """A city user (420100) sees its own city's trainees and no other city's, on every path."""

    async def test_direct_read_and_list(self, platform: Platform, joint: Joint) -> None:
        assert (await get(platform, f"/trainees/{joint.wuhan}", WUHAN)).status_code == 200
        r = await get(platform, f"/trainees/{joint.yichang}", WUHAN)
        assert r.status_code == 404 and r.json()["code"] == "TRAINEE_NOT_FOUND"
        listed = (await get(platform, "/trainees", WUHAN)).json()["items"]
        assert [t["id"] for t in listed] == [joint.wuhan]

    async def test_roster(self, platform: Platform, joint: Joint) -> None:
        assert await roster(platform, joint.cls, WUHAN) == [joint.wuhan]
        r = await get(platform, f"/enrollments/{joint.enrollments[joint.yichang]}", WUHAN)
        assert r.status_code == 404 and r.json()["code"] == "ENROLLMENT_NOT_FOUND"
        # The province sees every Hubei trainee of its class.
        assert set(await roster(platform, joint.cls, HUBEI)) == set(joint.enrollments)

    async def test_export(self, platform: Platform, joint: Joint) -> None:
        rows = await exported(platform, joint.cls, WUHAN)
        text = repr(rows)
        assert [r[1] for r in rows if isinstance(r[0], int)] == ["武汉学员"]
        assert "宜昌学员" not in text and "宜昌董事长" not in text and "宜昌市西陵区" not in text
        hubei = await exported(platform, joint.cls, HUBEI)
        assert [r[1] for r in hubei if isinstance(r[0], int)] == [
            "武汉学员",
            "宜昌学员",
            "湖南学员",
        ]

    async def test_archive(self, platform: Platform, joint: Joint) -> None:
        assert await archived(platform, joint.wuhan, WUHAN) == [joint.cls]
        r = await get(platform, f"/trainees/{joint.yichang}/archive", WUHAN)
        assert r.status_code == 404 and r.json()["code"] == "TRAINEE_NOT_FOUND"


class TestJointClass:
    """The partner province (Hunan) sees the joint class and its own trainees in it; the
    organiser (Hubei) and the institution see a partner's trainee only in their classes."""

    async def test_the_partner_sees_only_its_own_trainees(
        self, platform: Platform, joint: Joint
    ) -> None:
        assert (await get(platform, f"/classes/{joint.cls}", HUNAN)).status_code == 200
        assert await roster(platform, joint.cls, HUNAN) == [joint.hunan]
        rows = await exported(platform, joint.cls, HUNAN)
        assert [r[1] for r in rows if isinstance(r[0], int)] == ["湖南学员"]
        for t in (joint.wuhan, joint.yichang):
            assert (await get(platform, f"/trainees/{t}", HUNAN)).status_code == 404
            assert (await get(platform, f"/trainees/{t}/archive", HUNAN)).status_code == 404
            r = await get(platform, f"/enrollments/{joint.enrollments[t]}", HUNAN)
            assert r.status_code == 404
        listed = (await get(platform, "/trainees", HUNAN)).json()["items"]
        assert [t["id"] for t in listed] == [joint.hunan]

    async def test_the_home_province_sees_the_whole_archive(
        self, platform: Platform, joint: Joint
    ) -> None:
        assert await archived(platform, joint.hunan, HUNAN) == [joint.cls, joint.hunan_cls]

    async def test_the_organiser_sees_only_the_joint_class(
        self, platform: Platform, joint: Joint
    ) -> None:
        assert (await get(platform, f"/trainees/{joint.hunan}", HUBEI)).status_code == 200
        assert await archived(platform, joint.hunan, HUBEI) == [joint.cls]

    async def test_the_institution_sees_only_the_classes_it_runs(
        self, platform: Platform, joint: Joint
    ) -> None:
        runs = {"role": "institution", "region": "420000", "org": joint.institution}
        assert await archived(platform, joint.hunan, runs) == [joint.cls]
        assert set(await roster(platform, joint.cls, runs)) == set(joint.enrollments)
        stranger = {"role": "institution", "region": "420000", "org": UNKNOWN}
        assert (await get(platform, f"/trainees/{joint.hunan}", stranger)).status_code == 404


class TestNoExistenceLeak:
    async def test_a_foreign_enterprise_answers_as_an_unknown_one(self, platform: Platform) -> None:
        hunan = await little_giant(platform, "430102")
        unknown = make_uscc("430100")

        async def register(uscc: str, auth: dict[str, Any]) -> Any:
            return await platform["training"].post(
                f"{API}/trainees", json=trainee_body(uscc), headers=platform.auth(**auth)
            )

        foreign, missing = await register(hunan, HUBEI), await register(unknown, HUBEI)
        assert foreign.status_code == missing.status_code == 422
        assert foreign.json()["code"] == missing.json()["code"] == "ENTERPRISE_UNKNOWN"
        assert foreign.json()["detail"].replace(hunan, "X") == missing.json()["detail"].replace(
            unknown, "X"
        )
        own = {"role": "enterprise", "region": "420102", "org": await little_giant(platform)}
        foreign, missing = await register(hunan, own), await register(unknown, own)
        assert (foreign.status_code, foreign.json()["code"]) == (422, "ENTERPRISE_UNKNOWN")
        assert (missing.status_code, missing.json()["code"]) == (422, "ENTERPRISE_UNKNOWN")
        # A role that never registers trainees is refused before anything is looked up.
        wuhan = await little_giant(platform, "420102")
        for uscc in (wuhan, hunan, unknown):
            r = await register(uscc, WUHAN)
            assert (r.status_code, r.json()["code"]) == (403, "FORBIDDEN")

    async def test_a_foreign_trainee_enrolls_as_an_unknown_one(
        self, platform: Platform, joint: Joint
    ) -> None:
        henan = await little_giant(platform, "410102")
        foreign = await trainee(platform, henan, "41")

        async def apply(trainee_id: str, auth: dict[str, Any]) -> Any:
            return await platform["training"].post(
                f"{API}/classes/{joint.cls}/enrollments",
                json={"trainee_id": trainee_id},
                headers=platform.auth(**auth),
            )

        refused, missing = await apply(foreign, HUBEI), await apply(UNKNOWN, HUBEI)
        assert refused.status_code == missing.status_code == 404
        assert without_request(refused.json()) == without_request(missing.json())
        assert refused.json()["code"] == "TRAINEE_NOT_FOUND"
        # The ministry sees the trainee, so it learns why: the province is not in the class.
        r = await apply(foreign, {"role": "ministry"})
        assert (r.status_code, r.json()["code"]) == (422, "PROVINCE_NOT_IN_CLASS")

    async def test_a_foreign_trainee_is_surveyed_as_an_unknown_one(
        self, platform: Platform, joint: Joint
    ) -> None:
        henan = await trainee(platform, await little_giant(platform, "410102"), "41")

        async def survey(trainee_id: str) -> Any:
            return await platform["training"].post(
                f"{API}/classes/{joint.cls}/surveys",
                json={"trainee_id": trainee_id, "arrangement": 5, "content": 5, "effect": 5},
                headers=platform.auth(**HUBEI),
            )

        refused, missing = await survey(henan), await survey(UNKNOWN)
        assert refused.status_code == missing.status_code == 404
        assert without_request(refused.json()) == without_request(missing.json())
        assert (await survey(joint.hunan)).status_code == 201  # the organiser's own trainee
