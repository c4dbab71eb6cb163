"""报名 routes: apply, then 资格审核, 录取, 不予通过 or 退出."""

from __future__ import annotations

import uuid
from enum import StrEnum

from fastapi import Response
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, service_router

from training.enums import EnrollmentState
from training.schemas.enrollments import Decision, EnrollmentCreate, EnrollmentRead
from training.service import enrollments as service

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["enrollments 报名"])


@router.post("/classes/{class_id}/enrollments", status_code=201, response_model=EnrollmentRead)
async def apply(
    class_id: uuid.UUID,
    payload: EnrollmentCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> EnrollmentRead:
    enrollment = await service.apply(session, ctx, principal, class_id, payload.trainee_id)
    response.headers["Location"] = f"{PREFIX}/enrollments/{enrollment.id}"
    return (await service.to_reads(session, [enrollment]))[0]


@router.get("/classes/{class_id}/enrollments", response_model=Page[EnrollmentRead])
async def list_enrollments(
    class_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    state: EnrollmentState | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[EnrollmentRead]:
    return await service.search(
        session, principal, class_id, state=state, cursor=cursor, limit=limit
    )


@router.get("/enrollments/{enrollment_id}", response_model=EnrollmentRead)
async def get_enrollment(
    enrollment_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> EnrollmentRead:
    return await service.read(session, principal, enrollment_id)


class Action(StrEnum):
    QUALIFY = "qualify"  # 资格审核通过: the trainee's or the organising province
    CONFIRM = "confirm"  # 录取: the organising province
    REJECT = "reject"  # 不予通过, with a reason: either province
    WITHDRAW = "withdraw"  # 退出: the enterprise or either province


TARGETS = {
    Action.QUALIFY: EnrollmentState.QUALIFIED,
    Action.CONFIRM: EnrollmentState.CONFIRMED,
    Action.REJECT: EnrollmentState.REJECTED,
    Action.WITHDRAW: EnrollmentState.WITHDRAWN,
}


@router.post("/enrollments/{enrollment_id}:{action}", response_model=EnrollmentRead)
async def decide(
    enrollment_id: uuid.UUID,
    action: Action,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    decision: Decision | None = None,
) -> EnrollmentRead:
    """资格审核 (qualify), 录取 (confirm), 不予通过 (reject, with a reason) or 退出 (withdraw)."""
    reason = decision.reason if decision else None
    enrollment = await service.transition(
        session, ctx, principal, enrollment_id, TARGETS[action], reason
    )
    return (await service.to_reads(session, [enrollment]))[0]
