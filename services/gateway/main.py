"""The gateway: read models fed by every service's events, and the 专栏 endpoints."""

from __future__ import annotations

from fastapi import FastAPI
from kit.app import create_app
from kit.settings import Settings

from gateway import endpoints
from gateway.auth import endpoints as auth
from gateway.changes import endpoints as changes
from gateway.handlers import SUBSCRIPTIONS
from gateway.models import kit_tables


def create(settings: Settings | None = None, run_workers: bool = True) -> FastAPI:
    return create_app(
        name="gateway",
        title="gateway 培育赋能工作专栏",
        tables=kit_tables,
        routers=[endpoints.router, auth.router, auth.public, changes.router, changes.webhooks],
        subscriptions=SUBSCRIPTIONS,
        settings=settings,
        run_workers=run_workers,
    )


app = create()
