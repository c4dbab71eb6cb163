"""验收, activities, surveys and the figures (附件5 Q1–Q5, M1–M3), each rule broken once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from kit.clock import today
from kit.testing import Platform

from tests.diagnosis.test_flow import Engagement, started
from tests.fixtures.diagnosis import API, BATCH, act, giant, outbox, requested

pytestmark = pytest.mark.services("registry", "diagnosis")

HUBEI = ("province", "420000")


async def confirmed(platform: Platform, e: Engagement, level: str = "assurance") -> None:
    assert (await e.assess()).status_code == 200
    assert (await e.visit()).status_code == 201
    assert (await e.report(level=level)).status_code == 200
    assert (await act(platform, e.id, "confirm")).status_code == 200


async def post(platform: Platform, path: str, body: dict[str, Any], who: Any = HUBEI) -> Any:
    return await platform["diagnosis"].post(f"{API}/{path}", json=body, headers=platform.auth(*who))


def acceptance(institution_id: str, ids: list[str], **overrides: Any) -> dict[str, Any]:
    body = {
        "institution_id": institution_id,
        "unit": "42",
        "kind": "quality",
        "batch": BATCH,
        "body": "expert_panel",
        "accepted_on": today().isoformat(),
        "result": "passed",
        "award_wan_yuan": "30",
        "engagement_ids": ids,
    }
    return {**body, **overrides}


async def test_acceptance_of_an_institutions_confirmed_work(platform: Platform) -> None:
    e = await started(platform)
    await confirmed(platform, e)
    institution_id = e.institution_id
    open_one = await requested(platform, await giant(platform))
    await act(platform, open_one, "assign", {"institution_id": institution_id})

    r = await post(platform, "acceptances", acceptance(institution_id, [e.id, open_one]))
    assert (r.status_code, r.json()["code"]) == (422, "ACCEPTANCE_ENGAGEMENTS")
    assert [x["field"] for x in r.json()["errors"]] == ["engagement_ids.1"]
    r = await post(platform, "acceptances", acceptance(institution_id, [e.id], result="failed"))
    assert r.json()["code"] == "ACCEPTANCE_AWARD"
    r = await post(platform, "acceptances", acceptance(institution_id, [e.id], batch="第二批"))
    assert r.json()["code"] == "INSTITUTION_NOT_ENGAGED"
    r = await post(platform, "acceptances", acceptance(institution_id, [e.id]), ("city", "420100"))
    assert r.status_code == 403
    r = await post(
        platform, "acceptances", acceptance(institution_id, [e.id]), ("province", "430000")
    )
    assert r.json()["code"] == "REGION_OUT_OF_SCOPE"
    r = await post(platform, "acceptances", acceptance(institution_id, [e.id]))
    assert r.status_code == 201, r.text
    assert (await post(platform, "acceptances", acceptance(institution_id, [e.id]))).json()[
        "code"
    ] == "ACCEPTANCE_EXISTS"
    [event] = await outbox(platform, "acceptance.recorded")
    assert event["data"]["award_wan_yuan"] == "30.00"


async def test_activities_of_the_units_enterprises(platform: Platform) -> None:
    mine, theirs = await giant(platform), await giant(platform, region="430102")
    activity = {
        "kind": "quality_standard_training",
        "held_on": today().isoformat(),
        "unit": "42",
        "title": "贯标培训（武汉站）",
        "enterprise_usccs": [mine],
    }
    assert (await post(platform, "activities", activity)).status_code == 201
    r = await post(platform, "activities", {**activity, "enterprise_usccs": [mine, theirs]})
    assert (r.json()["code"], r.json()["errors"][0]["field"]) == (
        "ACTIVITY_ENTERPRISES",
        "enterprise_usccs.1",
    )
    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert (await post(platform, "activities", {**activity, "held_on": tomorrow})).json()[
        "code"
    ] == "ACTIVITY_IN_FUTURE"
    e = await started(platform)
    engaged = e.institution_id
    by_institution = ("institution", "420100", engaged)
    assert (await post(platform, "activities", activity, by_institution)).status_code == 201
    r = await post(
        platform,
        "activities",
        {**activity, "unit": "43", "enterprise_usccs": [theirs]},
        by_institution,
    )
    assert r.status_code == 403  # not engaged by Hunan


async def test_surveys_and_the_figures(platform: Platform) -> None:
    await post(
        platform,
        "plans",
        {"unit": "42", "kind": "quality", "year": today().year, "planned_enterprises": 10},
    )
    first, second = await started(platform), await started(platform)
    await requested(platform, await giant(platform))  # requested only
    cancelled = await requested(platform, await giant(platform))
    await act(platform, cancelled, "cancel", {"reasons": ["企业另行安排"]})
    survey = {"attitude": 5, "expertise": 4, "report": 4, "effect": 3}
    r = await first.post("surveys", survey, first.enterprise)
    assert r.json()["code"] == "ENGAGEMENT_STATE"  # not before the report is confirmed
    await confirmed(platform, first)
    await confirmed(platform, second, level="prevention")
    r = await second.post("spot-check", {"level": "inspection"}, platform.auth("ministry"))
    assert r.status_code == 200
    assert (await first.post("surveys", survey, platform.auth(*HUBEI))).status_code == 403
    r = await first.post("surveys", survey, first.enterprise)
    assert (r.status_code, r.json()["overall"], r.json()["satisfied"]) == (201, "4.00", True)
    assert (await first.post("surveys", survey, first.enterprise)).json()["code"] == "SURVEY_EXISTS"
    r = await second.post("surveys", {**survey, "effect": 1}, second.enterprise)
    assert r.json()["satisfied"] is False

    query = {"kind": "quality", "year": today().year}
    r = await platform["diagnosis"].get(f"{API}/stats", params=query, headers=platform.auth(*HUBEI))
    stats = r.json()
    assert (stats["planned"], stats["requested"], stats["self_assessed"], stats["diagnosed"]) == (
        10,
        3,
        2,
        2,
    )
    assert stats["reports_with_suggestions"] == 2 and stats["willing_served"] == "0.6667"
    assert stats["levels"] == {"assurance": 1, "inspection": 1}  # the spot check's level wins
    assert (stats["responses"], stats["satisfaction"]) == (2, "0.5000")
    assert stats["definition"]["version"]
    r = await platform["diagnosis"].get(
        f"{API}/stats", params={**query, "unit": "42"}, headers=platform.auth("province", "430000")
    )
    assert r.status_code == 404
    national = await platform["diagnosis"].get(
        f"{API}/stats", params=query, headers=platform.auth("ministry")
    )
    assert national.json()["requested"] == 3 and national.json()["unit"] is None
