"""001 附件1-3 企业技术创新需求征集表 as a list (``GET /demands/export.xlsx``): the form's fields
as headings, one row per demand the caller may see, the phone masked unless ``pii:read``
(then audited), no formula from user data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from kit.testing import Platform

from tests.fixtures.innovation import API, PHONE, act, demand, file, holder, submitted
from tests.sheets import FORMULAS, formulas, neutralised, rows_of

pytestmark = pytest.mark.services("registry", "innovation")

HEADINGS = [
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
]


async def export(platform: Platform, *scopes: str, **params: str) -> bytes:
    r = await platform["innovation"].get(
        f"{API}/demands/export.xlsx",
        params=params,
        headers=platform.auth("province", "420000", scopes=scopes),
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    return r.content


def listed(content: bytes) -> list[dict[str, Any]]:
    """The demand rows as {heading: value}."""
    rows = rows_of(content)
    at = rows.index(HEADINGS)
    return [dict(zip(HEADINGS, r, strict=True)) for r in rows[at + 1 :] if isinstance(r[0], int)]


class TestAnnex13:
    async def test_every_field_of_the_form_in_its_order(self, platform: Platform) -> None:
        uscc = await holder(platform)
        body = demand(uscc)
        body["contact"] = {**body["contact"], "name": FORMULAS["hyperlink"]}
        body["title"] = FORMULAS["dde"]
        assert (await file(platform, body)).status_code == 201
        content = await export(platform)
        assert formulas(content) == []
        [row] = listed(content)
        assert row["序号"] == 1
        assert row["企业名称"].startswith("测试科技有限公司")
        assert row["行业及主营业务、产品"] == "39 计算机、通信和其他电子设备制造业"
        assert row["企业类型"] == "专精特新“小巨人”企业"
        assert row["专项联系人及职务"] == neutralised(f"{FORMULAS['hyperlink']}（技术总监）")
        assert row["需求名称"] == neutralised(FORMULAS["dde"])
        assert row["需求类别"] == "技术研发、小试中试"
        assert row["需求详情：具体要求及需要解决的问题"] == body["problem"]
        assert row["需求详情：技术或项目基础情况"] == body["basis"]
        assert row["需求详情：时间要求"] == body["time_requirement"]
        assert row["期望完成日期"].date().isoformat() == "2026-06-30"
        assert row["量化指标"] == body["quantitative_targets"]
        assert row["必要性"] == body["necessity"]
        assert Decimal(str(row["经费投入预算（万元）"])) == Decimal("120")  # a number
        assert row["过往技术合作案例"] == (
            "1. 合作单位：华中科技大学；项目内容：热处理工艺联合攻关；合作金额：45 万元"
        )
        assert (row["是否需现场对接"], row["技术需求是否可公开发布"]) == ("是", "是")
        assert (row["所属单位"], row["状态"]) == ("湖北省", "已提交")

    async def test_the_phone_masked_unless_pii_read_and_then_audited(
        self, platform: Platform
    ) -> None:
        await submitted(platform, await holder(platform))
        [masked] = listed(await export(platform))
        assert masked["电话"] != PHONE and masked["电话"].startswith(PHONE[:3])
        pool = platform.apps["innovation"].state.ctx.db.pool
        audited = "SELECT count(*) FROM innovation.audit_log WHERE action = 'pii.read'"
        assert await pool.fetchval(audited) == 0
        [plain] = listed(await export(platform, "pii:read"))
        assert plain["电话"] == PHONE
        assert await pool.fetchval(audited) == 1

    async def test_only_what_the_caller_may_see_with_the_lists_filters(
        self, platform: Platform
    ) -> None:
        hubei = await submitted(platform, await holder(platform), categories=["testing"])
        await submitted(platform, await holder(platform, region="430102"))
        await act(platform, hubei, "pool")
        rows = listed(await export(platform))
        assert [r["所属单位"] for r in rows] == ["湖北省"]  # not Hunan's
        assert [r["状态"] for r in listed(await export(platform, state="pooled"))] == ["已入需求库"]
        assert listed(await export(platform, category="rd")) == []
        r = await platform["innovation"].get(
            f"{API}/demands/export.xlsx", headers=platform.auth("ministry")
        )
        assert sorted(r["所属单位"] for r in listed(r.content)) == ["湖北省", "湖南省"]
