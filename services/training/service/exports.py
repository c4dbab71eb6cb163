"""The seed's forms as XLSX: 附1-2 培训班次计划 (a plan's classes) and 附1-3 培训学员信息表
(a class's trainees, one row each, ID number, phone and email always masked, with their
enterprise's 企业情况 from the registry replica)."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.vocabulary import IpoBoard, IpoStage, ListingBoard, Tier, Title
from kit import clock, xlsx
from kit.audit import Audit
from kit.auth import Principal
from kit.context import ServiceContext
from sqlalchemy.ext.asyncio import AsyncSession

from training.enums import (
    ACTIVE_STATES,
    ContentCategory,
    Degree,
    Education,
    EnrollmentState,
    Gender,
    OnsiteKind,
)
from training.models import REPLICA, EnterpriseReplica, PlanCourse, TrainingClass
from training.repository import classes as classes_repo
from training.repository import enrollments as enrollments_repo
from training.repository import plan_courses as plan_courses_repo
from training.repository import replica
from training.scope import visible_trainees
from training.service import classes, courses, plans, trainees

PLAN_HEADINGS = ("序号", "时间", "班级名称", "培训内容", "培训机构", "学员数(人)")
TRAINEE_HEADINGS = (
    "序号",
    "姓名",
    "性别",
    "政治面貌",
    "民族",
    "身份证号码",
    "手机",
    "电子邮箱",
    "现任职务",
    "管理经验年限",
    "通讯地址",
    "教育背景（最高学历）",
    "毕业院校",
    "起止时间",
    "专业",
    "学位",
    "社会职务",
    "个人荣誉和奖励",
    "企业名称",
    "公司网址",
    "统一社会信用代码",
    "企业组织机构代码",
    "是否上市",
    "三年内有无上市计划",
    "上市进程",
    "拟上市板块",
    "获得相关部门认定的称号",
    "报名状态",
)
SIGNATURE = ("单位(盖章)", "年　月　日")


def organisation_code(uscc: str) -> str:
    """附1-3 asks for the 企业组织机构代码: in a USCC it is characters 9–17 (GB 32100-2015
    §4), shown as the form of 组织机构代码 (GB 11714) writes it, ``XXXXXXXX-X``."""
    return f"{uscc[8:16]}-{uscc[16]}"


def studied(since: str | None, until: str | None) -> str | None:
    """起止时间 of two ``YYYY-MM``: ``2008年9月—2011年6月`` (an end left open if not given)."""
    if since is None and until is None:
        return None
    return "—".join(f"{m[:4]}年{int(m[5:])}月" if m else "" for m in (since, until))


def listing(e: EnterpriseReplica) -> str | None:
    """是否上市, with the board where there is one (新三板 is 挂牌, not 上市)."""
    if e.listed is None:  # replicated before it was kept
        return None
    answer = "是" if e.listed else "否"
    return f"{answer}，{ListingBoard(e.listing_board).zh}" if e.listing_board else answer


def ipo_plan(e: EnterpriseReplica) -> tuple[str | None, str | None, str | None]:
    """三年内有无上市计划, 上市进程, 拟上市板块: the form asks an unlisted enterprise; a
    listed one without a plan answers none of them."""
    plan = e.ipo_plan
    if plan is None:
        return ("无" if e.listed is False else None), None, None
    board = plan.get("board")
    return "有", IpoStage(plan["stage"]).zh, IpoBoard(board).zh if board else None


def titles(e: EnterpriseReplica, held: set[str]) -> str | None:
    """获得相关部门认定的称号: the tiers held on the export date (the ministry's and the
    province's recognitions), then the titles recorded on the enterprise."""
    names = [t.zh for t in Tier if t in held] + [Title(t).zh for t in e.titles or ()]
    return "；".join(names) or None


def _enterprise(e: EnterpriseReplica, held: set[str]) -> list[object]:
    """企业情况, 企业名称 … 获得相关部门认定的称号, in TRAINEE_HEADINGS' order."""
    return [
        e.name,
        e.website,
        e.uscc,
        organisation_code(e.uscc),
        listing(e),
        *ipo_plan(e),
        titles(e, held),
    ]


def _day(d: date, with_year: bool) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if with_year else f"{d.month}月{d.day}日"


def _dates(cls: TrainingClass, period: str) -> str:
    """``6月1日—6月3日`` as in the seed; with years when the period spans two of them."""
    years = "-" in period or cls.start_on.year != cls.end_on.year
    return f"{_day(cls.start_on, years)}—{_day(cls.end_on, years)}"


def _content(cls: TrainingClass, own: dict[str, PlanCourse]) -> str:
    parts = []
    for t in cls.topics:
        name = courses.name_of(t["course"], own) if t.get("course") else t.get("title") or ""
        parts.append(f"{ContentCategory(t['category']).zh}：{name}".rstrip("："))
    parts += [f"{OnsiteKind(o['kind']).zh}：{o['site']}" for o in cls.onsite_items]
    return "；\n".join(parts)


async def plan_annex(session: AsyncSession, principal: Principal, plan_id: uuid.UUID) -> bytes:
    plan = await plans.get(session, principal, plan_id)
    rows = await classes_repo.of_plan(session, plan.id)
    own = {c.code: c for c in await plan_courses_repo.of_plan(session, plan.id)}
    # 序号 and 学员数 are our integers and stay numbers; every text (the class and
    # institution names above all) is user text that xlsx.form neutralises.
    return xlsx.form(
        sheet="培训班次计划",
        title=f"（{plan.period}）年度专精特新“小巨人”培训班次计划",
        headings=PLAN_HEADINGS,
        rows=(
            [i, _dates(c, plan.period), c.name, _content(c, own), c.institution_name, c.capacity]
            for i, c in enumerate(rows, 1)
        ),
        footer=SIGNATURE,
        widths=(6, 22, 30, 60, 26, 12),
    )


async def trainee_annex(
    session: AsyncSession, ctx: ServiceContext, audit: Audit, class_id: uuid.UUID
) -> bytes:
    principal = audit.principal
    cls = await classes.get(session, principal, class_id)
    enrolled = await enrollments_repo.with_trainees(
        session,
        cls.id,
        [s.value for s in ACTIVE_STATES],
        visible_trainees(principal),  # the same trainees as the roster and GET
    )
    shown = await trainees.present(session, ctx, audit, [t for _, t in enrolled], masked=True)
    usccs = sorted({t.enterprise_uscc for t in shown})
    # A trainee is registered for a replicated enterprise, and replica rows stay.
    enterprises = await replica.enterprises(session, usccs)
    held = await REPLICA.tiers_held(session, usccs, clock.today())
    # 序号 and 管理经验年限 are integers (the schema's) and stay numbers; every text, the
    # enterprise's name and website of the registry included, is user text that xlsx.form
    # neutralises.
    return xlsx.form(
        sheet="培训学员信息表",
        title="专精特新“小巨人”培训学员信息表",
        lines=[f"培训班：{cls.name}（{cls.start_on.isoformat()} 至 {cls.end_on.isoformat()}）"],
        headings=TRAINEE_HEADINGS,
        rows=(
            [
                i,
                t.name,
                Gender(t.gender).zh,
                t.political_status,
                t.ethnicity,
                t.id_number,
                t.mobile,
                t.email,
                t.position,
                t.management_years,
                t.address,
                Education(t.education).zh if t.education else None,
                t.school,
                studied(t.studied_from, t.studied_until),
                t.major,
                Degree(t.degree).zh if t.degree else None,
                "；".join(
                    f"{r.organisation}{f'（{r.since}）' if r.since else ''}{r.title}"
                    for r in t.social_roles
                ),
                t.honours,
                *_enterprise(enterprises[t.enterprise_uscc], held.get(t.enterprise_uscc, set())),
                EnrollmentState(state).zh,
            ]
            for i, ((state, _), t) in enumerate(zip(enrolled, shown, strict=True), 1)
        ),
        widths=(
            *(6, 10, 6, 10, 8, 22, 14, 24, 14, 8, 30),
            *(14, 20, 20, 16, 6, 36, 30),  # 教育背景 … 个人荣誉和奖励
            *(30, 28, 22, 14, 18, 10, 16, 14, 40),  # 企业名称 … 称号
            12,
        ),
    )
