"""补录 in bulk (issue 12 item 5): a provincial system syncs the classes its unit held, with
their trainees and attendance, by its own id; each item goes through every rule a user's
requests would, fails alone, and a resend changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from kit.testing import Platform

from tests.fixtures.training import (
    API,
    BACKFILL_START,
    class_body,
    little_giant,
    plan,
    trainee,
    training_institution,
)

pytestmark = pytest.mark.services("registry", "training")

HUBEI_SYSTEM = ("province_system", "420000")
DAYS = [BACKFILL_START + timedelta(days=n) for n in range(3)]


def held(institution: str, plan_id: str, external_id: str, **overrides: Any) -> dict[str, Any]:
    body = class_body(institution, DAYS[0], DAYS[-1], backfilled=True)
    return {**body, "external_id": external_id, "plan_id": plan_id, **overrides}


async def sync(
    platform: Platform, items: list[dict[str, Any]], who: tuple[str, str] = HUBEI_SYSTEM
) -> httpx.Response:
    return await platform["training"].post(
        f"{API}/classes:batch-upsert", json={"items": items}, headers=platform.auth(*who)
    )


def results(r: httpx.Response) -> list[tuple[str, list[str]]]:
    assert r.status_code == 200, r.text
    return [(i["result"], [e["code"] for e in i["errors"]]) for i in r.json()["items"]]


async def count(platform: Platform, sql: str) -> int:
    return int(await platform.apps["training"].state.ctx.db.pool.fetchval(sql))


async def test_held_classes_with_trainees_and_attendance(platform: Platform) -> None:
    institution = await training_institution(platform)
    p = await plan(platform, "2026")
    full = await trainee(platform, await little_giant(platform))
    partial = await trainee(platform, await little_giant(platform))
    outsider = await trainee(platform, await little_giant(platform, tier="innovative_sme"))
    first = held(
        institution,
        p["id"],
        "hb-2026-01",
        trainees=[
            {"trainee_id": full, "attended": [d.isoformat() for d in DAYS]},
            {"trainee_id": partial, "attended": [DAYS[0].isoformat()]},
        ],
    )
    refused = held(
        institution,
        p["id"],
        "hb-2026-02",
        name="第二期",
        trainees=[{"trainee_id": outsider, "attended": []}],  # not a 小巨人
    )
    r = await sync(platform, [first, refused, {**first, "name": "重复"}, {"plan_id": p["id"]}])
    assert results(r)[:3] == [
        ("created", []),
        ("failed", ["ENTERPRISE_NOT_ELIGIBLE"]),
        ("failed", ["DUPLICATE_IN_BATCH"]),
    ]
    assert results(r)[3][0] == "failed"
    class_id = r.json()["items"][0]["id"]
    # The refused class left nothing behind: one class, its two trainees, one certificate.
    assert await count(platform, "SELECT count(*) FROM training.classes") == 1
    assert await count(platform, "SELECT count(*) FROM training.certificates") == 1
    assert (
        await count(platform, "SELECT count(*) FROM training.enrollments WHERE state = 'completed'")
        == 2
    )
    r = await platform["training"].get(
        f"{API}/classes/{class_id}", headers=platform.auth(*HUBEI_SYSTEM)
    )
    assert r.json()["status"] == "closed"
    events = "SELECT count(*) FROM training.outbox"
    before = await count(platform, events)

    again = await sync(platform, [first])
    assert results(again) == [("unchanged", [])] and again.json()["items"][0]["id"] == class_id
    assert await count(platform, events) == before
    assert results(await sync(platform, [{**first, "name": "改名"}])) == [
        ("failed", ["CLASS_SYNCED_DIFFERENTLY"])
    ]
    zhejiang = await sync(
        platform, [held(institution, p["id"], "zj-1")], ("province_system", "330000")
    )
    assert results(zhejiang) == [("failed", ["PLAN_NOT_FOUND"])]
