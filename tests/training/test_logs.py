"""A database error puts no personal data into any log: not the application's (parameters,
the server's DETAIL as the driver quotes it) and not PostgreSQL's ("Failing row contains",
"Key (…)=(…)")."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import pytest
from kit.infra import Infrastructure
from kit.testing import Platform

from tests.factories import make_id_number
from tests.fixtures.training import API, little_giant, trainee_body

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


def secrets_of(platform: Platform, id_number: str) -> list[str]:
    pii = platform.apps["training"].state.ctx.pii
    index = pii.blind_index(id_number, context="trainee.id_number").hex()
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
