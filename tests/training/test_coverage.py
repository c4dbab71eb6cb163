"""培训覆盖率: trained 小巨人 over valid 小巨人, per batch and cumulative, within scope."""

from __future__ import annotations

from typing import Any

import pytest
from kit.codes import UNITS
from kit.testing import Platform

from tests.factories import make_uscc
from tests.fixtures.training import (
    API,
    backfilled_class,
    enroll,
    little_giant,
    trainee,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}


async def completed(
    platform: Platform, institution: str, usccs: list[str], **overrides: Any
) -> None:
    """A backfilled 2026 class that every enterprise in ``usccs`` completed."""
    cls = await backfilled_class(platform, institution, **overrides)
    for uscc in usccs:
        r = await enroll(platform, cls["id"], await trainee(platform, uscc))
        assert r.status_code == 201, r.text
    r = await platform["training"].post(
        f"{API}/classes/{cls['id']}:close", headers=platform.auth(**HUBEI)
    )
    assert r.status_code == 200, r.text


async def coverage(platform: Platform, query: str = "", **auth: Any) -> Any:
    return await platform["training"].get(
        f"{API}/coverage{query}", headers=platform.auth(**(auth or HUBEI))
    )


class TestCoverage:
    async def test_share_per_batch_and_cumulative(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        giants = [await little_giant(platform) for _ in range(4)]
        # Valid when trained (June 2026), lapsed since: trained, but not in the share.
        lapsed = await little_giant(platform, valid_from="2023-01-01", valid_until="2026-10-31")
        await little_giant(platform, tier="specialized_sme")  # not a 小巨人: not counted
        await completed(platform, institution, [*giants[:2], lapsed])
        await completed(platform, institution, [giants[0]], name="第二期")  # trained twice
        r = await coverage(platform, "?province=42&batch=2026")
        assert r.status_code == 200, r.text
        [row] = r.json()["provinces"]
        assert row["province"] == "42" and row["little_giants"] == 4
        [batch] = row["batches"]
        assert (batch["batch"], batch["trained"], batch["trained_valid"]) == (2, 3, 2)
        assert batch["share"] == "0.5000"
        [cumulative] = row["cumulative"]
        assert (cumulative["trained"], cumulative["share"]) == (3, "0.5000")
        r = await coverage(platform, "?batch=3")
        [row] = r.json()["provinces"]
        assert row["batches"][0]["trained"] == 0
        assert row["cumulative"][0]["trained_valid"] == 2  # 2025–2028 so far
        assert row["cumulative"][0]["target"] == "1.0000"  # Hubei's own (001)

    async def test_an_open_class_trains_no_one(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        giant = await little_giant(platform)
        cls = await backfilled_class(platform, institution)
        await enroll(platform, cls["id"], await trainee(platform, giant))
        [row] = (await coverage(platform, "?batch=2")).json()["provinces"]
        assert row["little_giants"] == 1 and row["batches"][0]["trained"] == 0
        assert row["batches"][0]["share"] == "0.0000"

    async def test_scoping(self, platform: Platform) -> None:
        institution = await training_institution(platform)
        await completed(platform, institution, [await little_giant(platform)])
        r = await coverage(platform, "?province=42", role="province", region="430000")
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"
        [row] = (await coverage(platform, role="province", region="430000")).json()["provinces"]
        assert row["province"] == "43" and row["little_giants"] == 0
        national = (await coverage(platform, role="ministry")).json()["provinces"]
        assert [p["province"] for p in national] == list(UNITS)  # 37 units
        hubei = next(p for p in national if p["province"] == "42")
        assert hubei["cumulative"][1]["trained"] == 1
        r = await coverage(platform, "?batch=9")
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "batch"
        r = await coverage(platform, role="enterprise", region="420102", org=make_uscc())
        assert (r.status_code, r.json()["code"]) == (403, "FORBIDDEN")  # its role, not a region
