"""kit.jwks: keys named by their RFC 7638 thumbprint, JWK Set entries checked before they are
trusted, and a gateway's set fetched over real HTTP: kept, refetched sparingly, pruned."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
from typing import Any

import asyncpg
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from kit.auth import issue_token
from kit.jwks import JWKS_PATH, RemoteKeys, key_from_jwk, key_set, public_jwk
from kit.settings import Settings

from tests.servers import service_app, serving


def p256() -> ec.EllipticCurvePublicKey:
    return ec.generate_private_key(ec.SECP256R1()).public_key()


class TestThumbprint:
    def test_it_is_the_sha256_of_the_required_members_in_order(self) -> None:
        jwk = public_jwk(p256())
        canonical = '{"crv":"P-256","kty":"EC","x":"' + jwk["x"] + '","y":"' + jwk["y"] + '"}'
        digest = hashlib.sha256(canonical.encode()).digest()
        assert jwk["kid"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def test_a_key_round_trips_through_its_jwk(self) -> None:
        key = p256()
        assert key_from_jwk(public_jwk(key)).public_numbers() == key.public_numbers()


def variant(**changes: Any) -> dict[str, Any]:
    return {**public_jwk(p256()), **changes}


class TestUntrustedEntries:
    @pytest.mark.parametrize(
        "jwk",
        [
            pytest.param(variant(kid="someone-else"), id="kid-not-its-thumbprint"),
            pytest.param(variant(alg="RS256"), id="another-algorithm"),
            pytest.param(variant(use="enc"), id="an-encryption-key"),
            pytest.param(variant(crv="P-384"), id="another-curve"),
            pytest.param(variant(x="AAAA"), id="short-coordinate"),
            pytest.param(variant(y=public_jwk(p256())["y"]), id="a-point-off-the-curve"),
        ],
    )
    def test_refused(self, jwk: dict[str, Any]) -> None:
        with pytest.raises(ValueError):
            key_from_jwk(jwk)

    def test_a_set_keeps_only_the_usable_entries(self) -> None:
        good = public_jwk(p256())
        keys = key_set({"keys": [good, variant(kid="x"), "junk", {"kty": "RSA"}]})
        assert list(keys) == [good["kid"]]

    def test_a_document_that_is_no_set_is_refused(self) -> None:
        with pytest.raises(ValueError):
            key_set(json.loads('{"keys": {}}'))


async def rotate(base_url: str, settings: Settings) -> dict[str, Any]:
    token = issue_token(settings, role="ministry", region="100000")
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{base_url}/api/v1/auth/keys:rotate", headers={"Authorization": f"Bearer {token}"}
        )
    assert r.status_code == 200, r.text
    rotation: dict[str, Any] = r.json()
    return rotation


class TestRemoteKeys:
    async def test_fetched_kept_refetched_sparingly_and_pruned(self, settings: Settings) -> None:
        with serving(service_app(settings, "gateway")) as base_url:
            url = f"{base_url}{JWKS_PATH}"
            first = await rotate(base_url, settings)
            kept = RemoteKeys(url, min_interval=3600, max_age=3600)
            assert await kept.get(first["kid"]) is not None
            assert kept.known(first["next_kid"])  # published before it signs

            second = await rotate(base_url, settings)
            # A kid unknown so soon after the last fetch is not fetched for again.
            assert await kept.get(second["next_kid"]) is None

            eager = RemoteKeys(url, min_interval=0, max_age=0)
            assert await eager.get(first["kid"]) is not None  # retired, still verifying
            conn = await asyncpg.connect(settings.asyncpg_dsn)
            try:
                await conn.execute(
                    "UPDATE gateway.signing_keys SET verify_until = now() - interval '1 second'"
                    " WHERE kid = $1",
                    first["kid"],
                )
            finally:
                await conn.close()
            assert await eager.get(first["kid"]) is None  # the refetched set left it out
            assert eager.known(second["kid"])

    async def test_a_gateway_away_keeps_what_was_known(self, caplog: Any) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]  # nothing listens there once closed
        keys = RemoteKeys(f"http://127.0.0.1:{port}{JWKS_PATH}", min_interval=0, max_age=0)
        assert await keys.get("anything") is None
        assert "not fetched" in caplog.text
