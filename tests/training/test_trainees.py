"""学员: validation, one record per person, PII encrypted, masked and audited, and scoping."""

from __future__ import annotations

import json

import pytest
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
