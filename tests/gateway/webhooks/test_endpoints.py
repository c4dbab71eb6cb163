"""Webhook endpoints: registered with a secret shown once, managed by their own unit only."""

from __future__ import annotations

import base64

import pytest
from kit.testing import Platform

from tests.factories import make_uscc
from tests.gateway.webhooks.conftest import ENDPOINTS, gateway_ctx

URL = "http://127.0.0.1:9/hooks"  # never called: these tests deliver nothing
HUBEI = ("province", "420000")
GUANGDONG = ("province", "440000")
REGISTERED = "cn.zjtx.registry.enterprise.registered.v1"


async def create(platform: Platform, who: tuple[str, str] = HUBEI, **body: object) -> dict:
    r = await platform["gateway"].post(
        ENDPOINTS, json={"url": URL, **body}, headers=platform.auth(*who)
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


class TestRegister:
    async def test_the_secret_is_shown_once_and_kept_encrypted(self, platform: Platform) -> None:
        created = await create(platform, description="企业库同步")
        secret = created["secret"]
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
        assert created["unit"] == "42" and created["enabled"] is True
        r = await platform["gateway"].get(
            f"{ENDPOINTS}/{created['id']}", headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 200 and "secret" not in r.json()
        assert r.json()["description"] == "企业库同步"
        stored = await gateway_ctx(platform).db.pool.fetchval(
            "SELECT secret_enc FROM gateway.webhook_endpoints"
        )
        assert secret.encode() not in stored
        assert base64.b64decode(secret.removeprefix("whsec_")) not in stored

    async def test_a_rotation_shows_the_new_secret_once(self, platform: Platform) -> None:
        created = await create(platform)
        r = await platform["gateway"].post(
            f"{ENDPOINTS}/{created['id']}:rotate-secret", headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 200, r.text
        assert r.json()["secret"].startswith("whsec_")
        assert r.json()["secret"] != created["secret"]
        r = await platform["gateway"].get(
            f"{ENDPOINTS}/{created['id']}", headers=platform.auth(*HUBEI)
        )
        assert r.json()["previous_secret_expires_at"] is not None


class TestScope:
    async def test_another_units_endpoint_is_missing(self, platform: Platform) -> None:
        created = await create(platform)
        path = f"{ENDPOINTS}/{created['id']}"
        other = platform.auth(*GUANGDONG)
        gateway = platform["gateway"]
        assert (await gateway.get(path, headers=other)).status_code == 404
        assert (
            await gateway.patch(path, json={"description": "x"}, headers=other)
        ).status_code == 404
        assert (await gateway.delete(path, headers=other)).status_code == 404
        assert (await gateway.post(f"{path}:rotate-secret", headers=other)).status_code == 404
        assert (await gateway.get(f"{path}/deliveries", headers=other)).status_code == 404
        r = await gateway.get(ENDPOINTS, headers=other)
        assert r.json()["items"] == []
        assert (await gateway.get(path, headers=platform.auth("ministry"))).status_code == 200

    async def test_a_units_system_manages_its_units_endpoints(self, platform: Platform) -> None:
        created = await create(platform)
        system = platform.auth("province_system", "420000")
        r = await platform["gateway"].get(ENDPOINTS, headers=system)
        assert [e["id"] for e in r.json()["items"]] == [created["id"]]

    async def test_a_unit_registers_for_itself_only(self, platform: Platform) -> None:
        r = await platform["gateway"].post(
            ENDPOINTS, json={"url": URL, "unit": "44"}, headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 403 and r.json()["code"] == "REGION_OUT_OF_SCOPE"
        assert (await create(platform, unit="42"))["unit"] == "42"

    async def test_a_plan_listed_city_is_a_unit_of_its_own(self, platform: Platform) -> None:
        ningbo = await create(platform, ("province_system", "330200"))
        assert ningbo["unit"] == "3302"
        r = await platform["gateway"].get(
            f"{ENDPOINTS}/{ningbo['id']}", headers=platform.auth("province", "330000")
        )
        assert r.status_code == 404

    async def test_the_ministry_names_a_unit_or_takes_every_unit(self, platform: Platform) -> None:
        every = await create(platform, ("ministry", "100000"))
        assert every["unit"] is None
        assert (await create(platform, ("ministry", "100000"), unit="44"))["unit"] == "44"
        r = await platform["gateway"].get(
            f"{ENDPOINTS}/{every['id']}", headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 404
        r = await platform["gateway"].get(ENDPOINTS, headers=platform.auth("ministry"))
        assert len(r.json()["items"]) == 2

    @pytest.mark.parametrize(
        ("role", "region", "org"),
        [
            ("city", "420100", None),
            ("enterprise", "420102", make_uscc("420100")),
            ("institution", "420102", "00000000-0000-0000-0000-000000000001"),
        ],
    )
    async def test_other_roles_are_refused(
        self, platform: Platform, role: str, region: str, org: str | None
    ) -> None:
        headers = platform.auth(role, region, org=org)
        r = await platform["gateway"].post(ENDPOINTS, json={"url": URL}, headers=headers)
        assert r.status_code == 403 and r.json()["code"] == "FORBIDDEN"
        assert (await platform["gateway"].get(ENDPOINTS, headers=headers)).status_code == 403


class TestEventTypes:
    async def test_names_are_checked_as_written(self, platform: Platform) -> None:
        for bad in [
            "enterprise.registered",
            "cn.zjtx.nosuch.enterprise.registered.v1",
            "cn.zjtx.registry.Enterprise.registered.v1",
            "cn.zjtx.registry.enterprise.registered.v2",
        ]:
            r = await platform["gateway"].post(
                ENDPOINTS,
                json={"url": URL, "event_types": [REGISTERED, bad]},
                headers=platform.auth(*HUBEI),
            )
            assert r.status_code == 422, bad
            body = r.json()
            assert body["code"] == "WEBHOOK_EVENT_TYPE_INVALID"
            assert body["errors"][0]["field"] == "event_types.1"
            assert "格式无效" in body["detail"]

    async def test_a_filter_is_kept_once_per_type(self, platform: Platform) -> None:
        created = await create(platform, event_types=[REGISTERED, REGISTERED])
        assert created["event_types"] == [REGISTERED]

    async def test_the_catalogue_refuses_a_type_it_does_not_list(self, platform: Platform) -> None:
        r = await platform["gateway"].post(
            ENDPOINTS,
            json={"url": URL, "event_types": ["cn.zjtx.registry.enterprise.vanished.v1"]},
            headers=platform.auth(*HUBEI),
        )
        assert r.status_code == 422 and r.json()["code"] == "EVENT_TYPE_UNKNOWN"
        assert (await create(platform, event_types=[REGISTERED]))["event_types"] == [REGISTERED]


class TestChange:
    async def test_only_what_is_sent_changes(self, platform: Platform) -> None:
        created = await create(platform, description="甲", event_types=[REGISTERED])
        r = await platform["gateway"].patch(
            f"{ENDPOINTS}/{created['id']}",
            json={"event_types": []},
            headers=platform.auth(*HUBEI),
        )
        assert r.status_code == 200, r.text
        assert r.json()["event_types"] == [] and r.json()["description"] == "甲"
        assert r.json()["url"] == URL

    async def test_a_deleted_endpoint_is_gone(self, platform: Platform) -> None:
        created = await create(platform)
        path = f"{ENDPOINTS}/{created['id']}"
        r = await platform["gateway"].delete(path, headers=platform.auth(*HUBEI))
        assert r.status_code == 204
        assert (
            await platform["gateway"].get(path, headers=platform.auth(*HUBEI))
        ).status_code == 404
