"""Tokens whose claims disagree are refused, however well signed; dev tokens never guess."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from kit import cli
from kit.auth import ALGORITHM, AuthError, TokenVerifier, issue_token, load_private_key
from kit.jwks import thumbprint
from kit.settings import Settings, get_settings
from kit.testing import Platform

from tests.factories import make_uscc

ENTERPRISES = "/api/v1/registry/enterprises"
INSTITUTION_ID = "0190d1f2-7c3a-7e4b-8f00-000000000000"


def forged(settings: Settings, **claims: Any) -> str:
    """Signed with the platform's own key, so only the claims themselves can be wrong."""
    now = int(time.time())
    body = {"iss": "zjtx", "aud": "zjtx", "sub": "forger", "iat": now, "exp": now + 60, **claims}
    key = load_private_key(settings)
    kid = thumbprint(key.public_key())
    return jwt.encode(body, key, algorithm=ALGORITHM, headers={"kid": kid})


DISAGREEING = [
    pytest.param({"role": "province", "region": "100000"}, id="province-national"),
    pytest.param({"role": "province_system", "region": "100000"}, id="system-national"),
    pytest.param({"role": "city", "region": "100000"}, id="city-national"),
    pytest.param({"role": "city", "region": "420000"}, id="city-with-a-province"),
    pytest.param({"role": "province", "region": "420100"}, id="province-with-a-city"),
    pytest.param({"role": "province", "region": "990000"}, id="province-unknown"),
    pytest.param({"role": "city", "region": "420102"}, id="city-with-a-district"),
    pytest.param({"role": "ministry", "region": "420000"}, id="ministry-regional"),
    pytest.param({"role": "enterprise", "region": "100000", "org": "U"}, id="enterprise-national"),
    pytest.param({"role": "enterprise", "region": "420100", "org": "X"}, id="enterprise-not-uscc"),
    pytest.param({"role": "institution", "region": "420000", "org": "x"}, id="institution-not-id"),
    pytest.param({"role": "province", "region": 420000}, id="region-not-a-string"),
]


class TestClaimsMustAgree:
    @pytest.mark.parametrize("claims", DISAGREEING)
    async def test_a_signed_token_with_disagreeing_claims_is_401(
        self, platform: Platform, settings: Settings, claims: dict[str, Any]
    ) -> None:
        if claims.get("org") == "U":
            claims = {**claims, "org": make_uscc()}
        token = forged(settings, **claims)
        r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "UNAUTHENTICATED"
        assert 'error="invalid_token"' in r.headers["www-authenticate"]

    async def test_the_reason_names_the_rule_in_both_languages(
        self, platform: Platform, settings: Settings
    ) -> None:
        token = forged(settings, role="city", region="420000")
        r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}"}
        )
        assert r.json()["detail"] == (
            "未认证或令牌无效：市级主管部门（city）令牌的行政区划应为地市级代码（XXYY00）"
        )
        r = await platform["registry"].get(
            ENTERPRISES, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )
        assert r.json()["detail"] == (
            "Not authenticated: a city token must carry a city-level code (XXYY00) as its region"
        )

    @pytest.mark.parametrize(
        "claims",
        [
            {"role": "ministry", "region": "100000"},
            {"role": "province", "region": "420000"},
            {"role": "province", "region": "660000"},  # 新疆生产建设兵团
            {"role": "province", "region": "330200"},  # 宁波, a 计划单列市 files as a unit
            {"role": "province_system", "region": "440300"},
            {"role": "city", "region": "420100"},
            {"role": "city", "region": "330200"},
            {"role": "enterprise", "region": "420102"},
            {"role": "institution", "region": "420000", "org": INSTITUTION_ID},
            {"role": "auditor", "region": "100000"},
        ],
    )
    async def test_agreeing_claims_are_accepted(
        self, settings: Settings, claims: dict[str, Any]
    ) -> None:
        if claims["role"] == "enterprise":
            claims = {**claims, "org": make_uscc()}
        principal = await TokenVerifier(settings).verify(forged(settings, **claims))
        assert (principal.role.value, principal.region) == (claims["role"], claims["region"])

    def test_the_issuer_refuses_to_sign_disagreeing_claims(self, settings: Settings) -> None:
        with pytest.raises(AuthError, match="province token must carry"):
            issue_token(settings, role="province", region="100000")


class TestDevelopmentTokens:
    @pytest.fixture(autouse=True)
    def own_keys(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
        monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path))
        get_settings.cache_clear()
        yield
        get_settings.cache_clear()

    def claims(self, out: str) -> dict[str, Any]:
        return dict(jwt.decode(out.strip(), options={"verify_signature": False}))

    def test_the_ministry_is_national_by_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert cli.main(["token", "--role", "ministry"]) == 0
        assert self.claims(capsys.readouterr().out)["region"] == "100000"

    @pytest.mark.parametrize("role", ["province", "city", "province_system", "auditor"])
    def test_other_roles_need_a_region(self, role: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert cli.main(["token", "--role", role]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "--region is required" in captured.err

    def test_a_region_that_disagrees_with_the_role_is_refused(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["token", "--role", "city", "--region", "420000"]) == 2
        assert "city token must carry" in capsys.readouterr().err

    def test_a_province_token(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert cli.main(["token", "--role", "province", "--region", "420000"]) == 0
        claims = self.claims(capsys.readouterr().out)
        assert (claims["role"], claims["region"]) == ("province", "420000")
