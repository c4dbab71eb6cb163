"""OAuth 2.0 client credentials (RFC 6749 §4.4): a registered system trades its id and secret
for a short-lived province_system token of its unit; wrong secrets are refused, counted,
audited and, repeated, slowed down; the answers are OAuth's (§5.2), not problem+json."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
import pytest
from kit.auth import load_public_key
from kit.jwks import thumbprint
from kit.settings import Settings
from kit.testing import Platform

from tests.factories import enterprise
from tests.fixtures.auth import (
    GRANT,
    TOKEN,
    access_token,
    ask_token,
    basic,
    bearer,
    gateway_pool,
    kid_of,
    register_client,
    token_audit,
)
from tests.fixtures.training import API as TRAINING
from tests.fixtures.training import plan

pytestmark = pytest.mark.services("registry", "training", "gateway")

ENTERPRISES = "/api/v1/registry/enterprises"


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


async def client_row(platform: Platform, client_id: str) -> dict[str, Any]:
    row = await gateway_pool(platform).fetchrow(
        "SELECT failed_attempts, blocked_until, last_token_at FROM gateway.oauth_clients"
        " WHERE id = $1",
        uuid.UUID(client_id),
    )
    assert row is not None
    return dict(row)


class TestIssue:
    @pytest.mark.parametrize("by", ["basic", "form"])
    async def test_a_token_of_the_systems_unit(
        self, platform: Platform, settings: Settings, by: str
    ) -> None:
        client_id, secret = await register_client(platform, "3302")
        r = await ask_token(platform, client_id, secret, by=by)
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["token_type"], body["expires_in"]) == ("Bearer", 900)
        assert r.headers["cache-control"] == "no-store"
        token = claims(body["access_token"])
        assert (token["role"], token["region"]) == ("province_system", "330200")
        assert token["sub"] == f"client:{client_id}"
        assert token["exp"] - token["iat"] == 900
        # Signed by the gateway's keyring, not by the local key zjtx token uses.
        assert kid_of(body["access_token"]) != thumbprint(load_public_key(settings))
        assert (await client_row(platform, client_id))["last_token_at"] is not None
        [row] = await token_audit(platform)
        assert (row["subject"], row["role"], row["region"], row["result"]) == (
            f"client:{client_id}",
            "province_system",
            "330200",
            "success",
        )

    async def test_the_token_reads_its_units_data_and_no_other(self, platform: Platform) -> None:
        ningbo_plan = await plan(platform, "2026", "3302")
        zhejiang_plan = await plan(platform, "2026", "33")
        for region in ("330203", "330102"):  # 宁波, 杭州
            r = await platform["registry"].post(
                ENTERPRISES, json=enterprise(region), headers=platform.auth("ministry")
            )
            assert r.status_code == 201, r.text
        token = await access_token(platform, *await register_client(platform, "3302"))

        r = await platform["training"].get(f"{TRAINING}/plans", headers=bearer(token))
        assert r.status_code == 200, r.text
        assert [p["id"] for p in r.json()["items"]] == [ningbo_plan["id"]]
        r = await platform["training"].get(
            f"{TRAINING}/plans/{zhejiang_plan['id']}", headers=bearer(token)
        )
        assert r.status_code == 404
        r = await platform["registry"].get(ENTERPRISES, headers=bearer(token))
        assert r.status_code == 200, r.text
        assert [e["region_code"] for e in r.json()["items"]] == ["330203"]


class TestRequestErrors:
    @pytest.mark.parametrize(
        ("form", "error"),
        [
            pytest.param({}, "invalid_request", id="no-grant-type"),
            pytest.param({"grant_type": "password"}, "unsupported_grant_type", id="password"),
            pytest.param({**GRANT, "scope": "pii:read"}, "invalid_scope", id="scope"),
        ],
    )
    async def test_a_malformed_request_is_400(
        self, platform: Platform, form: dict[str, str], error: str
    ) -> None:
        client_id, secret = await register_client(platform)
        r = await platform["gateway"].post(TOKEN, data=form, headers=basic(client_id, secret))
        assert r.status_code == 400
        assert r.headers["content-type"] == "application/json"
        assert r.headers["cache-control"] == "no-store"
        body = r.json()
        assert body["error"] == error
        assert body["error_description"].isascii()  # RFC 6749 §5.2
        assert body["detail"] and not body["detail"].isascii()  # Chinese by default

    async def test_the_body_must_be_a_form(self, platform: Platform) -> None:
        client_id, secret = await register_client(platform)
        r = await platform["gateway"].post(
            TOKEN,
            json={**GRANT, "client_id": client_id, "client_secret": secret},
            headers={"Accept-Language": "en"},
        )
        assert (r.status_code, r.json()["error"]) == (400, "invalid_request")
        assert "x-www-form-urlencoded" in r.json()["detail"]

    async def test_a_repeated_parameter_is_refused(self, platform: Platform) -> None:
        client_id, secret = await register_client(platform)
        r = await platform["gateway"].post(
            TOKEN,
            content="grant_type=client_credentials&grant_type=client_credentials",
            headers={
                **basic(client_id, secret),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert (r.status_code, r.json()["error"]) == (400, "invalid_request")

    async def test_one_way_of_client_authentication_only(self, platform: Platform) -> None:
        client_id, secret = await register_client(platform)
        r = await platform["gateway"].post(
            TOKEN,
            data={**GRANT, "client_id": client_id, "client_secret": secret},
            headers=basic(client_id, secret),
        )
        assert (r.status_code, r.json()["error"]) == (400, "invalid_request")

    @pytest.mark.parametrize(
        "headers",
        [
            pytest.param({}, id="none"),
            pytest.param({"Authorization": "Basic bm90LWEtcGFpcg=="}, id="basic-without-colon"),
            pytest.param({"Authorization": "Basic %%%"}, id="basic-not-base64"),
            pytest.param({"Authorization": "Bearer x.y.z"}, id="bearer"),
        ],
    )
    async def test_no_credentials_is_invalid_client(
        self, platform: Platform, headers: dict[str, str]
    ) -> None:
        r = await platform["gateway"].post(TOKEN, data=GRANT, headers=headers)
        assert (r.status_code, r.json()["error"]) == (401, "invalid_client")
        assert r.headers["www-authenticate"] == 'Basic realm="zjtx"'
        [row] = await token_audit(platform)
        assert (row["subject"], row["result"]) == (None, "denied")


class TestWrongSecret:
    @pytest.mark.parametrize("by", ["basic", "form"])
    async def test_refused_counted_and_audited_never_the_secret(
        self, platform: Platform, by: str
    ) -> None:
        client_id, secret = await register_client(platform)
        wrong = secret[:-4] + "AAAA" if not secret.endswith("AAAA") else secret[:-4] + "BBBB"
        r = await ask_token(platform, client_id, wrong, by=by)
        assert r.status_code == 401
        assert r.json()["error"] == "invalid_client"
        assert r.headers["www-authenticate"] == 'Basic realm="zjtx"'
        assert r.headers["cache-control"] == "no-store"
        assert (await client_row(platform, client_id))["failed_attempts"] == 1
        [row] = await token_audit(platform)
        assert (row["subject"], row["result"]) == (f"client:{client_id}", "denied")
        assert row["detail"] == {"reason": "wrong secret", "failures": 1}
        everything = await gateway_pool(platform).fetchval(
            "SELECT string_agg(t::text, ' ') FROM gateway.audit_log t"
        )
        assert wrong not in everything and secret not in everything

    async def test_an_unknown_client_is_refused_alike(self, platform: Platform) -> None:
        unknown = str(uuid.uuid4())
        r = await ask_token(platform, unknown, "whatever")
        assert (r.status_code, r.json()["error"]) == (401, "invalid_client")
        [row] = await token_audit(platform)
        assert row["detail"] == {"reason": "unknown client", "client_id": unknown}

    async def test_a_success_forgets_the_failures(self, platform: Platform) -> None:
        client_id, secret = await register_client(platform)
        for _ in range(2):
            assert (await ask_token(platform, client_id, "wrong")).status_code == 401
        assert (await ask_token(platform, client_id, secret)).status_code == 200
        assert (await client_row(platform, client_id))["failed_attempts"] == 0


class TestThrottling:
    """Five wrong secrets in a row (the default) make the client wait 30 s, doubled by each
    further failure up to 15 min; time is made fast by moving the wait into the past."""

    async def fail(self, platform: Platform, client_id: str, times: int) -> None:
        for _ in range(times):
            r = await ask_token(platform, client_id, "wrong")
            assert r.status_code == 401, r.text

    async def wait_out(self, platform: Platform, client_id: str) -> None:
        await gateway_pool(platform).execute(
            "UPDATE gateway.oauth_clients SET blocked_until = now() - interval '1 second'"
            " WHERE id = $1",
            uuid.UUID(client_id),
        )

    async def test_after_five_failures_429_without_checking_the_secret(
        self, platform: Platform
    ) -> None:
        client_id, secret = await register_client(platform)
        await self.fail(platform, client_id, 5)
        r = await ask_token(platform, client_id, secret)  # the right secret, unchecked
        assert r.status_code == 429
        assert r.json()["error"] == "slow_down"
        assert 29 <= int(r.headers["retry-after"]) <= 30
        assert r.headers["cache-control"] == "no-store"
        assert (await token_audit(platform))[-1]["detail"] == {"reason": "throttled"}
        assert (await client_row(platform, client_id))["failed_attempts"] == 5  # not counted

    async def test_each_further_failure_doubles_the_wait_up_to_the_cap(
        self, platform: Platform
    ) -> None:
        client_id, secret = await register_client(platform)
        await self.fail(platform, client_id, 5)
        waits = []
        for _ in range(6):
            await self.wait_out(platform, client_id)
            await self.fail(platform, client_id, 1)
            r = await ask_token(platform, client_id, secret)
            assert r.status_code == 429
            waits.append(int(r.headers["retry-after"]))
        assert [round(w / 30) * 30 for w in waits] == [60, 120, 240, 480, 900, 900]
        await self.wait_out(platform, client_id)
        assert (await ask_token(platform, client_id, secret)).status_code == 200

    async def test_a_quiet_spell_forgets_the_count(self, platform: Platform) -> None:
        client_id, secret = await register_client(platform)
        await self.fail(platform, client_id, 4)
        await gateway_pool(platform).execute(
            "UPDATE gateway.oauth_clients SET last_failure_at = now() - interval '16 minutes'"
            " WHERE id = $1",
            uuid.UUID(client_id),
        )
        await self.fail(platform, client_id, 1)
        assert (await client_row(platform, client_id))["failed_attempts"] == 1
        assert (await ask_token(platform, client_id, secret)).status_code == 200

    async def test_one_clients_failures_do_not_slow_another(self, platform: Platform) -> None:
        attacked, _ = await register_client(platform)
        other = await register_client(platform, "33", "浙江省平台")
        await self.fail(platform, attacked, 5)
        assert (await ask_token(platform, *other)).status_code == 200
