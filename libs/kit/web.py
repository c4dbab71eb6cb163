"""Request handling shared by every route: authentication, one transaction, idempotency, audit.

``UnitOfWorkRoute`` wraps each endpoint: it verifies the bearer token, opens the request's
session, replays or rejects a reused ``Idempotency-Key``, runs the endpoint, and commits
once if it succeeded. A failed request rolls back everything, its outbox rows included,
and is audited in a transaction of its own; so is a refused read (401, 403, and the 404 of
a record outside the caller's scope, which is how scoped reads refuse).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from datetime import timedelta
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy import Table, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kit import audit
from kit.auth import AuthError, Principal, Role
from kit.context import ServiceContext
from kit.db import DatabaseFailure, is_database_error
from kit.errors import (
    FORBIDDEN,
    IDEMPOTENCY_KEY_INVALID,
    IDEMPOTENCY_KEY_OTHER_GRANTS,
    IDEMPOTENCY_KEY_REUSED,
    UNAUTHENTICATED,
    ProblemError,
    problem_response,
)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]
# Expired idempotency keys deleted by each new key (so the table stays ~one TTL of keys).
PURGE_BATCH = 100


class UnitOfWorkRoute(APIRoute):
    def get_route_handler(self) -> Endpoint:
        endpoint = super().get_route_handler()
        route_path = self.path

        async def handler(request: Request) -> Response:
            ctx: ServiceContext = request.state.ctx
            write = request.method in WRITE_METHODS
            action = f"{request.method} {route_path}"
            try:
                request.state.principal = await _authenticate(ctx, request)
            except AuthError as exc:
                await audit.record_now(
                    request,
                    action=action,
                    resource=request.url.path,
                    result="denied",
                    detail={"reason": exc.reason},
                )
                return _unauthenticated(request, exc)
            # Reads that never touch the ORM (the hot paths use the asyncpg pool) get no session.
            request.state.session = ctx.db.sessions() if write else None
            try:
                return await _unit_of_work(ctx, request, endpoint, write, action)
            except Exception as exc:
                await _rollback(request)
                code, status = _outcome(exc)
                if write or status in _RESULTS:
                    await audit.record_now(
                        request,
                        action=action,
                        resource=request.url.path,
                        result=_RESULTS.get(status, "rejected" if status < 500 else "error"),
                        detail={"code": code},
                    )
                if is_database_error(exc):
                    # The driver's exception quotes the request's values (names, addresses,
                    # ID ciphertexts); whatever logs this sees the statement and codes only.
                    raise DatabaseFailure.of(exc).with_traceback(exc.__traceback__) from None
                raise
            finally:
                if request.state.session is not None:
                    await request.state.session.close()

        return handler


# Refusals audited on reads too. A scoped read answers 404 for a record outside the caller's
# region exactly as for a missing one, so every 404 of a route is a possible probe.
_RESULTS = {401: "denied", 403: "denied", 404: "not_found"}


async def _unit_of_work(
    ctx: ServiceContext, request: Request, endpoint: Endpoint, write: bool, action: str
) -> Response:
    replay = await _idempotency_replay(ctx, request) if write else None
    session: AsyncSession | None = request.state.session
    if replay is not None:
        assert session is not None
        await audit.record(
            session, request, action=action, resource=request.url.path, result="replayed"
        )
        await session.commit()
        return replay
    response = await endpoint(request)
    session = request.state.session  # an endpoint may have opened one (get_session)
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


def _outcome(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ProblemError):
        return exc.problem.code, exc.problem.status
    if isinstance(exc, RequestValidationError):
        return "VALIDATION_FAILED", 422
    return "INTERNAL", 500


async def _authenticate(ctx: ServiceContext, request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("missing bearer token", "缺少 Bearer 令牌", missing=True)
    return await ctx.verifier.verify(token.strip())


def _unauthenticated(request: Request, exc: AuthError) -> Response:
    """401 with the challenge of RFC 6750 §3: ``error`` only when a token came and failed."""
    response = problem_response(
        request, UNAUTHENTICATED(reason=exc.reason, reason_zh=exc.reason_zh)
    )
    challenge = 'Bearer realm="zjtx"'
    if not exc.missing:
        challenge += f', error="invalid_token", error_description="{exc.reason}"'
    response.headers["WWW-Authenticate"] = challenge
    return response


async def _rollback(request: Request) -> None:
    session: AsyncSession | None = request.state.session
    if session is not None:
        await session.rollback()


def _grants_hash(principal: Principal) -> bytes:
    """What decides what a response may show: a replay to other grants could show more."""
    parts = [principal.role.value, principal.region, principal.org or "", *sorted(principal.scopes)]
    return hashlib.sha256("\n".join(parts).encode()).digest()


def _body_context(principal: Principal, key: str) -> str:
    """Associated data of a stored response: it decrypts only as this caller's, this key's."""
    return f"idempotency\x00{principal.sub}\x00{key}"


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
    grants = _grants_hash(principal)
    request.state.idempotency_key = key
    fresh = insert(table).values(
        principal=principal.sub,
        key=key,
        request_hash=digest,
        grants_hash=grants,
        expires_at=func.now() + timedelta(hours=ctx.settings.idempotency_ttl_hours),
    )
    # A live key conflicts (a concurrent request with it waits here until the first one
    # commits); an expired one is taken over as if it had never been used.
    claimed = await session.execute(
        fresh.on_conflict_do_update(
            index_elements=[table.c.principal, table.c.key],
            set_={
                "request_hash": fresh.excluded.request_hash,
                "grants_hash": fresh.excluded.grants_hash,
                "status_code": None,
                "content_type": None,
                "response_body": None,
                "pii_reads": None,
                "created_at": func.now(),
                "expires_at": fresh.excluded.expires_at,
            },
            where=table.c.expires_at <= func.now(),
        ).returning(table.c.key)
    )
    if claimed.first() is not None:
        await _purge_expired(session, table)
        return None
    row = (
        await session.execute(
            select(table).where(table.c.principal == principal.sub, table.c.key == key)
        )
    ).one()
    if row.request_hash != digest:
        raise IDEMPOTENCY_KEY_REUSED()
    if row.grants_hash != grants:
        raise IDEMPOTENCY_KEY_OTHER_GRANTS()
    for read in row.pii_reads or ():
        await audit.record(
            session,
            request,
            action=audit.PII_READ,
            resource=read["resource"],
            detail={**(read["detail"] or {}), "replayed": True},
        )
    return Response(
        ctx.pii.decrypt_bytes(row.response_body, context=_body_context(principal, key)),
        status_code=row.status_code,
        media_type=row.content_type,
        headers={"Idempotent-Replayed": "true"},
    )


async def _purge_expired(session: AsyncSession, table: Table) -> None:
    """Delete a batch of expired keys; rows other requests hold are left for the next one."""
    expired = (
        select(table.c.principal, table.c.key)
        .where(table.c.expires_at <= func.now())
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    await session.execute(table.delete().where(tuple_(table.c.principal, table.c.key).in_(expired)))


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
            response_body=ctx.pii.encrypt_bytes(
                bytes(response.body), context=_body_context(principal, key)
            ),
            pii_reads=audit.pii_reads(request) or None,
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


async def get_audit(request: Request) -> audit.Audit:
    return audit.Audit.of(request)


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
CurrentAudit = Annotated[audit.Audit, Depends(get_audit)]
