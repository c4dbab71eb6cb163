"""Recognitions, annual indicators, key 小巨人 eligibility and rule sets."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from kit import clock
from kit.auth import GOVERNMENT, Principal
from kit.fields import Day, Text
from kit.web import Context, CurrentPrincipal, Session, require, service_router

from registry.repository import rule_sets as rule_set_repo
from registry.schemas.eligibility import Eligibility, RuleSetRead
from registry.schemas.indicators import IndicatorRead, IndicatorWrite
from registry.schemas.recognitions import (
    ListImportResult,
    MinistryList,
    RecognitionCreate,
    RecognitionRead,
    RevokeRequest,
)
from registry.schemas.rule_sets import RuleSetCreate
from registry.service import eligibility
from registry.service import recognitions as service
from registry.service import rule_sets as rule_set_service

router = service_router("/api/v1/registry", ["recognitions 梯度认定"])
UsccPath = Annotated[Text, Path(min_length=18, max_length=18)]


@router.post("/enterprises/{uscc}/recognitions", status_code=201, response_model=RecognitionRead)
async def grant_recognition(
    uscc: UsccPath,
    payload: RecognitionCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> RecognitionRead:
    return service.to_read(await service.grant(session, ctx, principal, uscc.upper(), payload))


@router.post("/recognitions:import", response_model=ListImportResult)
async def import_ministry_list(
    payload: MinistryList, session: Session, ctx: Context, principal: CurrentPrincipal
) -> ListImportResult:
    """工业和信息化部公布的“小巨人”/重点“小巨人”名单，每家企业一个结果；重复导入不重复认定。"""
    return await service.import_list(session, ctx, principal, payload)


@router.get("/enterprises/{uscc}/recognitions", response_model=list[RecognitionRead])
async def list_recognitions(
    uscc: UsccPath, session: Session, principal: CurrentPrincipal
) -> list[RecognitionRead]:
    return await service.of_enterprise(session, principal, uscc.upper())


@router.post("/recognitions/{recognition_id}:revoke", response_model=RecognitionRead)
async def revoke_recognition(
    recognition_id: uuid.UUID,
    payload: RevokeRequest,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> RecognitionRead:
    return service.to_read(await service.revoke(session, ctx, principal, recognition_id, payload))


@router.put("/enterprises/{uscc}/indicators/{year}", response_model=IndicatorRead)
async def record_indicators(
    uscc: UsccPath,
    year: int,
    payload: IndicatorWrite,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> IndicatorRead:
    row = await service.record_indicators(session, ctx, principal, uscc.upper(), year, payload)
    return IndicatorRead.model_validate(row)


@router.get("/enterprises/{uscc}/indicators", response_model=list[IndicatorRead])
async def list_indicators(
    uscc: UsccPath, session: Session, principal: CurrentPrincipal
) -> list[IndicatorRead]:
    rows = await service.indicators(session, principal, uscc.upper())
    return [IndicatorRead.model_validate(r) for r in rows]


@router.get("/enterprises/{uscc}/eligibility/key-little-giant", response_model=Eligibility)
async def key_little_giant_eligibility(
    uscc: UsccPath,
    session: Session,
    principal: CurrentPrincipal,
    as_of: Annotated[Day | None, Query(description="评价日期，默认今天")] = None,
) -> Eligibility:
    return await eligibility.key_little_giant(
        session, principal, uscc.upper(), as_of or clock.today()
    )


@router.get("/rule-sets", response_model=list[RuleSetRead])
async def list_rule_sets(
    session: Session, principal: Annotated[Principal, Depends(require(*GOVERNMENT))]
) -> list[Any]:
    return [
        RuleSetRead.model_validate(r, from_attributes=True)
        for r in await rule_set_repo.all_sets(session)
    ]


@router.post("/rule-sets", status_code=201, response_model=RuleSetRead)
async def add_rule_set(
    payload: RuleSetCreate, session: Session, principal: CurrentPrincipal
) -> RuleSetRead:
    """新增规则集版本：工业和信息化部可为任一单位或全国新增，省级单位只为本单位新增。"""
    row = await rule_set_service.add(session, principal, payload)
    return RuleSetRead.model_validate(row, from_attributes=True)
