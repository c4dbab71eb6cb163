"""Enterprise routes: thin — authorise, validate, call the service, return the schema."""

from __future__ import annotations

from typing import Annotated

from contracts.vocabulary import Tier
from fastapi import Path, Query, Request, Response
from kit.fields import Day, Text
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, caller, service_router

from registry.schemas.enterprises import EnterpriseCreate, EnterpriseRead, EnterpriseUpdate
from registry.service import enterprises as service

router = service_router("/api/v1/registry", ["enterprises 企业库"])
UsccPath = Annotated[Text, Path(min_length=18, max_length=18, description="统一社会信用代码")]


@router.post("/enterprises", status_code=201, response_model=EnterpriseRead)
async def register_enterprise(
    payload: EnterpriseCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> EnterpriseRead:
    enterprise = await service.register(session, ctx, principal, payload)
    response.headers["Location"] = f"/api/v1/registry/enterprises/{enterprise.uscc}"
    return await service.to_read(session, enterprise)


@router.get("/enterprises", response_model=Page[EnterpriseRead])
async def list_enterprises(
    session: Session,
    principal: CurrentPrincipal,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$", description="行政区划代码")] = None,
    tier: Tier | None = None,
    valid_on: Annotated[Day | None, Query(description="持有层级的日期，默认今天")] = None,
    industry: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    q: Annotated[Text | None, Query(max_length=100, description="名称或信用代码")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[EnterpriseRead]:
    return await service.search(
        session,
        principal,
        region=region,
        tier=tier,
        valid_on=valid_on,
        industry=industry,
        q=q,
        cursor=cursor,
        limit=limit,
    )


@router.get("/enterprises/{uscc}", response_model=EnterpriseRead)
async def get_enterprise(uscc: UsccPath, request: Request) -> Response:
    enterprise = await service.read(*caller(request), uscc.upper())
    return Response(enterprise.model_dump_json(), media_type="application/json")


@router.patch("/enterprises/{uscc}", response_model=EnterpriseRead)
async def update_enterprise(
    uscc: UsccPath,
    payload: EnterpriseUpdate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> EnterpriseRead:
    enterprise = await service.update(session, ctx, principal, uscc.upper(), payload)
    return await service.to_read(session, enterprise)
