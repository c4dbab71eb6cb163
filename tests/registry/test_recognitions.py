"""Tier recognitions: grant, validity, revocation, scoping, events."""

from __future__ import annotations

from typing import Any

from kit.testing import Platform

from tests.factories import enterprise, recognition

ENTERPRISES = "/api/v1/registry/enterprises"


async def registered(platform: Platform, region: str = "420102") -> str:
    body = enterprise(region)
    r = await platform["registry"].post(ENTERPRISES, json=body, headers=platform.auth("ministry"))
    assert r.status_code == 201
    return str(body["uscc"])


async def grant(platform: Platform, uscc: str, body: dict[str, Any], **auth: Any) -> Any:
    return await platform["registry"].post(
        f"{ENTERPRISES}/{uscc}/recognitions",
        json=body,
        headers=platform.auth(**(auth or {"role": "ministry"})),
    )


async def events(platform: Platform, subject: str) -> list[dict[str, Any]]:
    pool = platform.apps["registry"].state.ctx.db.pool
    rows = await pool.fetch(
        "SELECT payload FROM registry.outbox WHERE subject = $1 ORDER BY created_at", subject
    )
    return [r["payload"] for r in rows]


class TestGrant:
    async def test_grant_defaults_to_three_years_and_emits_event(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await grant(platform, uscc, recognition(valid_from="2025-07-01"))
        assert r.status_code == 201, r.text
        assert r.json()["valid_until"] == "2028-06-30"
        assert r.json()["held_today"] is True
        (event,) = await events(platform, "zjtx.registry.recognition.granted")
        assert event["data"]["tier"] == "little_giant"
        assert event["data"]["province"] == "42"
        assert event["aggregateversion"] == 1
        got = await platform["registry"].get(
            f"{ENTERPRISES}/{uscc}", headers=platform.auth("ministry")
        )
        assert got.json()["tiers"] == ["little_giant"]

    async def test_inverted_dates_are_rejected(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await grant(
            platform, uscc, recognition(valid_from="2025-07-01", valid_until="2025-06-30")
        )
        assert r.status_code == 422
        assert r.json()["code"] == "RECOGNITION_DATES_INVALID"
        assert await events(platform, "zjtx.registry.recognition.granted") == []

    async def test_duplicate_is_rejected(self, platform: Platform) -> None:
        uscc = await registered(platform)
        assert (await grant(platform, uscc, recognition())).status_code == 201
        r = await grant(platform, uscc, recognition())
        assert r.status_code == 409
        assert r.json()["code"] == "RECOGNITION_DUPLICATE"

    async def test_foreign_province_cannot_grant(self, platform: Platform) -> None:
        uscc = await registered(platform, "510104")
        r = await grant(platform, uscc, recognition(), role="province", region="420000")
        assert r.status_code == 404

    async def test_enterprise_cannot_grant_itself(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await grant(platform, uscc, recognition(), role="enterprise", region="420100", org=uscc)
        assert r.status_code == 403

    async def test_unknown_tier_is_a_field_error(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await grant(platform, uscc, recognition(tier="giant"))
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "tier"


class TestDates:
    async def test_a_validity_starting_past_the_calendar_is_a_field_error(
        self, platform: Platform
    ) -> None:
        uscc = await registered(platform)
        r = await grant(platform, uscc, recognition(valid_from="9998-01-01"))
        assert r.status_code == 422, r.text
        codes = {(e["field"], e["code"]) for e in r.json()["errors"]}
        assert ("valid_from", "DATE_OUT_OF_RANGE") in codes
        assert await events(platform, "zjtx.registry.recognition.granted") == []

    async def test_the_last_day_accepted_still_gets_three_years(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await grant(platform, uscc, recognition(valid_from="2999-12-31"))
        assert r.status_code == 201, r.text
        assert r.json()["valid_until"] == "3002-12-30"

    async def test_revoked_on_zero_is_not_a_date(self, platform: Platform) -> None:
        uscc = await registered(platform)
        rec = (await grant(platform, uscc, recognition())).json()
        r = await platform["registry"].post(
            f"/api/v1/registry/recognitions/{rec['id']}:revoke",
            json={"reason": "撤销", "revoked_on": 0},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "revoked_on"


class TestRevoke:
    async def test_revocation_ends_holding_and_emits_event(self, platform: Platform) -> None:
        uscc = await registered(platform)
        rec = (await grant(platform, uscc, recognition(valid_from="2025-01-01"))).json()
        r = await platform["registry"].post(
            f"/api/v1/registry/recognitions/{rec['id']}:revoke",
            json={"reason": "复核未通过"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 200, r.text
        assert r.json()["held_today"] is False
        (event,) = await events(platform, "zjtx.registry.recognition.revoked")
        assert event["aggregateversion"] == 2
        assert event["data"]["revoked_on"] is not None

    async def test_revoking_twice_is_rejected(self, platform: Platform) -> None:
        uscc = await registered(platform)
        rec = (await grant(platform, uscc, recognition())).json()
        path = f"/api/v1/registry/recognitions/{rec['id']}:revoke"
        body = {"reason": "撤销", "revoked_on": "2025-01-01"}
        assert (
            await platform["registry"].post(path, json=body, headers=platform.auth("ministry"))
        ).status_code == 200
        r = await platform["registry"].post(path, json=body, headers=platform.auth("ministry"))
        assert r.status_code == 409
        assert r.json()["code"] == "RECOGNITION_ALREADY_REVOKED"

    async def test_reason_is_required(self, platform: Platform) -> None:
        uscc = await registered(platform)
        rec = (await grant(platform, uscc, recognition())).json()
        r = await platform["registry"].post(
            f"/api/v1/registry/recognitions/{rec['id']}:revoke",
            json={},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 422

    async def test_foreign_province_cannot_revoke(self, platform: Platform) -> None:
        uscc = await registered(platform, "510104")
        rec = (await grant(platform, uscc, recognition())).json()
        r = await platform["registry"].post(
            f"/api/v1/registry/recognitions/{rec['id']}:revoke",
            json={"reason": "x"},
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 404


class TestTierFilter:
    async def test_list_by_tier_held_on_a_date(self, platform: Platform) -> None:
        holder, other = await registered(platform), await registered(platform)
        await grant(platform, holder, recognition(valid_from="2024-01-01"))
        await grant(
            platform,
            other,
            recognition(tier="specialized_sme", valid_from="2024-01-01"),
            role="province",
            region="420000",
        )

        async def listed(**params: str) -> list[str]:
            r = await platform["registry"].get(
                ENTERPRISES, params=params, headers=platform.auth("ministry")
            )
            return [e["uscc"] for e in r.json()["items"]]

        assert await listed(tier="little_giant") == [holder]
        assert await listed(tier="little_giant", valid_on="2023-12-31") == []
        assert await listed(tier="little_giant", valid_on="2027-01-01") == []


class TestRights:
    async def test_a_city_granting_a_key_little_giant_gets_a_problem(
        self, platform: Platform
    ) -> None:
        uscc = await registered(platform)
        r = await grant(
            platform, uscc, recognition("key_little_giant"), role="city", region="420100"
        )
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "RECOGNITION_AUTHORITY"
        assert "工业和信息化部认定" in r.json()["detail"]
        assert await events(platform, "zjtx.registry.recognition.granted") == []

    async def test_a_typed_authority_is_refused(self, platform: Platform) -> None:
        uscc = await registered(platform)
        r = await grant(
            platform,
            uscc,
            {**recognition(), "authority": "工业和信息化部"},
            role="province_system",
            region="420000",
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "authority"

    async def test_the_ministry_imports_its_published_list(self, platform: Platform) -> None:
        listed = await registered(platform)
        body = {
            "tier": "little_giant",
            "batch": "第六批",
            "document_number": "工信部企业函〔2024〕168号",
            "recognized_on": "2024-07-01",
            "valid_from": "2024-07-01",
            "enterprises": [{"uscc": listed}],
        }
        path = "/api/v1/registry/recognitions:import"
        r = await platform["registry"].post(
            path, json=body, headers=platform.auth("province", "420000")
        )
        assert r.status_code == 403
        r = await platform["registry"].post(path, json=body, headers=platform.auth("ministry"))
        assert r.status_code == 200, r.text
        assert r.json()["granted"] == 1
        [held] = (
            await platform["registry"].get(
                f"{ENTERPRISES}/{listed}/recognitions", headers=platform.auth("ministry")
            )
        ).json()
        assert held["document_number"] == "工信部企业函〔2024〕168号"
        assert held["authority"] == "工业和信息化部"
