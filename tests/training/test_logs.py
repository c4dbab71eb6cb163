"""Personal data stays out of every log. A database error puts none into the application's
log (parameters, the server's DETAIL as the driver quotes it) or PostgreSQL's ("Failing row
contains", "Key (…)=(…)"); requests carrying ID numbers, phones and emails put none into any
service's audit log, events or log records (DESIGN.md §4 PII)."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import pytest
from kit.infra import Infrastructure
from kit.testing import Platform, eventually

from tests.factories import make_id_number
from tests.fixtures.training import (
    API,
    enroll,
    little_giant,
    scheduled_class,
    trainee_body,
    training_institution,
)
from tests.registry.test_contacts import CONTACTS, EMAIL, MOBILE, contact

pytestmark = pytest.mark.services("registry", "training")

HUBEI = {"role": "province", "region": "420000"}
NAME, ADDRESS = "欧阳测试", "武汉市洪山区珞喻路1037号"
ETHNICITY, POLITICAL = "土家族", "九三学社社员"


def person(uscc: str, id_number: str) -> dict[str, Any]:
    return trainee_body(
        uscc,
        name=NAME,
        address=ADDRESS,
        ethnicity=ETHNICITY,
        political_status=POLITICAL,
        id_number=id_number,
    )


async def post_and_capture(platform: Platform, body: dict[str, Any]) -> str:
    """What a log would get from this request: the response, or the traceback a server
    logs for an exception that escapes the app."""
    try:
        r = await platform["training"].post(
            f"{API}/trainees", json=body, headers=platform.auth(**HUBEI)
        )
    except Exception as exc:
        return "".join(traceback.format_exception(exc))
    assert r.status_code >= 500, r.text
    return r.text


def id_index(platform: Platform, id_number: str) -> str:
    pii = platform.apps["training"].state.ctx.pii
    return pii.blind_index(id_number, context="trainee.id_number").hex()


def secrets_of(platform: Platform, id_number: str) -> list[str]:
    index = id_index(platform, id_number)
    return [NAME, ADDRESS, ETHNICITY, POLITICAL, id_number, index, "13912345678"]


def server_log(infra: Infrastructure, since: int) -> str | None:
    if infra.postgres is None or infra.postgres.log is None:
        return None  # an external server: its log is not ours to read
    return infra.postgres.log.read_bytes()[since:].decode(errors="replace")


def server_log_size(infra: Infrastructure) -> int:
    log = infra.postgres.log if infra.postgres else None
    return log.stat().st_size if log and log.exists() else 0


class TestDatabaseErrorsLogNoPii:
    async def test_parameters_of_a_failed_statement(
        self, platform: Platform, infra: Infrastructure, caplog: pytest.LogCaptureFixture
    ) -> None:
        uscc = await little_giant(platform)
        pool = platform.apps["training"].state.ctx.db.pool
        # A column narrower than the schema allows: the INSERT fails with all its parameters.
        await pool.execute("ALTER TABLE training.trainees ALTER COLUMN address TYPE varchar(4)")
        id_number = make_id_number()
        caplog.set_level(logging.DEBUG)
        since = server_log_size(infra)
        seen = await post_and_capture(platform, person(uscc, id_number)) + caplog.text
        for secret in secrets_of(platform, id_number):
            assert secret not in seen
        assert "22001" in seen  # the error is there, with its code and statement
        assert "INSERT INTO training.trainees" in seen
        logged = server_log(infra, since)
        if logged is not None:
            assert "value too long" in logged
            for secret in secrets_of(platform, id_number):
                assert secret not in logged

    async def test_row_contents_in_the_servers_detail(
        self, platform: Platform, infra: Infrastructure, caplog: pytest.LogCaptureFixture
    ) -> None:
        uscc = await little_giant(platform)
        pool = platform.apps["training"].state.ctx.db.pool
        # Checked at commit, so no service code can catch it: the DETAIL names the values.
        await pool.execute(
            "ALTER TABLE training.trainees ADD CONSTRAINT probe_one_per_address "
            "UNIQUE (name, address) DEFERRABLE INITIALLY DEFERRED"
        )
        first = await platform["training"].post(
            f"{API}/trainees",
            json=person(uscc, make_id_number()),
            headers=platform.auth(**HUBEI),
        )
        assert first.status_code == 201, first.text
        id_number = make_id_number()
        caplog.set_level(logging.DEBUG)
        since = server_log_size(infra)
        seen = await post_and_capture(platform, person(uscc, id_number)) + caplog.text
        for secret in secrets_of(platform, id_number):
            assert secret not in seen
        assert "23505" in seen and "probe_one_per_address" in seen
        logged = server_log(infra, since)
        if logged is not None:
            assert "probe_one_per_address" in logged
            assert "DETAIL" not in logged
            for secret in secrets_of(platform, id_number):
                assert secret not in logged


SERVICES = ("registry", "training", "gateway")
TRAINEE_MOBILE, TRAINEE_EMAIL = "13787654321", "ouyang.test@example.com"


async def everything_kept(platform: Platform, table: str, column: str) -> str:
    """Every row of ``table`` (``column`` of it, or the whole row) in every service, as text."""
    kept = []
    for name in SERVICES:
        pool = platform.apps[name].state.ctx.db.pool
        kept.append(
            await pool.fetchval(
                f"SELECT coalesce(string_agg({column}::text, ' '), '') FROM {name}.{table} t"
            )
        )
    return "\n".join(kept)


@pytest.mark.services(*SERVICES)
class TestRequestsLeaveNoPii:
    async def test_not_in_audit_rows_events_or_logs(
        self, platform: Platform, infra: Infrastructure, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        since = server_log_size(infra)
        training, registry = platform["training"], platform["registry"]
        uscc = await little_giant(platform)
        id_number = make_id_number()
        body = person(uscc, id_number) | {"mobile": TRAINEE_MOBILE, "email": TRAINEE_EMAIL}
        r = await training.post(f"{API}/trainees", json=body, headers=platform.auth(**HUBEI))
        assert r.status_code == 201, r.text
        trainee_id = r.json()["id"]
        # Refused requests carrying the same data are audited too.
        r = await training.post(f"{API}/trainees", json=body, headers=platform.auth(**HUBEI))
        assert r.status_code == 409, r.text
        invalid = body | {"email": "ouyang@localhost"}
        r = await training.post(f"{API}/trainees", json=invalid, headers=platform.auth(**HUBEI))
        assert r.status_code == 422, r.text
        unmasked = platform.auth(**HUBEI, scopes=("pii:read",))
        r = await training.get(f"{API}/trainees/{trainee_id}", headers=unmasked)
        assert (r.json()["id_number"], r.json()["mobile"]) == (id_number, TRAINEE_MOBILE)
        cls = await scheduled_class(platform, await training_institution(platform))
        r = await enroll(platform, cls["id"], trainee_id)
        assert r.status_code == 201, r.text
        r = await registry.post(CONTACTS, json=contact(), headers=platform.auth(**HUBEI))
        assert r.status_code == 201, r.text
        r = await registry.get(f"{CONTACTS}/{r.json()['id']}", headers=unmasked)
        assert (r.json()["mobile"], r.json()["email"]) == (MOBILE, EMAIL)

        async def all_delivered() -> bool:
            """Every event published, and the gateway's training read model fed."""
            unpublished = 0
            for name in SERVICES:
                pool = platform.apps[name].state.ctx.db.pool
                unpublished += await pool.fetchval(
                    f"SELECT count(*) FROM {name}.outbox WHERE published_at IS NULL"
                )
            pool = platform.apps["gateway"].state.ctx.db.pool
            fed = await pool.fetchval("SELECT count(*) FROM gateway.training_enrollments")
            return unpublished == 0 and fed == 1

        await eventually(all_delivered, message="events delivered")
        audited = await everything_kept(platform, "audit_log", "t")
        assert audited.count("pii.read") == 2 and "TRAINEE_EXISTS" in audited
        events = await everything_kept(platform, "outbox", "payload")
        emitted = await everything_kept(platform, "outbox", "subject")
        for subject in ("training.trainee.registered", "training.enrollment.", "registry.contact."):
            assert f"zjtx.{subject}" in emitted
        read_back = [
            (
                await platform[name].get(
                    f"/api/v1/{name}/audit-log", headers=platform.auth("auditor")
                )
            ).text
            for name in SERVICES
        ]
        logged = caplog.text
        assert "POST http://training/api/v1/training/trainees" in logged  # the capture works
        server = server_log(infra, since) or ""
        index = id_index(platform, id_number)
        secrets = [id_number, index, TRAINEE_MOBILE, TRAINEE_EMAIL, MOBILE, EMAIL]
        for secret in secrets:
            for where, text in [
                ("audit log", audited),
                ("events", events),
                ("audit log as read", "".join(read_back)),
                ("log records", logged),
                ("PostgreSQL's log", server),
            ]:
                assert secret not in text, (secret, where)
