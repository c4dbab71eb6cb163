"""结业证书 at the service tier: issued when attendance reaches the plan's threshold (by
default 90%, 001 备注), in the name of the class's training institution as the registry
replica has it (001:212)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from kit.testing import ServiceTier
from sqlalchemy import select
from training.models import Certificate, Plan, TrainingClass
from training.schemas.attendance import AttendanceBatch
from training.service import attendance, closing, enrollments

from tests.fixtures.registry_events import institution_event
from tests.fixtures.training import BACKFILL_START
from tests.fixtures.training_service import (
    draft_plan,
    enterprise,
    held_class,
    institution,
    keeper,
    trainee,
)

pytestmark = pytest.mark.services("training")


async def attended(service: ServiceTier, cls: TrainingClass, days: int) -> uuid.UUID:
    """A confirmed trainee present the first ``days`` sessions of ``cls``, absent after."""
    t = await trainee(service, await enterprise(service))
    await enrollments.apply(service.session, service.ctx, keeper(service), cls.id, t.id)
    sessions = (cls.end_on - cls.start_on).days + 1
    records = [
        {
            "session": (BACKFILL_START + timedelta(days=i)).isoformat(),
            "trainee_id": str(t.id),
            "present": i < days,
        }
        for i in range(sessions)
    ]
    batch = AttendanceBatch.model_validate({"records": records})
    await attendance.record(service.session, keeper(service), cls.id, batch)
    return t.id


async def certified(service: ServiceTier, cls: TrainingClass) -> dict[uuid.UUID, Certificate]:
    await closing.close(service.session, service.ctx, keeper(service), cls.id)
    rows = await service.session.scalars(select(Certificate).where(Certificate.class_id == cls.id))
    return {c.trainee_id: c for c in rows}


async def plan_of_2026(service: ServiceTier, **settings: object) -> Plan:
    return await draft_plan(service, period="2026", **settings)


class TestThreshold:
    async def test_the_plans_threshold_decides(self, service: ServiceTier) -> None:
        plan = await plan_of_2026(service, certificate_threshold="0.80")
        cls = await held_class(service, await institution(service), plan, 100)
        at_80, at_79 = await attended(service, cls, 80), await attended(service, cls, 79)
        certificates = await certified(service, cls)
        assert set(certificates) == {at_80} and at_79 not in certificates
        assert certificates[at_80].attendance_rate == Decimal("0.8")

    async def test_ninety_percent_by_default(self, service: ServiceTier) -> None:
        plan = await plan_of_2026(service)
        assert plan.certificate_threshold == Decimal("0.90")
        cls = await held_class(service, await institution(service), plan, 10)
        at_90, at_80 = await attended(service, cls, 9), await attended(service, cls, 8)
        certificates = await certified(service, cls)
        assert set(certificates) == {at_90} and at_80 not in certificates
        [issued] = await service.emitted("certificate.issued")
        assert issued.data["trainee_id"] == str(at_90)


class TestIssuer:
    async def test_the_certificate_names_the_training_institution(
        self, service: ServiceTier
    ) -> None:
        institution_id = await institution(service)
        cls = await held_class(service, institution_id, await plan_of_2026(service), 3)
        present = await attended(service, cls, 3)
        # Renamed in the registry after the class was scheduled: the replica's name is issued.
        renamed = replace(
            institution_event(institution_id, name="华中科技大学"), aggregateversion=2
        )
        await service.receive(renamed)
        certificate = (await certified(service, cls))[present]
        assert certificate.institution_name == "华中科技大学"
        shown = await closing.verify(service.session, certificate.number)
        assert shown.institution_name == "华中科技大学"
