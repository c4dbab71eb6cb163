"""``GET /stats``: a unit's (a city's, the nation's) demands by category, the 需求库, the
selection, the projects, the enterprises served (附件5 I1), 验收 and satisfaction (I4), in a
batch or all; a unit that does not run the task shows null, not zero; only government users
read them, each its own region's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from kit.testing import Platform

from tests.fixtures.innovation import (
    API,
    HUBEI,
    a_round,
    act,
    code,
    holder,
    institution,
    pooled,
    put_setting,
    select,
    submitted,
)
from tests.innovation.test_projects import ACCEPTED, plan, start, step
from tests.innovation.test_rounds import close

pytestmark = pytest.mark.services("registry", "innovation")

SURVEY = {"attitude": 5, "expertise": 4, "effect": 4}  # mean 4.33: satisfied


async def stats(platform: Platform, auth: tuple[str, ...] = HUBEI, **query: str) -> Any:
    r = await platform["innovation"].get(f"{API}/stats", params=query, headers=platform.auth(*auth))
    assert r.status_code == 200, r.text
    return r.json()


@dataclass
class Walk:
    """What :func:`a_batch` left: Hubei's 第一批 served and one project accepted."""

    accepted: str  # the accepted project's id
    in_service: str


async def a_batch(platform: Platform) -> Walk:
    """Hubei: three pooled demands (two in 武汉, one in 黄石), one declined, one withdrawn; a
    round of 第一批 (quota 2) selects 武汉's first and 黄石's, the third is not selected; both
    selected are served by one institution, 武汉's accepted and rated satisfied."""
    wuhan, huangshi, rest = (
        await pooled(platform),
        await pooled(platform, region="420202"),
        await pooled(platform),
    )
    uscc = await holder(platform)
    declined = await submitted(platform, uscc, categories=["testing"])
    assert (await act(platform, declined, "decline", {"reason": "重复"})).status_code == 200
    withdrawn = await submitted(platform, uscc)
    r = await act(platform, withdrawn, "withdraw", role="enterprise", org=uscc)
    assert r.status_code == 200, r.text

    round_id = await a_round(platform)
    for demand_id in (wuhan, huangshi):
        assert (await select(platform, round_id, demand_id)).status_code == 201
    assert (await close(platform, round_id)).status_code == 200

    institution_id = await institution(platform)
    runner = platform.auth("institution", "420000", org=institution_id)
    projects = []
    for demand_id in (wuhan, huangshi):
        r = await start(platform, plan(demand_id, institution_id))
        assert r.status_code == 201, r.text
        projects.append(r.json())
    done, open_ = projects
    for path in ("/milestones/1:complete", "/milestones/2:complete", ":deliver"):
        assert (await step(platform, done["id"] + path, runner)).status_code == 200
    passed = {**ACCEPTED, "result": "passed"}
    r = await step(platform, f"{done['id']}:accept", platform.auth(*HUBEI), passed)
    assert r.status_code == 200, r.text
    enterprise = platform.auth("enterprise", "420102", org=done["enterprise_uscc"])
    assert (await step(platform, f"{done['id']}/surveys", enterprise, SURVEY)).status_code == 201
    assert rest  # pooled, not selected when the round closed
    return Walk(accepted=done["id"], in_service=open_["id"])


# Hubei after ``a_batch``, in all batches.
HUBEI_ALL = {
    "runs": True,
    "demands": 4,  # the withdrawn one not counted
    "categories": {
        "rd": 3,
        "proof_of_concept": 0,
        "pilot": 3,
        "testing": 1,
        "commercialization": 0,
        "ip": 0,
    },
    "pooled": 3,
    "declined": 1,
    "selected": 2,
    "not_selected": 1,
    "projects": 2,
    "enterprises_served": 2,
    "accepted": 1,
    "responses": 1,
    "satisfaction": "1.0000",
}
FIGURES = [name for name in HUBEI_ALL if name != "runs"]


def figures(body: dict[str, Any]) -> dict[str, Any]:
    return {name: body[name] for name in HUBEI_ALL}


class TestFigures:
    async def test_a_units_batch_walked_from_demands_to_survey(self, platform: Platform) -> None:
        await a_batch(platform)
        await pooled(platform, region="430102")  # Hunan's: not Hubei's, the nation's

        body = await stats(platform)
        assert (body["unit"], body["batch"]) == ("42", None)
        assert figures(body) == HUBEI_ALL
        assert body["definition"]["version"]
        # The batch holds what its round took up: neither the declined nor the withdrawn.
        first = await stats(platform, batch="第一批")
        assert figures(first) == {
            **HUBEI_ALL,
            "demands": 3,
            "categories": {**HUBEI_ALL["categories"], "testing": 0},
            "declined": 0,
        }
        assert figures(await stats(platform, batch="第二批")) == {
            **dict.fromkeys(FIGURES, 0),
            "runs": True,
            "categories": dict.fromkeys(HUBEI_ALL["categories"], 0),
            "satisfaction": None,
        }
        nation = await stats(platform, ("ministry",))
        assert (nation["unit"], nation["runs"]) == (None, None)
        assert (nation["demands"], nation["pooled"], nation["projects"]) == (5, 4, 2)
        assert (await stats(platform, ("ministry",), unit="42"))["demands"] == 4

    async def test_a_city_reads_its_own_enterprises(self, platform: Platform) -> None:
        await a_batch(platform)
        huangshi = await stats(platform, ("city", "420200"))
        assert (huangshi["unit"], huangshi["runs"]) == ("42", True)
        assert (huangshi["demands"], huangshi["selected"], huangshi["projects"]) == (1, 1, 1)
        assert (huangshi["accepted"], huangshi["responses"]) == (0, 0)
        assert huangshi["satisfaction"] is None

    async def test_an_enterprise_with_two_projects_is_served_once(self, platform: Platform) -> None:
        uscc = await holder(platform)
        demands = [await submitted(platform, uscc) for _ in range(2)]
        round_id = await a_round(platform)
        for demand_id in demands:
            assert (await act(platform, demand_id, "pool")).status_code == 200
            assert (await select(platform, round_id, demand_id)).status_code == 201
        institution_id = await institution(platform)
        for demand_id in demands:
            assert (await start(platform, plan(demand_id, institution_id))).status_code == 201
        body = await stats(platform)
        assert (body["projects"], body["enterprises_served"]) == (2, 1)


class TestNotRun:
    async def test_a_unit_that_does_not_run_it_shows_null_not_zero(
        self, platform: Platform
    ) -> None:
        assert (await put_setting(platform, "43", runs=False)).status_code == 200
        hunan = await stats(platform, ("province", "430000"))
        assert (hunan["unit"], hunan["runs"]) == ("43", False)
        assert all(hunan[name] is None for name in FIGURES)
        said_nothing = await stats(platform, ("ministry",), unit="44")
        assert said_nothing["runs"] is True  # RUNS_BY_DEFAULT: zero, not null
        assert (said_nothing["demands"], said_nothing["categories"]["rd"]) == (0, 0)

    async def test_a_unit_that_stopped_keeps_what_it_did(self, platform: Platform) -> None:
        await pooled(platform)
        assert (await put_setting(platform, runs=False)).status_code == 200
        body = await stats(platform)
        assert (body["runs"], body["demands"], body["pooled"]) == (False, 1, 1)
        assert (await stats(platform, batch="第一批"))["demands"] is None  # ran no round


class TestScope:
    async def test_only_government_users_each_its_own_unit(self, platform: Platform) -> None:
        demand_id = await pooled(platform)
        uscc = (
            await platform["innovation"].get(
                f"{API}/demands/{demand_id}", headers=platform.auth(*HUBEI)
            )
        ).json()["enterprise_uscc"]
        for role, org in (("enterprise", uscc), ("institution", await institution(platform))):
            r = await platform["innovation"].get(
                f"{API}/stats", headers=platform.auth(role, "420102", org=org)
            )
            assert (r.status_code, code(r)) == (403, "FORBIDDEN"), role
        r = await platform["innovation"].get(
            f"{API}/stats", params={"unit": "42"}, headers=platform.auth("province", "430000")
        )
        assert (r.status_code, code(r)) == (403, "REGION_OUT_OF_SCOPE")
        assert "420000" in r.json()["detail"]
        hunan = await stats(platform, ("province", "430000"))
        assert (hunan["unit"], hunan["demands"]) == ("43", 0)
