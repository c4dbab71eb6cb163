"""The training service running beside the registry, whose events feed its replicas."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from kit.clock import today
from kit.settings import Settings
from kit.testing import Platform, eventually, run_services

from tests.factories import enterprise, make_id_number, make_uscc, recognition

REGISTRY = "/api/v1/registry"
API = "/api/v1/training"


@pytest.fixture
async def platform(settings: Settings) -> AsyncIterator[Platform]:
    async with run_services(settings, ["registry", "training"]) as started:
        yield started


def period_of(day: date) -> str:
    return "2027-2028" if day.year >= 2027 else str(day.year)


def live_dates(lead_days: int = 30, length: int = 3) -> tuple[date, date]:
    """A class starting ``lead_days`` from now, within one plan period."""
    start = today() + timedelta(days=lead_days)
    end = start + timedelta(days=length - 1)
    if period_of(start) != period_of(end):
        start = date(end.year, 1, 10)
        end = start + timedelta(days=length - 1)
    return start, end


async def replicated(platform: Platform, table: str, key: str, value: Any) -> None:
    pool = platform.apps["training"].state.ctx.db.pool

    async def probe() -> bool:
        found = await pool.fetchval(f"SELECT 1 FROM training.{table} WHERE {key} = $1", value)
        return found is not None

    await eventually(probe, message=f"training.{table} {value} replicated")


async def training_institution(
    platform: Platform, provinces: tuple[str, ...] = ("42",), name: str = "湖北专精特新学院"
) -> str:
    """A training institution with a training contract in each province, replicated."""
    r = await platform["registry"].post(
        f"{REGISTRY}/institutions",
        json={
            "name": name,
            "uscc": make_uscc("420100"),
            "region_code": "420102",
            "types": ["training"],
            "qualifications": {},
        },
        headers=platform.auth("ministry"),
    )
    assert r.status_code == 201, r.text
    institution_id = r.json()["id"]
    for province in provinces:
        r = await platform["registry"].post(
            f"{REGISTRY}/institutions/{institution_id}/contracts",
            json={
                "province": province,
                "task": "training",
                "batch": "第一批",
                "amount": "80",
                "signed_on": "2025-01-10",
            },
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 201, r.text
    pool = platform.apps["training"].state.ctx.db.pool

    async def probe() -> bool:
        n = await pool.fetchval(
            "SELECT count(*) FROM training.contracts WHERE institution_id = $1::uuid",
            institution_id,
        )
        return n == len(provinces)

    await eventually(probe, message="contracts replicated")
    await replicated(platform, "institutions", "id::text", institution_id)
    return str(institution_id)


async def little_giant(
    platform: Platform,
    region: str = "420102",
    tier: str = "little_giant",
    valid_from: str = "2024-07-01",
    **overrides: Any,
) -> str:
    """An enterprise holding ``tier`` from ``valid_from`` (three years), replicated."""
    body = enterprise(region)
    headers = platform.auth("ministry")
    r = await platform["registry"].post(f"{REGISTRY}/enterprises", json=body, headers=headers)
    assert r.status_code == 201, r.text
    r = await platform["registry"].post(
        f"{REGISTRY}/enterprises/{body['uscc']}/recognitions",
        json=recognition(tier, valid_from, **overrides),
        headers=headers,
    )
    assert r.status_code == 201, r.text
    await replicated(platform, "enterprises", "uscc", body["uscc"])
    await replicated(platform, "recognitions", "id::text", r.json()["id"])
    return str(body["uscc"])


async def plan(
    platform: Platform, period: str, province: str = "42", **overrides: Any
) -> dict[str, Any]:
    r = await platform["training"].post(
        f"{API}/plans",
        json={"province": province, "period": period, **overrides},
        headers=platform.auth("province", province + "0000"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def class_body(institution_id: str, start: date, end: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "第一期专精特新“小巨人”企业家综合班",
        "kind": "comprehensive",
        "start_on": start.isoformat(),
        "end_on": end.isoformat(),
        "institution_id": institution_id,
        "topics": [
            {"category": "science_theory", "course": "xi_on_smes"},
            {"category": "policy", "course": "laws_and_policies"},
            {"category": "specialised_development", "course": "digital_transformation"},
        ],
        "onsite_items": [{"kind": "enterprise_visit", "site": "武汉某智能制造企业"}],
        "planned_trainees": 50,
    }
    body.update(overrides)
    return body


async def scheduled_class(
    platform: Platform,
    institution_id: str,
    province: str = "42",
    lead_days: int = 30,
    **overrides: Any,
) -> dict[str, Any]:
    """A live class in a draft plan of its period."""
    start, end = live_dates(lead_days)
    p = await plan(platform, period_of(start), province)
    r = await platform["training"].post(
        f"{API}/plans/{p['id']}/classes",
        json=class_body(institution_id, start, end, **overrides),
        headers=platform.auth("province", province + "0000"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def outbox(platform: Platform, subject: str) -> list[dict[str, Any]]:
    """The events the training service emitted on ``zjtx.training.<subject>``, oldest first."""
    pool = platform.apps["training"].state.ctx.db.pool
    rows = await pool.fetch(
        "SELECT payload FROM training.outbox WHERE subject = $1 ORDER BY created_at, id",
        f"zjtx.training.{subject}",
    )
    return [r["payload"] for r in rows]


def trainee_body(uscc: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "enterprise_uscc": uscc,
        "name": "张建国",
        "gender": "male",
        "id_number": make_id_number(),
        "mobile": "13912345678",
        "email": "zhang@example.com",
        "political_status": "中共党员",
        "ethnicity": "汉族",
        "position": "董事长",
        "management_years": 15,
        "education": "master",
        "school": "华中科技大学",
        "major": "机械工程",
        "social_roles": [
            {"organisation": "湖北省中小企业协会", "since": "2019", "title": "副会长"}
        ],
    }
    body.update(overrides)
    return body


async def trainee(platform: Platform, uscc: str, province: str = "42", **overrides: Any) -> str:
    r = await platform["training"].post(
        f"{API}/trainees",
        json=trainee_body(uscc, **overrides),
        headers=platform.auth("province", province + "0000"),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


BACKFILL_START = date(2026, 6, 1)


async def backfilled_class(
    platform: Platform, institution_id: str, province: str = "42", **overrides: Any
) -> dict[str, Any]:
    """A 2026 class held 1–3 June, recorded after the fact (补录), in the province's plan."""
    pool = platform.apps["training"].state.ctx.db.pool
    plan_id = await pool.fetchval(
        "SELECT id::text FROM training.plans WHERE province = $1 AND period = '2026'", province
    )
    p = {"id": plan_id} if plan_id else await plan(platform, "2026", province)
    body = class_body(
        institution_id,
        BACKFILL_START,
        BACKFILL_START + timedelta(days=2),
        backfilled=True,
        **overrides,
    )
    r = await platform["training"].post(
        f"{API}/plans/{p['id']}/classes",
        json=body,
        headers=platform.auth("province", province + "0000"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def enroll(platform: Platform, class_id: str, trainee_id: str, province: str = "42") -> Any:
    return await platform["training"].post(
        f"{API}/classes/{class_id}/enrollments",
        json={"trainee_id": trainee_id},
        headers=platform.auth("province", province + "0000"),
    )
