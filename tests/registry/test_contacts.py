"""联络人 (附件6): encrypted phones and email, masking, audited unmasked reads, export."""

from __future__ import annotations

import io
from typing import Any

import httpx
from kit.testing import Platform
from openpyxl import load_workbook

from tests.factories import make_uscc
from tests.sheets import FORMULAS, formulas, neutralised, rows_of

CONTACTS = "/api/v1/registry/contacts"
MOBILE, EMAIL, OFFICE = "13812345678", "wangwb@example.gov.cn", "027-87654321"
PII_READ = ("pii:read",)


def contact(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "province": "42",
        "organisation": "湖北省经济和信息化厅",
        "task": "training",
        "name": "王文彬",
        "title": "处长",
        "office_phone": OFFICE,
        "mobile": MOBILE,
        "email": EMAIL,
    }
    body.update(overrides)
    return body


async def create(
    platform: Platform,
    body: dict[str, Any],
    role: str = "province",
    region: str = "420000",
    **headers: str,
) -> httpx.Response:
    return await platform["registry"].post(
        CONTACTS, json=body, headers=platform.auth(role, region, **headers)
    )


async def created(platform: Platform, **overrides: Any) -> str:
    r = await create(platform, contact(**overrides), "ministry", "100000")
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def pii_reads(platform: Platform) -> list[Any]:
    pool = platform.apps["registry"].state.ctx.db.pool
    return list(
        await pool.fetch("SELECT * FROM registry.audit_log WHERE action = 'pii.read' ORDER BY id")
    )


class TestRegister:
    async def test_returned_masked(self, platform: Platform) -> None:
        r = await create(platform, contact())
        assert r.status_code == 201, r.text
        body = r.json()
        assert (body["mobile"], body["email"], body["office_phone"]) == (
            "138****5678",
            "w***@example.gov.cn",
            "027*******21",
        )
        assert body["masked"] is True
        assert r.headers["location"] == f"{CONTACTS}/{body['id']}"

    async def test_stored_encrypted(self, platform: Platform) -> None:
        await created(platform)
        pool = platform.apps["registry"].state.ctx.db.pool
        row = await pool.fetchrow(
            "SELECT mobile_enc, office_phone_enc, email_enc, mobile_index, email_index "
            "FROM registry.contacts"
        )
        stored = b"".join(row[c] for c in ("mobile_enc", "office_phone_enc", "email_enc"))
        for plaintext in (MOBILE, EMAIL, OFFICE, "12345678", "wangwb"):
            assert plaintext.encode() not in stored
        assert row["mobile_enc"] != row["mobile_index"]
        assert len(row["mobile_index"]) == len(row["email_index"]) == 32

    async def test_event_carries_no_pii(self, platform: Platform) -> None:
        contact_id = await created(platform)
        pool = platform.apps["registry"].state.ctx.db.pool
        payload = await pool.fetchval(
            "SELECT payload FROM registry.outbox WHERE subject = 'zjtx.registry.contact.registered'"
        )
        assert payload["data"] == {
            "id": contact_id,
            "province": "42",
            "task": "training",
            "organisation": "湖北省经济和信息化厅",
            "name": "王文彬",
            "title": "处长",
            "replaced_by": None,
        }
        text = await pool.fetchval("SELECT string_agg(payload::text, '') FROM registry.outbox")
        for plaintext in (MOBILE, "5678", EMAIL, "wangwb", "87654321"):
            assert plaintext not in text

    async def test_invalid_mobiles(self, platform: Platform) -> None:
        for mobile in ("12812345678", "1381234567", "138123456789", "1381234567a"):
            r = await create(platform, contact(mobile=mobile))
            assert r.status_code == 422, mobile
            assert r.json()["errors"] == [
                {
                    "field": "mobile",
                    "code": "MOBILE_INVALID",
                    "message": "手机号码应为 11 位数字，以 13–19 开头",
                }
            ]
        pool = platform.apps["registry"].state.ctx.db.pool
        assert await pool.fetchval("SELECT count(*) FROM registry.contacts") == 0

    async def test_invalid_email_and_office_phone(self, platform: Platform) -> None:
        r = await create(platform, contact(email="wang@localhost", office_phone="转 8888"))
        assert r.status_code == 422
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("office_phone", "PHONE_INVALID"),
            ("email", "EMAIL_INVALID"),
        ]

    async def test_full_width_digits_are_normalised(self, platform: Platform) -> None:
        r = await create(platform, contact(mobile="１３８ １２３４ ５６７８"))
        assert r.status_code == 201, r.text
        assert r.json()["mobile"] == "138****5678"
        again = await create(platform, contact())
        assert again.json()["code"] == "CONTACT_DUPLICATE"

    async def test_duplicate_mobile_for_the_same_province_and_task(
        self, platform: Platform
    ) -> None:
        await created(platform)
        r = await create(platform, contact(name="另一人"))
        assert r.status_code == 409
        assert r.json()["code"] == "CONTACT_DUPLICATE"

    async def test_same_mobile_for_another_task_or_province(self, platform: Platform) -> None:
        await created(platform)
        assert (await create(platform, contact(task="innovation"))).status_code == 201
        sichuan = await create(platform, contact(province="51"), region="510000")
        assert sichuan.status_code == 201

    async def test_other_province_cannot_create(self, platform: Platform) -> None:
        r = await create(platform, contact(province="51"))
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"

    async def test_only_provincial_authorities_keep_contacts(self, platform: Platform) -> None:
        city = await create(platform, contact(), "city", "420100")
        assert (city.status_code, city.json()["code"]) == (403, "FORBIDDEN")
        enterprise = await platform["registry"].post(
            CONTACTS,
            json=contact(),
            headers=platform.auth("enterprise", "420000", org=make_uscc()),
        )
        assert enterprise.status_code == 403

    async def test_unknown_province(self, platform: Platform) -> None:
        r = await create(platform, contact(province="99"), "ministry", "100000")
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "PROVINCE_INVALID"

    async def test_english_messages(self, platform: Platform) -> None:
        r = await create(platform, contact(mobile="12345"), **{"Accept-Language": "en"})
        assert r.json()["detail"] == "Request validation failed"
        assert r.json()["errors"][0]["message"] == (
            "A mainland mobile number has 11 digits and starts with 13–19"
        )


class TestRead:
    async def test_masked_without_pii_read_and_not_audited(self, platform: Platform) -> None:
        contact_id = await created(platform)
        r = await platform["registry"].get(
            f"{CONTACTS}/{contact_id}", headers=platform.auth("province", "420000")
        )
        assert (r.json()["mobile"], r.json()["masked"]) == ("138****5678", True)
        assert await pii_reads(platform) == []

    async def test_pii_read_unmasks_and_is_audited(self, platform: Platform) -> None:
        contact_id = await created(platform, office_phone=None)
        r = await platform["registry"].get(
            f"{CONTACTS}/{contact_id}",
            headers=platform.auth("province", "420000", scopes=PII_READ),
        )
        assert (r.json()["mobile"], r.json()["email"], r.json()["masked"]) == (
            MOBILE,
            EMAIL,
            False,
        )
        (row,) = await pii_reads(platform)
        assert (row["resource"], row["subject"], row["role"], row["result"]) == (
            f"contact/{contact_id}",
            "province:420000",
            "province",
            "success",
        )
        assert row["detail"] == {"fields": ["mobile", "email"]}

    async def test_each_unmasked_contact_of_a_list_is_audited(self, platform: Platform) -> None:
        ids = {await created(platform), await created(platform, task="innovation")}
        r = await platform["registry"].get(
            CONTACTS, headers=platform.auth("province", "420000", scopes=PII_READ)
        )
        assert {c["mobile"] for c in r.json()["items"]} == {MOBILE}
        assert {row["resource"] for row in await pii_reads(platform)} == {
            f"contact/{i}" for i in ids
        }

    async def test_list_is_masked_and_filtered(self, platform: Platform) -> None:
        await created(platform)
        innovation = await created(platform, task="innovation")
        r = await platform["registry"].get(
            CONTACTS, params={"task": "innovation"}, headers=platform.auth("province", "420000")
        )
        assert [(c["id"], c["mobile"]) for c in r.json()["items"]] == [(innovation, "138****5678")]

    async def test_foreign_province_contact_is_not_found(self, platform: Platform) -> None:
        contact_id = await created(platform)
        r = await platform["registry"].get(
            f"{CONTACTS}/{contact_id}",
            headers=platform.auth("province", "510000", scopes=PII_READ),
        )
        assert r.status_code == 404
        assert r.json()["code"] == "CONTACT_NOT_FOUND"
        assert await pii_reads(platform) == []

    async def test_foreign_province_lists_nothing(self, platform: Platform) -> None:
        await created(platform)
        sichuan = platform.auth("province", "510000")
        for params in ({}, {"province": "42"}):
            r = await platform["registry"].get(CONTACTS, params=params, headers=sichuan)
            assert r.json()["items"] == []

    async def test_ministry_sees_every_province(self, platform: Platform) -> None:
        await created(platform)
        await created(platform, province="51")
        r = await platform["registry"].get(CONTACTS, headers=platform.auth("ministry"))
        assert sorted(c["province"] for c in r.json()["items"]) == ["42", "51"]

    async def test_others_see_no_contacts(self, platform: Platform) -> None:
        contact_id = await created(platform)
        for headers in (
            platform.auth("city", "420100"),
            platform.auth("enterprise", "420000", org=make_uscc()),
            platform.auth("institution", "420000", org=contact_id),
        ):
            one = await platform["registry"].get(f"{CONTACTS}/{contact_id}", headers=headers)
            assert one.status_code == 404
            listed = await platform["registry"].get(CONTACTS, headers=headers)
            assert listed.json()["items"] == []


class TestAnnex6Export:
    async def export(
        self,
        platform: Platform,
        province: str,
        role: str = "province",
        region: str = "420000",
        scopes: tuple[str, ...] = (),
    ) -> httpx.Response:
        return await platform["registry"].get(
            f"{CONTACTS}/export.xlsx",
            params={"province": province},
            headers=platform.auth(role, region, scopes=scopes),
        )

    async def test_seed_layout_masked(self, platform: Platform) -> None:
        await created(platform)
        await created(platform, task="quality_diagnosis", name="李四", mobile="13900001111")
        r = await self.export(platform, "42")
        assert r.status_code == 200, r.text
        sheet = load_workbook(io.BytesIO(r.content)).active
        assert sheet is not None
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][0] == "联络人信息表"
        assert rows[1][0] == "单位名称：湖北省经济和信息化厅"
        assert rows[2] == ["负责工作", "联系人", "职务", "办公电话", "手机", "电子邮箱"]
        assert [r[0] for r in rows[3:]] == ["人才培训", "管理诊断", "质量诊断", "技术创新"]
        assert rows[3][1:] == [
            "王文彬",
            "处长",
            "027*******21",
            "138****5678",
            "w***@example.gov.cn",
        ]
        assert rows[4][1:] == [None] * 5
        assert rows[5][1:5] == ["李四", "处长", "027*******21", "139****1111"]
        assert await pii_reads(platform) == []

    async def test_unmasked_export_is_audited(self, platform: Platform) -> None:
        contact_id = await created(platform)
        r = await self.export(platform, "42", scopes=PII_READ)
        sheet = load_workbook(io.BytesIO(r.content)).active
        assert sheet is not None
        assert [c.value for c in sheet[4]][4:] == [MOBILE, EMAIL]
        assert [row["resource"] for row in await pii_reads(platform)] == [f"contact/{contact_id}"]

    async def test_foreign_province_cannot_export(self, platform: Platform) -> None:
        await created(platform)
        r = await self.export(platform, "42", region="510000")
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"

    async def test_province_is_required_and_valid(self, platform: Platform) -> None:
        r = await self.export(platform, "99", role="ministry", region="100000")
        assert r.status_code == 422
        assert r.json()["errors"][0]["code"] == "PROVINCE_INVALID"

    async def test_contact_text_is_never_a_formula(self, platform: Platform) -> None:
        await created(
            platform,
            organisation=FORMULAS["minus"],
            name=FORMULAS["hyperlink"],
            title=FORMULAS["dde"],
        )
        r = await self.export(platform, "42", scopes=PII_READ)
        assert r.status_code == 200, r.text
        assert formulas(r.content) == []
        rows = rows_of(r.content)
        assert rows[1][0] == "单位名称：" + FORMULAS["minus"]  # not at the start: harmless
        assert rows[3][1:3] == [neutralised(FORMULAS["hyperlink"]), neutralised(FORMULAS["dde"])]


class TestCorrections:
    """A contact corrected (the same person) or replaced (another person): 附件6 changes."""

    async def outbox(self, platform: Platform, subject: str) -> list[Any]:
        pool = platform.apps["registry"].state.ctx.db.pool
        rows = await pool.fetch(
            "SELECT payload FROM registry.outbox WHERE payload->>'subject' = $1 "
            "ORDER BY created_at",
            subject,
        )
        return [r["payload"] for r in rows]

    async def test_a_correction_changes_only_what_is_sent(self, platform: Platform) -> None:
        contact_id = await created(platform)
        r = await platform["registry"].patch(
            f"{CONTACTS}/{contact_id}",
            json={"mobile": "13900002222", "title": "副处长"},
            headers=platform.auth("province", "420000", scopes=PII_READ),
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["mobile"], body["title"], body["email"], body["name"]) == (
            "13900002222",
            "副处长",
            EMAIL,
            "王文彬",
        )
        assert body["version"] == 2
        _, updated = await self.outbox(platform, contact_id)
        assert updated["type"] == "cn.zjtx.registry.contact.updated.v1"
        assert "13900002222" not in str(updated) and EMAIL not in str(updated)

    async def test_a_correction_to_a_taken_mobile_is_refused(self, platform: Platform) -> None:
        await created(platform)
        other = await created(platform, name="李四", mobile="13900001111")
        r = await platform["registry"].patch(
            f"{CONTACTS}/{other}", json={"mobile": MOBILE}, headers=platform.auth("ministry")
        )
        assert r.status_code == 409 and r.json()["code"] == "CONTACT_DUPLICATE"

    async def test_a_foreign_unit_cannot_correct(self, platform: Platform) -> None:
        contact_id = await created(platform)
        for role, region in (("province", "510000"), ("city", "420100")):
            r = await platform["registry"].patch(
                f"{CONTACTS}/{contact_id}", json={"title": "x"}, headers=platform.auth(role, region)
            )
            assert r.status_code == 404, (role, r.text)

    async def test_a_replacement_takes_over_and_keeps_history(self, platform: Platform) -> None:
        old = await created(platform)
        auth = platform.auth("province", "420000")
        r = await platform["registry"].post(
            f"{CONTACTS}/{old}:replace",
            json={"name": "李华", "title": "科长", "mobile": MOBILE},  # the office's mobile
            headers=auth,
        )
        assert r.status_code == 201, r.text
        new = r.json()["id"]
        assert (r.json()["name"], r.json()["task"], r.json()["province"]) == (
            "李华",
            "training",
            "42",
        )
        listed = (await platform["registry"].get(CONTACTS, headers=auth)).json()["items"]
        assert [c["id"] for c in listed] == [new]
        history = await platform["registry"].get(
            CONTACTS, params={"include_replaced": "true"}, headers=auth
        )
        [was] = [c for c in history.json()["items"] if c["id"] == old]
        assert was["replaced_by"] == new and was["replaced_at"] is not None
        [replaced] = [e for e in await self.outbox(platform, old) if "replaced" in e["type"]]
        assert replaced["data"]["replaced_by"] == new
        r = await platform["registry"].patch(f"{CONTACTS}/{old}", json={"title": "x"}, headers=auth)
        assert r.status_code == 409 and r.json()["code"] == "CONTACT_REPLACED"
        r = await platform["registry"].get(
            f"{CONTACTS}/export.xlsx", params={"province": "42"}, headers=auth
        )
        sheet = load_workbook(io.BytesIO(r.content)).active
        assert sheet is not None
        names = [row[1].value for row in sheet.iter_rows(min_row=4)]
        assert "李华" in names and "王文彬" not in names
