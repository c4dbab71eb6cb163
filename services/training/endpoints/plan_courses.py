"""计划自设课程 routes: a plan's own courses beside the 11 key courses."""

from __future__ import annotations

import uuid

from fastapi import Response
from kit.web import CurrentPrincipal, Session, service_router

from training.schemas.plan_courses import PlanCourseCreate, PlanCourseRead
from training.service import plan_courses as service

PREFIX = "/api/v1/training"
router = service_router(PREFIX, ["plans 培训计划"])


@router.post("/plans/{plan_id}/courses", status_code=201, response_model=PlanCourseRead)
async def add_plan_course(
    plan_id: uuid.UUID, payload: PlanCourseCreate, session: Session, principal: CurrentPrincipal
) -> PlanCourseRead:
    """自设课程 of a draft plan; its code names it in class topics and survey scores."""
    return service.to_read(await service.add(session, principal, plan_id, payload))


@router.get("/plans/{plan_id}/courses", response_model=list[PlanCourseRead])
async def list_plan_courses(
    plan_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> list[PlanCourseRead]:
    return await service.of_plan(session, principal, plan_id)


@router.delete("/plans/{plan_id}/courses/{code}", status_code=204, response_class=Response)
async def delete_plan_course(
    plan_id: uuid.UUID, code: str, session: Session, principal: CurrentPrincipal
) -> Response:
    """Only while no class teaches it and no survey rates it."""
    await service.delete(session, principal, plan_id, code)
    return Response(status_code=204)
