"""补录, attendance, closing with certificates at ≥ 90%, satisfaction, and the 培训档案."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from kit.clock import today
from kit.testing import Platform

from tests.factories import make_uscc
from tests.fixtures.training import (
    API,
    BACKFILL_START,
    backfilled_class,
    enroll,
    little_giant,
    outbox,
    scheduled_class,
    trainee,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}
TOPICS = [
    {"category": "science_theory", "course": "xi_on_smes"},
    {"category": "policy", "course": "laws_and_policies"},
]


def days(n: int) -> list[str]:
    return [(BACKFILL_START + timedelta(days=i)).isoformat() for i in range(n)]


async def attend(
    platform: Platform, class_id: str, present: dict[str, list[str]], **auth: Any
) -> Any:
    """``present``: trainee → the days attended; every other session is recorded absent."""
    r = await platform["training"].get(f"{API}/classes/{class_id}", headers=platform.auth(**HUBEI))
    sessions = r.json()["sessions"]
    records = [
        {"session": day, "trainee_id": t, "present": day in attended}
        for t, attended in present.items()
        for day in sessions
    ]
    return await platform["training"].post(
        f"{API}/classes/{class_id}/attendance",
        json={"records": records},
        headers=platform.auth(**(auth or HUBEI)),
    )


async def close(platform: Platform, class_id: str) -> Any:
    return await platform["training"].post(
        f"{API}/classes/{class_id}:close", headers=platform.auth(**HUBEI)
    )


async def held_class(
    platform: Platform, n_days: int, trainees: int
) -> tuple[dict[str, Any], list[str]]:
    """A backfilled class of ``n_days`` with ``trainees`` confirmed trainees."""
    institution = await training_institution(platform)
    end = (BACKFILL_START + timedelta(days=n_days - 1)).isoformat()
    cls = await backfilled_class(platform, institution, end_on=end)
    ids = []
    for _ in range(trainees):
        ids.append(await trainee(platform, await little_giant(platform)))
        r = await enroll(platform, cls["id"], ids[-1])
        assert r.status_code == 201, r.text
    return cls, ids


class TestBackfill:
    async def test_backfilled_enrollments_are_confirmed_and_flagged(
        self, platform: Platform
    ) -> None:
        cls, [trainee_id] = await held_class(platform, 3, 1)
        assert cls["backfilled"] is True
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/enrollments", headers=platform.auth(**HUBEI)
        )
        [enrollment] = r.json()["items"]
        assert enrollment["trainee_id"] == trainee_id
        assert enrollment["state"] == "confirmed" and enrollment["backfilled"] is True
        [event] = await outbox(platform, "enrollment.confirmed")
        assert event["data"]["backfilled"] is True
        pool = platform.apps["training"].state.ctx.db.pool
        audited = await pool.fetchval(
            "SELECT count(*) FROM training.audit_log WHERE resource = $1",
            f"{API}/classes/{cls['id']}/enrollments",
        )
        assert audited == 1

    async def test_eligibility_still_applies_on_the_start_date(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        late = await little_giant(platform, valid_from="2026-07-01")  # recognised after the class
        r = await enroll(platform, cls["id"], await trainee(platform, late))
        assert r.status_code == 422
        assert r.json()["code"] == "ENTERPRISE_NOT_ELIGIBLE"


class TestAttendance:
    async def test_invalid_records_change_nothing(self, platform: Platform) -> None:
        cls, [confirmed] = await held_class(platform, 3, 1)
        stranger = await trainee(platform, await little_giant(platform))
        records = [
            {"session": days(1)[0], "trainee_id": confirmed, "present": True},
            {"session": "2026-06-09", "trainee_id": confirmed, "present": True},
            {"session": days(1)[0], "trainee_id": stranger, "present": True},
        ]
        r = await platform["training"].post(
            f"{API}/classes/{cls['id']}/attendance",
            json={"records": records},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422
        problem = r.json()
        assert problem["code"] == "ATTENDANCE_INVALID"
        assert {(e["field"], e["code"]) for e in problem["errors"]} == {
            ("records[1].session", "NOT_A_SESSION"),
            ("records[2].trainee_id", "NOT_CONFIRMED"),
        }
        pool = platform.apps["training"].state.ctx.db.pool
        assert await pool.fetchval("SELECT count(*) FROM training.attendance") == 0

    async def test_a_day_to_come_cannot_be_recorded(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        r = await platform["training"].post(
            f"{API}/classes/{cls['id']}/attendance",
            json={
                "records": [{"session": cls["start_on"], "trainee_id": cls["id"], "present": True}]
            },
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422
        assert "IN_THE_FUTURE" in {e["code"] for e in r.json()["errors"]}

    async def test_the_institution_records_a_later_record_wins(self, platform: Platform) -> None:
        cls, [t] = await held_class(platform, 3, 1)
        institution = {"role": "institution", "region": "420102", "org": cls["institution_id"]}
        assert (await attend(platform, cls["id"], {t: []}, **institution)).status_code == 200
        r = await attend(platform, cls["id"], {t: days(3)}, **institution)
        assert r.json() == {"recorded": 3}
        pool = platform.apps["training"].state.ctx.db.pool
        assert await pool.fetchval("SELECT count(*) FROM training.attendance WHERE present") == 3
        r = await attend(platform, cls["id"], {t: []}, role="province", region="430000")
        assert r.status_code == 404  # Hunan does not see a Hubei class


class TestClosing:
    async def test_certificates_at_ninety_percent_and_above(self, platform: Platform) -> None:
        cls, (full, ninety, eighty) = await held_class(platform, 10, 3)
        r = await attend(platform, cls["id"], {full: days(10), ninety: days(9), eighty: days(8)})
        assert r.status_code == 200, r.text
        r = await close(platform, cls["id"])
        assert r.status_code == 200, r.text
        assert r.json() == {
            "class_id": cls["id"],
            "completed": 3,
            "certificates": 2,
            "without_certificate": 1,
            "rejected_pending": 0,
        }
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/enrollments", headers=platform.auth(**HUBEI)
        )
        rates = {e["trainee_id"]: (e["state"], e["attendance_rate"]) for e in r.json()["items"]}
        assert rates == {
            full: ("completed", "1.0000"),
            ninety: ("completed", "0.9000"),
            eighty: ("completed", "0.8000"),
        }
        issued = await outbox(platform, "certificate.issued")
        assert {e["data"]["trainee_id"] for e in issued} == {full, ninety}
        number = issued[0]["data"]["number"]
        assert number.startswith("ZJTX-2026-42-")
        r = await platform["training"].get(
            f"{API}/certificates/{number}",
            headers=platform.auth("enterprise", "110101", org=make_uscc("110100")),  # anyone
        )
        assert r.status_code == 200
        assert r.json()["attendance_rate"] in ("1.0000", "0.9000")
        assert "*" in r.json()["trainee_name"]
        r = await platform["training"].get(
            f"{API}/certificates/ZJTX-2026-42-00000000-999", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 404
        assert r.json()["code"] == "CERTIFICATE_NOT_FOUND"
        [closed] = await outbox(platform, "class.closed")
        assert closed["data"]["status"] == "closed"
        assert len(await outbox(platform, "enrollment.completed")) == 3

    async def test_a_closed_class_changes_no_more(self, platform: Platform) -> None:
        cls, [t] = await held_class(platform, 3, 1)
        assert (await close(platform, cls["id"])).status_code == 200
        r = await close(platform, cls["id"])
        assert r.status_code == 409 and r.json()["code"] == "CLASS_CLOSED"
        assert (await attend(platform, cls["id"], {t: days(3)})).json()["code"] == "CLASS_CLOSED"
        late = await trainee(platform, await little_giant(platform))
        assert (await enroll(platform, cls["id"], late)).json()["code"] == "CLASS_CLOSED"

    async def test_a_class_under_way_cannot_be_closed(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        r = await close(platform, cls["id"])
        assert r.status_code == 409
        assert r.json()["code"] == "CLASS_NOT_ENDED"

    async def test_applications_never_confirmed_are_rejected_at_closing(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        t = await trainee(platform, await little_giant(platform))
        assert (await enroll(platform, cls["id"], t)).status_code == 201
        pool = platform.apps["training"].state.ctx.db.pool
        await pool.execute(  # time passes: the class took place
            "UPDATE training.classes SET start_on = $1, end_on = $1 WHERE id = $2::uuid",
            today() - timedelta(days=1),
            cls["id"],
        )
        r = await close(platform, cls["id"])
        assert r.json()["rejected_pending"] == 1 and r.json()["completed"] == 0
        [event] = await outbox(platform, "enrollment.rejected")
        assert event["data"]["trainee_id"] == t


class TestSatisfaction:
    async def survey(
        self, platform: Platform, class_id: str, trainee_id: str, **scores: Any
    ) -> Any:
        body = {"trainee_id": trainee_id, "arrangement": 5, "content": 5, "effect": 5, **scores}
        return await platform["training"].post(
            f"{API}/classes/{class_id}/surveys", json=body, headers=platform.auth(**HUBEI)
        )

    async def test_rate_and_flagged_courses(self, platform: Platform) -> None:
        cls, (a, b, c) = await held_class(platform, 3, 3)
        await close(platform, cls["id"])
        low = {"xi_on_smes": 3, "laws_and_policies": 5}
        r = await self.survey(platform, cls["id"], a, courses=low)
        assert r.status_code == 201, r.text
        assert r.json()["overall"] == "5.00"
        await self.survey(platform, cls["id"], b, content=4, effect=4, courses=low)  # 4.33
        await self.survey(platform, cls["id"], c, arrangement=3, content=3, effect=4)  # 3.33
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/satisfaction", headers=platform.auth(**HUBEI)
        )
        body = r.json()
        assert (body["responses"], body["satisfied"], body["rate"]) == (3, 2, "0.6667")
        flagged = {c["course"]: c["flagged"] for c in body["courses"]}
        assert flagged == {"xi_on_smes": True, "laws_and_policies": False}
        r = await platform["training"].get(
            f"{API}/classes/{cls['id']}/satisfaction?threshold=3",
            headers=platform.auth(**HUBEI),
        )
        assert not any(c["flagged"] for c in r.json()["courses"])
        events = await outbox(platform, "survey.submitted")
        assert [e["data"]["satisfied"] for e in events] == [True, True, False]
        # The next plan is told which courses to adjust, by its own threshold.
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2027-2028", "course_flag_threshold": "3.5"},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 201, r.text
        [course] = r.json()["courses_to_adjust"]
        assert (course["course"], course["average"], course["responses"]) == (
            "xi_on_smes",
            "3.00",
            2,
        )
        assert r.json()["course_flag_threshold"] == "3.50"

    async def test_bad_surveys_are_refused(self, platform: Platform) -> None:
        cls, [t] = await held_class(platform, 3, 1)
        r = await self.survey(platform, cls["id"], t, effect=6)
        assert r.status_code == 422
        r = await self.survey(platform, cls["id"], t, courses={"compliance": 4})
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "courses.compliance"
        assert (await self.survey(platform, cls["id"], t)).status_code == 201
        r = await self.survey(platform, cls["id"], t)
        assert r.status_code == 409 and r.json()["code"] == "SURVEY_EXISTS"
        outsider = await trainee(platform, await little_giant(platform))
        r = await self.survey(platform, cls["id"], outsider)
        assert r.status_code == 409 and r.json()["code"] == "SURVEY_NOT_ALLOWED"

    async def test_no_survey_before_the_class_ends(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await scheduled_class(platform, institution)
        t = await trainee(platform, await little_giant(platform))
        r = await self.survey(platform, cls["id"], t)
        assert r.status_code == 409
        assert r.json()["code"] == "CLASS_NOT_ENDED"


class TestArchive:
    async def test_the_archive_shows_classes_attendance_and_certificates(
        self, platform: Platform
    ) -> None:
        cls, [t] = await held_class(platform, 3, 1)
        await attend(platform, cls["id"], {t: days(3)})
        await close(platform, cls["id"])
        r = await platform["training"].get(
            f"{API}/trainees/{t}/archive", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 200, r.text
        archive = r.json()
        assert archive["trainee"]["id"] == t and archive["trainee"]["masked"] is True
        [entry] = archive["classes"]
        assert entry["class_id"] == cls["id"] and entry["state"] == "completed"
        assert (entry["sessions"], entry["present"], entry["attendance_rate"]) == (3, 3, "1.0000")
        assert entry["certificate_number"].startswith("ZJTX-2026-42-")
        assert entry["backfilled"] is True and entry["surveyed"] is False
        assert date.fromisoformat(entry["start_on"]) == BACKFILL_START
        r = await platform["training"].get(
            f"{API}/trainees/{t}/archive", headers=platform.auth("province", "430000")
        )
        assert r.status_code == 404
