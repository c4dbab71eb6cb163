"""培训覆盖率 route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response
from kit import clock
from kit.errors import VALIDATION_FAILED, FieldError
from kit.fields import Day, Text, UnitCode
from kit.web import CurrentPrincipal, Session, service_router

from training.enums import Period
from training.schemas.coverage import Coverage, TargetRead, TargetWrite
from training.service import coverage as service

router = service_router("/api/v1/training", ["coverage 覆盖率"])


@router.get("/coverage", response_model=Coverage)
async def training_coverage(
    session: Session,
    principal: CurrentPrincipal,
    province: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    batch: Annotated[
        Text | None,
        Query(max_length=20, description="批次：1、2、3 或 2025、2026、2027-2028；缺省为全部"),
    ] = None,
    as_of: Annotated[Day | None, Query(description="“小巨人”有效性判断日期，缺省为今天")] = None,
) -> Response:
    number = None
    if batch is not None:
        try:
            number = service.batch_of(batch)
        except ValueError as exc:
            raise VALIDATION_FAILED(
                errors=[
                    FieldError(
                        "batch",
                        "BATCH_UNKNOWN",
                        "批次应为 1、2、3 或 2025、2026、2027-2028",
                        "The batch is 1, 2, 3 or 2025, 2026, 2027-2028",
                    )
                ]
            ) from exc
    found = await service.coverage(
        session, principal, province=province, batch=number, as_of=as_of or clock.today()
    )
    # Built and checked once by the service: serialised as it is, not validated again (37
    # units' rows cost more to revalidate than the counts cost to read).
    return Response(found.model_dump_json(), media_type="application/json")


@router.get("/coverage-targets", response_model=list[TargetRead])
async def coverage_targets(
    session: Session,
    principal: CurrentPrincipal,
    province: Annotated[UnitCode | None, Query(description="单位代码")] = None,
) -> list[TargetRead]:
    """各单位的累计覆盖目标（来自各自工作方案；未设定的单位没有目标）。"""
    rows = await service.targets(session, principal, province)
    return [TargetRead.model_validate(r) for r in rows]


@router.put("/coverage-targets/{province}/{period}", response_model=TargetRead)
async def set_coverage_target(
    province: Annotated[UnitCode, Path()],
    period: Period,
    payload: TargetWrite,
    session: Session,
    principal: CurrentPrincipal,
) -> TargetRead:
    """设定本单位某一计划周期的累计覆盖目标（省级单位或工业和信息化部）。"""
    row = await service.set_target(session, principal, province, period, payload)
    return TargetRead.model_validate(row)
