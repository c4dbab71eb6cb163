"""Provincial systems are registered by the ministry alone; the secret is shown once and kept
as a hash; a revoked system gets no more tokens."""

from __future__ import annotations

import uuid

import pytest
from gateway.auth.credentials import verify_secret
from kit.testing import Platform

from tests.fixtures.auth import CLIENTS, ask_token, gateway_pool, register_client

pytestmark = pytest.mark.services("gateway")

OTHERS = [
    pytest.param(("province", "330200"), id="province"),
    pytest.param(("province_system", "330200"), id="province-system"),
    pytest.param(("city", "420100"), id="city"),
    pytest.param(("auditor", "100000"), id="auditor"),
]


class TestRegistration:
    async def test_the_secret_is_shown_once_and_kept_hashed(self, platform: Platform) -> None:
        r = await platform["gateway"].post(
            CLIENTS,
            json={"unit": "3302", "name": "宁波市专精特新服务平台"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 201, r.text
        created = r.json()
        client_id, secret = created["client_id"], created["client_secret"]
        assert (created["unit"], created["revoked_at"]) == ("3302", None)
        assert len(secret) >= 43  # 256 random bits
        assert r.headers["location"] == f"{CLIENTS}/{client_id}"
        assert r.headers["cache-control"] == "no-store"

        listed = await platform["gateway"].get(CLIENTS, headers=platform.auth("ministry"))
        assert [c["client_id"] for c in listed.json()["items"]] == [client_id]
        assert "client_secret" not in listed.json()["items"][0]
        assert secret not in listed.text

        stored = await gateway_pool(platform).fetchval(
            "SELECT secret_hash FROM gateway.oauth_clients WHERE id = $1", uuid.UUID(client_id)
        )
        assert stored.startswith("scrypt$") and secret not in stored
        assert verify_secret(secret, stored) and not verify_secret(secret + "x", stored)

    async def test_each_secret_has_its_own_salt(self, platform: Platform) -> None:
        await register_client(platform)
        await register_client(platform)
        salts = await gateway_pool(platform).fetch(
            "SELECT split_part(secret_hash, '$', 5) AS salt FROM gateway.oauth_clients"
        )
        assert len({row["salt"] for row in salts}) == 2

    async def test_the_registration_is_audited_without_the_secret(self, platform: Platform) -> None:
        _, secret = await register_client(platform)
        rows = await gateway_pool(platform).fetch(
            "SELECT subject, result, detail::text AS detail FROM gateway.audit_log"
            " WHERE action = 'POST /api/v1/auth/clients'"
        )
        assert [(r["subject"], r["result"]) for r in rows] == [("ministry:100000", "success")]
        dump = await gateway_pool(platform).fetchval(
            "SELECT string_agg(t::text, ' ') FROM gateway.audit_log t"
        )
        assert secret not in dump

    @pytest.mark.parametrize("caller", OTHERS)
    async def test_only_the_ministry_registers_lists_and_revokes(
        self, platform: Platform, caller: tuple[str, str]
    ) -> None:
        client_id, _ = await register_client(platform)
        headers = platform.auth(*caller)
        gateway = platform["gateway"]
        posted = await gateway.post(CLIENTS, json={"unit": "33", "name": "x"}, headers=headers)
        listed = await gateway.get(CLIENTS, headers=headers)
        revoked = await gateway.delete(f"{CLIENTS}/{client_id}", headers=headers)
        assert [posted.status_code, listed.status_code, revoked.status_code] == [403, 403, 403]
        assert posted.json()["code"] == "FORBIDDEN"

    @pytest.mark.parametrize("unit", ["330000", "99", "3301", ""])
    async def test_the_unit_is_a_filing_unit(self, platform: Platform, unit: str) -> None:
        r = await platform["gateway"].post(
            CLIENTS, json={"unit": unit, "name": "x"}, headers=platform.auth("ministry")
        )
        assert r.status_code == 422, r.text


class TestRevocation:
    async def test_a_revoked_client_is_listed_only_on_request_and_gets_no_token(
        self, platform: Platform
    ) -> None:
        client_id, secret = await register_client(platform)
        assert (await ask_token(platform, client_id, secret)).status_code == 200
        r = await platform["gateway"].delete(
            f"{CLIENTS}/{client_id}", headers=platform.auth("ministry")
        )
        assert r.status_code == 204

        listed = await platform["gateway"].get(CLIENTS, headers=platform.auth("ministry"))
        assert listed.json()["items"] == []
        listed = await platform["gateway"].get(
            CLIENTS, params={"include_revoked": "true"}, headers=platform.auth("ministry")
        )
        [row] = listed.json()["items"]
        assert row["revoked_at"] is not None and row["last_token_at"] is not None

        refused = await ask_token(platform, client_id, secret)
        assert refused.status_code == 401
        assert refused.json()["error"] == "invalid_client"

    async def test_an_unknown_client_is_404(self, platform: Platform) -> None:
        r = await platform["gateway"].delete(
            f"{CLIENTS}/{uuid.uuid4()}", headers=platform.auth("ministry")
        )
        assert (r.status_code, r.json()["code"]) == (404, "CLIENT_NOT_FOUND")

    async def test_clients_are_listed_by_unit(self, platform: Platform) -> None:
        ningbo, _ = await register_client(platform, "3302")
        await register_client(platform, "33", "浙江省平台")
        r = await platform["gateway"].get(
            CLIENTS, params={"unit": "3302"}, headers=platform.auth("ministry")
        )
        assert [c["client_id"] for c in r.json()["items"]] == [ningbo]
