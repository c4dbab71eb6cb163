"""课程评分: each course's average score from the surveys, flagged under a threshold so the
next plan adjusts it (000 附件1 §三(二)); shared by a class's satisfaction and a plan.

A course is a key course of 附1-1 (by its value) or one of a plan's own (by its code); the
scores list the key courses first, in 附1-1 order, then the plan's own by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import Course
from training.models import PlanCourse, TrainingClass
from training.repository import plan_courses as plan_courses_repo
from training.repository.surveys import Averages
from training.schemas.surveys import CourseScore

CENT = Decimal("0.01")
KEY_COURSES = frozenset(c.value for c in Course)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def of_class(cls: TrainingClass) -> set[str]:
    """The courses the class teaches: key-course values and plan-course codes."""
    return {str(t["course"]) for t in cls.topics if t.get("course")}


async def plan_courses_among(session: AsyncSession, keys: Iterable[str]) -> dict[str, PlanCourse]:
    """The plan courses named by ``keys`` (key courses left out), whatever their plans."""
    return await plan_courses_repo.by_codes(session, (k for k in keys if k not in KEY_COURSES))


def name_of(key: str, own: dict[str, PlanCourse]) -> str:
    if key in KEY_COURSES:
        return Course(key).zh
    return own[key].name if key in own else key


def scores(averages: Averages, threshold: Decimal, own: dict[str, PlanCourse]) -> list[CourseScore]:
    """The courses answered, each flagged when under ``threshold``; ``own`` names the plan
    courses among them."""
    found = {key: (n, cents(avg)) for key, (n, avg) in averages.items()}
    keys = [c.value for c in Course if c.value in found]
    keys += sorted((k for k in found if k not in KEY_COURSES), key=lambda k: (name_of(k, own), k))
    return [
        CourseScore(
            course=key,
            name=name_of(key, own),
            key_course=key in KEY_COURSES,
            responses=found[key][0],
            average=found[key][1],
            flagged=found[key][1] < threshold,
        )
        for key in keys
    ]
