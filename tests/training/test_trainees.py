"""学员: validation, one record per person, PII encrypted, masked and audited, and scoping."""

from __future__ import annotations

import json

import pytest
from kit.clock import today
from kit.testing import Platform

from tests.factories import make_id_number, make_uscc
from tests.fixtures.training import API, little_giant, outbox, trainee, trainee_body

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}
HUNAN = {"role": "province", "region": "430000"}


async def trainees_stored(platform: Platform) -> int:
    pool = platform.apps["training"].state.ctx.db.pool
    return int(await pool.fetchval("SELECT count(*) FROM training.trainees"))


class TestRegistration:
    async def test_registered_masked_and_encrypted(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        id_number = make_id_number()
        body = trainee_body(uscc, id_number=id_number)
        r = await platform["training"].post(
            f"{API}/trainees", json=body, headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 201, r.text
        shown = r.json()
        assert shown["masked"] is True
        assert shown["id_number"] == id_number[:3] + "*" * 11 + id_number[-4:]
        assert shown["mobile"] != body["mobile"] and shown["mobile"].endswith("5678")
        assert shown["province"] == "42" and shown["enterprise_name"]
        assert shown["social_roles"][0]["title"] == "副会长"
        pool = platform.apps["training"].state.ctx.db.pool
        stored = await pool.fetchrow("SELECT * FROM training.trainees")
        assert id_number.encode() not in bytes(stored["id_number_enc"])
        assert stored["region_code"] == "420102"
        [event] = await outbox(platform, "trainee.registered")
        text = json.dumps(event, ensure_ascii=False)
        assert id_number not in text and body["mobile"] not in text and "张建国" not in text

    async def test_invalid_id_number_is_rejected(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        good = make_id_number()
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # wrong check digit
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(uscc, id_number=bad),
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"].endswith("id_number")
        assert await trainees_stored(platform) == 0

    async def test_a_nul_byte_in_any_text_is_a_field_error(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        for field in ("name", "position", "address", "honours"):
            r = await platform["training"].post(
                f"{API}/trainees",
                json=trainee_body(uscc, **{field: "张\x00建国"}),
                headers=platform.auth(**HUBEI),
            )
            assert r.status_code == 422, r.text
            assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
                (field, "TEXT_CONTROL_CHARACTER")
            ]
        assert await trainees_stored(platform) == 0

    async def test_a_person_is_registered_once(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        id_number = make_id_number()
        await trainee(platform, uscc, id_number=id_number)
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(uscc, id_number=id_number, name="另一个名字"),
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 409
        assert r.json()["code"] == "TRAINEE_EXISTS"
        assert await trainees_stored(platform) == 1

    async def test_unknown_enterprise_is_rejected(self, platform: Platform) -> None:
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(make_uscc("420100")),
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422
        assert r.json()["code"] == "ENTERPRISE_UNKNOWN"

    async def test_the_enterprise_registers_its_own_manager_only(self, platform: Platform) -> None:
        own, other = await little_giant(platform), await little_giant(platform)
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(own),
            headers=platform.auth("enterprise", "420102", org=own),
        )
        assert r.status_code == 201, r.text
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(other),
            headers=platform.auth("enterprise", "420102", org=own),
        )
        assert r.status_code == 422  # another enterprise answers as an unknown one
        assert r.json()["code"] == "ENTERPRISE_UNKNOWN"
        assert await trainees_stored(platform) == 1


class TestEducation:
    """附1-3 教育背景: 起止时间 as two YYYY-MM, ending no earlier than it starts and not after
    this month; 学位 beside 学历."""

    async def test_the_period_and_degree_are_read_back(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        this_month = today().strftime("%Y-%m")
        trainee_id = await trainee(
            platform, uscc, studied_from="2008-09", studied_until=this_month, degree="master"
        )
        r = await platform["training"].get(
            f"{API}/trainees/{trainee_id}", headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 200, r.text
        shown = r.json()
        assert (shown["studied_from"], shown["studied_until"]) == ("2008-09", this_month)
        assert (shown["education"], shown["degree"]) == ("master", "master")
        without = await trainee(platform, uscc)  # optional: existing trainees have none
        r = await platform["training"].get(
            f"{API}/trainees/{without}", headers=platform.auth(**HUBEI)
        )
        assert [r.json()[f] for f in ("studied_from", "studied_until", "degree")] == [None] * 3

    async def test_an_end_before_the_start_is_a_field_error(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(uscc, studied_from="2011-06", studied_until="2011-05"),
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert (error["field"], error["code"]) == ("studied_until", "STUDY_ENDS_BEFORE_START")
        assert error["message"] == "毕业年月 2011-05 早于入学年月 2011-06"
        assert await trainees_stored(platform) == 0

    async def test_a_month_to_come_is_a_field_error(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        day = today()
        this_month = day.strftime("%Y-%m")
        next_month = f"{day.year + day.month // 12}-{day.month % 12 + 1:02d}"
        for field in ("studied_from", "studied_until"):
            r = await platform["training"].post(
                f"{API}/trainees",
                json=trainee_body(uscc, **{field: next_month}),
                headers=platform.auth(**HUBEI),
            )
            assert r.status_code == 422, r.text
            [error] = r.json()["errors"]
            assert (error["field"], error["code"]) == (field, "MONTH_IN_FUTURE")
            assert error["message"] == f"年月 {next_month} 晚于本月（{this_month}）"
        assert await trainees_stored(platform) == 0

    async def test_a_month_is_written_yyyy_mm(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        for written in ("2008-13", "2008/09", "2008-9", "0999-01"):
            r = await platform["training"].post(
                f"{API}/trainees",
                json=trainee_body(uscc, studied_from=written),
                headers=platform.auth(**HUBEI),
            )
            assert r.status_code == 422, written
            [error] = r.json()["errors"]
            assert (error["field"], error["code"]) == ("studied_from", "YEAR_MONTH_INVALID")
            assert error["message"].startswith("年月格式应为 YYYY-MM")

    async def test_an_unknown_degree_is_a_field_error(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        r = await platform["training"].post(
            f"{API}/trainees",
            json=trainee_body(uscc, degree="mba"),
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 422
        assert [e["field"] for e in r.json()["errors"]] == ["degree"]


class TestPii:
    async def test_unmasked_reads_need_the_grant_and_are_audited(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        id_number = make_id_number()
        trainee_id = await trainee(platform, uscc, id_number=id_number)
        r = await platform["training"].get(
            f"{API}/trainees/{trainee_id}",
            headers=platform.auth("province", "420000", scopes=("pii:read",)),
        )
        assert r.status_code == 200
        assert r.json()["id_number"] == id_number and r.json()["masked"] is False
        pool = platform.apps["training"].state.ctx.db.pool
        audited = await pool.fetch(
            "SELECT detail FROM training.audit_log WHERE action = 'pii.read' AND resource = $1",
            f"trainee/{trainee_id}",
        )
        assert len(audited) == 1
        r = await platform["training"].get(
            f"{API}/trainees/{trainee_id}", headers=platform.auth(**HUBEI)
        )
        assert r.json()["masked"] is True and r.json()["id_number"] != id_number
        assert (
            await pool.fetchval("SELECT count(*) FROM training.audit_log WHERE action = 'pii.read'")
            == 1
        )


class TestScoping:
    async def test_a_foreign_province_neither_sees_nor_registers(self, platform: Platform) -> None:
        uscc = await little_giant(platform)
        trainee_id = await trainee(platform, uscc)
        r = await platform["training"].get(
            f"{API}/trainees/{trainee_id}", headers=platform.auth(**HUNAN)
        )
        assert r.status_code == 404
        assert r.json()["code"] == "TRAINEE_NOT_FOUND"
        r = await platform["training"].get(f"{API}/trainees", headers=platform.auth(**HUNAN))
        assert r.json()["items"] == []
        r = await platform["training"].post(
            f"{API}/trainees", json=trainee_body(uscc), headers=platform.auth(**HUNAN)
        )
        assert r.status_code == 422  # as if the enterprise did not exist
        assert r.json()["code"] == "ENTERPRISE_UNKNOWN"
        r = await platform["training"].get(f"{API}/trainees", headers=platform.auth(**HUBEI))
        assert [t["id"] for t in r.json()["items"]] == [trainee_id]

    async def test_a_city_sees_its_own_enterprises_trainees(self, platform: Platform) -> None:
        wuhan = await little_giant(platform, region="420102")
        yichang = await little_giant(platform, region="420502")
        await trainee(platform, wuhan)
        in_yichang = await trainee(platform, yichang)
        r = await platform["training"].get(
            f"{API}/trainees", headers=platform.auth("city", "420500")
        )
        assert [t["id"] for t in r.json()["items"]] == [in_yichang]
