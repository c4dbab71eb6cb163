"""Baseline: a bare FastAPI + asyncpg primary-key endpoint on the registry's table."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from fastapi import FastAPI, Request, Response


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    dsn = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=10)
    yield {"pool": pool}
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/enterprises/{uscc}")
async def enterprise(uscc: str, request: Request) -> Response:
    row = await request.state.pool.fetchrow(
        "SELECT * FROM registry.enterprises WHERE uscc = $1", uscc
    )
    return Response(orjson.dumps(dict(row), default=str), media_type="application/json")
