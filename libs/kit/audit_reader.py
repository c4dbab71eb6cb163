"""The audit log reader (DESIGN.md §4 Audit): ``GET /api/v1/<service>/audit-log`` on every
service, for the auditor role only; each read is audited in turn."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Select, Table, select, tuple_

from kit import audit
from kit.auth import Role
from kit.errors import CURSOR_INVALID, TIME_RANGE_INVALID
from kit.fields import EARLIEST_DAY, LATEST_DAY, Instant, Text
from kit.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from kit.web import Context, Session, require, service_router

AUDIT_READ = "audit.read"


class AuditEntry(BaseModel):
    """One audited action (审计记录)."""

    id: int
    at: datetime = Field(description="记录时间（UTC）")
    request_id: str | None = Field(description="服务端生成的请求 ID（X-Request-ID）")
    subject: str | None = Field(description="令牌的 sub；认证失败时为空")
    role: str | None
    region: str | None
    action: str = Field(description="如 POST /api/v1/registry/enterprises、pii.read")
    resource: str | None
    result: str = Field(description="success、denied、not_found、rejected、replayed、error")
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class AuditFilters:
    """What an auditor asks for; ``since`` inclusive, ``until`` exclusive."""

    since: datetime | None = None
    until: datetime | None = None
    subject: str | None = None
    action: str | None = None
    resource: str | None = None
    result: str | None = None

    def described(self) -> dict[str, str]:
        """The filters given, for the audit row of the read itself."""
        return {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in asdict(self).items()
            if value is not None
        }


def search_query(
    table: Table, filters: AuditFilters, after: tuple[datetime, int] | None
) -> Select[Any]:
    """The rows matching ``filters``, newest first by (at, id), from past ``after``."""
    c = table.c
    query = select(
        c.id,
        c.at,
        c.request_id,
        c.subject,
        c.role,
        c.region,
        c.action,
        c.resource,
        c.result,
        c.detail,
    ).order_by(c.at.desc(), c.id.desc())
    if filters.since is not None:
        query = query.where(c.at >= filters.since)
    if filters.until is not None:
        query = query.where(c.at < filters.until)
    for column, value in (
        (c.subject, filters.subject),
        (c.action, filters.action),
        (c.result, filters.result),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.resource is not None:
        # autoescape: a % or _ in the prefix is that character, not a wildcard
        query = query.where(c.resource.startswith(filters.resource, autoescape=True))
    if after is not None:
        query = query.where(tuple_(c.at, c.id) < tuple_(*after))
    return query


def decode_after(cursor: str | None) -> tuple[datetime, int] | None:
    """The (at, id) a cursor points after (None for the first page)."""
    key = decode_cursor(cursor, str, int)
    if key is None:
        return None
    try:
        at = datetime.fromisoformat(key[0])
    except ValueError as exc:
        raise CURSOR_INVALID() from exc
    # Only what a row could hold: the driver fails on a time it cannot convert to UTC or
    # an id beyond bigint, as a server error.
    if at.utcoffset() is None or not EARLIEST_DAY <= at.date() <= LATEST_DAY:
        raise CURSOR_INVALID()
    if not 0 < key[1] < 2**63:
        raise CURSOR_INVALID()
    return at, key[1]


def audit_log_router(service: str) -> APIRouter:
    router = service_router(f"/api/v1/{service}", ["audit 审计日志"])
    auditor = Depends(require(Role.AUDITOR))

    @router.get("/audit-log", response_model=Page[AuditEntry], dependencies=[auditor])
    async def search_audit_log(
        request: Request,
        session: Session,
        ctx: Context,
        since: Annotated[
            Instant | None, Query(alias="from", description="起始时间（含），ISO 8601 带时区")
        ] = None,
        until: Annotated[
            Instant | None, Query(alias="to", description="截止时间（不含），ISO 8601 带时区")
        ] = None,
        subject: Annotated[Text | None, Query(max_length=200, description="令牌的 sub")] = None,
        action: Annotated[Text | None, Query(max_length=100)] = None,
        resource: Annotated[Text | None, Query(max_length=300, description="前缀匹配")] = None,
        result: Annotated[Text | None, Query(max_length=20)] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[AuditEntry]:
        """审计日志，最新的在前；仅审计员（auditor）可读，每次读取本身也记入审计日志。"""
        if since is not None and until is not None and until <= since:
            raise TIME_RANGE_INVALID(to=until.isoformat(), since=since.isoformat())
        filters = AuditFilters(since, until, subject, action, resource, result)
        after = decode_after(cursor)
        query = search_query(ctx.tables.audit_log, filters, after).limit(limit + 1)
        rows = (await session.execute(query)).all()
        page = [AuditEntry.model_validate(row._mapping) for row in rows[:limit]]
        last = page[-1] if len(rows) > limit else None
        # Recorded after the search: a page never lists the read that produced it.
        await audit.record(
            session,
            request,
            action=AUDIT_READ,
            resource=request.url.path,
            detail={**filters.described(), "returned": len(page)},
        )
        return Page(
            items=page,
            next_cursor=None if last is None else encode_cursor([last.at.isoformat(), last.id]),
        )

    return router
