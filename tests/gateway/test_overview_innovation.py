"""Overview innovation sections, fed by innovation events: innovation outbox → relay →
JetStream → the gateway's consumer (inbox, version-guarded demand and project replicas, the
enterprises served, the units' settings, counters)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from gateway.innovation.overview import InnovationFigures
from kit.events.envelope import CloudEvent
from kit.testing import Platform, eventually

from tests.factories import make_uscc
from tests.gateway.test_overview import applied, emit, overview, row
from tests.gateway.test_overview_diagnosis import seen_by
from tests.innovation.test_stats import a_batch
from tests.innovation.test_stats import stats as innovation_stats

pytestmark = pytest.mark.services("innovation", "gateway")

INNOVATION = "innovation"


# ---- innovation events, as the innovation service publishes them --------------------------


def a_demand(
    region: str = "420102", unit: str | None = None, categories: tuple[str, ...] = ("rd",)
) -> dict[str, Any]:
    """A submitted demand of an enterprise in ``region`` (its unit: the province)."""
    return {
        "id": str(uuid.uuid4()),
        "enterprise_uscc": make_uscc(region[:4] + "00"),
        "unit": unit or region[:2],
        "region_code": region,
        "enterprise_tier": "little_giant",
        "categories": list(categories),
        "title": "高精度减速器轴承寿命提升",
        "budget_wan_yuan": "120",
        "onsite_needed": True,
        "publishable": True,
        "submitted_on": "2025-06-02",
        "state": "submitted",
        "round_id": None,
        "batch": None,
        "version": 1,
    }


async def demand_at(
    platform: Platform, d: dict[str, Any], state: str, version: int, **changes: Any
) -> CloudEvent:
    """``demand.<state>``: the demand as it is after the step, at ``version``."""
    data = {**d, **changes, "state": state, "version": version}
    return await emit(platform, INNOVATION, "demand", state, data, subject=d["id"], unit=d["unit"])


async def in_batch(
    platform: Platform, d: dict[str, Any], state: str = "selected", batch: str = "第一批"
) -> CloudEvent:
    return await demand_at(platform, d, state, 3, round_id=str(uuid.uuid4()), batch=batch)


def a_project(d: dict[str, Any], batch: str = "第一批") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "demand_id": d["id"],
        "enterprise_uscc": d["enterprise_uscc"],
        "unit": d["unit"],
        "region_code": d["region_code"],
        "batch": batch,
        "institution_id": str(uuid.uuid4()),
        "categories": d["categories"],
        "state": "in_service",
        "milestones": 2,
        "milestones_done": 0,
        "fee_to_enterprise": "0",
        "version": 1,
    }


async def project_at(
    platform: Platform, p: dict[str, Any], event: str, version: int, **changes: Any
) -> CloudEvent:
    data = {**p, **changes, "version": version}
    return await emit(platform, INNOVATION, "project", event, data, subject=p["id"], unit=p["unit"])


async def rated(platform: Platform, p: dict[str, Any], satisfied: bool) -> CloudEvent:
    data = {
        "project_id": p["id"],
        "unit": p["unit"],
        "batch": p["batch"],
        "overall": "4.50" if satisfied else "3.00",
        "satisfied": satisfied,
    }
    return await emit(
        platform, INNOVATION, "survey", "submitted", data, subject=p["id"], unit=p["unit"]
    )


async def setting(platform: Platform, unit: str, runs: bool, version: int) -> CloudEvent:
    data = {"unit": unit, "runs": runs, "eligible_tiers": ["little_giant"], "version": version}
    return await emit(platform, INNOVATION, "setting", "updated", data, subject=unit, unit=unit)


async def counted(platform: Platform, *events: CloudEvent) -> None:
    await applied(platform, INNOVATION, *events)


def figure(body: dict[str, Any], name: str, *provinces: str) -> list[Any]:
    """The innovation figure ``name`` in each province's row, then in the totals."""
    rows = [row(body, p) for p in provinces] + [body["totals"]]
    return [r["innovation"][name] for r in rows]


def in_cities(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {c["city"]: c["innovation"][name] for c in body["cities"]}


# ---- the sections -------------------------------------------------------------------------


class TestScopes:
    async def test_counted_in_unit_and_city_and_summed_for_the_nation(
        self, platform: Platform
    ) -> None:
        wuhan, huangshi = a_demand("420102", categories=("rd", "pilot")), a_demand("420202")
        chengdu, ningbo = a_demand("510104", categories=("ip",)), a_demand("330203", unit="3302")
        await counted(
            platform,
            *[await demand_at(platform, d, "submitted", 1) for d in (wuhan, huangshi, chengdu)],
            await demand_at(platform, ningbo, "submitted", 1),
        )
        body = await overview(platform)
        assert figure(body, "demands", "42", "51", "33", "3302", "44") == [2, 1, 0, 1, 0, 4]
        assert body["totals"]["innovation"]["categories"] == {
            "rd": 3,
            "proof_of_concept": 0,
            "pilot": 1,
            "testing": 0,
            "commercialization": 0,
            "ip": 1,
        }
        assert figure(body, "runs", "42") == [True, None]  # the nation runs nothing itself
        hubei = await seen_by(platform, "420000")
        assert in_cities(hubei, "demands") == {"420100": 1, "420200": 1}
        assert hubei["totals"]["innovation"]["demands"] == 2
        assert in_cities(await seen_by(platform, "330000"), "demands") == {}
        own = await seen_by(platform, "330200")
        assert (own["totals"]["innovation"]["demands"], in_cities(own, "demands")) == (
            1,
            {"330200": 1},
        )


class TestDemands:
    async def test_each_step_moves_the_counts_and_a_late_old_one_is_ignored(
        self, platform: Platform
    ) -> None:
        d, declined = a_demand(), a_demand()
        await counted(
            platform,
            await demand_at(platform, d, "submitted", 1),
            await demand_at(platform, declined, "declined", 2),
        )
        body = await overview(platform)
        assert figure(body, "demands", "42") == [2, 2]
        assert figure(body, "declined", "42") == [1, 1]
        assert figure(body, "pooled", "42") == [0, 0]
        newer = await in_batch(platform, d)
        older = await demand_at(platform, d, "pooled", 2)
        await counted(platform, newer, older)
        body = await overview(platform)
        assert figure(body, "pooled", "42") == [1, 1]  # selected is still in the 需求库
        assert figure(body, "selected", "42") == [1, 1]
        first = await overview(platform, batch="1")
        assert figure(first, "demands", "42") == [1, 1]  # the declined one is in no round
        assert figure(first, "selected", "42") == [1, 1]

    async def test_a_withdrawn_selection_leaves_its_batch(self, platform: Platform) -> None:
        d = a_demand()
        await counted(platform, await in_batch(platform, d))
        assert figure(await overview(platform, batch="1"), "selected", "42") == [1, 1]
        await counted(platform, await demand_at(platform, d, "pooled", 4))
        first = await overview(platform, batch="1")
        assert figure(first, "demands", "42") == [0, 0]
        body = await overview(platform)
        assert (figure(body, "pooled", "42"), figure(body, "selected", "42")) == (
            [1, 1],
            [0, 0],
        )

    async def test_a_withdrawn_demand_counts_nothing(self, platform: Platform) -> None:
        d = a_demand(categories=("testing",))
        await counted(platform, await demand_at(platform, d, "pooled", 2))
        await counted(platform, await demand_at(platform, d, "withdrawn", 3))
        body = await overview(platform)
        assert figure(body, "demands", "42") == [0, 0]
        assert body["totals"]["innovation"]["categories"]["testing"] == 0
        assert figure(body, "pooled", "42") == [0, 0]

    async def test_the_rest_of_a_closed_round_is_not_selected(self, platform: Platform) -> None:
        await counted(platform, await in_batch(platform, a_demand(), "not_selected"))
        first = await overview(platform, batch="1")
        assert figure(first, "not_selected", "42") == [1, 1]
        assert figure(first, "pooled", "42") == [1, 1]
        assert figure(await overview(platform, batch="2"), "not_selected", "42") == [0, 0]


class TestProjects:
    async def test_projects_accepted_and_enterprises_served_once(self, platform: Platform) -> None:
        d, again, other = a_demand(), a_demand(), a_demand("420202")
        again["enterprise_uscc"] = d["enterprise_uscc"]  # a second demand of the enterprise
        first, second = a_project(d), a_project(again, batch="第二批")
        third = a_project(other)
        events = [await project_at(platform, p, "in_service", 1) for p in (first, second, third)]
        events.append(await project_at(platform, first, "accepted", 5, state="accepted"))
        events.append(await project_at(platform, first, "delivered", 4, state="delivered"))
        await counted(platform, *events)
        body = await overview(platform)
        assert figure(body, "projects", "42") == [3, 3]
        assert figure(body, "accepted", "42") == [1, 1]  # the late delivery changed nothing
        assert figure(body, "enterprises_served", "42") == [2, 2]
        assert figure(await overview(platform, batch="1"), "enterprises_served", "42") == [2, 2]
        assert figure(await overview(platform, batch="2"), "enterprises_served", "42") == [1, 1]
        hubei = await seen_by(platform, "420000")
        assert in_cities(hubei, "enterprises_served") == {"420100": 1, "420200": 1}
        # A failed 验收 sends it back to service: no longer accepted, still served.
        await counted(platform, await project_at(platform, first, "in_service", 6))
        body = await overview(platform)
        assert figure(body, "accepted", "42") == [0, 0]
        assert figure(body, "enterprises_served", "42") == [2, 2]

    async def test_satisfaction_and_a_survey_before_its_project(self, platform: Platform) -> None:
        good, poor = a_project(a_demand()), a_project(a_demand("420202"))
        await counted(
            platform,
            await project_at(platform, good, "accepted", 5, state="accepted"),
            await rated(platform, good, satisfied=True),
            await rated(platform, good, satisfied=False),  # a second survey: counted once
            await rated(platform, poor, satisfied=False),
        )
        body = await overview(platform)
        assert figure(body, "responses", "42") == [2, 2]
        assert figure(body, "satisfaction", "42", "51") == ["0.5000", None, "0.5000"]
        assert figure(body, "projects", "42") == [1, 1]
        assert in_cities(await seen_by(platform, "420000"), "responses") == {"420100": 1}
        await counted(platform, await project_at(platform, poor, "accepted", 5, state="accepted"))
        hubei = await seen_by(platform, "420000")
        assert in_cities(hubei, "responses") == {"420100": 1, "420200": 1}
        assert figure(await overview(platform), "projects", "42") == [2, 2]


class TestNotRun:
    async def test_a_unit_that_does_not_run_it_shows_as_not_run(self, platform: Platform) -> None:
        newer, older = (
            await setting(platform, "43", False, 2),
            await setting(platform, "43", True, 1),
        )
        await counted(platform, newer, older, await demand_at(platform, a_demand(), "submitted", 1))
        body = await overview(platform)
        hunan = row(body, "43")["innovation"]
        assert hunan["runs"] is False
        assert all(v is None for k, v in hunan.items() if k != "runs"), hunan
        assert (
            row(body, "44")["innovation"]["runs"],
            row(body, "44")["innovation"]["demands"],
        ) == (
            True,
            0,
        )  # said nothing: runs it, zero so far
        assert figure(body, "demands", "42") == [1, 1]
        await counted(platform, await setting(platform, "43", True, 3))
        assert row(await overview(platform), "43")["innovation"]["demands"] == 0

    async def test_a_unit_that_stopped_keeps_what_it_did(self, platform: Platform) -> None:
        await counted(platform, await demand_at(platform, a_demand(), "pooled", 2))
        await counted(platform, await setting(platform, "42", False, 1))
        hubei = row(await overview(platform), "42")["innovation"]
        assert (hubei["runs"], hubei["demands"], hubei["pooled"]) == (False, 1, 1)
        city = (await seen_by(platform, "420100"))["totals"]["innovation"]
        assert (city["runs"], city["demands"]) == (False, 1)


class TestFreshness:
    async def test_the_overview_counts_an_event_within_a_second(self, platform: Platform) -> None:
        await counted(platform, await demand_at(platform, a_demand(), "submitted", 1))  # warm
        await demand_at(platform, a_demand(), "submitted", 1)
        committed = time.monotonic()

        async def seen() -> bool:
            body = await overview(platform)
            return bool(body["totals"]["innovation"]["demands"] == 2)

        await eventually(seen, timeout=1.0, message="the overview counted the demand")
        assert time.monotonic() - committed < 1.0

    async def test_current_whatever_the_date(self, platform: Platform) -> None:
        await counted(platform, await demand_at(platform, a_demand(), "submitted", 1))
        body = await overview(platform, as_of="2024-01-01")
        assert "innovation" in body["not_as_of"]
        assert body["totals"]["innovation"]["demands"] == 1


# What the overview and ``GET /stats`` both show: every figure of the section.
SHARED = list(InnovationFigures.model_fields)


@pytest.mark.services("registry", "innovation", "gateway")
class TestWithTheInnovationService:
    async def test_a_batch_walked_through_the_service_counts_as_its_stats(
        self, platform: Platform
    ) -> None:
        await a_batch(platform)

        async def all_counted() -> dict[str, Any]:
            figures: dict[str, Any] = row(await overview(platform), "42")["innovation"]
            return figures if figures["responses"] == 1 else {}

        section = await eventually(all_counted, message="the gateway counted the batch")
        ministry = ("ministry",)
        for batch, query in ((None, {}), ("1", {"batch": "第一批"}), ("2", {"batch": "第二批"})):
            shown = row(await overview(platform, **({"batch": batch} if batch else {})), "42")
            expected = await innovation_stats(platform, ministry, unit="42", **query)
            assert {k: shown["innovation"][k] for k in SHARED} == {
                k: expected[k] for k in SHARED
            }, batch
        assert (section["demands"], section["projects"], section["accepted"]) == (4, 2, 1)
        huangshi = (await seen_by(platform, "420200"))["totals"]["innovation"]
        expected = await innovation_stats(platform, ("city", "420200"))
        assert {k: huangshi[k] for k in SHARED} == {k: expected[k] for k in SHARED}
        nation = (await overview(platform))["totals"]["innovation"]
        expected = await innovation_stats(platform, ministry)
        assert {k: nation[k] for k in SHARED} == {k: expected[k] for k in SHARED}
