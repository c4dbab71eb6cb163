"""Append-only audit log (等保 2.0 level 3): writes, unmasked PII reads, auth failures."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal
from kit.context import ServiceContext

# The action of an unmasked PII read. The request remembers its reads: a replay of its
# response (Idempotency-Key) discloses the same data again and is audited again.
PII_READ = "pii.read"


def audit_row(
    request: Request,
    *,
    action: str,
    resource: str,
    result: str,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    principal: Principal | None = getattr(request.state, "principal", None)
    return {
        "request_id": getattr(request.state, "request_id", None),
        "client_request_id": getattr(request.state, "client_request_id", None),
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
    ctx: ServiceContext = request.state.ctx
    if action == PII_READ:
        pii_reads(request).append({"resource": resource, "detail": detail})
    await session.execute(
        ctx.tables.audit_log.insert().values(
            audit_row(request, action=action, resource=resource, result=result, detail=detail)
        )
    )
    request.state.commit = True


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
                audit_row(request, action=action, resource=resource, result=result, detail=detail)
            )
        )


def pii_reads(request: Request) -> list[dict[str, Any]]:
    """The unmasked PII reads audited for this request so far."""
    reads: list[dict[str, Any]] | None = getattr(request.state, "pii_reads", None)
    if reads is None:
        reads = request.state.pii_reads = []
    return reads
