"""The flow of an engagement (API.md): requested → assigned → self_assessed → reviewed →
reported → confirmed (→ spot_checked, quality), a return sending the report back, each step
by its own role, each an event; questionnaires versioned and scored by their version."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from kit.testing import Platform

from tests.fixtures.diagnosis import API, act, giant, institution, outbox, requested

pytestmark = pytest.mark.services("registry", "diagnosis")

ANSWERS = {"basic_1": 5, "basic_2": True, "digital_1": 3, "success_1": 1, "performance_1": 80}
REPORT = {"level": "assurance", "findings": "体系运行有效。", "suggestions": ["建立 SPC 监控"]}


class Engagement:
    """One engagement and the callers that work on it."""

    def __init__(self, platform: Platform, id: str, uscc: str, institution_id: str) -> None:
        self.platform, self.id, self.institution_id = platform, id, institution_id
        self.enterprise = platform.auth("enterprise", "420102", org=uscc)
        self.institution = platform.auth("institution", "420100", org=institution_id)

    async def put(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        return await self.platform["diagnosis"].put(
            f"{API}/engagements/{self.id}/{path}", json=body, headers=headers
        )

    async def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> httpx.Response:
        return await self.platform["diagnosis"].post(
            f"{API}/engagements/{self.id}/{path}", json=body, headers=headers
        )

    async def assess(
        self, answers: dict[str, Any] = ANSWERS, code: str = "sample-quality"
    ) -> httpx.Response:
        body = {"questionnaire_code": code, "answers": answers}
        return await self.put("self-assessment", body, self.enterprise)

    async def visit(self, mode: str = "onsite") -> httpx.Response:
        body = {
            "visited_on": "2025-09-16",
            "mode": mode,
            "experts": ["李工"],
            "findings": "数据人工采集为主。",
        }
        return await self.post("visits", body, self.institution)

    async def report(self, **overrides: Any) -> httpx.Response:
        return await self.put("report", {**REPORT, **overrides}, self.institution)


async def started(platform: Platform, kind: str = "quality", **overrides: Any) -> Engagement:
    uscc = await giant(platform)
    engagement_id = await requested(platform, uscc, kind, **overrides)
    institution_id = await institution(platform, kind)
    r = await act(platform, engagement_id, "assign", {"institution_id": institution_id})
    assert r.status_code == 200, r.text
    return Engagement(platform, engagement_id, uscc, institution_id)


def state_error(r: httpx.Response) -> tuple[int, str]:
    return r.status_code, r.json()["code"]


async def test_a_quality_engagement_from_request_to_spot_check(platform: Platform) -> None:
    e = await started(platform)
    r = await e.assess()
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scores"] == {
        "basic": "100.00",
        "digital": "50.00",
        "sustained_success": "0.00",
        "performance": "80.00",
    }
    assert (body["total"], body["indicated_level"], body["questionnaire_version"]) == (
        "58.50",
        "inspection",
        1,
    )
    assert (await e.visit()).status_code == 201
    r = await e.report()
    assert r.status_code == 200 and r.json()["revision"] == 1
    r = await act(platform, e.id, "return", {"reasons": ["建议未结合企业实际"]})
    assert r.json()["state"] == "reviewed"
    r = await e.report(suggestions=["建立 SPC 监控", "完善供应商评价"])
    assert r.json()["revision"] == 2
    r = await act(platform, e.id, "confirm")
    assert (r.json()["state"], r.json()["level"], r.json()["suggestions"]) == (
        "confirmed",
        "assurance",
        2,
    )
    r = await e.post(
        "spot-check",
        {"level": "inspection", "remarks": "证据不足"},
        platform.auth("province", "420000"),
    )
    assert r.status_code == 403
    r = await e.post(
        "spot-check", {"level": "inspection", "remarks": "证据不足"}, platform.auth("ministry")
    )
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["level"], r.json()["spot_level"]) == (
        "spot_checked",
        "assurance",
        "inspection",
    )

    states = [
        ev["data"]["state"]
        for name in (
            "requested",
            "assigned",
            "self_assessed",
            "reviewed",
            "reported",
            "confirmed",
            "spot_checked",
        )
        for ev in await outbox(platform, f"engagement.{name}")
    ]
    assert states.count("reviewed") == 2 and states.count("reported") == 2  # the return
    assert {"requested", "assigned", "self_assessed", "confirmed", "spot_checked"} <= set(states)
    history = await platform["diagnosis"].get(
        f"{API}/engagements/{e.id}/history", headers=platform.auth("ministry")
    )
    steps = [(h["from_state"], h["to_state"]) for h in history.json()]
    assert steps[0] == (None, "requested") and ("reported", "reviewed") in steps
    returned = next(
        h for h in history.json() if h["from_state"] == "reported" and h["to_state"] == "reviewed"
    )
    assert returned["details"]["reasons"] == ["建议未结合企业实际"]


async def test_each_step_in_its_order_and_by_its_role(platform: Platform) -> None:
    e = await started(platform)
    assert state_error(await e.visit()) == (409, "ENGAGEMENT_STATE")  # not self-assessed yet
    assert state_error(await e.report()) == (409, "ENGAGEMENT_STATE")
    assert state_error(await act(platform, e.id, "confirm")) == (409, "ENGAGEMENT_STATE")
    r = await e.put(
        "self-assessment",
        {"questionnaire_code": "sample-quality", "answers": ANSWERS},
        e.institution,
    )
    assert r.status_code == 403  # the enterprise assesses itself
    assert (await e.assess()).status_code == 200
    assert (await e.assess({**ANSWERS, "digital_1": 5})).json()["scores"]["digital"] == "100.00"
    r = await e.post(
        "visits",
        {"visited_on": "2025-09-16", "mode": "onsite", "experts": ["李工"], "findings": "x"},
        e.enterprise,
    )
    assert r.status_code == 403
    rival = platform.auth("institution", "420100", org=await institution(platform))
    r = await e.post(
        "visits",
        {"visited_on": "2025-09-16", "mode": "onsite", "experts": ["李工"], "findings": "x"},
        rival,
    )
    assert r.status_code == 404  # another institution does not even see it
    assert (await e.visit("online")).status_code == 201
    assert state_error(await e.report()) == (409, "REPORT_NEEDS_VISIT")  # it asked for on-site
    assert (await e.visit()).status_code == 201
    assert state_error(await e.report(level=None)) == (422, "REPORT_LEVEL")
    assert (await e.report(suggestions=[])).status_code == 422
    assert state_error(await e.assess()) == (409, "ENGAGEMENT_STATE")  # reviewed: too late
    r = await act(platform, e.id, "confirm", role="city", region="420100")
    assert r.status_code == 403


async def test_answers_must_fit_the_questionnaire(platform: Platform) -> None:
    e = await started(platform)
    r = await e.assess({**ANSWERS, "basic_1": 6, "extra": 1, "success_1": None})
    assert r.status_code == 422
    r = await e.assess({k: v for k, v in ANSWERS.items() if k != "digital_1"})
    assert [x["code"] for x in r.json()["errors"]] == ["MISSING"]
    r = await e.assess(code="sample-management")
    assert state_error(r) == (404, "QUESTIONNAIRE_NOT_FOUND")  # a management one


async def test_a_later_version_never_changes_an_assessment(platform: Platform) -> None:
    e = await started(platform)
    assert (await e.assess()).json()["indicated_level"] == "inspection"
    listed = await platform["diagnosis"].get(
        f"{API}/questionnaires?kind=quality", headers=platform.auth("ministry")
    )
    sample = next(q for q in listed.json() if q["code"] == "sample-quality")
    assert sample["sample"] is True
    newer = {k: sample[k] for k in ("code", "kind", "title", "source", "dimensions")}
    newer["thresholds"] = [
        {"level": "experience", "min_total": 0},
        {"level": "inspection", "min_total": 70},
    ]
    r = await platform["diagnosis"].post(
        f"{API}/questionnaires", json=newer, headers=platform.auth("province", "420000")
    )
    assert r.status_code == 403  # the ministry publishes questionnaires
    r = await platform["diagnosis"].post(
        f"{API}/questionnaires", json=newer, headers=platform.auth("ministry")
    )
    assert (r.status_code, r.json()["version"]) == (201, 2)
    kept = await platform["diagnosis"].get(
        f"{API}/engagements/{e.id}/self-assessment", headers=e.enterprise
    )
    assert (kept.json()["questionnaire_version"], kept.json()["indicated_level"]) == (
        1,
        "inspection",
    )
    again = await e.assess()
    assert (again.json()["questionnaire_version"], again.json()["indicated_level"]) == (
        2,
        "experience",
    )


async def test_management_has_no_level_and_may_become_a_typical_case(platform: Platform) -> None:
    e = await started(platform, "management")
    assert (
        await e.assess(
            {
                f"{c}_1": 4
                for c in (
                    "strategy",
                    "hr",
                    "production",
                    "supply_chain",
                    "marketing",
                    "decision_image",
                )
            },
            "sample-management",
        )
    ).status_code == 200
    assert (await e.visit()).status_code == 201
    assert state_error(await e.report()) == (422, "REPORT_LEVEL")
    assert (await e.report(level=None)).status_code == 200
    case = {"title": "以精益管理提升交付能力", "summary": "诊断后推行精益生产。"}
    assert state_error(await act(platform, e.id, "promote", case)) == (409, "ENGAGEMENT_STATE")
    await act(platform, e.id, "confirm")
    r = await e.post("spot-check", {"level": "inspection"}, platform.auth("ministry"))
    assert state_error(r) == (409, "KIND_MISMATCH")
    r = await act(platform, e.id, "promote", case)
    assert r.status_code == 201, r.text
    assert state_error(await act(platform, e.id, "promote", case)) == (409, "CASE_EXISTS")
    [event] = await outbox(platform, "engagement.promoted")
    assert event["data"]["typical_case"] is True
