"""满意度评价: after the class ends, one survey per confirmed or completed trainee. The
class's satisfaction rate is the share of responses whose overall score (the mean of 安排,
内容 and 效果) is at least 4; courses averaging under the threshold are flagged so the next
plan adjusts them (000 附件1 §三(二))."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import VALIDATION_FAILED, FieldError
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import Course, EnrollmentState
from training.errors import CLASS_NOT_ENDED, SURVEY_EXISTS, SURVEY_NOT_ALLOWED, TRAINEE_NOT_FOUND
from training.models import Enrollment, Plan, Survey, Trainee, TrainingClass
from training.schemas.surveys import CourseScore, Satisfaction, SurveyCreate, SurveyRead
from training.scope import may_keep, organises
from training.service import classes

SATISFIED_AT = Decimal(4)
ANSWERING = (EnrollmentState.CONFIRMED.value, EnrollmentState.COMPLETED.value)
CENT = Decimal("0.01")


def _mean(values: list[int]) -> Decimal:
    return _cents(Decimal(sum(values)) / len(values))


def class_courses(cls: TrainingClass) -> set[Course]:
    return {Course(t["course"]) for t in cls.topics if t.get("course")}


def to_read(s: Survey) -> SurveyRead:
    return SurveyRead(
        id=s.id,
        class_id=s.class_id,
        trainee_id=s.trainee_id,
        arrangement=s.arrangement,
        content=s.content,
        effect=s.effect,
        overall=s.overall,
        courses={Course(k): v for k, v in s.courses.items()},
        comment=s.comment,
        submitted_at=s.submitted_at,
    )


async def submit(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    class_id: uuid.UUID,
    payload: SurveyCreate,
) -> Survey:
    cls = await classes.get(session, principal, class_id)
    trainee = await session.get(Trainee, payload.trainee_id)
    state = await session.scalar(
        select(Enrollment.state).where(
            Enrollment.class_id == cls.id, Enrollment.trainee_id == payload.trainee_id
        )
    )
    # The trainee's enterprise answers; the provinces may enter paper answers — the
    # organiser only for its own trainees, so another's answers as an unknown one.
    if trainee is None or not (
        may_keep(principal, trainee) or (organises(principal, cls) and state is not None)
    ):
        raise TRAINEE_NOT_FOUND()
    if clock.today() < cls.end_on:
        raise CLASS_NOT_ENDED(end=cls.end_on.isoformat(), action="评价", action_en="surveyed")
    if state not in ANSWERING:
        raise SURVEY_NOT_ALLOWED()
    foreign = [c for c in payload.courses if c not in class_courses(cls)]
    if foreign:
        raise VALIDATION_FAILED(
            errors=[
                FieldError(
                    f"courses.{c.value}",
                    "NOT_IN_CLASS",
                    f"本班没有“{c.zh}”课程",
                    f"The class has no {c.value} course",
                )
                for c in foreign
            ]
        )
    survey = Survey(
        class_id=cls.id,
        trainee_id=trainee.id,
        arrangement=payload.arrangement,
        content=payload.content,
        effect=payload.effect,
        overall=_mean([payload.arrangement, payload.content, payload.effect]),
        courses={c.value: v for c, v in payload.courses.items()},
        comment=payload.comment,
    )
    session.add(survey)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise SURVEY_EXISTS() from exc
    await session.refresh(survey)
    period = await session.scalar(select(Plan.period).where(Plan.id == cls.plan_id))
    await ctx.outbox.emit(
        session,
        events.SURVEY,
        "submitted",
        subject=str(survey.id),
        data={
            "id": str(survey.id),
            "class_id": str(cls.id),
            "trainee_id": str(trainee.id),
            "province": trainee.province,
            "class_province": cls.province,
            "period": str(period),
            "overall": str(survey.overall),
            "satisfied": survey.overall >= SATISFIED_AT,
        },
        province=trainee.province,
        version=1,
    )
    return survey


_COURSE_SCORES = """
SELECT kv.key, count(*), avg(kv.value::numeric) FROM training.surveys s
JOIN training.classes c ON c.id = s.class_id JOIN training.plans p ON p.id = c.plan_id,
jsonb_each_text(s.courses) kv
WHERE {where} GROUP BY kv.key
"""


async def course_scores(
    session: AsyncSession,
    threshold: Decimal,
    *,
    class_id: uuid.UUID | None = None,
    province: str | None = None,
    before: str | None = None,
) -> list[CourseScore]:
    """Each course's average over one class's surveys, or over a province's classes of the
    periods before ``before`` (what a new plan should adjust); in 附1-1 order."""
    params: dict[str, Any]
    if class_id is not None:
        where, params = "s.class_id = :class_id", {"class_id": class_id}
    else:
        where, params = (
            "p.province = :province AND p.period < :before",
            {
                "province": province,
                "before": before,
            },
        )
    rows = await session.execute(text(_COURSE_SCORES.format(where=where)), params)
    found = {Course(key): (int(n), _cents(avg)) for key, n, avg in rows}
    return [
        CourseScore(
            course=course,
            name=course.zh,
            responses=found[course][0],
            average=found[course][1],
            flagged=found[course][1] < threshold,
        )
        for course in Course
        if course in found
    ]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


async def satisfaction(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, threshold: Decimal | None
) -> Satisfaction:
    """The class's rate and averages; courses flagged under ``threshold`` (by default the
    plan's)."""
    cls = await classes.get(session, principal, class_id)
    plan = await session.get_one(Plan, cls.plan_id)
    threshold = plan.course_flag_threshold if threshold is None else threshold
    surveys = list(await session.scalars(select(Survey).where(Survey.class_id == cls.id)))
    satisfied = sum(1 for s in surveys if s.overall >= SATISFIED_AT)

    def average(dimension: str) -> Decimal | None:
        return _mean([getattr(s, dimension) for s in surveys]) if surveys else None

    return Satisfaction(
        class_id=cls.id,
        responses=len(surveys),
        satisfied=satisfied,
        rate=(Decimal(satisfied) / len(surveys)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if surveys
        else None,
        arrangement=average("arrangement"),
        content=average("content"),
        effect=average("effect"),
        threshold=threshold,
        courses=await course_scores(session, threshold, class_id=cls.id),
    )
