"""Overview tier counts: held on a date, revocations, renewals, moves, scoping."""

from __future__ import annotations

from typing import Any

from kit.testing import Platform, eventually

from tests.factories import recognition
from tests.gateway.test_overview import overview, row
from tests.registry.test_recognitions import grant, registered


async def little_giants(platform: Platform, province: str, as_of: str | None = None) -> int:
    params = {"as_of": as_of} if as_of else {}
    return int(row(await overview(platform, **params), province)["tiers"]["little_giant"])


async def settles(
    platform: Platform, province: str, expected: int, as_of: str | None = None
) -> None:
    async def probe() -> bool:
        return await little_giants(platform, province, as_of) == expected

    await eventually(probe, message=f"{province} little_giant == {expected}")


class TestTierCounts:
    async def test_counts_follow_validity(self, platform: Platform) -> None:
        for region in ("420102", "420102", "510104"):
            uscc = await registered(platform, region)
            await grant(platform, uscc, recognition(valid_from="2024-07-01"))
        await settles(platform, "42", 2)
        await settles(platform, "51", 1)
        assert await little_giants(platform, "42", "2024-06-30") == 0
        assert await little_giants(platform, "42", "2027-06-30") == 2
        assert await little_giants(platform, "42", "2027-07-01") == 0
        totals = (await overview(platform))["totals"]["tiers"]
        assert totals["little_giant"] == 3

    async def test_revocation_counts_until_revoked_on(self, platform: Platform) -> None:
        uscc = await registered(platform)
        rec = (await grant(platform, uscc, recognition(valid_from="2024-07-01"))).json()
        await settles(platform, "42", 1)
        await platform["registry"].post(
            f"/api/v1/registry/recognitions/{rec['id']}:revoke",
            json={"reason": "撤销", "revoked_on": "2025-03-01"},
            headers=platform.auth("ministry"),
        )
        await settles(platform, "42", 0)
        assert await little_giants(platform, "42", "2025-02-28") == 1

    async def test_overlapping_renewal_counts_once(self, platform: Platform) -> None:
        uscc = await registered(platform)
        await grant(platform, uscc, recognition(valid_from="2023-01-01"))
        await grant(platform, uscc, recognition(valid_from="2025-06-01", batch="复核"))
        await settles(platform, "42", 1, "2027-12-31")  # only the renewal covers this day
        assert await little_giants(platform, "42", "2025-07-01") == 1
        assert await little_giants(platform, "42", "2028-06-01") == 0

    async def test_moving_an_enterprise_moves_its_tiers(self, platform: Platform) -> None:
        uscc = await registered(platform)
        await grant(platform, uscc, recognition(valid_from="2024-07-01"))
        await settles(platform, "42", 1)
        r = await platform["registry"].patch(
            f"/api/v1/registry/enterprises/{uscc}",
            json={"region_code": "510104"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 200
        await settles(platform, "51", 1)
        assert await little_giants(platform, "42") == 0
        body: dict[str, Any] = await overview(platform)
        assert row(body, "51")["enterprises"] == 1

    async def test_a_key_little_giant_is_a_valid_little_giant_once(
        self, platform: Platform
    ) -> None:
        both, key_only = await registered(platform), await registered(platform)
        await grant(platform, both, recognition(valid_from="2024-07-01"))
        await grant(platform, both, recognition("key_little_giant", valid_from="2025-01-01"))
        await grant(platform, key_only, recognition("key_little_giant", valid_from="2025-01-01"))

        async def tiers(as_of: str) -> dict[str, int]:
            return dict(row(await overview(platform, as_of=as_of), "42")["tiers"])

        async def counted() -> bool:
            return (await tiers("2025-06-01"))["valid_little_giant"] == 2

        await eventually(counted, message="both enterprises counted as valid 小巨人")
        now = await tiers("2025-06-01")
        assert (now["little_giant"], now["key_little_giant"]) == (1, 2)
        assert (await tiers("2024-12-31"))["valid_little_giant"] == 1  # before either key
        # The key recognition outlasts the plain one: still one valid 小巨人 each.
        assert (await tiers("2027-12-01"))["valid_little_giant"] == 2
        assert (await tiers("2027-12-01"))["little_giant"] == 0
        assert (await overview(platform, as_of="2025-06-01"))["totals"]["tiers"][
            "valid_little_giant"
        ] == 2

    async def test_province_sees_only_its_row(self, platform: Platform) -> None:
        r = await platform["gateway"].get(
            "/api/v1/column/overview", headers=platform.auth("province", "420000")
        )
        assert [p["province"] for p in r.json()["provinces"]] == ["42"]
