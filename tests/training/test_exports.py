"""附1-2 and 附1-3 as XLSX: the seed's headings, opened and checked."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from kit.testing import Platform

from tests.factories import make_id_number, make_uscc, recognition
from tests.fixtures.training import (
    API,
    REGISTRY,
    backfilled_class,
    enroll,
    little_giant,
    replicated,
    trainee,
    training_institution,
)
from tests.sheets import FORMULAS, formulas, neutralised, rows_of

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}


async def download(platform: Platform, path: str, **auth: Any) -> Any:
    return await platform["training"].get(
        f"{API}{path}", headers=platform.auth(**{**HUBEI, **auth})
    )


class TestPlanAnnex:
    async def test_the_classes_of_the_plan_in_date_order(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        later = await backfilled_class(
            platform, institution, name="第二期", start_on="2026-07-06", end_on="2026-07-08"
        )
        first = await backfilled_class(platform, institution, name="第一期")
        r = await download(platform, f"/plans/{first['plan_id']}/export.xlsx")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "filename*=UTF-8''%E5%9F%B9" in r.headers["content-disposition"]
        rows = rows_of(r.content)
        assert rows[0][0] == "（2026）年度专精特新“小巨人”培训班次计划"
        assert rows[1] == ["序号", "时间", "班级名称", "培训内容", "培训机构", "学员数(人)"]
        assert [r[:3] for r in rows[2:4]] == [
            [1, "6月1日—6月3日", "第一期"],
            [2, "7月6日—7月8日", "第二期"],
        ]
        content = rows[2][3]
        assert "科学理论：习近平总书记关于中小企业发展系列重要论述精神" in content
        assert "形势政策：中小企业法律法规政策体系" in content
        assert "企业参访：武汉某智能制造企业" in content
        assert rows[2][4:] == ["湖北专精特新学院", 50]
        assert rows[-2:] == [
            ["单位(盖章)", None, None, None, None, None],
            ["年　月　日"] + [None] * 5,
        ]
        assert later["plan_id"] == first["plan_id"]

    async def test_class_and_institution_names_are_never_formulas(self, platform: Platform) -> None:
        institution = await training_institution(platform, name=FORMULAS["at"])
        cls = await backfilled_class(platform, institution, name=FORMULAS["dde"])
        r = await download(platform, f"/plans/{cls['plan_id']}/export.xlsx")
        assert r.status_code == 200, r.text
        assert formulas(r.content) == []
        row = rows_of(r.content)[2]
        assert (row[2], row[4]) == (neutralised(FORMULAS["dde"]), neutralised(FORMULAS["at"]))
        assert row[5] == 50  # our own count stays a number

    async def test_an_empty_plan_has_the_headings_only(self, platform: Platform) -> None:
        r = await platform["training"].post(
            f"{API}/plans",
            json={"province": "42", "period": "2027-2028"},
            headers=platform.auth(**HUBEI),
        )
        rows = rows_of((await download(platform, f"/plans/{r.json()['id']}/export.xlsx")).content)
        assert rows[1][0] == "序号" and rows[2] == [None] * 6  # the blank line before the footer

    async def test_a_foreign_province_cannot_export(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        r = await download(
            platform, f"/plans/{cls['plan_id']}/export.xlsx", role="province", region="430000"
        )
        assert r.status_code == 404


class TestTraineeAnnex:
    async def test_trainees_masked_with_every_field_of_the_seed_form(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        # Recognised from the class's first day: held on the export date (until 2029-05-31).
        uscc = await little_giant(
            platform,
            valid_from="2026-06-01",
            enterprise_fields={
                "website": "https://www.example-sensor.cn",
                "ipo_plan": {"stage": "restructured", "board": "sse_star"},
                "titles": ["high_tech", "green_factory"],
            },
        )
        # Recognised until the class's first day only (2026-06-01): eligible for it, but no
        # longer holding the tier on the export date.
        quoted = await little_giant(
            platform, valid_from="2023-06-02", enterprise_fields={"listing_board": "neeq"}
        )
        id_number = make_id_number()
        trainee_id = await trainee(
            platform,
            uscc,
            id_number=id_number,
            honours="全国五一劳动奖章",
            studied_from="2008-09",
            studied_until="2011-06",
            degree="master",
        )
        other = await trainee(platform, quoted, name="李红", gender="female", education=None)
        for enrolled in (trainee_id, other):
            assert (await enroll(platform, cls["id"], enrolled)).status_code == 201
        r = await download(
            platform, f"/classes/{cls['id']}/trainees/export.xlsx", scopes=("pii:read",)
        )
        assert r.status_code == 200, r.text
        assert formulas(r.content) == []
        rows = rows_of(r.content)
        assert rows[0][0] == "专精特新“小巨人”培训学员信息表"
        headings = rows[2]
        seed = [
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
            "企业组织机构代码",
            "是否上市",
            "三年内有无上市计划",
            "上市进程",
            "拟上市板块",
            "获得相关部门认定的称号",
        ]
        assert [h for h in headings if h in seed] == seed  # all of them, in the form's order
        by_name = {row[1]: dict(zip(headings, row, strict=True)) for row in rows[3:5]}
        row = by_name["张建国"]
        assert row["性别"] == "男"
        assert row["身份证号码"] == id_number[:3] + "*" * 11 + id_number[-4:]
        assert row["手机"] == "139****5678"
        assert row["教育背景（最高学历）"] == "硕士研究生"
        assert (row["毕业院校"], row["起止时间"], row["专业"], row["学位"]) == (
            "华中科技大学",
            "2008年9月—2011年6月",
            "机械工程",
            "硕士",
        )
        assert row["社会职务"] == "湖北省中小企业协会（2019）副会长"
        assert row["个人荣誉和奖励"] == "全国五一劳动奖章"
        assert row["统一社会信用代码"] == uscc and row["报名状态"] == "已录取"
        assert row["企业组织机构代码"] == f"{uscc[8:16]}-{uscc[16]}"  # the USCC's 9th–17th
        assert row["公司网址"] == "https://www.example-sensor.cn/"
        assert [row[h] for h in seed[-5:]] == [
            "否",
            "有",
            "已股改",
            "上交所科创板",
            "专精特新“小巨人”企业；高新技术企业；绿色工厂",
        ]
        row = by_name["李红"]
        assert (row["起止时间"], row["学位"], row["公司网址"]) == (None, None, None)
        assert [row[h] for h in seed[-5:]] == [
            "否，新三板（全国中小企业股份转让系统）挂牌",
            "无",
            None,
            None,
            None,  # its tier ended before the export date, and it has no titles
        ]
        pool = platform.apps["training"].state.ctx.db.pool
        assert (
            await pool.fetchval("SELECT count(*) FROM training.audit_log WHERE action = 'pii.read'")
            == 0
        )

    async def test_a_listed_enterprise_shows_its_board_and_no_plan(
        self, platform: Platform
    ) -> None:
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        uscc = await little_giant(platform, enterprise_fields={"listing_board": "szse_chinext"})
        assert (await enroll(platform, cls["id"], await trainee(platform, uscc))).status_code == 201
        rows = rows_of(
            (await download(platform, f"/classes/{cls['id']}/trainees/export.xlsx")).content
        )
        row = dict(zip(rows[2], rows[3], strict=True))
        assert [row[h] for h in ("是否上市", "三年内有无上市计划", "上市进程", "拟上市板块")] == [
            "是，深交所创业板",
            None,
            None,
            None,
        ]

    async def test_an_enterprise_replicated_before_the_form_fields_shows_none(
        self, platform: Platform
    ) -> None:
        """Its replica row has nulls until the enterprise's next event: blanks, not 否/无."""
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        uscc = await little_giant(
            platform, valid_from="2026-06-01", enterprise_fields={"titles": ["high_tech"]}
        )
        pool = platform.apps["training"].state.ctx.db.pool
        await pool.execute(
            "UPDATE training.enterprises SET website = NULL, listed = NULL, listing_board = NULL,"
            " ipo_plan = NULL, titles = NULL WHERE uscc = $1",
            uscc,
        )
        assert (await enroll(platform, cls["id"], await trainee(platform, uscc))).status_code == 201
        rows = rows_of(
            (await download(platform, f"/classes/{cls['id']}/trainees/export.xlsx")).content
        )
        row = dict(zip(rows[2], rows[3], strict=True))
        assert [row[h] for h in ("公司网址", "是否上市", "三年内有无上市计划", "上市进程")] == [
            None
        ] * 4
        assert row["获得相关部门认定的称号"] == "专精特新“小巨人”企业"  # the tier still shows

    async def test_a_foreign_province_cannot_export(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        r = await download(
            platform, f"/classes/{cls['id']}/trainees/export.xlsx", role="province", region="430000"
        )
        assert r.status_code == 404

    async def test_trainee_and_imported_enterprise_text_is_never_a_formula(
        self, platform: Platform
    ) -> None:
        """The enterprise comes in through the registry's file import, its name a formula;
        the trainee's own fields carry the others (a leading tab or CR is stripped on input:
        tests/kit/test_xlsx.py covers those)."""
        uscc = make_uscc("420100")
        upload = io.StringIO()
        csv.writer(upload).writerows(
            [
                ["统一社会信用代码", "企业名称", "行政区划代码", "所属行业代码"],
                [uscc, FORMULAS["hyperlink"], "420102", "39"],
            ]
        )
        r = await platform["registry"].post(
            f"{REGISTRY}/enterprises:import",
            files={"file": ("e.csv", upload.getvalue().encode())},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 201, r.text
        r = await platform["registry"].post(
            f"{REGISTRY}/enterprises/{uscc}/recognitions",
            json=recognition(),
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 201, r.text
        await replicated(platform, "recognitions", "id::text", r.json()["id"])
        institution = await training_institution(platform)
        cls = await backfilled_class(platform, institution)
        trainee_id = await trainee(
            platform,
            uscc,
            position=FORMULAS["dde"],
            honours=FORMULAS["plus"],
            school=FORMULAS["minus"],
            address=FORMULAS["at"],
        )
        assert (await enroll(platform, cls["id"], trainee_id)).status_code == 201
        r = await download(platform, f"/classes/{cls['id']}/trainees/export.xlsx")
        assert r.status_code == 200, r.text
        assert formulas(r.content) == []
        rows = rows_of(r.content)
        row = dict(zip(rows[2], rows[3], strict=True))
        assert row["企业名称"] == neutralised(FORMULAS["hyperlink"])
        assert row["现任职务"] == neutralised(FORMULAS["dde"])
        assert row["个人荣誉和奖励"] == neutralised(FORMULAS["plus"])
        assert row["毕业院校"] == neutralised(FORMULAS["minus"])
        assert row["通讯地址"] == neutralised(FORMULAS["at"])
        assert row["管理经验年限"] == 15  # our own number stays a number
