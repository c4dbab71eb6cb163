"""001 附件2 信息汇总表 (001:267-284) for a unit's engagements: 序号 | 企业名称 | 行业 | 联系人 |
职务 | 手机 | 备注, where 备注 is "本栏填写企业“小巨人”企业批次或入选、申报重点“小巨人”企业情况"
(from the replica's recognitions). Phones masked unless the caller holds ``pii:read``."""

from __future__ import annotations

from contracts.vocabulary import Tier
from kit import clock, xlsx
from kit.audit import Audit
from kit.codes import INDUSTRIES, UNITS
from kit.context import ServiceContext
from kit.pagination import Window
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.enums import Kind
from diagnosis.models import REPLICA, RecognitionReplica
from diagnosis.repository import engagements as repo
from diagnosis.scope import visible_engagements
from diagnosis.service.engagements import present

HEADINGS = ("序号", "企业名称", "行业", "联系人", "职务", "手机", "备注")
MAX_ROWS = 20_000


async def _remarks(session: AsyncSession, usccs: list[str]) -> dict[str, str]:
    """备注: each 小巨人 / 重点小巨人 recognition of the enterprise with its batch."""
    rows = await session.execute(
        select(RecognitionReplica.uscc, RecognitionReplica.tier, RecognitionReplica.batch)
        .where(
            RecognitionReplica.uscc.in_(usccs),
            RecognitionReplica.tier.in_([Tier.LITTLE_GIANT.value, Tier.KEY_LITTLE_GIANT.value]),
            RecognitionReplica.revoked_on.is_(None),
        )
        .order_by(RecognitionReplica.uscc, RecognitionReplica.valid_from)
    )
    out: dict[str, list[str]] = {}
    for uscc, tier, batch in rows:
        out.setdefault(uscc, []).append(f"{Tier(tier).zh}{f'（{batch}）' if batch else ''}")
    return {u: "；".join(v) for u, v in out.items()}


async def annex2(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    *,
    kind: Kind,
    unit: str | None,
    batch: str | None,
) -> bytes:
    window = Window(None, MAX_ROWS)
    rows = await repo.search(
        session,
        visible_engagements(audit.principal),
        kind=kind.value,
        unit=unit,
        state=None,
        batch=batch,
        window=window,
    )
    rows = rows[:MAX_ROWS]
    shown = await present(session, ctx, audit, rows)
    remarks = await _remarks(session, [e.enterprise_uscc for e in rows])
    industries = {
        e.uscc: f"{e.industry_code} {INDUSTRIES[e.industry_code]}"
        for e in await REPLICA.enterprises_of(session, [e.enterprise_uscc for e in rows])
        if e.industry_code
    }
    scope = UNITS[unit] if unit else "全部"
    return xlsx.form(
        sheet="信息汇总表",
        title=f"{kind.zh}企业信息汇总表",
        lines=[
            f"单位：{scope}　　批次：{batch or '全部'}　　导出日期：{clock.today().isoformat()}",
            "市州经信局：（盖章）　　地市州工作联系人及联系方式：",
        ],
        headings=HEADINGS,
        rows=(
            [
                i,
                e.enterprise_name,
                industries.get(e.enterprise_uscc),
                e.contact.name,
                e.contact.title,
                e.contact.mobile,
                remarks.get(e.enterprise_uscc),
            ]
            for i, e in enumerate(shown, start=1)
        ),
        widths=(6, 30, 24, 10, 14, 14, 36),
    )
