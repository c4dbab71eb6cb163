"""报名 rules at the service tier: each broken on purpose, against replicas fed by real
registry events, with what would be published read from the outbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from kit.clock import today
from kit.errors import ProblemError
from kit.testing import ServiceTier
from sqlalchemy import func, select
from training.enums import ACTIVE_STATES, EnrollmentState
from training.models import Enrollment, TrainingClass
from training.schemas.plans import PlanUpdate
from training.service import enrollments, plans

from tests.fixtures.registry_events import recognition_event
from tests.fixtures.training_service import (
    draft_plan,
    enterprise,
    held_class,
    institution,
    keeper,
    live_class,
    trainee,
)

pytestmark = pytest.mark.services("training")


async def apply(service: ServiceTier, cls: TrainingClass, uscc: str) -> Enrollment:
    t = await trainee(service, uscc)
    return await enrollments.apply(service.session, service.ctx, keeper(service), cls.id, t.id)


async def refused(service: ServiceTier, cls: TrainingClass, uscc: str) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        await apply(service, cls, uscc)
    return caught.value


async def active(service: ServiceTier) -> int:
    states = [s.value for s in ACTIVE_STATES]
    query = select(func.count()).select_from(Enrollment).where(Enrollment.state.in_(states))
    return int(await service.session.scalar(query) or 0)


async def test_an_application_publishes_its_state(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service))
    uscc = await enterprise(service)
    enrollment = await apply(service, cls, uscc)
    [event] = await service.emitted("enrollment.")
    assert event.type == "cn.zjtx.training.enrollment.applied.v1"
    assert event.data["id"] == str(enrollment.id)
    assert event.data["enterprise_uscc"] == uscc
    assert event.data["class_province"] == "42"
    assert "id_number" not in str(event.data) and "mobile" not in str(event.data)


async def test_an_enterprise_without_an_admitted_tier_is_refused(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service))
    problem = await refused(service, cls, await enterprise(service, "specialized_sme"))
    assert problem.problem.code == "ENTERPRISE_NOT_ELIGIBLE"
    assert "专精特新“小巨人”企业" in problem.detail("zh")
    assert await active(service) == 0


async def test_the_start_date_decides_not_today(service: ServiceTier) -> None:
    """Valid today, expired by the start date: refused."""
    cls = await live_class(service, await institution(service))
    # Three years' validity ending the day before the class starts.
    lapsing_from = cls.start_on - timedelta(days=1)
    lapsing_from = date(lapsing_from.year - 3, lapsing_from.month, lapsing_from.day)
    uscc = await enterprise(service, "little_giant", valid_from=lapsing_from + timedelta(days=1))
    assert (await refused(service, cls, uscc)).problem.code == "ENTERPRISE_NOT_ELIGIBLE"
    # The same enterprise, recognised again in time, is admitted.
    await service.receive(recognition_event(uscc, "little_giant", today()))
    assert (await apply(service, cls, uscc)).state == EnrollmentState.APPLIED


async def test_a_revoked_recognition_no_longer_admits(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service))
    uscc = await enterprise(service, tier=None)
    granted = recognition_event(uscc)
    await service.receive(granted)
    revoked = recognition_event(
        uscc, revoked_on=today(), version=2, recognition_id=granted.data["id"]
    )
    await service.receive(revoked)
    assert (await refused(service, cls, uscc)).problem.code == "ENTERPRISE_NOT_ELIGIBLE"


async def test_a_plan_admitting_little_giants_admits_key_little_giants(
    service: ServiceTier,
) -> None:
    """A 重点小巨人 holds 小巨人 too (DESIGN.md §5)."""
    cls = await live_class(service, await institution(service), eligible_tiers=("little_giant",))
    assert await apply(service, cls, await enterprise(service, "key_little_giant"))
    specialised = await enterprise(service, "specialized_sme")
    assert (await refused(service, cls, specialised)).problem.code == "ENTERPRISE_NOT_ELIGIBLE"


async def withdraw(service: ServiceTier, enrollment: Enrollment) -> None:
    await enrollments.transition(
        service.session,
        service.ctx,
        keeper(service),
        enrollment.id,
        EnrollmentState.WITHDRAWN,
        None,
    )


class TestPerEnterpriseLimit:
    """每家企业限定1-2人, each person choosing one class (001): a plan setting."""

    async def test_two_across_the_plan_by_default(self, service: ServiceTier) -> None:
        institution_id = await institution(service)
        plan = await draft_plan(service)
        first, second = [await live_class(service, institution_id, plan=plan) for _ in "ab"]
        uscc = await enterprise(service)
        withdrawn = await apply(service, first, uscc)
        await apply(service, first, uscc)
        problem = await refused(service, second, uscc)
        assert problem.problem.code == "ENTERPRISE_QUOTA_REACHED"
        assert "每个计划周期最多 2 名" in problem.detail("zh")
        assert "per plan period" in problem.detail("en")
        assert await apply(service, second, await enterprise(service))  # another enterprise
        await withdraw(service, withdrawn)  # a withdrawn trainee frees the seat
        assert await apply(service, second, uscc)

    async def test_another_plans_trainees_do_not_count(self, service: ServiceTier) -> None:
        institution_id = await institution(service)
        uscc = await enterprise(service)
        held = await held_class(
            service, institution_id, await draft_plan(service, period="2026"), 3
        )
        await apply(service, held, uscc)
        await apply(service, held, uscc)
        assert await apply(service, await live_class(service, institution_id), uscc)

    async def test_a_class_scope_counts_each_class(self, service: ServiceTier) -> None:
        institution_id = await institution(service)
        plan = await draft_plan(service, per_enterprise_scope="class")
        first, second = [await live_class(service, institution_id, plan=plan) for _ in "ab"]
        uscc = await enterprise(service)
        for cls in (first, first, second, second):
            await apply(service, cls, uscc)
        problem = await refused(service, second, uscc)
        assert problem.problem.code == "ENTERPRISE_QUOTA_REACHED"
        assert "每个班次最多 2 名" in problem.detail("zh")
        assert await active(service) == 4

    async def test_a_limit_of_one(self, service: ServiceTier) -> None:
        institution_id = await institution(service)
        plan = await draft_plan(service, per_enterprise_limit=1)
        first, second = [await live_class(service, institution_id, plan=plan) for _ in "ab"]
        uscc = await enterprise(service)
        await apply(service, first, uscc)
        problem = await refused(service, second, uscc)
        assert problem.problem.code == "ENTERPRISE_QUOTA_REACHED"
        assert "最多 1 名" in problem.detail("zh")
        assert (await refused(service, first, uscc)).problem.code == "ENTERPRISE_QUOTA_REACHED"
        assert await active(service) == 1

    async def test_a_changed_limit_applies_to_the_next_application(
        self, service: ServiceTier
    ) -> None:
        institution_id = await institution(service)
        plan = await draft_plan(service)
        cls = await live_class(service, institution_id, plan=plan)
        uscc = await enterprise(service)
        await apply(service, cls, uscc)
        await plans.update(
            service.session,
            keeper(service),
            plan.id,
            PlanUpdate.model_validate({"per_enterprise_limit": 1}),
        )
        assert (await refused(service, cls, uscc)).problem.code == "ENTERPRISE_QUOTA_REACHED"


async def test_capacity(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service), planned_trainees=1)
    await apply(service, cls, await enterprise(service))
    problem = await refused(service, cls, await enterprise(service))
    assert problem.problem.code == "CLASS_FULL"
    assert await active(service) == 1


async def test_closed_seven_days_before_the_start(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service), lead_days=6)
    problem = await refused(service, cls, await enterprise(service))
    assert problem.problem.code == "ENROLLMENT_CLOSED"
    assert (today() - timedelta(days=1)).isoformat() in problem.detail("zh")
    assert await active(service) == 0


async def test_on_the_deadline_day_it_is_still_open(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service), lead_days=7)
    assert await apply(service, cls, await enterprise(service))


async def test_confirmation_closes_too_but_withdrawal_does_not(service: ServiceTier) -> None:
    cls = await live_class(service, await institution(service))
    enrollment = await apply(service, cls, await enterprise(service))

    async def decide(target: EnrollmentState) -> Enrollment:
        return await enrollments.transition(
            service.session, service.ctx, keeper(service), enrollment.id, target, None
        )

    await decide(EnrollmentState.QUALIFIED)
    cls.start_on = cls.end_on = today() + timedelta(days=3)  # past the deadline now
    with pytest.raises(ProblemError) as caught:
        await decide(EnrollmentState.CONFIRMED)
    assert caught.value.problem.code == "ENROLLMENT_CLOSED"
    assert (await decide(EnrollmentState.WITHDRAWN)).state == EnrollmentState.WITHDRAWN
