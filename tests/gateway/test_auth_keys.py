"""Signing keys by kid: the gateway publishes them (RFC 7517), every service verifies by the
token's kid, and a rotation never refuses a valid token."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from kit.auth import load_public_key
from kit.jwks import key_from_jwk, thumbprint
from kit.settings import Settings
from kit.testing import Platform

from tests.fixtures.auth import (
    AUTH,
    JWKS,
    access_token,
    bearer,
    gateway_pool,
    kid_of,
    register_client,
)
from tests.fixtures.training import API as TRAINING

pytestmark = pytest.mark.services("registry", "training", "gateway")

ROTATE = f"{AUTH}/keys:rotate"
ENTERPRISES = "/api/v1/registry/enterprises"


async def published(platform: Platform) -> list[str]:
    r = await platform["gateway"].get(JWKS)
    assert r.status_code == 200, r.text
    return [k["kid"] for k in r.json()["keys"]]


def jwks_served() -> float:
    """How often the gateway served its JWK Set in this process (kit.metrics)."""
    from prometheus_client import REGISTRY

    value = REGISTRY.get_sample_value(
        "zjtx_http_requests_total",
        {"service": "gateway", "method": "GET", "route": JWKS, "status": "200"},
    )
    return value or 0.0


class TestJwks:
    async def test_every_key_is_an_es256_jwk_named_by_its_thumbprint(
        self, platform: Platform, settings: Settings
    ) -> None:
        await access_token(platform, *await register_client(platform))  # makes the keyring
        r = await platform["gateway"].get(JWKS)  # no token: public
        assert r.status_code == 200
        keys = r.json()["keys"]
        assert len(keys) == 3  # the local key, the active one and the next one
        for jwk in keys:
            assert set(jwk) == {"kty", "crv", "x", "y", "kid", "use", "alg"}
            assert (jwk["kty"], jwk["crv"], jwk["use"], jwk["alg"]) == (
                "EC",
                "P-256",
                "sig",
                "ES256",
            )
            assert jwk["kid"] == thumbprint(key_from_jwk(jwk))
        assert keys[0]["kid"] == thumbprint(load_public_key(settings))

    async def test_private_keys_are_encrypted_at_rest(self, platform: Platform) -> None:
        await access_token(platform, *await register_client(platform))
        rows = await gateway_pool(platform).fetch(
            "SELECT kid, private_key FROM gateway.signing_keys"
        )
        assert len(rows) == 2
        for row in rows:
            assert row["private_key"].startswith(b"v1")  # kit.pii's ciphertext layout
            assert b"PRIVATE KEY" not in row["private_key"]


class TestRotation:
    async def test_only_the_ministry_rotates(self, platform: Platform) -> None:
        r = await platform["gateway"].post(ROTATE, headers=platform.auth("province", "330200"))
        assert r.status_code == 403

    async def test_old_tokens_stay_valid_and_new_ones_carry_the_new_kid(
        self, platform: Platform
    ) -> None:
        client = await register_client(platform, "3302")
        old = await access_token(platform, *client)
        r = await platform["registry"].get(ENTERPRISES, headers=bearer(old))
        assert r.status_code == 200, r.text  # the registry learnt the keyring's keys

        r = await platform["gateway"].post(ROTATE, headers=platform.auth("ministry"))
        assert r.status_code == 200, r.text
        rotation = r.json()
        assert rotation["retired_kid"] == kid_of(old)
        until = datetime.fromisoformat(rotation["retired_verifies_until"])
        expected = datetime.now(until.tzinfo) + timedelta(minutes=16)
        assert abs((until - expected).total_seconds()) < 60
        assert {rotation["retired_kid"], rotation["kid"], rotation["next_kid"]} <= set(
            await published(platform)
        )

        new = await access_token(platform, *client)
        assert kid_of(new) == rotation["kid"] != kid_of(old)
        fetched = jwks_served()
        for token in (old, new):  # another service: both verify, without refetching
            r = await platform["training"].get(f"{TRAINING}/plans", headers=bearer(token))
            assert r.status_code == 200, r.text
            r = await platform["registry"].get(ENTERPRISES, headers=bearer(token))
            assert r.status_code == 200, r.text
        assert jwks_served() - fetched <= 1  # training's first fetch; the next kid was known

    async def test_a_retired_key_leaves_the_set_once_its_tokens_have_expired(
        self, platform: Platform
    ) -> None:
        old = await access_token(platform, *await register_client(platform))
        await platform["gateway"].post(ROTATE, headers=platform.auth("ministry"))
        assert kid_of(old) in await published(platform)
        await gateway_pool(platform).execute(  # time made fast: the lifetime has passed
            "UPDATE gateway.signing_keys SET verify_until = now() - interval '1 second'"
            " WHERE state = 'retired'"
        )
        assert kid_of(old) not in await published(platform)
        await platform["gateway"].post(ROTATE, headers=platform.auth("ministry"))
        kids = await gateway_pool(platform).fetch("SELECT kid FROM gateway.signing_keys")
        assert kid_of(old) not in {row["kid"] for row in kids}  # and its private key is gone

    async def test_back_to_back_rotations_keep_one_active_and_one_next_key(
        self, platform: Platform
    ) -> None:
        for _ in range(3):
            r = await platform["gateway"].post(ROTATE, headers=platform.auth("ministry"))
            assert r.status_code == 200, r.text
        states = await gateway_pool(platform).fetch(
            "SELECT state, count(*) FROM gateway.signing_keys GROUP BY state ORDER BY state"
        )
        assert [(s["state"], s["count"]) for s in states] == [
            ("active", 1),
            ("next", 1),
            ("retired", 2),
        ]


def signed(key: ec.EllipticCurvePrivateKey, **header: str) -> str:
    now = int(time.time())
    body = {
        "iss": "zjtx",
        "aud": "zjtx",
        "sub": "x",
        "role": "ministry",
        "region": "100000",
        "iat": now,
        "exp": now + 60,
    }
    return jwt.encode(body, key, algorithm="ES256", headers=header or None)


class TestVerificationByKid:
    async def test_an_unknown_kid_is_401_after_one_refetch(self, platform: Platform) -> None:
        stranger = ec.generate_private_key(ec.SECP256R1())
        token = signed(stranger, kid=thumbprint(stranger.public_key()))
        fetched = jwks_served()
        for _ in range(3):
            r = await platform["registry"].get(
                ENTERPRISES, headers={**bearer(token), "Accept-Language": "en"}
            )
            assert r.status_code == 401
            assert r.json()["detail"] == "Not authenticated: token signed by an unknown key"
        assert jwks_served() - fetched == 1  # refetched once, not per request

    async def test_a_token_without_kid_is_401(self, platform: Platform, settings: Settings) -> None:
        from kit.auth import load_private_key

        token = signed(load_private_key(settings))  # the local key itself, but unnamed
        r = await platform["registry"].get(
            ENTERPRISES, headers={**bearer(token), "Accept-Language": "en"}
        )
        assert r.status_code == 401
        assert r.json()["detail"] == "Not authenticated: token names no signing key (kid)"

    async def test_the_local_key_verifies_without_the_gateway(self, platform: Platform) -> None:
        fetched = jwks_served()
        r = await platform["registry"].get(ENTERPRISES, headers=platform.auth("ministry"))
        assert r.status_code == 200
        assert jwks_served() == fetched
