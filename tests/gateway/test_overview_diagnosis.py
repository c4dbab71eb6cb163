"""Overview diagnosis sections, fed by diagnosis events: diagnosis outbox → relay →
JetStream → the gateway's consumer (inbox, version-guarded engagement replicas, counters)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from kit.codes import PLAN_CITIES
from kit.events.envelope import CloudEvent
from kit.testing import Platform, eventually

from tests.diagnosis import test_results as results
from tests.diagnosis.test_flow import started
from tests.factories import make_uscc
from tests.fixtures.diagnosis import API
from tests.gateway.test_overview import OVERVIEW, applied, emit, overview, row

pytestmark = pytest.mark.services("diagnosis", "gateway")


# ---- diagnosis events, as the diagnosis service publishes them ----------------------------


def an_engagement(
    region: str = "420102", kind: str = "quality", unit: str | None = None, batch: str = "第一批"
) -> dict[str, Any]:
    """A requested engagement of an enterprise in ``region`` (its unit: the province)."""
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "enterprise_uscc": make_uscc(region[:4] + "00"),
        "unit": unit or region[:2],
        "region_code": region,
        "batch": batch,
        "mode": "onsite",
        "state": "requested",
        "requested_on": "2025-06-02",
        "institution_id": None,
        "level": None,
        "spot_level": None,
        "suggestions": 0,
        "typical_case": False,
        "version": 1,
    }


async def step(
    platform: Platform,
    e: dict[str, Any],
    state: str,
    version: int,
    *,
    event: str | None = None,
    **changes: Any,
) -> CloudEvent:
    """``engagement.<event>`` (by default ``<state>``): the engagement as it is after the
    step, at ``version``."""
    data = {**e, **changes, "state": state, "version": version}
    name = event or state
    return await emit(
        platform, "diagnosis", "engagement", name, data, subject=e["id"], unit=e["unit"]
    )


async def confirmed(
    platform: Platform, e: dict[str, Any], level: str | None = "assurance", suggestions: int = 2
) -> CloudEvent:
    return await step(platform, e, "confirmed", 6, level=level, suggestions=suggestions)


async def rated(platform: Platform, e: dict[str, Any], satisfied: bool) -> CloudEvent:
    data = {
        "engagement_id": e["id"],
        "kind": e["kind"],
        "unit": e["unit"],
        "batch": e["batch"],
        "overall": "4.50" if satisfied else "3.00",
        "satisfied": satisfied,
    }
    return await emit(
        platform, "diagnosis", "survey", "submitted", data, subject=e["id"], unit=e["unit"]
    )


async def activity(platform: Platform, kind: str, unit: str = "42") -> CloudEvent:
    activity_id = str(uuid.uuid4())
    data = {
        "id": activity_id,
        "kind": kind,
        "held_on": "2025-06-18",
        "unit": unit,
        "institution_id": None,
        "enterprises": 12,
    }
    return await emit(
        platform, "diagnosis", "activity", "recorded", data, subject=activity_id, unit=unit
    )


def figure(body: dict[str, Any], kind: str, name: str, *provinces: str) -> list[Any]:
    """The diagnosis figure ``name`` of ``kind`` in each province's row, then in the totals."""
    rows = [row(body, p) for p in provinces] + [body["totals"]]
    return [r["diagnosis"][kind][name] for r in rows]


def cities(body: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    return {c["city"]: c["diagnosis"][kind][name] for c in body["cities"]}


async def seen_by(platform: Platform, region: str) -> dict[str, Any]:
    """The overview as a user of ``region`` sees it (a province, a 计划单列市 or a city)."""
    role = "province" if region.endswith("0000") or region in PLAN_CITIES else "city"
    r = await platform["gateway"].get(OVERVIEW, headers=platform.auth(role, region))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


# ---- the sections -------------------------------------------------------------------------


class TestScopes:
    async def test_counted_in_unit_and_city_and_summed_for_the_nation(
        self, platform: Platform
    ) -> None:
        wuhan, huangshi = an_engagement("420102"), an_engagement("420202")
        chengdu, managed = an_engagement("510104"), an_engagement("420103", kind="management")
        events = [await step(platform, e, "requested", 1) for e in (wuhan, huangshi, chengdu)]
        events.append(await step(platform, managed, "requested", 1))
        await applied(platform, "diagnosis", *events)

        body = await overview(platform)
        assert figure(body, "quality", "requested", "42", "51", "44") == [2, 1, 0, 3]
        assert figure(body, "management", "requested", "42", "51") == [1, 0, 1]
        hubei = await seen_by(platform, "420000")
        assert cities(hubei, "quality", "requested") == {"420100": 1, "420200": 1}
        assert cities(hubei, "management", "requested") == {"420100": 1, "420200": 0}
        assert hubei["totals"]["diagnosis"]["quality"]["requested"] == 2
        wuhan_city = await seen_by(platform, "420100")
        assert wuhan_city["totals"]["diagnosis"]["quality"]["requested"] == 1

    async def test_a_plan_city_counts_apart_from_its_province(self, platform: Platform) -> None:
        ningbo = an_engagement("330203", unit="3302")
        hangzhou = an_engagement("330106")
        await applied(
            platform,
            "diagnosis",
            await step(platform, ningbo, "requested", 1),
            await step(platform, hangzhou, "requested", 1),
        )
        body = await overview(platform)
        assert figure(body, "quality", "requested", "33", "3302") == [1, 1, 2]
        zhejiang = await seen_by(platform, "330000")
        assert cities(zhejiang, "quality", "requested") == {"330100": 1}
        assert zhejiang["totals"]["diagnosis"]["quality"]["requested"] == 1
        own = await seen_by(platform, "330200")
        assert [p["province"] for p in own["provinces"]] == ["3302"]
        assert cities(own, "quality", "requested") == {"330200": 1}
        assert own["totals"]["diagnosis"]["quality"]["requested"] == 1


class TestVersions:
    async def test_newer_version_moves_the_counts(self, platform: Platform) -> None:
        e = an_engagement()
        await applied(platform, "diagnosis", await step(platform, e, "requested", 1))
        assert figure(await overview(platform), "quality", "self_assessed", "42") == [0, 0]
        await applied(platform, "diagnosis", await step(platform, e, "self_assessed", 3))
        body = await overview(platform)
        assert figure(body, "quality", "requested", "42") == [1, 1]
        assert figure(body, "quality", "self_assessed", "42") == [1, 1]

    async def test_older_version_delivered_late_is_ignored(self, platform: Platform) -> None:
        e = an_engagement()
        newer = await confirmed(platform, e)
        older = await step(platform, e, "self_assessed", 3)
        await applied(platform, "diagnosis", newer, older)
        body = await overview(platform)
        assert figure(body, "quality", "diagnosed", "42") == [1, 1]
        assert figure(body, "quality", "requested", "42") == [1, 1]

    async def test_a_repeated_state_counts_once(self, platform: Platform) -> None:
        e = an_engagement()
        # The same state emitted twice, under two event ids: the inbox lets both through.
        events = [await confirmed(platform, e), await confirmed(platform, e)]
        events.append(await rated(platform, e, satisfied=True))
        events.append(await rated(platform, e, satisfied=False))
        await applied(platform, "diagnosis", *events)
        body = await overview(platform)
        assert figure(body, "quality", "requested", "42") == [1, 1]
        assert figure(body, "quality", "diagnosed", "42") == [1, 1]
        assert figure(body, "quality", "responses", "42") == [1, 1]
        assert figure(body, "quality", "satisfaction", "42") == ["1.0000", "1.0000"]

    async def test_a_cancel_undoes_what_the_engagement_counted(self, platform: Platform) -> None:
        e, kept = an_engagement(), an_engagement()
        events = [await step(platform, e, "self_assessed", 3)]
        events.append(await step(platform, kept, "requested", 1))
        await applied(platform, "diagnosis", *events)
        assert figure(await overview(platform), "quality", "self_assessed", "42") == [1, 1]
        await applied(platform, "diagnosis", await step(platform, e, "cancelled", 4))
        body = await overview(platform)
        assert figure(body, "quality", "requested", "42") == [1, 1]
        assert figure(body, "quality", "self_assessed", "42") == [0, 0]
        assert cities(await seen_by(platform, "420000"), "quality", "requested") == {"420100": 1}

    async def test_a_returned_report_counts_once_confirmed_again(self, platform: Platform) -> None:
        e = an_engagement()
        reported: dict[str, Any] = {"level": "assurance", "suggestions": 1}
        await applied(platform, "diagnosis", await step(platform, e, "reported", 5, **reported))
        # Returned (reported → reviewed), reported again and confirmed; the confirmation
        # is delivered before the return and the second report.
        final = await step(platform, e, "confirmed", 8, level="prevention", suggestions=3)
        returned = await step(platform, e, "reviewed", 6, **reported)
        again = await step(platform, e, "reported", 7, level="prevention", suggestions=3)
        await applied(platform, "diagnosis", final, returned, again)
        body = await overview(platform)
        assert figure(body, "quality", "diagnosed", "42") == [1, 1]
        assert figure(body, "quality", "reports_with_suggestions", "42") == [1, 1]
        levels = body["totals"]["diagnosis"]["quality"]["levels"]
        assert (levels["prevention"], levels["assurance"]) == (1, 0)


class TestFreshness:
    async def test_the_overview_counts_an_event_within_a_second(self, platform: Platform) -> None:
        await applied(
            platform, "diagnosis", await step(platform, an_engagement(), "requested", 1)
        )  # warm
        e = an_engagement()
        await step(platform, e, "requested", 1)
        committed = time.monotonic()

        async def counted() -> bool:
            body = await overview(platform)
            return bool(body["totals"]["diagnosis"]["quality"]["requested"] == 2)

        await eventually(counted, timeout=1.0, message="the overview counted the engagement")
        assert time.monotonic() - committed < 1.0


class TestAsOf:
    async def test_diagnosis_figures_are_current_whatever_the_date(
        self, platform: Platform
    ) -> None:
        await applied(platform, "diagnosis", await step(platform, an_engagement(), "requested", 1))
        body = await overview(platform, as_of="2024-01-01")
        assert "diagnosis" in body["not_as_of"]
        assert body["totals"]["diagnosis"]["quality"]["requested"] == 1


class TestLevels:
    async def test_distribution_of_the_diagnosed_with_the_spot_checks_level_winning(
        self, platform: Platform
    ) -> None:
        checked, kept, open_one = an_engagement(), an_engagement("420202"), an_engagement()
        events = [
            await confirmed(platform, checked, level="prevention"),
            await confirmed(platform, kept, level="prevention", suggestions=0),
            await step(platform, open_one, "reported", 5, level="excellence", suggestions=1),
            await step(
                platform,
                checked,
                "spot_checked",
                7,
                level="prevention",
                spot_level="inspection",
                suggestions=2,
            ),
        ]
        await applied(platform, "diagnosis", *events)
        body = await overview(platform)
        assert row(body, "42")["diagnosis"]["quality"]["levels"] == {
            "experience": 0,
            "inspection": 1,
            "assurance": 0,
            "prevention": 1,
            "excellence": 0,  # reported, not confirmed: no level yet
        }
        assert figure(body, "quality", "diagnosed", "42") == [2, 2]
        assert figure(body, "quality", "reports_with_suggestions", "42") == [1, 1]
        hubei = await seen_by(platform, "420000")
        assert cities(hubei, "quality", "levels")["420200"]["prevention"] == 1


class TestSatisfaction:
    async def test_share_of_satisfied_responses_per_kind(self, platform: Platform) -> None:
        good, poor, managed = an_engagement(), an_engagement(), an_engagement(kind="management")
        events = [await confirmed(platform, e) for e in (good, poor)]
        events.append(await confirmed(platform, managed, level=None))
        events += [
            await rated(platform, good, satisfied=True),
            await rated(platform, poor, satisfied=False),
            await rated(platform, managed, satisfied=True),
        ]
        await applied(platform, "diagnosis", *events)
        body = await overview(platform)
        assert figure(body, "quality", "satisfaction", "42", "51") == ["0.5000", None, "0.5000"]
        assert figure(body, "quality", "responses", "42") == [2, 2]
        assert figure(body, "management", "satisfaction", "42") == ["1.0000", "1.0000"]

    async def test_a_survey_before_its_engagement_counts_in_the_city_once_it_is_known(
        self, platform: Platform
    ) -> None:
        e = an_engagement("420202")
        await applied(platform, "diagnosis", await rated(platform, e, satisfied=True))
        assert figure(await overview(platform), "quality", "responses", "42") == [1, 1]
        assert cities(await seen_by(platform, "420000"), "quality", "responses") == {}
        await applied(platform, "diagnosis", await confirmed(platform, e))
        body = await seen_by(platform, "420000")
        assert cities(body, "quality", "responses") == {"420200": 1}
        assert body["totals"]["diagnosis"]["quality"]["responses"] == 1


class TestActivitiesAndCases:
    async def test_activities_per_kind_in_the_unit(self, platform: Platform) -> None:
        first = await activity(platform, "quality_standard_training")
        events = [
            first,
            await activity(platform, "quality_activity"),
            await activity(platform, "management_activity"),
            await activity(platform, "quality_activity", unit="51"),
        ]
        # The same activity again, under a new event id, counts once.
        events.append(
            await emit(
                platform,
                "diagnosis",
                "activity",
                "recorded",
                first.data,
                subject="again",
                unit="42",
            )
        )
        await applied(platform, "diagnosis", *events)
        body = await overview(platform)
        assert figure(body, "quality", "activities", "42", "51") == [2, 1, 3]
        assert figure(body, "management", "activities", "42", "51") == [1, 0, 1]
        await applied(platform, "diagnosis", await step(platform, an_engagement(), "requested", 1))
        assert cities(await seen_by(platform, "420000"), "quality", "activities") == {
            "420100": None  # activities are the unit's
        }
        assert figure(await overview(platform, batch="1"), "quality", "activities", "42") == [
            None,
            None,
        ]

    async def test_typical_cases_of_management(self, platform: Platform) -> None:
        e = an_engagement(kind="management")
        events = [await confirmed(platform, e, level=None)]
        events.append(await step(platform, e, "confirmed", 7, event="promoted", typical_case=True))
        await applied(platform, "diagnosis", *events)
        body = await overview(platform)
        assert figure(body, "management", "typical_cases", "42") == [1, 1]
        assert figure(body, "management", "diagnosed", "42") == [1, 1]


class TestBatch:
    async def test_batch_filters_the_diagnosis_sections(self, platform: Platform) -> None:
        events = [
            await step(platform, an_engagement(batch="第一批"), "requested", 1),
            await step(platform, an_engagement(batch="第一批"), "requested", 1),
            await step(platform, an_engagement(batch="第二批"), "requested", 1),
        ]
        await applied(platform, "diagnosis", *events)
        assert figure(await overview(platform), "quality", "requested", "42") == [3, 3]
        first = await overview(platform, batch="1")
        assert figure(first, "quality", "requested", "42") == [2, 2]
        assert (await overview(platform, batch="2025"))["provinces"] == first["provinces"]
        assert figure(await overview(platform, batch="2026"), "quality", "requested") == [1]
        assert figure(await overview(platform, batch="3"), "quality", "requested") == [0]


@pytest.mark.services("registry", "diagnosis", "gateway")
class TestWithTheDiagnosisService:
    async def test_an_engagement_driven_to_confirmed_counts_as_the_service_does(
        self, platform: Platform
    ) -> None:
        e = await started(platform)
        await results.confirmed(platform, e, level="prevention")
        r = await e.post(
            "surveys", {"attitude": 5, "expertise": 4, "report": 4, "effect": 4}, e.enterprise
        )
        assert r.status_code == 201, r.text

        async def counted() -> dict[str, Any]:
            quality: dict[str, Any] = row(await overview(platform), "42")["diagnosis"]["quality"]
            return quality if quality["responses"] == 1 else {}

        quality = await eventually(counted, message="the gateway counted the engagement")
        stats = await platform["diagnosis"].get(
            f"{API}/stats",
            params={"kind": "quality", "unit": "42"},
            headers=platform.auth("ministry"),
        )
        assert stats.status_code == 200, stats.text
        expected = stats.json()
        assert (quality["requested"], quality["self_assessed"], quality["diagnosed"]) == (1, 1, 1)
        for name in ("requested", "self_assessed", "diagnosed", "reports_with_suggestions"):
            assert quality[name] == expected[name], name
        assert (quality["responses"], quality["satisfaction"]) == (
            expected["responses"],
            expected["satisfaction"],
        )
        assert {k: n for k, n in quality["levels"].items() if n} == expected["levels"]
        assert expected["levels"] == {"prevention": 1}
        hubei = await seen_by(platform, "420000")
        assert cities(hubei, "quality", "diagnosed") == {"420100": 1}
