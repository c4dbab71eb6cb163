"""诊断服务 requests and assignment (000 附件2/3; 001 附件1-1): who is served, the needs
filed, one open engagement per enterprise × kind × batch, the institution assigned, scoping."""

from __future__ import annotations

import pytest
from kit.testing import Platform

from tests.fixtures.diagnosis import (
    API,
    act,
    disqualified,
    file,
    giant,
    institution,
    need,
    outbox,
    requested,
)

pytestmark = pytest.mark.services("registry", "diagnosis")


def code(r: object) -> str:
    body = r.json()  # type: ignore[attr-defined]
    return str(body["errors"][0]["code"] if body.get("errors") else body["code"])


class TestRequest:
    async def test_a_valid_manufacturing_giant_files_its_need(self, platform: Platform) -> None:
        uscc = await giant(platform, tier="key_little_giant")  # a 重点小巨人 is a 小巨人 too
        r = await file(platform, need(uscc))
        assert r.status_code == 201, r.text
        body = r.json()
        assert (body["state"], body["unit"], body["expected_month"]) == ("requested", "42", 9)
        [event] = await outbox(platform, "engagement.requested")
        assert event["data"]["id"] == body["id"] and event["province"] == "42"
        assert "mobile" not in str(event)

    async def test_only_valid_little_giants(self, platform: Platform) -> None:
        specialised = await giant(platform, tier="specialized_sme")
        lapsed = await giant(platform, valid_from="2020-01-01")  # ended 2022-12-31
        for uscc in (specialised, lapsed):
            r = await file(platform, need(uscc))
            assert (r.status_code, code(r)) == (422, "ENTERPRISE_NOT_ELIGIBLE")

    async def test_quality_is_for_manufacturing_only(self, platform: Platform) -> None:
        software = await giant(platform, industry="65")
        r = await file(platform, need(software))
        assert (r.status_code, code(r)) == (422, "NOT_MANUFACTURING")
        r = await file(platform, need(software, "management"))
        assert r.status_code == 201, r.text

    async def test_one_open_engagement_per_enterprise_kind_and_batch(
        self, platform: Platform
    ) -> None:
        uscc = await giant(platform)
        first = await requested(platform, uscc)
        r = await file(platform, need(uscc, mode="online", expected_month=None))
        assert (r.status_code, code(r)) == (409, "ENGAGEMENT_EXISTS")
        assert (await file(platform, need(uscc, "management"))).status_code == 201
        assert (await file(platform, need(uscc, batch="第二批"))).status_code == 201
        r = await act(platform, first, "cancel", {"reasons": ["企业另行安排"]})
        assert r.json()["state"] == "cancelled"
        assert (await file(platform, need(uscc))).status_code == 201  # cancelled: not open

    @pytest.mark.parametrize(
        ("overrides", "error"),
        [
            pytest.param({"expected_month": None}, "EXPECTED_MONTH_REQUIRED", id="onsite-month"),
            pytest.param({"mode": "online"}, "EXPECTED_MONTH_NOT_ONLINE", id="online-no-month"),
            pytest.param({"focus_areas": ["strategy"]}, "FOCUS_UNKNOWN", id="wrong-kind"),
            pytest.param({"expected_month": 13}, "LESS_THAN_EQUAL", id="month-13"),
        ],
    )
    async def test_needs_are_those_of_the_form(
        self, platform: Platform, overrides: dict[str, object], error: str
    ) -> None:
        uscc = await giant(platform)
        r = await file(platform, need(uscc, **overrides))
        assert (r.status_code, code(r)) == (422, error)

    async def test_management_other_carries_its_text(self, platform: Platform) -> None:
        uscc = await giant(platform)
        r = await file(platform, need(uscc, "management", focus_areas=["other"]))
        assert (r.status_code, code(r)) == (422, "FOCUS_OTHER")
        r = await file(
            platform, need(uscc, "management", focus_areas=["other"], focus_other="财务管理")
        )
        assert r.status_code == 201 and r.json()["focus_other"] == "财务管理"

    async def test_who_files(self, platform: Platform) -> None:
        uscc = await giant(platform)
        r = await file(platform, need(uscc), "province", region="420000")  # its unit
        assert r.status_code == 201, r.text
        other = await giant(platform)
        r = await file(platform, need(other), "city", region="420100")  # reads, does not file
        assert r.status_code == 403
        r = await file(platform, need(other), "province", region="430000")
        assert (r.status_code, code(r)) == (422, "ENTERPRISE_UNKNOWN")  # not Hunan's to see


class TestAssignment:
    async def test_the_unit_assigns_an_engaged_institution(self, platform: Platform) -> None:
        uscc = await giant(platform)
        engagement = await requested(platform, uscc)
        engaged = await institution(platform)
        other_batch = await institution(platform, batch="第二批")
        other_kind = await institution(platform, kind="management")
        unqualified = await institution(platform)
        await disqualified(platform, unqualified)  # its contract stays, its review does not
        for refused in (other_batch, other_kind, unqualified):
            r = await act(platform, engagement, "assign", {"institution_id": refused})
            assert (r.status_code, code(r)) == (422, "INSTITUTION_NOT_ENGAGED")
        r = await act(
            platform, engagement, "assign", {"institution_id": engaged}, "city", region="420100"
        )
        assert r.status_code == 403
        r = await act(platform, engagement, "assign", {"institution_id": engaged}, region="330000")
        assert r.status_code == 404
        r = await act(platform, engagement, "assign", {"institution_id": engaged})
        assert r.status_code == 200, r.text
        assert (r.json()["state"], r.json()["institution_id"]) == ("assigned", engaged)
        r = await act(platform, engagement, "assign", {"institution_id": engaged})
        assert (r.status_code, code(r)) == (409, "ENGAGEMENT_STATE")
        assert "已分派机构" in r.json()["detail"]
        [event] = await outbox(platform, "engagement.assigned")
        assert event["data"]["institution_id"] == engaged

    async def test_only_the_assigned_institution_sees_it(self, platform: Platform) -> None:
        uscc = await giant(platform)
        engagement = await requested(platform, uscc)
        engaged = await institution(platform)
        rival = await institution(platform)

        async def seen_by(institution_id: str) -> tuple[int, list[str]]:
            auth = platform.auth("institution", "420100", org=institution_id)
            one = await platform["diagnosis"].get(f"{API}/engagements/{engagement}", headers=auth)
            listed = await platform["diagnosis"].get(f"{API}/engagements", headers=auth)
            return one.status_code, [e["id"] for e in listed.json()["items"]]

        assert await seen_by(engaged) == (404, [])  # not before it is assigned
        await act(platform, engagement, "assign", {"institution_id": engaged})
        assert await seen_by(engaged) == (200, [engagement])
        assert await seen_by(rival) == (404, [])

    async def test_the_enterprise_and_units_see_their_own(self, platform: Platform) -> None:
        mine, theirs = await giant(platform), await giant(platform, region="430102")
        engagement = await requested(platform, mine)
        r = await file(platform, need(theirs), region="430102")
        assert r.status_code == 201
        auth = platform.auth("enterprise", "420102", org=theirs)
        r = await platform["diagnosis"].get(f"{API}/engagements/{engagement}", headers=auth)
        assert r.status_code == 404
        for who, expected in (
            (("province", "420000"), 1),
            (("province", "430000"), 1),
            (("ministry",), 2),
        ):
            r = await platform["diagnosis"].get(f"{API}/engagements", headers=platform.auth(*who))
            assert len(r.json()["items"]) == expected
