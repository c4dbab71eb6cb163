"""The published contracts describe what the services emit: a flow through both publishers,
then every outbox row parsed with its model and dumped back to the very same ``data``."""

from __future__ import annotations

import csv
import io
from typing import Any

import contracts.registry
import contracts.training
import pytest
from kit.testing import Platform

from tests.factories import enterprise, make_uscc, recognition
from tests.fixtures.training import API, REGISTRY, scheduled_class, training_institution
from tests.registry.test_contacts import contact
from tests.training.test_completion import HUBEI, attend, close, days, held_class

pytestmark = pytest.mark.services("registry", "training")

MINISTRY = {"role": "ministry", "region": "100000"}


async def registry_flow(platform: Platform) -> None:
    """Every registry event: single and bulk registrations, updates, figures, grants and
    revocations, institutions reviewed, contracts and contacts."""
    registry, auth = platform["registry"], platform.auth(**MINISTRY)
    body = enterprise()
    assert (await registry.post(f"{REGISTRY}/enterprises", json=body, headers=auth)).is_success
    uscc = body["uscc"]
    r = await registry.patch(
        f"{REGISTRY}/enterprises/{uscc}",
        json={"main_product": "精密减速器", "titles": ["high_tech"]},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    r = await registry.put(
        f"{REGISTRY}/enterprises/{uscc}/indicators/2025",
        json={"revenue": "18500.00", "profit": "-1.50", "invention_patents": 12},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    r = await registry.post(
        f"{REGISTRY}/enterprises/{uscc}/recognitions", json=recognition(), headers=auth
    )
    assert r.status_code == 201, r.text
    r = await registry.post(
        f"{REGISTRY}/recognitions/{r.json()['id']}:revoke",
        json={"revoked_on": "2025-03-01", "reason": "复核未通过"},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    r = await registry.post(
        f"{REGISTRY}/enterprises:batch-upsert",
        json={"items": [enterprise("510104"), {**body, "name": body["name"] + "（更名）"}]},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    upload = io.StringIO()
    csv.writer(upload).writerows(
        [
            ["统一社会信用代码", "企业名称", "行政区划代码", "所属行业代码"],
            [make_uscc("420100"), "武汉导入科技有限公司", "420102", "39"],
        ]
    )
    r = await registry.post(
        f"{REGISTRY}/enterprises:import",
        files={"file": ("e.csv", upload.getvalue().encode())},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    institution = await training_institution(platform)  # registered, contracts signed
    r = await registry.patch(
        f"{REGISTRY}/institutions/{institution}", json={"name": "湖北专精特新研修院"}, headers=auth
    )
    assert r.status_code == 200, r.text
    for action, reason in (("reject", {"reason": "场地证明不全"}), ("verify", None)):
        r = await registry.post(
            f"{REGISTRY}/institutions/{institution}/qualifications/training:{action}",
            json=reason,
            headers=platform.auth(**HUBEI),
        )
        assert r.status_code == 200, r.text
    r = await registry.post(f"{REGISTRY}/contacts", json=contact(), headers=platform.auth(**HUBEI))
    assert r.status_code == 201, r.text
    path = f"{REGISTRY}/contacts/{r.json()['id']}"
    r = await registry.patch(path, json={"title": "副处长"}, headers=platform.auth(**HUBEI))
    assert r.status_code == 200, r.text
    r = await registry.post(
        f"{path}:replace",
        json={"name": "李华", "mobile": "13700137000"},
        headers=platform.auth(**HUBEI),
    )
    assert r.status_code == 201, r.text


async def training_flow(platform: Platform) -> None:
    """Every training event: teachers, plans created, filed and amended, classes scheduled
    and closed, trainees, enrollments, certificates and surveys."""
    training, auth = platform["training"], platform.auth(**HUBEI)
    r = await training.post(
        f"{API}/teachers",
        json={
            "province": "42",
            "name": "李华",
            "affiliation_kind": "university",
            "organisation": "华中科技大学管理学院",
            "title": "教授",
            "topics": ["management"],
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    cls, [trainee] = await held_class(platform, 3, 1)
    assert (await attend(platform, cls["id"], {trainee: days(3)})).status_code == 200
    assert (await close(platform, cls["id"])).status_code == 200
    r = await training.post(
        f"{API}/classes/{cls['id']}/surveys",
        json={"trainee_id": trainee, "arrangement": 5, "content": 4, "effect": 4},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    live = await scheduled_class(platform, await training_institution(platform, name="另一学院"))
    for action in ("submit", "amend"):
        r = await training.post(f"{API}/plans/{live['plan_id']}:{action}", headers=auth)
        assert r.status_code == 200, r.text


async def emitted(platform: Platform, service: str) -> list[dict[str, Any]]:
    pool = platform.apps[service].state.ctx.db.pool
    rows = await pool.fetch(f"SELECT payload FROM {service}.outbox ORDER BY created_at, id")
    return [r["payload"] for r in rows]


def route(event: dict[str, Any]) -> str:
    return ".".join(str(event["type"]).split(".")[3:5])


class TestEventPayloads:
    async def test_every_event_emitted_is_its_published_model(self, platform: Platform) -> None:
        await registry_flow(platform)
        await training_flow(platform)
        for service, models in (
            ("registry", contracts.registry.EVENTS),
            ("training", contracts.training.EVENTS),
        ):
            seen = set()
            for event in await emitted(platform, service):
                model = models[route(event)]
                parsed = model.parse(event["data"])
                assert parsed.model_dump(mode="json") == event["data"], route(event)
                seen.add(route(event))
            unseen = set(models) - seen
            # Enrollments go through all their states elsewhere (test_enrollments.py).
            assert unseen <= {
                f"enrollment.{s}" for s in ("applied", "qualified", "withdrawn", "rejected")
            }, unseen
