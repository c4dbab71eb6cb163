"""Cross-cutting contracts of DESIGN.md §4, exercised through a real service."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from kit.auth import load_public_key
from kit.jwks import thumbprint
from kit.migrations import check_all
from kit.settings import Settings
from kit.testing import Platform

from tests.factories import enterprise, make_uscc

ENTERPRISES = "/api/v1/registry/enterprises"


async def audit_rows(platform: Platform, action_like: str = "%") -> list[asyncpg.Record]:
    pool = platform.apps["registry"].state.ctx.db.pool
    return list(
        await pool.fetch(
            "SELECT * FROM registry.audit_log WHERE action LIKE $1 ORDER BY id", action_like
        )
    )


async def count(platform: Platform, table: str) -> int:
    pool = platform.apps["registry"].state.ctx.db.pool
    return int(await pool.fetchval(f"SELECT count(*) FROM registry.{table}"))


class TestAuthentication:
    async def test_missing_token_is_401_problem_in_chinese_and_audited(
        self, platform: Platform
    ) -> None:
        r = await platform["registry"].get(ENTERPRISES)
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "UNAUTHENTICATED"
        assert "未认证" in r.json()["detail"]
        rows = await audit_rows(platform)
        assert rows[-1]["result"] == "denied"

    async def test_english_on_request(self, platform: Platform) -> None:
        r = await platform["registry"].get(ENTERPRISES, headers={"Accept-Language": "en-US,en"})
        assert r.json()["detail"].startswith("Not authenticated")

    async def test_token_signed_by_another_key_is_rejected(
        self, platform: Platform, settings: Settings
    ) -> None:
        foreign = ec.generate_private_key(ec.SECP256R1())
        ours = thumbprint(load_public_key(settings))  # naming our key, signed by another
        token = jwt.encode(
            {
                "sub": "x",
                "role": "ministry",
                "region": "100000",
                "iss": "zjtx",
                "aud": "zjtx",
                "exp": int(time.time()) + 60,
            },
            foreign,
            algorithm="ES256",
            headers={"kid": ours},
        )
        r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )
        assert r.status_code == 401
        # PyJWT says "Signature verification failed": ours, not the decoder's, in both languages.
        assert r.json()["detail"] == "Not authenticated: signature does not verify"

    async def test_expired_token_is_rejected(self, platform: Platform, settings: Settings) -> None:
        from kit.auth import issue_token

        token = issue_token(settings, role="ministry", region="100000", ttl_seconds=-10)
        r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}"}
        )
        assert r.status_code == 401
        assert r.json()["detail"] == "未认证或令牌无效：令牌已过期"
        assert r.headers["www-authenticate"] == (
            'Bearer realm="zjtx", error="invalid_token", error_description="token expired"'
        )
        english = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )
        assert english.json()["detail"] == "Not authenticated: token expired"

    async def test_missing_token_challenges_without_an_error_code(self, platform: Platform) -> None:
        r = await platform["registry"].get(ENTERPRISES)
        assert r.headers["www-authenticate"] == 'Bearer realm="zjtx"'

    @pytest.mark.parametrize(
        ("token", "zh"),
        [
            ("not-a-jwt", "令牌格式无效"),
            ("e30.e30.", "令牌格式无效"),
            ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "令牌格式无效"),
        ],
    )
    async def test_a_malformed_token_does_not_show_the_decoder(
        self, platform: Platform, token: str, zh: str
    ) -> None:
        r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )
        assert r.status_code == 401
        assert r.json()["detail"] == "Not authenticated: malformed token"
        assert 'error="invalid_token"' in r.headers["www-authenticate"]
        zh_r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}"}
        )
        assert zh_r.json()["detail"] == f"未认证或令牌无效：{zh}"

    async def test_role_not_allowed_is_403_and_audited(self, platform: Platform) -> None:
        r = await platform["gateway"].get(
            "/api/v1/column/overview",
            headers=platform.auth("enterprise", "420100", org=make_uscc()),
        )
        assert r.status_code == 403
        assert r.json()["code"] == "FORBIDDEN"
        assert r.json()["detail"] == "您的角色无权执行此操作"
        pool = platform.apps["gateway"].state.ctx.db.pool
        assert (
            await pool.fetchval("SELECT result FROM gateway.audit_log ORDER BY id DESC LIMIT 1")
            == "denied"
        )


class TestRegionScope:
    async def test_foreign_province_read_is_404(self, platform: Platform) -> None:
        body = enterprise("510104")
        await platform["registry"].post(ENTERPRISES, json=body, headers=platform.auth("ministry"))
        r = await platform["registry"].get(
            f"{ENTERPRISES}/{body['uscc']}", headers=platform.auth("province", "420000")
        )
        assert r.status_code == 404
        listed = await platform["registry"].get(
            ENTERPRISES, headers=platform.auth("province", "420000")
        )
        assert listed.json()["items"] == []

    async def test_foreign_province_write_changes_nothing(self, platform: Platform) -> None:
        body = enterprise("510104")
        r = await platform["registry"].post(
            ENTERPRISES, json=body, headers=platform.auth("province", "420000")
        )
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"
        await platform["registry"].post(ENTERPRISES, json=body, headers=platform.auth("ministry"))
        patched = await platform["registry"].patch(
            f"{ENTERPRISES}/{body['uscc']}",
            json={"name": "改名"},
            headers=platform.auth("province", "420000"),
        )
        assert patched.status_code == 404
        assert await count(platform, "outbox") == 1  # only the ministry's registration

    async def test_a_role_denial_is_not_called_a_region_denial(self, platform: Platform) -> None:
        body = enterprise("420102")
        institution = platform.auth(
            "institution", "420000", org="0190d1f2-7c3a-7e4b-8f00-000000000000"
        )
        r = await platform["registry"].post(ENTERPRISES, json=body, headers=institution)
        assert (r.status_code, r.json()["code"]) == (403, "FORBIDDEN")
        assert r.json()["detail"] == "您的角色无权执行此操作"
        foreign = await platform["registry"].post(
            ENTERPRISES,
            json=enterprise("510104"),
            headers=platform.auth("province", "420000", **{"Accept-Language": "en"}),
        )
        assert (foreign.status_code, foreign.json()["code"]) == (403, "REGION_OUT_OF_SCOPE")
        assert foreign.json()["detail"] == "Region 510104 is outside your jurisdiction"

    async def test_enterprise_user_sees_only_itself(self, platform: Platform) -> None:
        mine, other = enterprise("420102"), enterprise("420102")
        for body in (mine, other):
            await platform["registry"].post(
                ENTERPRISES, json=body, headers=platform.auth("ministry")
            )
        headers = platform.auth("enterprise", "420100", org=mine["uscc"])
        assert (
            await platform["registry"].get(f"{ENTERPRISES}/{mine['uscc']}", headers=headers)
        ).status_code == 200
        assert (
            await platform["registry"].get(f"{ENTERPRISES}/{other['uscc']}", headers=headers)
        ).status_code == 404
        listed = await platform["registry"].get(ENTERPRISES, headers=headers)
        assert [e["uscc"] for e in listed.json()["items"]] == [mine["uscc"]]


class TestIdempotency:
    async def test_replay_returns_the_first_response_and_writes_once(
        self, platform: Platform
    ) -> None:
        body = enterprise()
        headers = platform.auth("ministry", **{"Idempotency-Key": "k-1"})
        first = await platform["registry"].post(ENTERPRISES, json=body, headers=headers)
        second = await platform["registry"].post(ENTERPRISES, json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers["idempotent-replayed"] == "true"
        assert await count(platform, "enterprises") == 1
        assert await count(platform, "outbox") == 1

    async def test_same_key_with_another_body_is_rejected(self, platform: Platform) -> None:
        headers = platform.auth("ministry", **{"Idempotency-Key": "k-2"})
        await platform["registry"].post(ENTERPRISES, json=enterprise(), headers=headers)
        r = await platform["registry"].post(ENTERPRISES, json=enterprise(), headers=headers)
        assert r.status_code == 422
        assert r.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert await count(platform, "enterprises") == 1

    async def test_concurrent_replays_write_once(self, platform: Platform) -> None:
        body = enterprise()
        headers = platform.auth("ministry", **{"Idempotency-Key": "k-3"})
        results = await asyncio.gather(
            *[platform["registry"].post(ENTERPRISES, json=body, headers=headers) for _ in range(5)]
        )
        assert {r.status_code for r in results} == {201}
        assert await count(platform, "enterprises") == 1

    async def test_a_failed_request_does_not_consume_the_key(self, platform: Platform) -> None:
        headers = platform.auth("ministry", **{"Idempotency-Key": "k-4"})
        bad = await platform["registry"].post(
            ENTERPRISES, json=enterprise(industry_code="00"), headers=headers
        )
        assert bad.status_code == 422
        assert await count(platform, "idempotency_keys") == 0


class TestAudit:
    async def test_every_write_is_audited_with_its_subject(self, platform: Platform) -> None:
        await platform["registry"].post(
            ENTERPRISES, json=enterprise(), headers=platform.auth("province", "420000")
        )
        row = (await audit_rows(platform, "POST%"))[-1]
        assert (row["result"], row["role"], row["region"]) == ("success", "province", "420000")
        assert row["request_id"]

    async def test_rejected_write_is_audited(self, platform: Platform) -> None:
        await platform["registry"].post(
            ENTERPRISES, json=enterprise(industry_code="00"), headers=platform.auth("ministry")
        )
        row = (await audit_rows(platform, "POST%"))[-1]
        assert (row["result"], row["detail"]) == ("rejected", {"code": "VALIDATION_FAILED"})

    async def test_write_outside_the_region_is_audited_as_denied(self, platform: Platform) -> None:
        await platform["registry"].post(
            ENTERPRISES, json=enterprise("510104"), headers=platform.auth("province", "420000")
        )
        row = (await audit_rows(platform, "POST%"))[-1]
        assert (row["result"], row["detail"]) == ("denied", {"code": "REGION_OUT_OF_SCOPE"})

    async def test_audit_log_is_append_only(self, platform: Platform) -> None:
        await platform["registry"].post(
            ENTERPRISES, json=enterprise(), headers=platform.auth("ministry")
        )
        pool = platform.apps["registry"].state.ctx.db.pool
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await pool.execute("UPDATE registry.audit_log SET result = 'forged'")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await pool.execute("DELETE FROM registry.audit_log")

    @pytest.mark.parametrize("schema", ["registry", "gateway", "training"])
    async def test_truncate_cannot_empty_the_audit_log(
        self, platform: Platform, schema: str
    ) -> None:
        await platform["registry"].get(ENTERPRISES)  # a denied read: one row at least
        pool = platform.apps["registry"].state.ctx.db.pool
        await pool.execute(
            f"INSERT INTO {schema}.audit_log (action, result) VALUES ('probe', 'success')"
        )
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await pool.execute(f"TRUNCATE {schema}.audit_log")
        assert await pool.fetchval(f"SELECT count(*) FROM {schema}.audit_log") >= 1

    async def test_a_refused_read_of_a_foreign_record_is_audited(self, platform: Platform) -> None:
        body = enterprise("510104")
        await platform["registry"].post(ENTERPRISES, json=body, headers=platform.auth("ministry"))
        r = await platform["registry"].get(
            f"{ENTERPRISES}/{body['uscc']}", headers=platform.auth("province", "420000")
        )
        assert r.status_code == 404
        row = (await audit_rows(platform, "GET%"))[-1]
        assert (row["action"], row["resource"]) == (
            f"GET {ENTERPRISES}/{{uscc}}",
            f"{ENTERPRISES}/{body['uscc']}",
        )
        assert (row["subject"], row["region"]) == ("province:420000", "420000")
        assert (row["result"], row["detail"]) == ("not_found", {"code": "ENTERPRISE_NOT_FOUND"})

    async def test_the_request_id_is_the_servers_and_the_clients_is_kept_beside_it(
        self, platform: Platform
    ) -> None:
        r = await platform["registry"].post(
            ENTERPRISES,
            json=enterprise(),
            headers={**platform.auth("ministry"), "X-Request-ID": "probe-1"},
        )
        assert r.status_code == 201
        row = (await audit_rows(platform, "POST%"))[-1]
        assert row["request_id"] == r.headers["x-request-id"] != "probe-1"
        assert row["client_request_id"] == "probe-1"

    @pytest.mark.parametrize(
        ("sent", "kept"),
        [
            (b"\xff\xfeab\x7fc\xe4\xb8\xad", "abc"),  # not UTF-8, a DEL, a CJK character
            (b"x" * 100, "x" * 64),
            (b"\xff\xff", None),
        ],
    )
    async def test_a_client_request_id_is_sanitised(
        self, platform: Platform, sent: bytes, kept: str | None
    ) -> None:
        r = await platform["registry"].post(
            ENTERPRISES,
            json=enterprise(),
            headers=[
                *platform.auth("ministry").items(),
                ("X-Request-ID", sent),  # type: ignore[list-item]
            ],
        )
        assert r.status_code == 201, r.text
        row = (await audit_rows(platform, "POST%"))[-1]
        assert row["client_request_id"] == kept
        assert len(r.headers["x-request-id"]) == 32


class TestPagination:
    async def test_cursor_walks_every_item_once(self, platform: Platform) -> None:
        created = set()
        for _ in range(7):
            body = enterprise()
            created.add(body["uscc"])
            await platform["registry"].post(
                ENTERPRISES, json=body, headers=platform.auth("ministry")
            )
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
            page = (
                await platform["registry"].get(
                    ENTERPRISES, params=params, headers=platform.auth("ministry")
                )
            ).json()
            seen += [e["uscc"] for e in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == sorted(created)

    async def test_bad_cursor_is_400(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            ENTERPRISES, params={"cursor": "garbage!"}, headers=platform.auth("ministry")
        )
        assert r.status_code == 400
        assert r.json()["code"] == "CURSOR_INVALID"


class TestOperations:
    async def test_health_ready_and_metrics(self, platform: Platform) -> None:
        assert (await platform["registry"].get("/healthz")).json()["status"] == "ok"
        ready = (await platform["registry"].get("/readyz")).json()
        assert ready["database"] == "up"
        assert ready["outbox_backlog"] == 0
        metrics = await platform["registry"].get("/metrics")
        assert "zjtx_http_requests_total" in metrics.text

    async def test_every_route_is_documented(self, platform: Platform) -> None:
        documented = {}
        for name, app in platform.apps.items():
            documented[name] = (await platform[name].get("/openapi.json")).json()["paths"]
            served = {
                route.path for route in app.routes if getattr(route, "include_in_schema", False)
            }
            assert served and set(documented[name]) == served
        registry = documented["registry"]
        assert {ENTERPRISES, "/healthz"} <= set(registry)
        read = registry[ENTERPRISES + "/{uscc}"]["get"]
        assert read["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/EnterpriseRead"
        }

    async def test_requests_are_counted_by_route_template_and_status(
        self, platform: Platform
    ) -> None:
        def served(text: str, route: str, status: int) -> float:
            line = (
                f'zjtx_http_requests_total{{method="GET",route="{route}",'
                f'service="registry",status="{status}"}} '
            )
            found = [float(x.split(" ")[-1]) for x in text.splitlines() if x.startswith(line)]
            return found[0] if found else 0.0

        client = platform["registry"]
        before = (await client.get("/metrics")).text
        for _ in range(3):
            r = await client.get(
                f"{ENTERPRISES}/91420100MA4K0000X1",
                headers={**platform.auth("ministry"), "X-Request-ID": "probe-1"},
            )
            assert r.status_code == 404
            assert len(r.headers["x-request-id"]) == 32  # the server's own, never "probe-1"
        missing = await client.get("/api/v1/registry/nowhere", headers=platform.auth("ministry"))
        assert missing.json()["code"] == "ROUTE_NOT_FOUND"
        assert len(missing.headers["x-request-id"]) == 32
        after = (await client.get("/metrics")).text
        route = ENTERPRISES + "/{uscc}"
        assert served(after, route, 404) - served(before, route, 404) == 3
        assert served(after, "unmatched", 404) - served(before, "unmatched", 404) == 1

    async def test_models_and_migrations_agree(self, database_url: str) -> None:
        await asyncio.to_thread(check_all, database_url)
