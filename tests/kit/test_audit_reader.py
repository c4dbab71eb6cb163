"""The audit log reader (``kit.audit_reader``): auditors only, filters, keyset pages."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime, timedelta, timezone
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from alembic import command
from kit.migrations import alembic_config
from kit.testing import Platform

from tests.factories import enterprise, make_uscc

pytestmark = pytest.mark.services("registry", run_workers=False)

AUDIT_LOG = "/api/v1/registry/audit-log"
ENTERPRISES = "/api/v1/registry/enterprises"
CREATE = f"POST {ENTERPRISES}"
AUDITOR = {"role": "auditor"}
ENTRY_FIELDS = {
    "id",
    "at",
    "request_id",
    "subject",
    "role",
    "region",
    "action",
    "resource",
    "result",
    "detail",
}


async def register(platform: Platform, role: str = "ministry", region: str = "100000") -> str:
    """An enterprise registered by a real request; the request's id."""
    r = await platform["registry"].post(
        ENTERPRISES, json=enterprise("420102"), headers=platform.auth(role, region)
    )
    assert r.status_code == 201, r.text
    return r.headers["x-request-id"]


async def read(platform: Platform, **params: Any) -> httpx.Response:
    params = {
        ("from" if k == "since" else "to" if k == "until" else k): v for k, v in params.items()
    }
    return await platform["registry"].get(
        AUDIT_LOG, params=params, headers=platform.auth(**AUDITOR)
    )


async def entries(platform: Platform, **params: Any) -> list[dict[str, Any]]:
    r = await read(platform, limit=500, **params)
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None
    return list(r.json()["items"])


async def every_page(platform: Platform, limit: int, **params: Any) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await read(platform, limit=limit, **query)
        assert r.status_code == 200, r.text
        pages.append(r.json()["items"])
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return pages


def at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["at"])


class TestAuditorReads:
    async def test_rows_written_by_requests(self, platform: Platform) -> None:
        request_id = await register(platform)
        [entry] = await entries(platform, action=CREATE)
        assert set(entry) == ENTRY_FIELDS
        assert entry["request_id"] == request_id
        assert (entry["subject"], entry["role"], entry["region"]) == (
            "ministry:100000",
            "ministry",
            "100000",
        )
        assert (entry["resource"], entry["result"]) == (ENTERPRISES, "success")
        assert at(entry).utcoffset() == timedelta(0)

    async def test_by_subject_action_result_and_resource(self, platform: Platform) -> None:
        await register(platform)
        await register(platform, "province", "420000")
        missing = f"{ENTERPRISES}/{make_uscc()}"
        r = await platform["registry"].get(missing, headers=platform.auth("ministry"))
        assert r.status_code == 404

        by_province = await entries(platform, subject="province:420000")
        assert [(e["action"], e["role"]) for e in by_province] == [(CREATE, "province")]
        assert len(await entries(platform, action=CREATE)) == 2
        [refused] = await entries(platform, result="not_found")
        assert (refused["resource"], refused["subject"]) == (missing, "ministry:100000")
        assert [e["resource"] for e in await entries(platform, resource=f"{ENTERPRISES}/")] == [
            missing
        ]
        assert len(await entries(platform, resource="/api/v1/registry/enterprise")) == 3
        assert await entries(platform, subject="province:420000", result="not_found") == []

    async def test_resource_prefix_takes_wildcards_literally(self, platform: Platform) -> None:
        await register(platform)
        assert len(await entries(platform, resource="/api/v1/registry/enter")) == 1
        for pattern in ("%", "/api/v1/registry/enterprise_", "/api/v1/%/enterprises", "_"):
            assert await entries(platform, resource=pattern) == [], pattern

    async def test_from_is_inclusive_and_to_exclusive(self, platform: Platform) -> None:
        for _ in range(3):
            await register(platform)
        newest, middle, oldest = await entries(platform, action=CREATE)
        assert at(newest) > at(middle) > at(oldest)
        since = await entries(platform, action=CREATE, since=middle["at"])
        assert [e["id"] for e in since] == [newest["id"], middle["id"]]
        until = await entries(platform, action=CREATE, until=middle["at"])
        assert [e["id"] for e in until] == [oldest["id"]]
        # The same instant written in Beijing's offset selects the same rows.
        beijing = at(middle).astimezone(timezone(timedelta(hours=8)))
        assert await entries(platform, action=CREATE, since=beijing.isoformat()) == since

    async def test_pages_newest_first_without_gaps_or_duplicates(self, platform: Platform) -> None:
        for _ in range(7):
            await register(platform)
        pages = await every_page(platform, 3, action=CREATE)
        assert [len(p) for p in pages] == [3, 3, 1]
        paged = [e["id"] for page in pages for e in page]
        assert paged == [e["id"] for e in await entries(platform, action=CREATE)]
        keys = [(at(e), e["id"]) for page in pages for e in page]
        assert keys == sorted(keys, reverse=True) and len(set(keys)) == 7

    async def test_rows_of_one_instant_are_paged_by_id(self, platform: Platform) -> None:
        # A transaction's rows share its now(): the cursor's id tells them apart.
        pool = platform.apps["registry"].state.ctx.db.pool
        await pool.execute(
            "INSERT INTO registry.audit_log (action, resource, result) "
            "SELECT 'probe', 'probe/' || n, 'success' FROM generate_series(1, 5) AS n"
        )
        pages = await every_page(platform, 2, action="probe")
        assert [len(p) for p in pages] == [2, 2, 1]
        assert [e["resource"] for page in pages for e in page] == [
            f"probe/{n}" for n in (5, 4, 3, 2, 1)
        ]
        assert len({e["at"] for page in pages for e in page}) == 1

    async def test_each_read_is_audited(self, platform: Platform) -> None:
        await register(platform)
        assert len(await entries(platform, action=CREATE, resource=ENTERPRISES)) == 1
        [audited] = await entries(platform, action="audit.read")
        assert (audited["subject"], audited["role"], audited["result"]) == (
            "auditor:100000",
            "auditor",
            "success",
        )
        assert audited["resource"] == AUDIT_LOG
        assert audited["detail"] == {"action": CREATE, "resource": ENTERPRISES, "returned": 1}


@pytest.mark.services("registry", "training", "gateway", run_workers=False)
class TestEveryService:
    async def test_each_serves_its_own_log_to_auditors_only(self, platform: Platform) -> None:
        for name in ("registry", "training", "gateway"):
            path = f"/api/v1/{name}/audit-log"
            r = await platform[name].get(path, headers=platform.auth(**AUDITOR))
            assert r.status_code == 200, (name, r.text)
            r = await platform[name].get(path, headers=platform.auth("ministry"))
            assert r.status_code == 403, name
            pool = platform.apps[name].state.ctx.db.pool
            actions = await pool.fetch(f"SELECT action, result FROM {name}.audit_log ORDER BY id")
            assert [tuple(a) for a in actions] == [
                ("audit.read", "success"),
                (f"GET {path}", "denied"),
            ]


OTHERS = [
    ("ministry", "100000", None),
    ("province", "420000", None),
    ("city", "420100", None),
    ("province_system", "420000", None),
    ("enterprise", "420102", make_uscc("420100")),
    ("institution", "420102", "0190a3b4-0000-7000-8000-000000000001"),
]


class TestOthersAreRefused:
    @pytest.mark.parametrize(("role", "region", "org"), OTHERS, ids=[o[0] for o in OTHERS])
    async def test_403_and_the_denial_audited(
        self, platform: Platform, role: str, region: str, org: str | None
    ) -> None:
        r = await platform["registry"].get(
            AUDIT_LOG,
            params={"subject": f"{role}:{org or region}"},
            headers=platform.auth(role, region, org, scopes=("pii:read",)),
        )
        assert r.status_code == 403
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "FORBIDDEN"
        pool = platform.apps["registry"].state.ctx.db.pool
        [denial] = await pool.fetch("SELECT * FROM registry.audit_log")
        assert (denial["action"], denial["resource"], denial["result"]) == (
            f"GET {AUDIT_LOG}",
            AUDIT_LOG,
            "denied",
        )
        assert (denial["subject"], denial["role"]) == (f"{role}:{org or region}", role)
        assert denial["detail"] == {"code": "FORBIDDEN"}
        assert denial["request_id"] == r.headers["x-request-id"]

    async def test_the_role_is_checked_before_the_filters(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            AUDIT_LOG,
            params={"from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z", "cursor": "x"},
            headers=platform.auth("ministry"),
        )
        assert r.status_code == 403

    async def test_without_a_token_401(self, platform: Platform) -> None:
        r = await platform["registry"].get(AUDIT_LOG)
        assert r.status_code == 401
        pool = platform.apps["registry"].state.ctx.db.pool
        assert await pool.fetchval("SELECT result FROM registry.audit_log") == "denied"


def forged(document: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(document)).decode().rstrip("=")


BAD_FILTERS = [
    ({"from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}, 422, "TIME_RANGE_INVALID"),
    (
        {"from": "2026-12-01T08:00:00+08:00", "to": "2026-12-01T00:00:00Z"},
        422,
        "TIME_RANGE_INVALID",
    ),
    ({"cursor": "!!!"}, 400, "CURSOR_INVALID"),
    ({"cursor": "bm90IGpzb24"}, 400, "CURSOR_INVALID"),
    ({"cursor": forged([1])}, 400, "CURSOR_INVALID"),
    ({"cursor": forged(["yesterday", 1])}, 400, "CURSOR_INVALID"),
    ({"cursor": forged(["2026-12-01T00:00:00", 1])}, 400, "CURSOR_INVALID"),
    ({"cursor": forged(["2026-12-01T00:00:00+00:00", "1"])}, 400, "CURSOR_INVALID"),
    ({"cursor": forged(["0001-01-01T00:00:00+01:00", 1])}, 400, "CURSOR_INVALID"),
    ({"cursor": forged(["2026-12-01T00:00:00+00:00", 2**63])}, 400, "CURSOR_INVALID"),
    ({"from": "0001-01-01T00:00:00+01:00"}, 422, "DATETIME_OUT_OF_RANGE"),
    ({"to": "9999-12-31T23:59:59-01:00"}, 422, "DATETIME_OUT_OF_RANGE"),
    ({"from": "2026-13-45T00:00:00Z"}, 422, "DATETIME_FROM_DATE_PARSING"),
    ({"from": "1700000000"}, 422, "DATETIME_PARSING"),
    ({"from": "2026-12-01"}, 422, "DATETIME_PARSING"),
    ({"from": "2026-12-01T08:00:00"}, 422, "TIMEZONE_REQUIRED"),
    ({"limit": "0"}, 422, "GREATER_THAN_EQUAL"),
    ({"limit": "501"}, 422, "LESS_THAN_EQUAL"),
    ({"subject": "a\x00b"}, 422, "TEXT_CONTROL_CHARACTER"),
    ({"resource": "/" * 301}, 422, "TOO_LONG"),  # kit reports a Text too long so
]


class TestBadFilters:
    @pytest.mark.parametrize(("params", "status", "code"), BAD_FILTERS)
    async def test_problem_not_500(
        self, platform: Platform, params: dict[str, str], status: int, code: str
    ) -> None:
        r = await platform["registry"].get(
            AUDIT_LOG, params=params, headers=platform.auth(**AUDITOR)
        )
        assert r.status_code == status, r.text
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert code in [body["code"], *(e["code"] for e in body.get("errors", []))], body
        for error in body.get("errors", []):
            assert error["message"] != "取值无效", error  # a message that says what is wrong

    async def test_the_range_error_in_both_languages(self, platform: Platform) -> None:
        params = {"from": "2026-12-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
        r = await platform["registry"].get(
            AUDIT_LOG, params=params, headers=platform.auth(**AUDITOR)
        )
        same = "2026-12-01T00:00:00+00:00"
        assert r.json()["detail"] == f"结束时间 to（{same}）应晚于开始时间 from（{same}）"
        r = await platform["registry"].get(
            AUDIT_LOG, params=params, headers=platform.auth(**AUDITOR, **{"Accept-Language": "en"})
        )
        assert r.json()["detail"] == f"to ({same}) must be later than from ({same})"


# Each service's revision before its audit-log subject index (later ones may follow it).
BEFORE_SUBJECT_INDEX = {
    "registry": "8d2e5b7c1a94",
    "training": "5b8e2d4f7a13",
    "gateway": "6a3c9e1b4d53",
}


class TestSubjectIndex:
    @pytest.mark.parametrize("service", ["registry", "training", "gateway"])
    async def test_each_service_migrates_it_both_ways(
        self, database_url: str, service: str
    ) -> None:
        config = alembic_config(service, database_url)
        conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
        try:

            async def indexed() -> bool:
                return bool(
                    await conn.fetchval(
                        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)",
                        f"{service}.ix_audit_log_subject_at",
                    )
                )

            assert await indexed()
            await asyncio.to_thread(command.downgrade, config, BEFORE_SUBJECT_INDEX[service])
            assert not await indexed()
            await asyncio.to_thread(command.upgrade, config, "head")
            assert await indexed()
        finally:
            await conn.close()
