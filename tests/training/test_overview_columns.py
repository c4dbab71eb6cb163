"""End to end: a class run through the training API shows in the gateway's 专栏 overview."""

from __future__ import annotations

from typing import Any

import pytest
from kit.testing import Platform, eventually

from tests.factories import recognition
from tests.fixtures.training import (
    API,
    BACKFILL_START,
    backfilled_class,
    enroll,
    little_giant,
    replicated,
    trainee,
    training_institution,
)

HUBEI = {"role": "province", "region": "420000"}


pytestmark = pytest.mark.services("registry", "training", "gateway")


async def hubei_row(platform: Platform, query: str = "") -> dict[str, Any]:
    r = await platform["gateway"].get(
        f"/api/v1/column/overview{query}", headers=platform.auth("ministry")
    )
    assert r.status_code == 200, r.text
    return next(p for p in r.json()["provinces"] if p["province"] == "42")


async def test_a_closed_class_fills_the_training_columns(platform: Platform) -> None:
    institution = await training_institution(platform)
    cls = await backfilled_class(platform, institution)
    giants = [await little_giant(platform) for _ in range(4)]
    trainees = [await trainee(platform, uscc) for uscc in giants[:2]]
    for t in trainees:
        assert (await enroll(platform, cls["id"], t)).status_code == 201
    sessions = [(BACKFILL_START.replace(day=d)).isoformat() for d in (1, 2, 3)]
    records = [
        {"session": day, "trainee_id": t, "present": t == trainees[0] or day != sessions[0]}
        for t in trainees
        for day in sessions
    ]
    r = await platform["training"].post(
        f"{API}/classes/{cls['id']}/attendance",
        json={"records": records},
        headers=platform.auth(**HUBEI),
    )
    assert r.status_code == 200, r.text
    r = await platform["training"].post(
        f"{API}/classes/{cls['id']}:close", headers=platform.auth(**HUBEI)
    )
    assert r.json()["certificates"] == 1  # 3/3 attended; 2/3 falls short of 90%
    for t, scores in zip(trainees, (5, 3), strict=True):
        r = await platform["training"].post(
            f"{API}/classes/{cls['id']}/surveys",
            json={"trainee_id": t, "arrangement": scores, "content": scores, "effect": scores},
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 201, r.text

    expected = {
        "classes": 1,
        "trainees": 2,
        "enterprises_trained": 2,
        "coverage": "0.5000",
        "certificates": 1,
        "satisfaction": "0.5000",
    }

    async def shown() -> bool:
        row = await hubei_row(platform, "?batch=2026")
        return all(row["training"][k] == v for k, v in expected.items())

    await eventually(shown, message="the overview shows the closed class")
    assert (await hubei_row(platform, "?batch=2025"))["training"]["classes"] == 0


async def test_training_and_the_gateway_count_the_same_valid_little_giants(
    platform: Platform,
) -> None:
    """One meaning of “valid 小巨人” (a 重点小巨人 is one too, an enterprise holding both counts
    once): training's coverage and the 专栏's agree on the denominator and the share."""
    institution = await training_institution(platform)
    cls = await backfilled_class(platform, institution)  # 2026: batch 2
    await little_giant(platform)  # valid, not trained
    key_only = await little_giant(platform, tier="key_little_giant")
    both = await little_giant(platform)
    r = await platform["registry"].post(
        f"/api/v1/registry/enterprises/{both}/recognitions",
        json=recognition("key_little_giant", "2025-01-01"),
        headers=platform.auth("ministry"),
    )
    assert r.status_code == 201, r.text
    await replicated(platform, "recognitions", "id::text", r.json()["id"])
    trainees = [await trainee(platform, uscc) for uscc in (key_only, both)]
    for t in trainees:
        assert (await enroll(platform, cls["id"], t)).status_code == 201
    await complete(platform, cls["id"], trainees)

    r = await platform["training"].get(
        f"{API}/coverage?province=42&batch=2", headers=platform.auth(**HUBEI)
    )
    assert r.status_code == 200, r.text
    [hubei] = r.json()["provinces"]
    assert hubei["little_giants"] == 3
    assert hubei["batches"][0]["share"] == "0.6667"

    async def agrees() -> bool:
        row = await hubei_row(platform, "?batch=2026")
        return row["tiers"]["valid_little_giant"] == 3 and row["training"]["coverage"] == "0.6667"

    await eventually(agrees, message="the 专栏 shows training's coverage")


async def complete(platform: Platform, class_id: str, trainees: list[str]) -> None:
    """Every trainee attends every session of the backfilled class, which then closes."""
    sessions = [(BACKFILL_START.replace(day=d)).isoformat() for d in (1, 2, 3)]
    records = [{"session": s, "trainee_id": t, "present": True} for t in trainees for s in sessions]
    r = await platform["training"].post(
        f"{API}/classes/{class_id}/attendance",
        json={"records": records},
        headers=platform.auth(**HUBEI),
    )
    assert r.status_code == 200, r.text
    r = await platform["training"].post(
        f"{API}/classes/{class_id}:close", headers=platform.auth(**HUBEI)
    )
    assert r.status_code == 200, r.text
