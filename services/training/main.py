"""The training service (人才培训)."""

from __future__ import annotations

from fastapi import FastAPI
from kit.app import create_app
from kit.settings import Settings

from training.endpoints import (
    classes,
    completion,
    coverage,
    enrollments,
    plan_courses,
    plans,
    reference,
    teachers,
    trainees,
)
from training.events import SERVICE
from training.handlers import SUBSCRIPTIONS
from training.models import kit_tables


def create(settings: Settings | None = None, run_workers: bool = True) -> FastAPI:
    return create_app(
        name=SERVICE,
        title="training 人才培训",
        tables=kit_tables,
        routers=[
            plans.router,
            plan_courses.router,
            classes.router,
            teachers.router,
            trainees.router,
            enrollments.router,
            completion.router,
            coverage.router,
            reference.router,
        ],
        subscriptions=SUBSCRIPTIONS,
        settings=settings,
        run_workers=run_workers,
    )


app = create()
