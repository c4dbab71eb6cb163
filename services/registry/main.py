"""The registry service (企业库 / 机构库)."""

from __future__ import annotations

from fastapi import FastAPI
from kit.app import create_app
from kit.settings import Settings

from registry.endpoints import (
    contacts,
    enterprises,
    imports,
    institutions,
    recognitions,
    reference,
)
from registry.events import SERVICE
from registry.models import kit_tables


def create(settings: Settings | None = None, run_workers: bool = True) -> FastAPI:
    return create_app(
        name=SERVICE,
        title="registry 企业库/机构库",
        tables=kit_tables,
        routers=[
            enterprises.router,
            recognitions.router,
            imports.router,
            institutions.router,
            contacts.router,
            reference.router,
        ],
        settings=settings,
        run_workers=run_workers,
    )


app = create()
