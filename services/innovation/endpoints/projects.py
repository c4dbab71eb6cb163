"""Service project routes: the project of a selected demand, its milestones, delivery, 验收
and the enterprise's survey."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response
from kit.fields import Text, UnitCode
from kit.web import Context, CurrentPrincipal, Session, service_router

from innovation.schemas.projects import (
    MilestoneDone,
    MilestoneRead,
    ProjectAcceptance,
    ProjectCreate,
    ProjectRead,
    ProjectSurveyCreate,
    SurveyRead,
)
from innovation.service import projects as service

PREFIX = "/api/v1/innovation"
router = service_router(PREFIX, ["projects 技术创新服务项目"])


@router.post("/projects", status_code=201, response_model=ProjectRead)
async def start_project(
    payload: ProjectCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> ProjectRead:
    """单位为已遴选的需求立项：服务机构须为技术创新服务机构、满足必备条件并签有本单位本批次技术创新
    服务合同；不向企业收取任何费用（000:47）。"""
    p = await service.start(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/projects/{p.id}"
    return ProjectRead.model_validate(p)


@router.get("/projects", response_model=list[ProjectRead])
async def list_projects(
    session: Session,
    principal: CurrentPrincipal,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    batch: Annotated[Text | None, Query(max_length=50, description="批次")] = None,
) -> list[ProjectRead]:
    found = await service.search(session, principal, unit=unit, batch=batch)
    return [ProjectRead.model_validate(p) for p in found]


@router.get("/projects/{project_id}", response_model=ProjectRead)
async def get_project(
    project_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> ProjectRead:
    return ProjectRead.model_validate(await service.get(session, principal, project_id))


@router.get("/projects/{project_id}/milestones", response_model=list[MilestoneRead])
async def project_milestones(
    project_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> list[MilestoneRead]:
    p = await service.get(session, principal, project_id)
    return [MilestoneRead.model_validate(m) for m in await service.milestones(session, p)]


@router.post("/projects/{project_id}/milestones/{n}:complete", response_model=ProjectRead)
async def complete_milestone(
    project_id: uuid.UUID,
    n: Annotated[int, Path(ge=1, le=50)],
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    payload: MilestoneDone | None = None,
) -> ProjectRead:
    """服务机构逐个完成里程碑。"""
    p = await service.complete_milestone(
        session, ctx, principal, project_id, n, payload or MilestoneDone()
    )
    return ProjectRead.model_validate(p)


@router.post("/projects/{project_id}:deliver", response_model=ProjectRead)
async def deliver_project(
    project_id: uuid.UUID, session: Session, ctx: Context, principal: CurrentPrincipal
) -> ProjectRead:
    """服务机构交付服务成果（里程碑全部完成后）。"""
    return ProjectRead.model_validate(await service.deliver(session, ctx, principal, project_id))


@router.post("/projects/{project_id}:accept", response_model=ProjectRead)
async def accept_project(
    project_id: uuid.UUID,
    payload: ProjectAcceptance,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> ProjectRead:
    """单位验收（专家评审会或第三方机构）：通过则验收完成；不通过则退回继续服务，不予奖补。"""
    p = await service.accept(session, ctx, principal, project_id, payload)
    return ProjectRead.model_validate(p)


@router.post("/projects/{project_id}/surveys", status_code=201, response_model=SurveyRead)
async def rate_project(
    project_id: uuid.UUID,
    payload: ProjectSurveyCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> SurveyRead:
    """企业在验收通过后评价服务满意度（每项 1–5 分），一次。"""
    s = await service.rate(session, ctx, principal, project_id, payload)
    return SurveyRead.model_validate(s)
