"""满意度评价: after the class ends, one survey per confirmed or completed trainee. The
class's satisfaction rate is the share of responses whose overall score (the mean of 安排,
内容 and 效果) is at least 4; courses averaging under the threshold are flagged so the next
plan adjusts them (000 附件1 §三(二))."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from kit import clock
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import VALIDATION_FAILED, FieldError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import Course, EnrollmentState
from training.errors import CLASS_NOT_ENDED, SURVEY_EXISTS, SURVEY_NOT_ALLOWED, TRAINEE_NOT_FOUND
from training.models import Enrollment, Plan, Survey, Trainee, TrainingClass
from training.schemas.surveys import CourseScore, Satisfaction, SurveyCreate, SurveyRead
from training.service import classes, trainees

SATISFIED_AT = Decimal(4)
COURSE_THRESHOLD = Decimal(4)  # default; the caller may ask for another
ANSWERING = (EnrollmentState.CONFIRMED.value, EnrollmentState.COMPLETED.value)
CENT = Decimal("0.01")


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(CENT, ROUND_HALF_UP)


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
    # The trainee's enterprise answers; the provinces may enter paper answers.
    if trainee is None or not (
        trainees.may_keep(principal, trainee) or classes.organised_by(principal, cls)
    ):
        raise TRAINEE_NOT_FOUND()
    if clock.today() < cls.end_on:
        raise CLASS_NOT_ENDED(end=cls.end_on.isoformat(), action="评价", action_en="surveyed")
    state = await session.scalar(
        select(Enrollment.state).where(
            Enrollment.class_id == cls.id, Enrollment.trainee_id == trainee.id
        )
    )
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


async def satisfaction(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, threshold: Decimal
) -> Satisfaction:
    cls = await classes.get(session, principal, class_id)
    surveys = list(await session.scalars(select(Survey).where(Survey.class_id == cls.id)))
    scores: dict[Course, list[int]] = {}
    for s in surveys:
        for course, score in s.courses.items():
            scores.setdefault(Course(course), []).append(score)
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
        courses=[
            CourseScore(
                course=course,
                name=course.zh,
                responses=len(values),
                average=_mean(values),
                flagged=_mean(values) < threshold,
            )
            for course in Course
            if (values := scores.get(course))
        ],
    )
