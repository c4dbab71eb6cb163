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
from gateway.webhooks import endpoints as webhooks
from gateway.webhooks.rules import RETENTION
from gateway.webhooks.worker import deliver


def create(settings: Settings | None = None, run_workers: bool = True) -> FastAPI:
    return create_app(
        name="gateway",
        title="gateway 培育赋能工作专栏",
        tables=kit_tables,
        routers=[
            endpoints.router,
            auth.router,
            auth.public,
            webhooks.router,
            changes.router,
            changes.webhooks,
        ],
        subscriptions=SUBSCRIPTIONS,
        workers=[deliver],
        retention=RETENTION,
        settings=settings,
        run_workers=run_workers,
    )


app = create()
