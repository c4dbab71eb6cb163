"""Service projects (000 附件4; 001:18): a selected demand served by an engaged
innovation-service institution, free to the enterprise (000:47), milestone by milestone,
delivered, accepted or sent back by the unit's 验收, rated once by the enterprise; each step
published, and who may see and do what."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from kit.testing import Platform

from tests.factories import make_uscc
from tests.fixtures.innovation import (
    API,
    HUBEI,
    a_round,
    code,
    institution,
    outbox,
    pooled,
    select,
)

pytestmark = pytest.mark.services("registry", "innovation")

ACCEPTED = {"body": "expert_panel", "accepted_on": "2026-11-20", "award_wan_yuan": "30"}


async def selected(platform: Platform) -> str:
    demand_id = await pooled(platform)
    round_id = await a_round(platform)
    assert (await select(platform, round_id, demand_id)).status_code == 201
    return demand_id


def plan(demand_id: str, institution_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "demand_id": demand_id,
        "institution_id": institution_id,
        "services": [{"category": "rd", "content": "轴承热处理工艺联合攻关"}],
        "milestones": [
            {"title": "方案评审", "due_on": "2026-03-31"},
            {"title": "小试验证", "due_on": "2026-09-30"},
        ],
        "fee_to_enterprise": "0",
        **overrides,
    }


async def start(platform: Platform, body: dict[str, Any]) -> httpx.Response:
    return await platform["innovation"].post(
        f"{API}/projects", json=body, headers=platform.auth(*HUBEI)
    )


async def step(
    platform: Platform, path: str, auth: dict[str, str], body: dict[str, Any] | None = None
) -> httpx.Response:
    return await platform["innovation"].post(f"{API}/projects/{path}", json=body, headers=auth)


async def demand_state(platform: Platform, demand_id: str) -> str:
    r = await platform["innovation"].get(
        f"{API}/demands/{demand_id}", headers=platform.auth(*HUBEI)
    )
    return str(r.json()["state"])


class TestProject:
    async def test_from_selection_to_survey(self, platform: Platform) -> None:
        demand_id = await selected(platform)
        institution_id = await institution(platform)
        runner = platform.auth("institution", "420000", org=institution_id)
        unit = platform.auth(*HUBEI)

        r = await start(platform, plan(demand_id, institution_id))
        assert r.status_code == 201, r.text
        project = r.json()
        pid = project["id"]
        assert (project["state"], project["milestones"], project["batch"]) == (
            "in_service",
            2,
            "第一批",
        )
        assert float(project["fee_to_enterprise"]) == 0
        assert await demand_state(platform, demand_id) == "in_service"

        r = await step(platform, f"{pid}/milestones/2:complete", runner)
        assert (r.status_code, code(r)) == (409, "MILESTONE_ORDER")
        assert (await step(platform, f"{pid}/milestones/1:complete", runner)).status_code == 200
        r = await step(platform, f"{pid}:deliver", runner)
        assert (r.status_code, code(r)) == (409, "MILESTONES_OPEN")
        r = await step(platform, f"{pid}/milestones/2:complete", runner, {"note": "小试达标"})
        assert r.json()["milestones_done"] == 2
        r = await step(platform, f"{pid}:deliver", runner)
        assert (r.status_code, r.json()["state"]) == (200, "delivered")
        assert await demand_state(platform, demand_id) == "delivered"

        r = await step(platform, f"{pid}:accept", unit, {**ACCEPTED, "result": "failed"})
        assert (r.status_code, code(r)) == (422, "ACCEPTANCE_AWARD")
        failed = {**ACCEPTED, "result": "failed", "award_wan_yuan": "0", "remarks": "指标未达到"}
        r = await step(platform, f"{pid}:accept", unit, failed)
        assert (r.status_code, r.json()["state"]) == (200, "in_service")
        assert r.json()["acceptance_remarks"] == "指标未达到"
        assert await demand_state(platform, demand_id) == "in_service"
        assert (await step(platform, f"{pid}:deliver", runner)).status_code == 200
        r = await step(platform, f"{pid}:accept", unit, {**ACCEPTED, "result": "passed"})
        assert (r.status_code, r.json()["state"]) == (200, "accepted")
        assert float(r.json()["award_wan_yuan"]) == 30
        assert await demand_state(platform, demand_id) == "accepted"

        enterprise = platform.auth("enterprise", "420102", org=project["enterprise_uscc"])
        survey = {"attitude": 5, "expertise": 4, "effect": 4}
        r = await step(platform, f"{pid}/surveys", enterprise, survey)
        assert r.status_code == 201, r.text
        assert (r.json()["overall"], r.json()["satisfied"]) == ("4.33", True)
        r = await step(platform, f"{pid}/surveys", enterprise, survey)
        assert (r.status_code, code(r)) == (409, "SURVEY_EXISTS")

        events = [
            e["type"].split(".")[-2]
            for name in ("in_service", "milestone_completed", "delivered", "accepted")
            for e in await outbox(platform, f"project.{name}")
        ]
        # Started and sent back, two milestones, delivered twice, accepted once.
        assert sorted(events) == sorted(
            ["in_service"] * 2 + ["milestone_completed"] * 2 + ["delivered"] * 2 + ["accepted"]
        )
        [accepted] = await outbox(platform, "project.accepted")
        assert accepted["data"]["acceptance_result"] == "passed"
        assert accepted["data"]["milestones_done"] == 2 and accepted["province"] == "42"
        [rated] = await outbox(platform, "survey.submitted")
        assert rated["data"]["project_id"] == pid and rated["data"]["satisfied"] is True
        r = await platform["innovation"].get(f"{API}/projects/{pid}/milestones", headers=unit)
        assert [m["note"] for m in r.json()] == [None, "小试达标"]

    async def test_a_survey_waits_for_the_acceptance(self, platform: Platform) -> None:
        demand_id = await selected(platform)
        institution_id = await institution(platform)
        r = await start(platform, plan(demand_id, institution_id))
        enterprise = platform.auth("enterprise", "420102", org=r.json()["enterprise_uscc"])
        s = await step(
            platform,
            f"{r.json()['id']}/surveys",
            enterprise,
            {"attitude": 5, "expertise": 5, "effect": 5},
        )
        assert (s.status_code, code(s)) == (409, "PROJECT_STATE")


class TestProjectRules:
    async def test_free_to_the_enterprise(self, platform: Platform) -> None:
        demand_id = await selected(platform)
        institution_id = await institution(platform)
        r = await start(platform, plan(demand_id, institution_id, fee_to_enterprise="5"))
        assert (r.status_code, code(r)) == (422, "FEE_NOT_ZERO")
        assert "不向企业收取任何费用" in r.json()["detail"]
        assert await demand_state(platform, demand_id) == "selected"

    async def test_only_an_engaged_innovation_institution(self, platform: Platform) -> None:
        demand_id = await selected(platform)
        other_batch = await institution(platform, batch="第二批")
        other_unit = await institution(platform, units=("43",))
        diagnosis = await institution(
            platform, type_="management_diagnosis", task="management_diagnosis"
        )
        for institution_id in (other_batch, other_unit, diagnosis):
            r = await start(platform, plan(demand_id, institution_id))
            assert (r.status_code, code(r)) == (422, "INSTITUTION_NOT_ENGAGED"), institution_id
        assert await outbox(platform, "project.in_service") == []

    async def test_only_a_selected_demand_and_once(self, platform: Platform) -> None:
        institution_id = await institution(platform)
        r = await start(platform, plan(await pooled(platform), institution_id))
        assert (r.status_code, code(r)) == (409, "DEMAND_STATE")
        demand_id = await selected(platform)
        assert (await start(platform, plan(demand_id, institution_id))).status_code == 201
        r = await start(platform, plan(demand_id, institution_id))
        assert (r.status_code, code(r)) == (409, "DEMAND_STATE")


class TestProjectScope:
    async def test_the_institution_sees_its_projects_the_enterprise_its_own(
        self, platform: Platform
    ) -> None:
        demand_id = await selected(platform)
        institution_id = await institution(platform)
        r = await start(platform, plan(demand_id, institution_id))
        pid, uscc = r.json()["id"], r.json()["enterprise_uscc"]
        path = f"{API}/projects/{pid}"
        runner = platform.auth("institution", "420000", org=institution_id)
        other = platform.auth("institution", "420000", org=await institution(platform))
        for allowed in (
            runner,
            platform.auth("enterprise", "420102", org=uscc),
            platform.auth("city", "420100"),
            platform.auth("ministry"),
        ):
            assert (await platform["innovation"].get(path, headers=allowed)).status_code == 200
        for outsider in (
            other,
            platform.auth("enterprise", "420102", org=make_uscc("420102")),
            platform.auth("province", "430000"),
        ):
            assert (await platform["innovation"].get(path, headers=outsider)).status_code == 404
            listed = await platform["innovation"].get(f"{API}/projects", headers=outsider)
            assert listed.json() == []
        r = await step(platform, f"{pid}/milestones/1:complete", other)
        assert r.status_code == 404
        r = await step(platform, f"{pid}/milestones/1:complete", platform.auth(*HUBEI))
        assert r.status_code == 403  # the unit accepts; the institution does the work
        r = await step(platform, f"{pid}:accept", runner, {**ACCEPTED, "result": "passed"})
        assert r.status_code == 403
