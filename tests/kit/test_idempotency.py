"""Idempotency keys: replays hold no plaintext PII, show it only to the same grants, are
audited like the read they repeat, and expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
from kit.testing import Platform

CONTACTS = "/api/v1/registry/contacts"
MOBILE, EMAIL, NAME = "13812345678", "wangwb@example.gov.cn", "王文彬"
PII_READ = ("pii:read",)


def contact(mobile: str = MOBILE) -> dict[str, Any]:
    return {
        "province": "42",
        "organisation": "湖北省经济和信息化厅",
        "task": "training",
        "name": NAME,
        "title": "处长",
        "mobile": mobile,
        "email": EMAIL,
    }


def pool(platform: Platform) -> asyncpg.Pool:
    return platform.apps["registry"].state.ctx.db.pool


async def post(
    platform: Platform, key: str, scopes: tuple[str, ...] = PII_READ, mobile: str = MOBILE
) -> Any:
    return await platform["registry"].post(
        CONTACTS,
        json=contact(mobile),
        headers=platform.auth("province", "420000", scopes=scopes, **{"Idempotency-Key": key}),
    )


async def pii_reads(platform: Platform) -> list[asyncpg.Record]:
    return list(
        await pool(platform).fetch(
            "SELECT * FROM registry.audit_log WHERE action = 'pii.read' ORDER BY id"
        )
    )


class TestStoredResponse:
    async def test_holds_no_plaintext(self, platform: Platform) -> None:
        first = await post(platform, "c-1")
        assert first.status_code == 201 and first.json()["mobile"] == MOBILE
        row = await pool(platform).fetchrow("SELECT * FROM registry.idempotency_keys")
        stored = bytes(row["response_body"])
        for plaintext in (MOBILE, EMAIL, NAME, "5678", first.json()["id"]):
            assert plaintext.encode() not in stored

    async def test_replays_to_the_same_grants(self, platform: Platform) -> None:
        first = await post(platform, "c-2")
        again = await post(platform, "c-2")
        assert again.status_code == 201
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()


class TestOtherGrants:
    async def test_a_token_without_pii_read_cannot_replay_an_unmasked_response(
        self, platform: Platform
    ) -> None:
        assert (await post(platform, "c-3")).status_code == 201
        replay = await post(platform, "c-3", scopes=())
        assert (replay.status_code, replay.json()["code"]) == (422, "IDEMPOTENCY_KEY_OTHER_GRANTS")
        assert MOBILE not in replay.text and EMAIL not in replay.text
        assert "idempotent-replayed" not in replay.headers

    async def test_a_masked_response_is_not_replayed_to_pii_read_either(
        self, platform: Platform
    ) -> None:
        assert (await post(platform, "c-4", scopes=())).status_code == 201
        replay = await post(platform, "c-4")
        assert replay.json()["code"] == "IDEMPOTENCY_KEY_OTHER_GRANTS"


class TestAudit:
    async def test_an_unmasked_replay_is_audited_as_a_pii_read(self, platform: Platform) -> None:
        first = await post(platform, "c-5")
        [read] = await pii_reads(platform)
        await post(platform, "c-5")
        original, replayed = await pii_reads(platform)
        assert original["id"] == read["id"]
        assert replayed["resource"] == f"contact/{first.json()['id']}"
        assert replayed["detail"] == {**read["detail"], "replayed": True}
        assert replayed["request_id"] != original["request_id"]

    async def test_a_replay_is_audited(self, platform: Platform) -> None:
        await post(platform, "c-6", scopes=())
        await post(platform, "c-6", scopes=())
        results = await pool(platform).fetch(
            "SELECT result FROM registry.audit_log WHERE action = $1 ORDER BY id",
            f"POST {CONTACTS}",
        )
        assert [r["result"] for r in results] == ["success", "replayed"]


class TestExpiry:
    async def test_a_key_lives_for_the_configured_ttl(self, platform: Platform) -> None:
        await post(platform, "c-7")
        lived = await pool(platform).fetchval(
            "SELECT expires_at - created_at FROM registry.idempotency_keys"
        )
        assert lived == timedelta(hours=platform.settings.idempotency_ttl_hours)

    async def test_an_expired_key_is_not_replayed(self, platform: Platform) -> None:
        await post(platform, "c-8")
        await pool(platform).execute(
            "UPDATE registry.idempotency_keys SET expires_at = now() - interval '1 second'"
        )
        # Within its lifetime another body with this key is refused; expired, it is a new key.
        other = await post(platform, "c-8", mobile="13912345678")
        assert other.status_code == 201, other.text
        assert "idempotent-replayed" not in other.headers
        assert other.json()["mobile"] == "13912345678"
        row = await pool(platform).fetchrow("SELECT * FROM registry.idempotency_keys")
        assert row["expires_at"] > row["created_at"]

    async def test_expired_keys_are_purged_when_keys_are_added(self, platform: Platform) -> None:
        await pool(platform).execute(
            "INSERT INTO registry.idempotency_keys "
            "(principal, key, request_hash, grants_hash, expires_at) "
            "SELECT 'someone', 'old-' || n, '', '', now() - interval '1 hour' "
            "FROM generate_series(1, 3) n"
        )
        await post(platform, "c-9")
        keys = await pool(platform).fetch("SELECT key FROM registry.idempotency_keys")
        assert [k["key"] for k in keys] == ["c-9"]
