"""Provincial systems (省级系统) and their tokens: OAuth 2.0 client credentials.

The ministry registers a system for one filing unit; its secret is shown once and kept as a
hash. The system trades its id and secret for a short-lived ``province_system`` token of its
unit (``POST /api/v1/auth/token``). Every answer of the token endpoint is audited, the
secret never. Wrong secrets are counted per client: after ``oauth_max_failures`` of them
with no quiet spell of ``oauth_failure_window_seconds`` between, the client waits
``oauth_backoff_seconds``, doubled by each further failure up to
``oauth_backoff_max_seconds``, and while it waits the endpoint answers 429 without looking
at the secret.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from datetime import datetime, timedelta
from typing import Any

from kit import clock
from kit.audit import audit_row
from kit.auth import Principal, Role, issue_token
from kit.codes import unit_region
from kit.context import ServiceContext
from kit.pagination import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import State
from uuid6 import uuid7

from gateway.auth import credentials, keyring
from gateway.auth import errors as oauth
from gateway.auth import repository as repo
from gateway.auth.errors import CLIENT_NOT_FOUND, OAuthError
from gateway.auth.models import OAuthClient
from gateway.auth.schemas import ClientCreate, ClientCreated, ClientRead, TokenResponse

TOKEN_PATH = "/api/v1/auth/token"
TOKEN_ACTION = f"POST {TOKEN_PATH}"


def read(client: OAuthClient) -> ClientRead:
    return ClientRead(
        client_id=client.id,
        unit=client.unit,
        name=client.name,
        created_at=client.created_at,
        revoked_at=client.revoked_at,
        last_token_at=client.last_token_at,
    )


async def register(
    session: AsyncSession, principal: Principal, payload: ClientCreate
) -> ClientCreated:
    secret = credentials.new_secret()
    client = OAuthClient(
        id=uuid7(),
        unit=payload.unit,
        name=payload.name,
        secret_hash=await asyncio.to_thread(credentials.hash_secret, secret),
        created_by=principal.sub,
        created_at=clock.now(),
        failed_attempts=0,
    )
    session.add(client)
    await session.flush()
    return ClientCreated(**read(client).model_dump(), client_secret=secret)


async def search(
    session: AsyncSession,
    *,
    unit: str | None,
    include_revoked: bool,
    cursor: str | None,
    limit: int,
) -> Page[ClientRead]:
    window = Window.of_ids(cursor, limit)
    rows = await repo.search_clients(
        session, unit=unit, include_revoked=include_revoked, window=window
    )
    page, next_cursor = window.split(rows)
    return Page(items=[read(c) for c in page], next_cursor=next_cursor)


async def revoke(session: AsyncSession, client_id: uuid.UUID) -> None:
    """No token is issued to it any more; those issued expire on their own (short-lived)."""
    client = await repo.get_client(session, client_id, for_update=True)
    if client is None:
        raise CLIENT_NOT_FOUND(client_id=client_id)
    if client.revoked_at is None:
        client.revoked_at = clock.now()


async def grant(
    session: AsyncSession,
    ctx: ServiceContext,
    state: State,
    presented: str,
    secret: str,
    now: datetime,
) -> TokenResponse | OAuthError:
    """A token for the client that ``presented`` (its id) and ``secret`` authenticate, or
    the refusal to answer: returned, not raised, as the failure's count and audit commit."""
    client_id = _client_id(presented)
    client = await repo.get_client(session, client_id) if client_id else None
    if client is None or client.revoked_at is not None:
        await asyncio.to_thread(credentials.spend_as_verifying)
        reason = "unknown client" if client is None else "client revoked"
        detail = {"reason": reason, "client_id": str(client_id) if client_id else None}
        await _audit(session, ctx, state, client, "denied", detail)
        return oauth.invalid_client()
    if client.blocked_until is not None and client.blocked_until > now:
        retry_after = math.ceil((client.blocked_until - now).total_seconds())
        await _audit(session, ctx, state, client, "denied", {"reason": "throttled"})
        return oauth.slow_down(retry_after)
    if not await asyncio.to_thread(credentials.verify_secret, secret, client.secret_hash):
        failures = await _count_failure(session, ctx, client.id, now)
        await _audit(
            session, ctx, state, client, "denied", {"reason": "wrong secret", "failures": failures}
        )
        return oauth.invalid_client()
    client.failed_attempts, client.last_failure_at, client.blocked_until = 0, None, None
    client.last_token_at = now
    ttl = ctx.settings.oauth_token_ttl_seconds
    token = issue_token(
        ctx.settings,
        role=Role.PROVINCE_SYSTEM,
        region=unit_region(client.unit),
        sub=f"client:{client.id}",
        ttl_seconds=ttl,
        key=await keyring.signing_key(session, ctx),
    )
    await _audit(session, ctx, state, client, "success", None)
    return TokenResponse(access_token=token, expires_in=ttl)


def _client_id(presented: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(presented)
    except ValueError:
        return None


def backoff(failures: int, *, allowed: int, base: int, cap: int) -> timedelta | None:
    """How long a client waits after its ``failures``-th wrong secret in a row: nothing
    before the ``allowed``-th, then ``base`` seconds, doubled by each further one, capped."""
    if failures < allowed:
        return None
    return timedelta(seconds=min(cap, base * 2 ** min(failures - allowed, 32)))


async def _count_failure(
    session: AsyncSession, ctx: ServiceContext, client_id: uuid.UUID, now: datetime
) -> int:
    """One more wrong secret, counted under the row's lock (replicas count concurrently)."""
    s = ctx.settings
    client = await repo.get_client(session, client_id, for_update=True)
    assert client is not None
    quiet = timedelta(seconds=s.oauth_failure_window_seconds)
    fresh = client.last_failure_at is None or now - client.last_failure_at > quiet
    failures = 1 if fresh else client.failed_attempts + 1
    wait = backoff(
        failures,
        allowed=s.oauth_max_failures,
        base=s.oauth_backoff_seconds,
        cap=s.oauth_backoff_max_seconds,
    )
    client.failed_attempts, client.last_failure_at = failures, now
    client.blocked_until = now + wait if wait else None
    return failures


async def _audit(
    session: AsyncSession,
    ctx: ServiceContext,
    state: State,
    client: OAuthClient | None,
    result: str,
    detail: dict[str, Any] | None,
) -> None:
    """The client is the subject (never its secret); an unknown one has none."""
    principal = None
    if client is not None:
        principal = Principal(f"client:{client.id}", Role.PROVINCE_SYSTEM, unit_region(client.unit))
    await session.execute(
        ctx.tables.audit_log.insert().values(
            audit_row(
                state,
                action=TOKEN_ACTION,
                resource=TOKEN_PATH,
                result=result,
                detail=detail,
                principal=principal,
            )
        )
    )
