"""Webhook URLs reach public addresses only: checked at registration and again at delivery."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator

import pytest
from gateway.webhooks import urls
from kit.settings import Settings
from kit.testing import Platform, run_services

from tests.gateway.webhooks.conftest import (
    ENDPOINTS,
    add_endpoint,
    attempted,
    clocked_platform,
    gateway_ctx,
    register_enterprise,
)
from tests.gateway.webhooks.receiver import Receiver


@pytest.fixture
async def guarded(settings: Settings) -> AsyncIterator[Platform]:
    """The gateway as deployed: private addresses not allowed."""
    strict = settings.model_copy(update={"webhooks_allow_private": False})
    async with run_services(strict, ["gateway"]) as platform:
        yield platform


class TestAddresses:
    @pytest.mark.parametrize(
        ("address", "kind"),
        [
            ("127.0.0.1", "loopback"),
            ("::1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.9", "private"),
            ("192.168.1.1", "private"),
            ("fd00::1", "private"),
            ("169.254.169.254", "link-local"),  # the cloud metadata address
            ("fe80::1", "link-local"),
            ("224.0.0.251", "multicast"),
            ("0.0.0.0", "unspecified"),
            ("240.0.0.1", "reserved"),
            ("100.64.0.1", "non-public"),  # carrier-grade NAT
            ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ],
    )
    def test_internal_addresses_are_refused(self, address: str, kind: str) -> None:
        refused = urls.refusal(ipaddress.ip_address(address))
        assert refused is not None and refused[1] == kind

    @pytest.mark.parametrize("address", ["1.1.1.1", "2400:3200::1"])
    def test_public_addresses_are_allowed(self, address: str) -> None:
        assert urls.refusal(ipaddress.ip_address(address)) is None


class TestAtRegistration:
    @pytest.mark.parametrize(
        ("url", "code", "words"),
        [
            ("https://127.0.0.1/hooks", "WEBHOOK_URL_NOT_ALLOWED", "回环地址"),
            ("https://localhost:8443/hooks", "WEBHOOK_URL_RESERVED_NAME", "保留域名"),
            ("https://hooks.example.com/in", "WEBHOOK_URL_RESERVED_NAME", "保留域名"),
            ("https://a.b.invalid./in", "WEBHOOK_URL_RESERVED_NAME", "保留域名"),
            ("https://10.0.0.5/hooks", "WEBHOOK_URL_NOT_ALLOWED", "内网地址"),
            ("https://[fe80::1]/hooks", "WEBHOOK_URL_NOT_ALLOWED", "链路本地地址"),
            ("http://1.1.1.1/hooks", "WEBHOOK_URL_INVALID", "https"),
            ("https://user:pw@1.1.1.1/hooks", "WEBHOOK_URL_INVALID", "用户名或密码"),
            ("ftp://1.1.1.1/hooks", "WEBHOOK_URL_INVALID", "https"),
        ],
    )
    async def test_a_url_that_would_reach_inside_is_refused(
        self, guarded: Platform, url: str, code: str, words: str
    ) -> None:
        r = await guarded["gateway"].post(
            ENDPOINTS, json={"url": url}, headers=guarded.auth("province", "420000")
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["code"] == code and words in body["detail"]
        assert body["errors"][0]["field"] == "url"

    async def test_a_host_that_does_not_resolve_is_refused(
        self, guarded: Platform, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        async def no_address(*_: object, **__: object) -> list[object]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        # No lookup leaves the machine: the resolver answers as for a name that is not.
        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", no_address)
        r = await guarded["gateway"].post(
            ENDPOINTS,
            json={"url": "https://hooks.example.gov.cn/in"},
            headers=guarded.auth("province", "420000"),
        )
        assert r.status_code == 422 and r.json()["code"] == "WEBHOOK_URL_UNRESOLVABLE"
        assert "hooks.example.gov.cn" in r.json()["detail"]

    async def test_a_changed_url_is_checked_too(self, platform: Platform) -> None:
        created = await platform["gateway"].post(
            ENDPOINTS,
            json={"url": "http://127.0.0.1:9/hooks"},
            headers=platform.auth("province", "420000"),
        )
        assert created.status_code == 201
        r = await platform["gateway"].patch(
            f"{ENDPOINTS}/{created.json()['id']}",
            json={"url": "ftp://127.0.0.1/hooks"},
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 422 and r.json()["code"] == "WEBHOOK_URL_INVALID"


class TestAtDelivery:
    async def test_an_address_no_longer_allowed_is_not_connected(
        self, settings: Settings, receiver: Receiver
    ) -> None:
        # Registered while allowed; the worker delivers as a deployment that refuses it
        # (as if the name had been re-pointed at an internal address since).
        async with clocked_platform(settings, allow_private=False) as clocked:
            platform = clocked.platform
            await add_endpoint(platform, receiver, url=f"https://127.0.0.1:{receiver.port}/in")
            await register_enterprise(platform)
            await attempted(platform, 1)
            row = await gateway_ctx(platform).db.pool.fetchrow(
                "SELECT status_code, error FROM gateway.webhook_attempts"
            )
            assert row is not None and row["status_code"] is None
            assert "回环地址" in row["error"]
            assert receiver.requests == []
