"""Append-only audit log (等保 2.0 level 3): writes, unmasked PII reads, auth failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import State

from kit.auth import Principal
from kit.context import ServiceContext

# The action of an unmasked PII read. The request remembers its reads: a replay of its
# response (Idempotency-Key) discloses the same data again and is audited again.
PII_READ = "pii.read"


@dataclass(frozen=True)
class Audit:
    """A request's audit trail, handed to services in place of the request: who asks, and
    the request's state, where its ids, its PII reads and its commit flag live."""

    principal: Principal
    state: State

    @classmethod
    def of(cls, request: Request) -> Audit:
        return cls(request.state.principal, request.state)

    async def record(
        self,
        session: AsyncSession,
        *,
        action: str,
        resource: str,
        result: str = "success",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record inside the request's transaction (commits with it, even on a GET)."""
        await _record(session, self.state, action, resource, result, detail, self.principal)


def audit_row(
    state: State,
    *,
    action: str,
    resource: str,
    result: str,
    detail: dict[str, Any] | None = None,
    principal: Principal | None = None,
) -> dict[str, Any]:
    """The row of an audited action; its subject is ``principal``, by default the request's
    (an Audit names its own: the one whose grants decided what was shown)."""
    principal = principal or getattr(state, "principal", None)
    return {
        "request_id": getattr(state, "request_id", None),
        "client_request_id": getattr(state, "client_request_id", None),
        "subject": principal.sub if principal else None,
        "role": principal.role.value if principal else None,
        "region": principal.region if principal else None,
        "action": action,
        "resource": resource[:300],
        "result": result,
        "detail": detail,
    }


async def record(
    session: AsyncSession,
    request: Request,
    *,
    action: str,
    resource: str,
    result: str = "success",
    detail: dict[str, Any] | None = None,
) -> None:
    """Record inside the request's transaction (commits with it, even on a GET)."""
    await _record(session, request.state, action, resource, result, detail)


async def _record(
    session: AsyncSession,
    state: State,
    action: str,
    resource: str,
    result: str,
    detail: dict[str, Any] | None,
    principal: Principal | None = None,
) -> None:
    ctx: ServiceContext = state.ctx
    if action == PII_READ:
        _reads(state).append({"resource": resource, "detail": detail})
    await session.execute(
        ctx.tables.audit_log.insert().values(
            audit_row(
                state,
                action=action,
                resource=resource,
                result=result,
                detail=detail,
                principal=principal,
            )
        )
    )
    state.commit = True


async def record_now(
    request: Request,
    *,
    action: str,
    resource: str,
    result: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record in a transaction of its own: for failures, whose request rolls back."""
    ctx: ServiceContext = request.state.ctx
    async with ctx.db.sessions.begin() as session:
        await session.execute(
            ctx.tables.audit_log.insert().values(
                audit_row(
                    request.state, action=action, resource=resource, result=result, detail=detail
                )
            )
        )


def pii_reads(request: Request) -> list[dict[str, Any]]:
    """The unmasked PII reads audited for this request so far."""
    return _reads(request.state)


def _reads(state: State) -> list[dict[str, Any]]:
    reads: list[dict[str, Any]] | None = getattr(state, "pii_reads", None)
    if reads is None:
        reads = state.pii_reads = []
    return reads
