"""Request handling shared by every route: authentication, one transaction, idempotency, audit.

``UnitOfWorkRoute`` wraps each endpoint: it verifies the bearer token, opens the request's
session, replays or rejects a reused ``Idempotency-Key``, runs the endpoint, and commits
once if it succeeded. A failed request rolls back everything, its outbox rows included,
and is audited in a transaction of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kit import audit
from kit.auth import AuthError, Principal, Role
from kit.context import ServiceContext
from kit.errors import (
    FORBIDDEN,
    IDEMPOTENCY_KEY_INVALID,
    IDEMPOTENCY_KEY_REUSED,
    UNAUTHENTICATED,
    ProblemError,
)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class UnitOfWorkRoute(APIRoute):
    def get_route_handler(self) -> Endpoint:
        endpoint = super().get_route_handler()
        route_path = self.path

        async def handler(request: Request) -> Response:
            ctx: ServiceContext = request.state.ctx
            write = request.method in WRITE_METHODS
            action = f"{request.method} {route_path}"
            try:
                request.state.principal = _authenticate(ctx, request)
            except AuthError as exc:
                await audit.record_now(
                    request,
                    action=action,
                    resource=request.url.path,
                    result="denied",
                    detail={"reason": exc.reason},
                )
                raise UNAUTHENTICATED(reason=exc.reason) from exc
            # Reads that never touch the ORM (the hot paths use the asyncpg pool) get no session.
            request.state.session = ctx.db.sessions() if write else None
            try:
                try:
                    replay = await _idempotency_replay(ctx, request) if write else None
                    if replay is not None:
                        return replay
                    response = await endpoint(request)
                except Exception as exc:
                    await _rollback(request)
                    code, status = _outcome(exc)
                    if write or status in (401, 403):
                        await audit.record_now(
                            request,
                            action=action,
                            resource=request.url.path,
                            result=_RESULTS.get(status, "rejected" if status < 500 else "error"),
                            detail={"code": code},
                        )
                    raise
                session: AsyncSession | None = request.state.session
                if session is None:
                    return response
                if response.status_code >= 400:
                    await session.rollback()
                    return response
                if write:
                    await audit.record(session, request, action=action, resource=request.url.path)
                    await _idempotency_store(ctx, request, session, response)
                if write or getattr(request.state, "commit", False):
                    await session.commit()
                return response
            finally:
                if request.state.session is not None:
                    await request.state.session.close()

        return handler


_RESULTS = {401: "denied", 403: "denied"}


def _outcome(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ProblemError):
        return exc.problem.code, exc.problem.status
    if isinstance(exc, RequestValidationError):
        return "VALIDATION_FAILED", 422
    return "INTERNAL", 500


def _authenticate(ctx: ServiceContext, request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthError("missing bearer token")
    return ctx.verifier.verify(token.strip())


async def _rollback(request: Request) -> None:
    session: AsyncSession | None = request.state.session
    if session is not None:
        await session.rollback()


async def _idempotency_replay(ctx: ServiceContext, request: Request) -> Response | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not 0 < len(key) <= 200 or not key.isprintable():
        raise IDEMPOTENCY_KEY_INVALID()
    body = await request.body()
    digest = hashlib.sha256(
        b"\n".join(
            [
                request.method.encode(),
                str(request.url.path).encode(),
                str(request.url.query).encode(),
                body,
            ]
        )
    ).digest()
    table = ctx.tables.idempotency_keys
    principal: Principal = request.state.principal
    session: AsyncSession = request.state.session
    request.state.idempotency_key = key
    # A concurrent request with the same key waits here until the first one commits.
    inserted = await session.execute(
        insert(table)
        .values(principal=principal.sub, key=key, request_hash=digest)
        .on_conflict_do_nothing()
        .returning(table.c.key)
    )
    if inserted.first() is not None:
        return None
    row = (
        await session.execute(
            select(table).where(table.c.principal == principal.sub, table.c.key == key)
        )
    ).one()
    if row.request_hash != digest:
        raise IDEMPOTENCY_KEY_REUSED()
    return Response(
        row.response_body,
        status_code=row.status_code,
        media_type=row.content_type,
        headers={"Idempotent-Replayed": "true"},
    )


async def _idempotency_store(
    ctx: ServiceContext, request: Request, session: AsyncSession, response: Response
) -> None:
    key = getattr(request.state, "idempotency_key", None)
    if key is None:
        return
    table = ctx.tables.idempotency_keys
    principal: Principal = request.state.principal
    await session.execute(
        table.update()
        .where(table.c.principal == principal.sub, table.c.key == key)
        .values(
            status_code=response.status_code,
            content_type=response.media_type,
            response_body=bytes(response.body),
        )
    )


def service_router(prefix: str, tags: list[str | Enum] | None = None) -> APIRouter:
    """The router every service uses for its API (authenticated, one transaction)."""
    return APIRouter(prefix=prefix, tags=tags, route_class=UnitOfWorkRoute)


async def get_context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.state.ctx
    return ctx


async def get_session(request: Request) -> AsyncSession:
    session: AsyncSession | None = request.state.session
    if session is None:
        ctx: ServiceContext = request.state.ctx
        session = request.state.session = ctx.db.sessions()
    return session


async def get_principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def caller(request: Request) -> tuple[ServiceContext, Principal]:
    """The service context and the authenticated principal, for routes that must be fast.

    FastAPI resolves each dependency at a cost of ~35 µs a request; the two together are
    a tenth of a primary-key read here. Hot reads take ``request`` instead of ``Context``
    and ``CurrentPrincipal``.
    """
    return request.state.ctx, request.state.principal


def require(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency admitting only ``roles`` (everything else: 403, audited by the route)."""

    async def dependency(request: Request) -> Principal:
        principal: Principal = request.state.principal
        if principal.role not in roles:
            raise FORBIDDEN()
        return principal

    return dependency


# Dependencies are async: FastAPI would run plain functions in a worker thread per request.
Context = Annotated[ServiceContext, Depends(get_context)]
Session = Annotated[AsyncSession, Depends(get_session)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
