"""考勤, 结班, 结业证书 and 满意度 routes."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import Query, Request, Response
from kit.bulk import BulkResult
from kit.fields import Text
from kit.i18n import negotiate
from kit.web import Context, CurrentPrincipal, Session, service_router

from training.schemas.attendance import AttendanceBatch, AttendanceResult, CloseResult
from training.schemas.held_classes import HeldClassSync
from training.schemas.surveys import Satisfaction, SurveyCreate, SurveyRead
from training.schemas.trainees import CertificateRead
from training.service import attendance, closing, held_classes, surveys

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["completion 考勤·结业·满意度"])


@router.post("/classes/{class_id}/attendance", response_model=AttendanceResult)
async def record_attendance(
    class_id: uuid.UUID, payload: AttendanceBatch, session: Session, principal: CurrentPrincipal
) -> AttendanceResult:
    """Bulk attendance: one record per session (day) and trainee; a later record wins."""
    return AttendanceResult(recorded=await attendance.record(session, principal, class_id, payload))


@router.post("/classes/{class_id}:close", response_model=CloseResult)
async def close_class(
    class_id: uuid.UUID, session: Session, ctx: Context, principal: CurrentPrincipal
) -> CloseResult:
    """结班: attendance rates, completion, certificates at ≥ 90% attendance."""
    return await closing.close(session, ctx, principal, class_id)


@router.post("/classes:batch-upsert", response_model=BulkResult)
async def sync_held_classes(
    payload: HeldClassSync,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    request: Request,
) -> BulkResult:
    """批量补录（省级系统）：已举办的班次连同学员报名、考勤和结班，按 external_id 幂等，
    逐项给出结果。"""
    lang = negotiate(request.headers.get("accept-language"))
    return await held_classes.sync(session, ctx, principal, payload.items, lang)


@router.get("/certificates/{number}", response_model=CertificateRead)
async def verify_certificate(number: Text, session: Session) -> CertificateRead:
    """Verify a 结业证书 by its number."""
    return await closing.verify(session, number)


@router.post("/classes/{class_id}/surveys", status_code=201, response_model=SurveyRead)
async def submit_survey(
    class_id: uuid.UUID,
    payload: SurveyCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> SurveyRead:
    survey = await surveys.submit(session, ctx, principal, class_id, payload)
    response.headers["Location"] = f"{PREFIX}/classes/{class_id}/satisfaction"
    return surveys.to_read(survey)


@router.get("/classes/{class_id}/satisfaction", response_model=Satisfaction)
async def class_satisfaction(
    class_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    threshold: Annotated[
        Decimal | None,
        Query(ge=1, le=5, description="课程平均分低于此值即标记；缺省为培训计划设定的阈值"),
    ] = None,
) -> Satisfaction:
    return await surveys.satisfaction(session, principal, class_id, threshold)
