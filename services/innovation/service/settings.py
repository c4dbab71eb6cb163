"""The unit's setting (000:39: "该项任务地方可根据企业需求，自行决定是否开展"): whether it runs
the task and which tiers its demands must hold; kept by the unit's keepers."""

from __future__ import annotations

from contracts import innovation as contract
from contracts.innovation import RUNS_BY_DEFAULT
from contracts.vocabulary import Tier
from kit.auth import Principal
from kit.context import ServiceContext
from kit.scope import ensure_keeps
from sqlalchemy.ext.asyncio import AsyncSession

from innovation import events
from innovation.models import UnitSetting
from innovation.repository import demands as repo
from innovation.rules import DEFAULT_TIERS
from innovation.schemas.settings import SettingPut, SettingRead


def read(unit: str, setting: UnitSetting | None) -> SettingRead:
    if setting is None:
        return SettingRead(
            unit=unit,
            runs=RUNS_BY_DEFAULT,
            eligible_tiers=[Tier(t) for t in DEFAULT_TIERS],
            stated=False,
            version=0,
            updated_at=None,
        )
    return SettingRead(
        unit=unit,
        runs=setting.runs,
        eligible_tiers=[Tier(t) for t in setting.eligible_tiers],
        stated=True,
        version=setting.version,
        updated_at=setting.updated_at,
    )


async def effective(session: AsyncSession, unit: str) -> SettingRead:
    return read(unit, await repo.setting(session, unit))


async def put(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    unit: str,
    payload: SettingPut,
) -> SettingRead:
    ensure_keeps(principal, unit)
    tiers = [t.value for t in payload.eligible_tiers]
    setting = await repo.setting(session, unit, lock=True)
    if setting is None:
        setting = UnitSetting(unit=unit, version=0)
        session.add(setting)
    elif (setting.runs, setting.eligible_tiers) == (payload.runs, tiers):
        return read(unit, setting)
    setting.runs, setting.eligible_tiers = payload.runs, tiers
    setting.updated_by = principal.sub
    setting.version += 1
    await session.flush()
    await session.refresh(setting)
    data = contract.Setting.model_validate(setting, from_attributes=True).model_dump(mode="json")
    await ctx.outbox.emit(
        session,
        events.SETTING,
        "updated",
        subject=unit,
        data=data,
        province=unit,
        version=setting.version,
    )
    return read(unit, setting)
