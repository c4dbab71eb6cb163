"""服务机构 (机构库), their qualification catalogue and contracts."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from contracts.vocabulary import InstitutionType, Task
from fastapi import Query, Request, Response
from kit.bulk import BulkResult
from kit.fields import Text, UnitCode
from kit.i18n import negotiate
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, service_router

from registry.enums import Review
from registry.schemas.institutions import (
    Condition,
    ContractCreate,
    ContractRead,
    InstitutionCreate,
    InstitutionRead,
    InstitutionSync,
    InstitutionUpdate,
    ReviewDecision,
)
from registry.service.institutions import contracts, declarations, directory, reviews

PREFIX = "/api/v1/registry"
router = service_router(PREFIX, ["institutions 机构库"])
ProvinceFilter = Annotated[UnitCode | None, Query(description="单位代码")]


@router.get("/qualifications", response_model=dict[InstitutionType, list[Condition]])
async def qualification_catalogue() -> dict[InstitutionType, list[Condition]]:
    """Each institution type's conditions (机构遴选条件), quoted from the seeds."""
    return declarations.catalogue()


@router.post("/institutions", status_code=201, response_model=InstitutionRead)
async def register_institution(
    payload: InstitutionCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> InstitutionRead:
    institution = await directory.register(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/institutions/{institution.id}"
    return directory.to_read(institution)


@router.post("/institutions:batch-upsert", response_model=BulkResult)
async def sync_institutions(
    payload: InstitutionSync,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    request: Request,
) -> BulkResult:
    """批量同步（省级系统）：按统一社会信用代码新增或更新，逐项给出结果，单项失败不影响其他项。"""
    lang = negotiate(request.headers.get("accept-language"))
    return await directory.sync(session, ctx, principal, payload.items, lang)


@router.get("/institutions", response_model=Page[InstitutionRead])
async def list_institutions(
    session: Session,
    principal: CurrentPrincipal,
    type: InstitutionType | None = None,
    province: ProvinceFilter = None,
    qualified_for: Annotated[
        InstitutionType | None, Query(description="只列出该类型全部必备条件均满足的机构")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[InstitutionRead]:
    return await directory.search(
        session,
        principal,
        type_=type,
        province=province,
        qualified_for=qualified_for,
        cursor=cursor,
        limit=limit,
    )


@router.get("/institutions/{institution_id}", response_model=InstitutionRead)
async def get_institution(
    institution_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> InstitutionRead:
    return directory.to_read(await directory.get(session, principal, institution_id))


@router.patch("/institutions/{institution_id}", response_model=InstitutionRead)
async def update_institution(
    institution_id: uuid.UUID,
    payload: InstitutionUpdate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> InstitutionRead:
    return directory.to_read(
        await directory.update(session, ctx, principal, institution_id, payload)
    )


class ReviewAction(StrEnum):
    VERIFY = "verify"  # 审核通过
    REJECT = "reject"  # 审核不通过, with a reason


DECISIONS = {ReviewAction.VERIFY: Review.VERIFIED, ReviewAction.REJECT: Review.REJECTED}


@router.post(
    "/institutions/{institution_id}/qualifications/{type}:{action}",
    response_model=InstitutionRead,
)
async def review_qualification(
    institution_id: uuid.UUID,
    type: InstitutionType,
    action: ReviewAction,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    decision: ReviewDecision | None = None,
) -> InstitutionRead:
    """资质审核 by the province of the institution's region or the ministry: ``verify``
    (审核通过) or ``reject`` (审核不通过, with a reason). Only verified qualifications count."""
    institution = await reviews.review(
        session,
        ctx,
        principal,
        institution_id,
        type,
        DECISIONS[action],
        decision.reason if decision else None,
    )
    return directory.to_read(institution)


@router.post(
    "/institutions/{institution_id}/contracts", status_code=201, response_model=ContractRead
)
async def sign_contract(
    institution_id: uuid.UUID,
    payload: ContractCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> ContractRead:
    return await contracts.sign_contract(session, ctx, principal, institution_id, payload)


@router.get("/institutions/{institution_id}/contracts", response_model=Page[ContractRead])
async def institution_contracts(
    institution_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContractRead]:
    return await contracts.search(
        session, principal, institution_id=institution_id, cursor=cursor, limit=limit
    )


@router.get("/contracts", response_model=Page[ContractRead])
async def list_contracts(
    session: Session,
    principal: CurrentPrincipal,
    province: ProvinceFilter = None,
    task: Task | None = None,
    batch: Annotated[Text | None, Query(max_length=50)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContractRead]:
    return await contracts.search(
        session,
        principal,
        province=province,
        task=task,
        batch=batch,
        cursor=cursor,
        limit=limit,
    )
