"""Overview training columns, fed by training events: training outbox → relay → JetStream →
the gateway's consumer (inbox, version-guarded replicas, counters)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import nats
import orjson
import pytest
from kit.clock import today
from kit.events.envelope import CloudEvent
from kit.testing import Platform, eventually

from tests.factories import make_uscc, recognition
from tests.gateway.test_overview import OVERVIEW, overview, row
from tests.gateway.test_overview import applied as applied_by
from tests.gateway.test_overview import emit as through
from tests.registry.test_recognitions import grant, registered

START = {"2025": "2025-06-10", "2026": "2026-06-10", "2027-2028": "2027-06-10"}


pytestmark = pytest.mark.services("registry", "training", "gateway")


# ---- training events, as the training service publishes them -----------------------------


def a_class(*provinces: str, period: str = "2025") -> dict[str, Any]:
    """A class organised by ``provinces[0]``, joined by the others (联合组班)."""
    return {
        "id": str(uuid.uuid4()),
        "plan_id": str(uuid.uuid4()),
        "period": period,
        "province": provinces[0],
        "provinces": list(provinces),
        "name": "专精特新“小巨人”企业家综合班",
        "kind": "comprehensive",
        "start_on": START[period],
        "end_on": START[period][:-1] + "2",
        "institution_id": str(uuid.uuid4()),
        "capacity": 50,
        "status": "scheduled",
        "backfilled": False,
    }


def an_enrollment(
    cls: dict[str, Any], province: str, uscc: str | None = None, trainee_id: str | None = None
) -> dict[str, Any]:
    """A trainee of an enterprise in ``province`` enrolled in ``cls``."""
    return {
        "id": str(uuid.uuid4()),
        "class_id": cls["id"],
        "trainee_id": trainee_id or str(uuid.uuid4()),
        "enterprise_uscc": uscc or make_uscc(province + "0100"),
        "province": province,
        "class_province": cls["province"],
        "class_provinces": cls["provinces"],
        "period": cls["period"],
        "state": "applied",
        "backfilled": False,
        "version": 1,
    }


def a_certificate(enrollment: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": f"ZJTX-{uuid.uuid4().hex[:12]}",
        "enrollment_id": enrollment["id"],
        "class_id": enrollment["class_id"],
        "trainee_id": enrollment["trainee_id"],
        "enterprise_uscc": enrollment["enterprise_uscc"],
        "province": enrollment["province"],
        "class_province": enrollment["class_province"],
        "period": enrollment["period"],
        "issued_on": "2025-06-13",
        "attendance_rate": "0.9500",
    }


def a_survey(enrollment: dict[str, Any], overall: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "class_id": enrollment["class_id"],
        "trainee_id": enrollment["trainee_id"],
        "province": enrollment["province"],
        "class_province": enrollment["class_province"],
        "period": enrollment["period"],
        "overall": overall,
        "satisfied": float(overall) >= 4,
    }


async def emit(
    platform: Platform,
    aggregate: str,
    event: str,
    data: dict[str, Any],
    *,
    subject: str,
    province: str,
    version: int = 1,
) -> CloudEvent:
    """Through the training service's outbox."""
    return await through(
        platform,
        "training",
        aggregate,
        event,
        data,
        subject=subject,
        unit=province,
        version=version,
    )


async def schedule(platform: Platform, cls: dict[str, Any]) -> CloudEvent:
    return await emit(
        platform, "class", "scheduled", cls, subject=cls["id"], province=cls["province"]
    )


async def move(
    platform: Platform, enrollment: dict[str, Any], state: str, version: int
) -> CloudEvent:
    data = {**enrollment, "state": state, "version": version}
    return await emit(
        platform,
        "enrollment",
        state,
        data,
        subject=enrollment["id"],
        province=enrollment["class_province"],
        version=version,
    )


async def certify(platform: Platform, certificate: dict[str, Any]) -> CloudEvent:
    return await emit(
        platform,
        "certificate",
        "issued",
        certificate,
        subject=certificate["number"],
        province=certificate["class_province"],
    )


async def survey(platform: Platform, enrollment: dict[str, Any], overall: str) -> CloudEvent:
    data = a_survey(enrollment, overall)
    return await emit(
        platform,
        "survey",
        "submitted",
        data,
        subject=data["id"],
        province=data["class_province"],
    )


async def applied(platform: Platform, *events: CloudEvent) -> None:
    await applied_by(platform, "training", *events)


def column(body: dict[str, Any], name: str, *provinces: str) -> list[Any]:
    """The training figure ``name`` in each province's row, then in the totals."""
    rows = [row(body, p) for p in provinces] + [body["totals"]]
    return [r["training"][name] for r in rows]


async def little_giants_held(platform: Platform, *regions: str) -> list[str]:
    """Enterprises holding 小巨人 today, one per region, counted by the gateway."""
    valid_from = (today() - timedelta(days=365)).isoformat()
    usccs = []
    for region in regions:
        uscc = await registered(platform, region)
        r = await grant(platform, uscc, recognition(valid_from=valid_from))
        assert r.status_code == 201, r.text
        usccs.append(uscc)

    async def probe() -> bool:
        held = (await overview(platform))["totals"]["tiers"]["little_giant"]
        return bool(held == len(regions))

    await eventually(probe, message="little_giant recognitions counted by the gateway")
    return usccs


# ---- the columns ---------------------------------------------------------------------------


class TestClasses:
    async def test_joint_class_counts_in_each_province_and_once_nationally(
        self, platform: Platform
    ) -> None:
        joint, own = a_class("42", "51"), a_class("42")
        events = [await schedule(platform, joint), await schedule(platform, own)]
        closed = {**joint, "status": "closed"}
        events.append(
            await emit(
                platform, "class", "closed", closed, subject=joint["id"], province="42", version=2
            )
        )
        await applied(platform, *events)
        assert column(await overview(platform), "classes", "42", "51", "44") == [2, 1, 0, 2]

    async def test_newer_version_moves_the_class_and_an_older_one_is_dropped(
        self, platform: Platform
    ) -> None:
        cls = a_class("42")
        joined = {**cls, "provinces": ["42", "44"]}
        newer = await emit(
            platform, "class", "scheduled", joined, subject=cls["id"], province="42", version=2
        )
        older = await schedule(platform, cls)  # version 1, delivered late
        await applied(platform, newer, older)
        assert column(await overview(platform), "classes", "42", "44") == [1, 1, 1]


class TestTrainees:
    async def test_confirmed_trainee_counts_until_withdrawn(self, platform: Platform) -> None:
        cls = a_class("42")
        enrollment = an_enrollment(cls, "51")  # an enterprise of 四川 in a 湖北 class
        events = [await schedule(platform, cls), await move(platform, enrollment, "applied", 1)]
        events.append(await move(platform, enrollment, "qualified", 2))
        await applied(platform, *events)
        assert column(await overview(platform), "trainees", "42", "51") == [0, 0, 0]

        await applied(platform, await move(platform, enrollment, "confirmed", 3))
        assert column(await overview(platform), "trainees", "42", "51", "44") == [1, 1, 0, 1]

        await applied(platform, await move(platform, enrollment, "withdrawn", 4))
        assert column(await overview(platform), "trainees", "42", "51") == [0, 0, 0]

    async def test_withdrawal_delivered_before_confirmation_wins(self, platform: Platform) -> None:
        cls = a_class("42")
        enrollment = an_enrollment(cls, "42")
        withdrawn = await move(platform, enrollment, "withdrawn", 4)
        confirmed = await move(platform, enrollment, "confirmed", 3)  # late
        await applied(platform, withdrawn, confirmed)
        assert column(await overview(platform), "trainees", "42") == [0, 0]

    async def test_trainee_in_two_classes_counts_once(self, platform: Platform) -> None:
        joint, own = a_class("42", "51"), a_class("42")
        trainee = str(uuid.uuid4())
        first = an_enrollment(joint, "42", trainee_id=trainee)
        second = an_enrollment(own, "42", uscc=first["enterprise_uscc"], trainee_id=trainee)
        other = an_enrollment(joint, "51")
        events = [
            await move(platform, first, "confirmed", 3),
            await move(platform, second, "completed", 5),
            await move(platform, other, "confirmed", 3),
        ]
        await applied(platform, *events)
        # 51 joined the class but counts only the trainee of its own enterprise.
        assert column(await overview(platform), "trainees", "42", "51") == [2, 1, 2]


class TestEnterprisesTrained:
    async def test_completed_enterprises_and_little_giant_coverage(
        self, platform: Platform
    ) -> None:
        giant, untrained_giant, sichuan_giant = await little_giants_held(
            platform, "420102", "420102", "510104"
        )
        plain = await registered(platform, "420102")  # trained, but not a 小巨人
        cls = a_class("42", "51")
        events = [
            await move(platform, an_enrollment(cls, "42", giant), "completed", 5),
            await move(platform, an_enrollment(cls, "42", giant), "completed", 5),
            await move(platform, an_enrollment(cls, "42", plain), "completed", 5),
            await move(platform, an_enrollment(cls, "42", untrained_giant), "confirmed", 3),
            await move(platform, an_enrollment(cls, "51", sichuan_giant), "confirmed", 3),
        ]
        await applied(platform, *events)
        body = await overview(platform)
        assert column(body, "enterprises_trained", "42", "51", "44") == [2, 0, 0, 2]
        # 42: one of its two 小巨人 trained; nation: one of three; 44 has none to cover.
        assert column(body, "coverage", "42", "51", "44") == [
            "0.5000",
            "0.0000",
            "0.0000",
            "0.3333",
        ]

    async def test_coverage_counts_little_giants_held_on_the_date(self, platform: Platform) -> None:
        (giant,) = await little_giants_held(platform, "420102")
        cls = a_class("42")
        await applied(
            platform, await move(platform, an_enrollment(cls, "42", giant), "completed", 5)
        )
        assert row(await overview(platform), "42")["training"]["coverage"] == "1.0000"
        before = (today() - timedelta(days=400)).isoformat()  # before its recognition
        assert row(await overview(platform, as_of=before), "42")["training"]["coverage"] == "0.0000"


class TestCertificates:
    async def test_counted_in_trainee_and_organising_province(self, platform: Platform) -> None:
        cls = a_class("42")
        events = [
            await certify(platform, a_certificate(an_enrollment(cls, "51"))),
            await certify(platform, a_certificate(an_enrollment(cls, "42"))),
        ]
        await applied(platform, *events)
        assert column(await overview(platform), "certificates", "42", "51", "44") == [2, 1, 0, 2]


class TestSatisfaction:
    async def test_share_of_satisfied_responses(self, platform: Platform) -> None:
        cls = a_class("42")
        events = [
            await survey(platform, an_enrollment(cls, "42"), "4.50"),
            await survey(platform, an_enrollment(cls, "42"), "3.00"),
            await survey(platform, an_enrollment(cls, "51"), "4.00"),
        ]
        await applied(platform, *events)
        body = await overview(platform)
        assert column(body, "satisfaction", "42", "51", "44") == [
            "0.6667",
            "1.0000",
            None,
            "0.6667",
        ]


class TestBatch:
    async def test_batch_filters_the_training_columns(self, platform: Platform) -> None:
        y2025, y2026 = a_class("42", period="2025"), a_class("42", period="2026")
        trainee = str(uuid.uuid4())
        first = an_enrollment(y2025, "42", trainee_id=trainee)
        second = an_enrollment(y2026, "42", uscc=first["enterprise_uscc"], trainee_id=trainee)
        events = [
            await schedule(platform, y2025),
            await schedule(platform, y2026),
            await move(platform, first, "completed", 5),
            await move(platform, second, "confirmed", 3),
        ]
        await applied(platform, *events)

        cumulative = await overview(platform)
        assert cumulative["batch"] is None
        assert column(cumulative, "classes", "42") == [2, 2]
        assert column(cumulative, "trainees", "42") == [1, 1]  # the same person twice

        first_batch = await overview(platform, batch="2025")
        assert first_batch["batch"] == "2025"
        assert column(first_batch, "classes", "42") == [1, 1]
        assert column(first_batch, "enterprises_trained", "42") == [1, 1]
        assert (await overview(platform, batch="1"))["provinces"] == first_batch["provinces"]

        second_batch = await overview(platform, batch="2")
        assert second_batch["batch"] == "2026"
        assert column(second_batch, "enterprises_trained", "42") == [0, 0]
        assert column(second_batch, "trainees", "42") == [1, 1]

        third = await overview(platform, batch="2027-2028")
        assert column(third, "classes", "42") == [0, 0]

    async def test_unknown_batch_is_rejected(self, platform: Platform) -> None:
        r = await platform["gateway"].get(
            OVERVIEW, params={"batch": "2024"}, headers=platform.auth("ministry")
        )
        assert r.status_code == 422
        assert r.json()["code"] == "VALIDATION_FAILED"
        assert r.json()["errors"][0]["field"] == "batch"


class TestDuplicates:
    async def test_event_delivered_twice_counts_once(self, platform: Platform) -> None:
        event = await certify(platform, a_certificate(an_enrollment(a_class("42"), "42")))
        await applied(platform, event)
        # Beyond JetStream's duplicate window: the same event under another message id.
        nc = await nats.connect(platform.settings.nats_url)
        try:
            js = nc.jetstream()
            await js.publish(
                event.nats_subject,
                orjson.dumps(event.to_dict()),
                headers={"Nats-Msg-Id": f"redelivered-{event.id}"},
            )

            async def both_acked() -> bool:
                info = await js.consumer_info("ZJTX_TRAINING", "gateway--training")
                return bool(info.delivered.stream_seq >= 2 and info.num_ack_pending == 0)

            await eventually(both_acked, message="the copy was consumed")
        finally:
            await nc.close()
        assert column(await overview(platform), "certificates", "42") == [1, 1]

    async def test_certificate_emitted_again_under_a_new_event_id_counts_once(
        self, platform: Platform
    ) -> None:
        certificate = a_certificate(an_enrollment(a_class("42"), "51"))
        events = [await certify(platform, certificate), await certify(platform, certificate)]
        await applied(platform, *events)
        assert column(await overview(platform), "certificates", "42", "51") == [1, 1, 1]


class TestScope:
    async def test_province_sees_its_row_and_its_own_totals(self, platform: Platform) -> None:
        events = [
            await schedule(platform, a_class("42", "51")),
            await schedule(platform, a_class("51")),
        ]
        await applied(platform, *events)
        assert (await overview(platform))["totals"]["training"]["classes"] == 2
        r = await platform["gateway"].get(OVERVIEW, headers=platform.auth("province", "420000"))
        assert r.status_code == 200, r.text
        body = r.json()
        assert [p["province"] for p in body["provinces"]] == ["42"]
        assert (
            body["provinces"][0]["training"]["classes"]
            == body["totals"]["training"]["classes"]
            == 1
        )
