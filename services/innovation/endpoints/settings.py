"""The unit's setting routes: runs the task or not (000:39)."""

from __future__ import annotations

from kit.fields import UnitCode
from kit.web import Context, CurrentPrincipal, Session, service_router

from innovation.schemas.settings import SettingPut, SettingRead
from innovation.service import settings as service

PREFIX = "/api/v1/innovation"
router = service_router(PREFIX, ["settings 单位设置"])


@router.get("/settings/{unit}", response_model=SettingRead)
async def get_setting(unit: UnitCode, session: Session, principal: CurrentPrincipal) -> SettingRead:
    """本单位是否开展技术创新服务、面向的企业梯度（未设置时为默认：开展，面向专精特新中小企业及以上）。"""
    return await service.effective(session, unit)


@router.put("/settings/{unit}", response_model=SettingRead)
async def put_setting(
    unit: UnitCode,
    payload: SettingPut,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> SettingRead:
    """本单位设置（单位）：不开展该项任务的单位如实说明，不受理需求；开展的可限定面向的梯度。"""
    return await service.put(session, ctx, principal, unit, payload)
