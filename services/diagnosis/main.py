"""The diagnosis service (质量诊断 + 管理诊断)."""

from __future__ import annotations

from fastapi import FastAPI
from kit.app import create_app
from kit.settings import Settings

from diagnosis.endpoints import engagements, plans, results, work
from diagnosis.events import SERVICE
from diagnosis.handlers import SUBSCRIPTIONS
from diagnosis.models import kit_tables


def create(settings: Settings | None = None, run_workers: bool = True) -> FastAPI:
    return create_app(
        name=SERVICE,
        title="diagnosis 质量诊断·管理诊断",
        tables=kit_tables,
        routers=[plans.router, engagements.router, work.router, results.router],
        subscriptions=SUBSCRIPTIONS,
        settings=settings,
        run_workers=run_workers,
    )


app = create()
