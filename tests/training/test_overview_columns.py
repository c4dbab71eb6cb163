"""End to end: a class run through the training API shows in the gateway's 专栏 overview."""

from __future__ import annotations

from typing import Any

import pytest
from kit.testing import Platform, eventually

from tests.fixtures.training import (
    API,
    BACKFILL_START,
    backfilled_class,
    enroll,
    little_giant,
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
