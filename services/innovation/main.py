"""The innovation service (技术创新服务)."""

from __future__ import annotations

from fastapi import FastAPI
from kit.app import create_app
from kit.settings import Settings

from innovation.endpoints import demands, projects, rounds, stats
from innovation.endpoints import settings as unit_settings
from innovation.events import SERVICE
from innovation.handlers import SUBSCRIPTIONS
from innovation.models import kit_tables


def create(settings: Settings | None = None, run_workers: bool = True) -> FastAPI:
    return create_app(
        name=SERVICE,
        title="innovation 技术创新服务",
        tables=kit_tables,
        routers=[
            unit_settings.router,
            demands.router,
            rounds.router,
            projects.router,
            stats.router,
        ],
        subscriptions=SUBSCRIPTIONS,
        settings=settings,
        run_workers=run_workers,
    )


app = create()
