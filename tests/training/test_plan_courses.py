"""计划自设课程 at the service tier: a plan adds its own courses, its classes teach them, the
surveys rate them and the low scorers are flagged like key courses; each rule broken once."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from kit.errors import ProblemError
from kit.testing import ServiceTier
from pydantic import ValidationError
from sqlalchemy import select
from training.models import Plan, PlanCourse, PlanFiling, TrainingClass
from training.schemas.plan_courses import PLAN_COURSE_CODE, PlanCourseCreate
from training.schemas.plans import PlanCreate
from training.schemas.surveys import SurveyCreate
from training.service import classes, courses, enrollments, plan_courses, plans, surveys

from tests.fixtures.training_service import (
    draft_plan,
    enterprise,
    held_class,
    institution,
    keeper,
    live_class,
    plan_course,
    trainee,
)

pytestmark = pytest.mark.services("training")

KEY_TOPICS = [
    {"category": "science_theory", "course": "xi_on_smes"},
    {"category": "policy", "course": "laws_and_policies"},
]


def teaching(*courses: PlanCourse) -> list[dict[str, Any]]:
    """Class topics: the two required key courses, then ``courses`` in their categories."""
    return [*KEY_TOPICS, *({"category": c.category, "course": c.code} for c in courses)]


async def refused(call: Any) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        await call
    return caught.value


async def held_with(
    service: ServiceTier, plan: Plan, *courses: PlanCourse, trainees: int = 0
) -> tuple[TrainingClass, list[Any]]:
    """A held (补录) class of ``plan`` teaching ``courses``, with confirmed trainees."""
    cls = await held_class(service, await institution(service), plan, 3, topics=teaching(*courses))
    enrolled = []
    for _ in range(trainees):
        t = await trainee(service, await enterprise(service))
        await enrollments.apply(service.session, service.ctx, keeper(service), cls.id, t.id)
        enrolled.append(t)
    return cls, enrolled


async def survey(service: ServiceTier, cls: TrainingClass, trainee_id: Any, **scores: int) -> Any:
    body = {"trainee_id": trainee_id, "arrangement": 5, "content": 5, "effect": 5}
    payload = SurveyCreate.model_validate({**body, "courses": scores})
    return await surveys.submit(service.session, service.ctx, keeper(service), cls.id, payload)


class TestAdding:
    async def test_a_keeper_adds_and_every_reader_of_the_plan_lists(
        self, service: ServiceTier
    ) -> None:
        plan = await draft_plan(service)
        second = await plan_course(service, plan, "数字经济与产业融合", "management")
        first = await plan_course(service, plan, "光谷产业链协同创新")
        assert re.match(PLAN_COURSE_CODE, first.code) and first.code != second.code
        city = service.principal("city", "420100")
        listed = await plan_courses.of_plan(service.session, city, plan.id)
        assert [(c.code, c.name) for c in listed] == [
            (first.code, "光谷产业链协同创新"),
            (second.code, "数字经济与产业融合"),
        ]
        henan = service.principal("province", "410000")
        problem = await refused(plan_courses.of_plan(service.session, henan, plan.id))
        assert problem.problem.code == "PLAN_NOT_FOUND"

    async def test_a_city_user_cannot_add(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        city = service.principal("city", "420100")
        payload = PlanCourseCreate(name="光谷产业链协同创新", category="management")
        problem = await refused(plan_courses.add(service.session, city, plan.id, payload))
        assert problem.problem.code == "FORBIDDEN"
        assert await plan_courses.of_plan(service.session, keeper(service), plan.id) == []

    async def test_a_name_is_unique_within_a_plan(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        await plan_course(service, plan, "光谷产业链协同创新")
        problem = await refused(plan_course(service, plan, "光谷产业链协同创新", "management"))
        assert problem.problem.code == "PLAN_COURSE_EXISTS"
        assert "光谷产业链协同创新" in problem.detail("zh")
        other = await draft_plan(service, period="2026")
        assert await plan_course(service, other, "光谷产业链协同创新")

    async def test_a_key_courses_name_is_refused(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        problem = await refused(plan_course(service, plan, "中小企业数字化转型"))
        assert problem.problem.code == "PLAN_COURSE_IS_KEY_COURSE"
        assert problem.problem.status == 422

    async def test_a_filing_keeps_the_courses_and_a_filed_plan_is_amended_first(
        self, service: ServiceTier
    ) -> None:
        plan = await draft_plan(service)
        own = await plan_course(service, plan)
        await live_class(service, await institution(service), plan=plan, topics=teaching(own))
        await plans.submit(service.session, service.ctx, keeper(service), plan.id)
        snapshot = await service.session.scalar(
            select(PlanFiling.snapshot).where(PlanFiling.plan_id == plan.id)
        )
        assert snapshot is not None
        assert [(c["code"], c["name"]) for c in snapshot["courses"]] == [(own.code, own.name)]
        assert (
            await refused(plan_course(service, plan, "产业集群专题"))
        ).problem.code == "PLAN_FILED"
        problem = await refused(
            plan_courses.delete(service.session, keeper(service), plan.id, own.code)
        )
        assert problem.problem.code == "PLAN_FILED"


class TestTopics:
    async def test_a_class_teaches_its_plans_course(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        own = await plan_course(service, plan)
        cls = await live_class(service, await institution(service), plan=plan, topics=teaching(own))
        read = await classes.to_read(service.session, cls)
        assert [t.course for t in read.topics][-1] == own.code

    async def test_another_plans_course_is_refused(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        foreign = await plan_course(service, await draft_plan(service, "43"))
        problem = await refused(
            live_class(service, await institution(service), plan=plan, topics=teaching(foreign))
        )
        assert problem.problem.code == "COURSE_NOT_IN_PLAN" and problem.problem.status == 422
        [error] = problem.errors
        assert (error.field, error.code) == ("topics.2.course", "NOT_IN_PLAN")
        assert "本计划" in error.zh

    async def test_a_topic_keeps_its_courses_category(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        own = await plan_course(service, plan, category="management")
        topics = [*KEY_TOPICS, {"category": "policy", "course": own.code}]
        problem = await refused(
            live_class(service, await institution(service), plan=plan, topics=topics)
        )
        assert problem.problem.code == "CLASS_CONTENT_INVALID"
        assert [e.code for e in problem.errors] == ["CATEGORY_MISMATCH"]


class TestDeleting:
    async def test_an_unused_course_is_deleted(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        own = await plan_course(service, plan)
        await plan_courses.delete(service.session, keeper(service), plan.id, own.code)
        assert await plan_courses.of_plan(service.session, keeper(service), plan.id) == []
        problem = await refused(
            plan_courses.delete(service.session, keeper(service), plan.id, own.code)
        )
        assert problem.problem.code == "PLAN_COURSE_NOT_FOUND"

    async def test_a_taught_course_is_kept(self, service: ServiceTier) -> None:
        plan = await draft_plan(service)
        own = await plan_course(service, plan)
        await live_class(service, await institution(service), plan=plan, topics=teaching(own))
        problem = await refused(
            plan_courses.delete(service.session, keeper(service), plan.id, own.code)
        )
        assert problem.problem.code == "PLAN_COURSE_IN_USE" and problem.problem.status == 409
        assert [
            c.code for c in await plan_courses.of_plan(service.session, keeper(service), plan.id)
        ] == [own.code]


class TestRating:
    async def test_a_plan_course_is_rated_and_flagged_under_the_threshold(
        self, service: ServiceTier
    ) -> None:
        plan = await draft_plan(service, period="2026")
        low = await plan_course(service, plan, "光谷产业链协同创新")
        fine = await plan_course(service, plan, "产业集群专题", "management")
        cls, (a, b) = await held_with(service, plan, low, fine, trainees=2)
        await survey(service, cls, a.id, xi_on_smes=5, **{low.code: 4, fine.code: 5})
        await survey(service, cls, b.id, xi_on_smes=4, **{low.code: 3, fine.code: 4})
        result = await surveys.satisfaction(service.session, keeper(service), cls.id, None)
        scores = [(c.course, c.name, c.key_course, c.average, c.flagged) for c in result.courses]
        assert scores == [
            (
                "xi_on_smes",
                "习近平总书记关于中小企业发展系列重要论述精神",
                True,
                Decimal("4.50"),
                False,
            ),
            (fine.code, "产业集群专题", False, Decimal("4.50"), False),
            (low.code, "光谷产业链协同创新", False, Decimal("3.50"), True),
        ]
        above = await surveys.satisfaction(service.session, keeper(service), cls.id, Decimal(3))
        assert not any(c.flagged for c in above.courses)
        # The next plan of the province is told to adjust it, by name.
        later = await plans.create(
            service.session,
            service.ctx,
            keeper(service),
            PlanCreate(province="42", period="2027-2028"),
        )
        [adjust] = (await plans.to_read(service.session, later)).courses_to_adjust
        assert (adjust.course, adjust.name, adjust.responses) == (low.code, low.name, 2)
        problem = await refused(
            plan_courses.delete(service.session, keeper(service), plan.id, low.code)
        )
        assert problem.problem.code == "PLAN_COURSE_IN_USE"

    async def test_only_the_classs_own_courses_are_rated(self, service: ServiceTier) -> None:
        plan = await draft_plan(service, period="2026")
        taught = await plan_course(service, plan, "光谷产业链协同创新")
        untaught = await plan_course(service, plan, "产业集群专题")
        foreign = await plan_course(service, await draft_plan(service, period="2027-2028"))
        cls, [t] = await held_with(service, plan, taught, trainees=1)
        for course in (untaught, foreign):
            problem = await refused(survey(service, cls, t.id, **{course.code: 4}))
            assert problem.problem.code == "VALIDATION_FAILED"
            [error] = problem.errors
            assert (error.field, error.code) == (f"courses.{course.code}", "NOT_IN_CLASS")
        # The class's own plan names its course; another plan's stays a code.
        named = await refused(survey(service, cls, t.id, **{untaught.code: 4}))
        assert named.errors[0].zh == "本班没有“产业集群专题”课程"
        unnamed = await refused(survey(service, cls, t.id, **{foreign.code: 4}))
        assert foreign.name not in unnamed.errors[0].zh
        assert (await survey(service, cls, t.id, **{taught.code: 4})).courses == {taught.code: 4}

    def test_key_courses_come_first_then_the_plans_by_name(self) -> None:
        own = {
            "p-000000000a": PlanCourse(code="p-000000000a", name="数字经济与产业融合"),
            "p-000000000b": PlanCourse(code="p-000000000b", name="光谷产业链协同创新"),
        }
        averages = {code: (1, Decimal(3)) for code in (*own, "compliance", "xi_on_smes")}
        listed = [c.course for c in courses.scores(averages, Decimal(4), own)]
        assert listed == ["xi_on_smes", "compliance", "p-000000000b", "p-000000000a"]

    def test_an_unknown_code_is_refused(self) -> None:
        body = {"trainee_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697801", "arrangement": 5}
        for key in ("p-unknown", "made_up_course"):
            with pytest.raises(ValidationError):
                SurveyCreate.model_validate(
                    {**body, "content": 5, "effect": 5, "courses": {key: 4}}
                )
