"""The overview by region: a city sees its city, a province its province and cities;
``as_of`` and ``year`` date classes and certificates; unknown parameters are refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from gateway.handlers import SUBSCRIPTIONS
from kit.clock import today
from kit.testing import Platform, eventually

from tests.factories import enterprise, make_uscc, recognition
from tests.fixtures.registry_events import enterprise_event
from tests.gateway.test_overview import OVERVIEW, overview
from tests.gateway.test_overview_training import (
    a_certificate,
    a_class,
    an_enrollment,
    applied,
    certify,
    emit,
    move,
    schedule,
    survey,
)
from tests.registry.test_recognitions import grant, registered

WUHAN, YICHANG = "420100", "420500"


pytestmark = pytest.mark.services("registry", "training", "gateway")


async def seen_by(platform: Platform, role: str, region: str, **params: str) -> dict[str, Any]:
    r = await platform["gateway"].get(OVERVIEW, params=params, headers=platform.auth(role, region))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def city_row(body: dict[str, Any], city: str) -> dict[str, Any]:
    return next(c for c in body["cities"] if c["city"] == city)


async def little_giant(platform: Platform, region: str) -> str:
    uscc = await registered(platform, region)
    valid_from = (today() - timedelta(days=365)).isoformat()
    r = await grant(platform, uscc, recognition(valid_from=valid_from))
    assert r.status_code == 201, r.text
    return uscc


async def counted(platform: Platform, enterprises: int, little_giants: int) -> None:
    async def probe() -> bool:
        totals = (await overview(platform))["totals"]
        return bool(
            totals["enterprises"] == enterprises
            and totals["tiers"]["little_giant"] == little_giants
        )

    await eventually(probe, message=f"{enterprises} enterprises counted by the gateway")


class TestCity:
    async def test_city_sees_its_own_row_and_totals(self, platform: Platform) -> None:
        for region in ("420102", "420106"):  # 武汉市 江岸区, 武昌区
            await little_giant(platform, region)
        await little_giant(platform, "420502")  # 宜昌市
        await registered(platform, "510104")
        await counted(platform, 4, 3)

        body = await seen_by(platform, "city", WUHAN)
        assert body["provinces"] == []
        assert [(c["province"], c["city"], c["name"]) for c in body["cities"]] == [
            ("42", WUHAN, "武汉市")
        ]
        row = body["cities"][0]
        assert row["enterprises"] == 2
        assert row["tiers"]["little_giant"] == 2
        assert row["training"]["classes"] is None  # classes are organised by provinces
        assert {k: v for k, v in body["totals"].items() if k != "name"} == {
            k: v for k, v in row.items() if k != "name"
        }
        yichang = await seen_by(platform, "city", YICHANG)
        assert yichang["totals"]["enterprises"] == 1
        assert [c["city"] for c in yichang["cities"]] == [YICHANG]

    async def test_province_sees_its_row_and_its_cities(self, platform: Platform) -> None:
        await little_giant(platform, "420102")
        await registered(platform, "420502")
        await registered(platform, "510104")
        await counted(platform, 3, 1)

        body = await seen_by(platform, "province", "420000")
        assert [p["province"] for p in body["provinces"]] == ["42"]
        assert body["totals"]["enterprises"] == body["provinces"][0]["enterprises"] == 2
        assert [(c["city"], c["enterprises"]) for c in body["cities"]] == [
            (WUHAN, 1),
            (YICHANG, 1),
        ]
        assert city_row(body, WUHAN)["tiers"]["little_giant"] == 1
        assert (await overview(platform))["cities"] == []  # the ministry reads provinces

    async def test_moving_within_a_province_moves_the_city_figures(
        self, platform: Platform
    ) -> None:
        uscc = await little_giant(platform, "420102")
        await counted(platform, 1, 1)
        r = await platform["registry"].patch(
            f"/api/v1/registry/enterprises/{uscc}",
            json={"region_code": "420502"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 200, r.text

        async def moved() -> bool:
            return bool((await seen_by(platform, "city", YICHANG))["totals"]["enterprises"])

        await eventually(moved, message="the enterprise counted in 宜昌")
        yichang = (await seen_by(platform, "city", YICHANG))["totals"]
        assert yichang["tiers"]["little_giant"] == 1
        wuhan = (await seen_by(platform, "city", WUHAN))["totals"]
        assert (wuhan["enterprises"], wuhan["tiers"]["little_giant"]) == (0, 0)
        province = (await seen_by(platform, "province", "420000"))["totals"]
        assert (province["enterprises"], province["tiers"]["little_giant"]) == (1, 1)

    async def test_city_training_figures_are_its_enterprises(self, platform: Platform) -> None:
        wuhan = await little_giant(platform, "420102")
        yichang = await little_giant(platform, "420502")
        await counted(platform, 2, 2)
        cls = a_class("42")
        wuhan_enrollment = an_enrollment(cls, "42", wuhan)
        events = [
            await schedule(platform, cls),
            await move(platform, wuhan_enrollment, "completed", 5),
            await move(platform, an_enrollment(cls, "42", yichang), "confirmed", 3),
            await certify(platform, a_certificate(wuhan_enrollment)),
            await survey(platform, wuhan_enrollment, "4.50"),
        ]
        await applied(platform, *events)

        city = (await seen_by(platform, "city", WUHAN))["cities"][0]["training"]
        assert (city["trainees"], city["enterprises_trained"], city["certificates"]) == (1, 1, 1)
        assert (city["coverage"], city["satisfaction"]) == ("1.0000", "1.0000")
        other = (await seen_by(platform, "city", YICHANG))["totals"]["training"]
        assert (other["trainees"], other["enterprises_trained"], other["certificates"]) == (
            1,
            0,
            0,
        )
        assert (other["coverage"], other["satisfaction"]) == ("0.0000", None)
        province = await seen_by(platform, "province", "420000")
        assert province["totals"]["training"]["classes"] == 1
        assert province["totals"]["training"]["trainees"] == 2
        assert province["totals"]["training"]["coverage"] == "0.5000"

    async def test_training_before_the_enterprise_counts_in_its_city_once_it_arrives(
        self, platform: Platform
    ) -> None:
        body = enterprise("420102")
        cls = a_class("42")
        enrollment = an_enrollment(cls, "42", body["uscc"])
        events = [
            await move(platform, enrollment, "completed", 5),
            await certify(platform, a_certificate(enrollment)),
            await survey(platform, enrollment, "3.00"),
        ]
        await applied(platform, *events)
        early = (await seen_by(platform, "city", WUHAN))["totals"]["training"]
        assert (early["trainees"], early["certificates"], early["satisfaction"]) == (0, 0, None)
        assert (await seen_by(platform, "province", "420000"))["totals"]["training"][
            "trainees"
        ] == 1

        r = await platform["registry"].post(
            "/api/v1/registry/enterprises", json=body, headers=platform.auth("ministry")
        )
        assert r.status_code == 201, r.text
        await counted(platform, 1, 0)
        late = (await seen_by(platform, "city", WUHAN))["totals"]["training"]
        assert (late["trainees"], late["enterprises_trained"], late["certificates"]) == (1, 1, 1)
        assert late["satisfaction"] == "0.0000"
        assert (await seen_by(platform, "province", "420000"))["totals"]["training"][
            "trainees"
        ] == 1

    async def test_one_by_one_registration_places_waiting_training_too(
        self, platform: Platform
    ) -> None:
        """The consumer's fallback when a batch fails applies a registration on its own."""
        uscc = make_uscc(WUHAN)
        enrollment = an_enrollment(a_class("42"), "42", uscc)
        await applied(platform, await move(platform, enrollment, "completed", 5))
        registration = enterprise_event(uscc, 1)
        db = platform.apps["gateway"].state.ctx.db
        async with db.sessions() as session, session.begin():
            await SUBSCRIPTIONS[0].handle(session, registration)
        row = (await seen_by(platform, "city", WUHAN))["totals"]
        trained = row["training"]
        assert (row["enterprises"], trained["trainees"], trained["enterprises_trained"]) == (
            1,
            1,
            1,
        )


class TestAsOf:
    async def test_classes_count_from_their_first_day(self, platform: Platform) -> None:
        cls = a_class("42")  # starts 2025-06-10
        await applied(platform, await schedule(platform, cls))
        assert (await overview(platform, as_of="2025-06-09"))["totals"]["training"]["classes"] == 0
        assert (await overview(platform, as_of="2025-06-10"))["totals"]["training"]["classes"] == 1

        later = {**cls, "start_on": "2025-09-01", "end_on": "2025-09-03"}
        await applied(
            platform,
            await emit(
                platform, "class", "scheduled", later, subject=cls["id"], province="42", version=2
            ),
        )
        assert (await overview(platform, as_of="2025-08-31"))["totals"]["training"]["classes"] == 0
        assert (await overview(platform, as_of="2025-09-01"))["totals"]["training"]["classes"] == 1

    async def test_certificates_count_from_their_issue(self, platform: Platform) -> None:
        await registered(platform, "420102")
        certificate = a_certificate(an_enrollment(a_class("42"), "42"))  # issued 2025-06-13
        await applied(platform, await certify(platform, certificate))
        before = await overview(platform, as_of="2025-06-12")
        assert before["totals"]["training"]["certificates"] == 0
        assert set(before["not_as_of"]) == {
            "enterprises",
            "training.trainees",
            "training.enterprises_trained",
            "training.coverage",
            "training.satisfaction",
            "diagnosis",
            "innovation",
        }
        assert (await overview(platform, as_of="2025-06-13"))["totals"]["training"][
            "certificates"
        ] == 1


class TestYear:
    async def test_year_is_the_figures_at_its_end(self, platform: Platform) -> None:
        events = [
            await schedule(platform, a_class("42", period="2025")),  # 2025-06-10
            await schedule(platform, a_class("42", period="2026")),  # 2026-06-10
        ]
        await applied(platform, *events)
        y2025 = await overview(platform, year="2025")
        assert (y2025["year"], y2025["as_of"]) == (2025, "2025-12-31")
        assert y2025["totals"]["training"]["classes"] == 1
        this_year = await overview(platform, year=str(today().year))
        assert this_year["as_of"] == today().isoformat()  # the year has not ended
        assert this_year["totals"]["training"]["classes"] == 2

    @pytest.mark.parametrize(
        ("params", "code", "field"),
        [
            ({"year": str(today().year + 1)}, "OVERVIEW_YEAR_IN_FUTURE", "year"),
            ({"year": "2025", "as_of": "2025-06-30"}, "OVERVIEW_YEAR_WITH_AS_OF", "year"),
            ({"year": "二〇二五"}, "VALIDATION_FAILED", "year"),
            ({"province": "42"}, "VALIDATION_FAILED", "province"),
            ({"as_of": "0"}, "VALIDATION_FAILED", "as_of"),
            ({"as_of": "2026-3-1"}, "VALIDATION_FAILED", "as_of"),
        ],
    )
    async def test_refused_not_ignored(
        self, platform: Platform, params: dict[str, str], code: str, field: str
    ) -> None:
        r = await platform["gateway"].get(
            OVERVIEW, params=params, headers=platform.auth("ministry", **{"Accept-Language": "en"})
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert (body["code"], body["errors"][0]["field"]) == (code, field)
        zh = await platform["gateway"].get(
            OVERVIEW, params=params, headers=platform.auth("ministry")
        )
        assert zh.json()["errors"][0]["message"] != body["errors"][0]["message"]
