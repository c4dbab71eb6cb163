"""满意度评价: after the class ends, one survey per confirmed or completed trainee. The
class's satisfaction rate is the share of responses whose overall score (the mean of 安排,
内容 and 效果) is at least 4; courses averaging under the threshold are flagged so the next
plan adjusts them (000 附件1 §三(二))."""

from __future__ import annotations

import uuid
from decimal import Decimal

from contracts import training as contract
from kit import clock
from kit import satisfaction as rating
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import VALIDATION_FAILED, FieldError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.errors import CLASS_NOT_ENDED, SURVEY_EXISTS, SURVEY_NOT_ALLOWED, TRAINEE_NOT_FOUND
from training.models import Survey
from training.repository import enrollments as enrollments_repo
from training.repository import plans as plans_repo
from training.repository import surveys as repo
from training.repository import trainees as trainees_repo
from training.rules import ANSWERING
from training.schemas.surveys import Satisfaction, SurveyCreate, SurveyRead
from training.scope import may_keep, organises
from training.service import classes, courses


def _mean(values: list[int]) -> Decimal:
    return courses.cents(Decimal(sum(values)) / len(values))


def to_read(s: Survey) -> SurveyRead:
    return SurveyRead(
        id=s.id,
        class_id=s.class_id,
        trainee_id=s.trainee_id,
        arrangement=s.arrangement,
        content=s.content,
        effect=s.effect,
        overall=s.overall,
        courses=dict(s.courses),
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
    trainee = await trainees_repo.get(session, payload.trainee_id)
    state = await enrollments_repo.state_of(session, cls.id, payload.trainee_id)
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
    taught = courses.of_class(cls)
    foreign = [str(c) for c in payload.courses if c not in taught]
    if foreign:
        # Named only when the class's own plan has them: another plan's stay codes.
        own = {
            code: course
            for code, course in (await courses.plan_courses_among(session, foreign)).items()
            if course.plan_id == cls.plan_id
        }
        raise VALIDATION_FAILED(
            errors=[
                FieldError(
                    f"courses.{c}",
                    "NOT_IN_CLASS",
                    f"本班没有“{courses.name_of(c, own)}”课程",
                    f"The class has no {c} course",
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
        courses={str(c): v for c, v in payload.courses.items()},
        comment=payload.comment,
    )
    session.add(survey)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise SURVEY_EXISTS() from exc
    await session.refresh(survey)
    period = await plans_repo.period(session, cls.plan_id)
    await ctx.outbox.emit(
        session,
        events.SURVEY,
        "submitted",
        subject=str(survey.id),
        data=contract.SurveySubmitted(
            id=survey.id,
            class_id=cls.id,
            trainee_id=trainee.id,
            province=trainee.province,
            class_province=cls.province,
            period=period,
            overall=survey.overall,
            satisfied=rating.satisfied(survey.overall),
        ).model_dump(mode="json"),
        province=trainee.province,
        version=1,
    )
    return survey


async def satisfaction(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, threshold: Decimal | None
) -> Satisfaction:
    """The class's rate and averages; courses flagged under ``threshold`` (by default the
    plan's)."""
    cls = await classes.get(session, principal, class_id)
    plan = await plans_repo.get_one(session, cls.plan_id)
    threshold = plan.course_flag_threshold if threshold is None else threshold
    surveys = await repo.of_class(session, cls.id)
    averages = await repo.course_averages_of_class(session, cls.id)
    own = await courses.plan_courses_among(session, averages)
    satisfied = sum(1 for s in surveys if rating.satisfied(s.overall))

    def average(dimension: str) -> Decimal | None:
        return _mean([getattr(s, dimension) for s in surveys]) if surveys else None

    return Satisfaction(
        class_id=cls.id,
        responses=len(surveys),
        satisfied=satisfied,
        rate=rating.rate(satisfied, len(surveys)),
        arrangement=average("arrangement"),
        content=average("content"),
        effect=average("effect"),
        threshold=threshold,
        courses=courses.scores(averages, threshold, own),
    )
