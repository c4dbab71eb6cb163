"""课程评分: each course's average score from the surveys, flagged under a threshold so the
next plan adjusts it (000 附件1 §三(二)); shared by a class's satisfaction and a plan."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from training.enums import Course
from training.models import TrainingClass
from training.repository.surveys import Averages
from training.schemas.surveys import CourseScore

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def of_class(cls: TrainingClass) -> set[Course]:
    return {Course(t["course"]) for t in cls.topics if t.get("course")}


def scores(averages: Averages, threshold: Decimal) -> list[CourseScore]:
    """The courses answered, in 附1-1 order, each flagged when under ``threshold``."""
    found = {Course(key): (n, cents(avg)) for key, (n, avg) in averages.items()}
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
