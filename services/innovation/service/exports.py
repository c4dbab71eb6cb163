"""001 附件1-3 《企业技术创新需求征集表》 (001:217-260) as a list: one row per demand the caller
may see (``GET /demands``' scope and filters), a column per field of the form in its order —
企业名称 · 行业及主营业务、产品 · 企业类型 · 专项联系人及职务 · 电话 · 需求类别 · 需求详情 (问题,
基础, 时间要求) · 量化指标 · 必要性及预算 (必要性, 经费投入预算, 过往技术合作案例) · 技术需求是否
可公开发布 — then what the platform adds (the demand's title, due date, on-site need, unit,
state, filing date). Phones masked unless the caller holds ``pii:read`` (each unmasked row
audited)."""

from __future__ import annotations

from contracts.vocabulary import Tier
from kit import clock, xlsx
from kit.audit import Audit
from kit.codes import INDUSTRIES, UNITS
from kit.context import ServiceContext
from kit.pagination import Window
from sqlalchemy.ext.asyncio import AsyncSession

from innovation.enums import Category, DemandState
from innovation.models import REPLICA
from innovation.repository import demands as repo
from innovation.schemas.demands import DemandRead, PastCooperation
from innovation.scope import visible_demands
from innovation.service.demands import present

HEADINGS = (
    "序号",
    "企业名称",
    "行业及主营业务、产品",
    "企业类型",
    "专项联系人及职务",
    "电话",
    "需求类别",
    "需求名称",
    "需求详情：具体要求及需要解决的问题",
    "需求详情：技术或项目基础情况",
    "需求详情：时间要求",
    "期望完成日期",
    "量化指标",
    "必要性",
    "经费投入预算（万元）",
    "过往技术合作案例",
    "是否需现场对接",
    "技术需求是否可公开发布",
    "所属单位",
    "状态",
    "提交日期",
)
WIDTHS = (6, 28, 24, 22, 18, 15, 18, 26, 40, 36, 24, 12, 36, 36, 12, 40, 10, 10, 12, 10, 12)
MAX_ROWS = 20_000


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def contact(d: DemandRead) -> str:
    """专项联系人及职务, one cell as on the form: ``李明（技术总监）``."""
    c = d.contact
    return f"{c.name}（{c.title}）" if c.title else c.name


def cooperation(cases: list[PastCooperation]) -> str | None:
    """过往技术合作案例: the form's 合作单位、项目内容、合作金额, one line per case."""
    lines = []
    for i, p in enumerate(cases, start=1):
        amount = f"；合作金额：{p.amount_wan_yuan.normalize():f} 万元" if p.amount_wan_yuan else ""
        lines.append(f"{i}. 合作单位：{p.partner}；项目内容：{p.content}{amount}")
    return "\n".join(lines) or None


def _row(i: int, d: DemandRead, industry: str | None) -> list[object]:
    return [
        i,
        d.enterprise_name,
        industry,
        Tier(d.enterprise_tier).zh,
        contact(d),
        d.contact.phone,
        "、".join(c.zh for c in d.categories),
        d.title,
        d.problem,
        d.basis,
        d.time_requirement,
        d.due_on,
        d.quantitative_targets,
        d.necessity,
        d.budget_wan_yuan,
        cooperation(d.past_cooperation),
        _yes_no(d.onsite_needed),
        _yes_no(d.publishable),
        UNITS.get(d.unit, d.unit),
        d.state.zh,
        d.submitted_on,
    ]


async def annex1_3(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    *,
    unit: str | None,
    state: DemandState | None,
    category: Category | None,
) -> bytes:
    rows = await repo.search(
        session,
        visible_demands(audit.principal),
        unit=unit,
        state=state.value if state else None,
        category=category.value if category else None,
        window=Window(None, MAX_ROWS),
    )
    cut = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    shown = await present(session, ctx, audit, rows)
    # 行业 from the replica; the registry's 主营业务、产品 is not replicated (yet).
    industries = {
        e.uscc: f"{e.industry_code} {INDUSTRIES[e.industry_code]}"
        for e in await REPLICA.enterprises_of(session, sorted({d.enterprise_uscc for d in rows}))
        if e.industry_code
    }
    lines = [
        f"单位：{UNITS[unit] if unit else '全部'}　　状态：{state.zh if state else '全部'}　　"
        f"需求类别：{category.zh if category else '全部'}　　导出日期：{clock.today().isoformat()}"
    ]
    if cut:
        lines.append(
            f"注：符合条件的需求超过 {MAX_ROWS} 项，仅导出前 {MAX_ROWS} 项，"
            "请按单位、状态或类别筛选。"
        )
    # 序号 and the budget are numbers, the dates dates; every text (the enterprise's and the
    # contact's above all) is user text that xlsx.form writes as text, never as a formula.
    return xlsx.form(
        sheet="技术创新需求征集表",
        title="专精特新中小企业培育赋能项目企业技术创新需求征集表",
        lines=lines,
        headings=HEADINGS,
        rows=(_row(i, d, industries.get(d.enterprise_uscc)) for i, d in enumerate(shown, start=1)),
        widths=WIDTHS,
    )
