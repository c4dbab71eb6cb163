"""What a real server does with errors: connections kept, headers bounded (``kit.app``)."""

from __future__ import annotations

import http.client
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from kit.app import MAX_HEADER_BYTES, create_app
from kit.settings import Settings
from kit.web import service_router
from registry.models import kit_tables

from tests.servers import serving

FAILING = "/api/v1/test/failing"


def app_with_a_bug(settings: Settings) -> FastAPI:
    router = service_router("/api/v1/test")

    @router.get("/failing")
    async def failing(name: str = "") -> dict[str, str]:
        raise RuntimeError(f"Failing row contains ({name})")  # as a database error does

    @router.post("/failing")
    async def failing_write(name: str = "") -> dict[str, str]:
        raise KeyError(name)

    return create_app(
        name="registry",
        title="registry with a bug",
        tables=kit_tables,
        routers=[router],
        settings=settings,
        run_workers=False,
    )


@pytest.fixture
def connection(settings: Settings) -> Iterator[http.client.HTTPConnection]:
    with serving(app_with_a_bug(settings)) as base_url:
        address = urlsplit(base_url)
        conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
        yield conn
        conn.close()


def token_header(settings: Settings) -> dict[str, str]:
    from kit.auth import issue_token

    return {"Authorization": f"Bearer {issue_token(settings, role='ministry', region='100000')}"}


def send(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


class TestUnexpectedErrors:
    @pytest.mark.parametrize("method", ["GET", "POST"])
    def test_a_500_is_a_problem_and_the_connection_serves_the_next_request(
        self, connection: http.client.HTTPConnection, settings: Settings, method: str
    ) -> None:
        headers = token_header(settings)
        status, response_headers, body = send(connection, method, FAILING, headers)
        assert status == 500
        assert response_headers["content-type"] == "application/problem+json"
        assert b'"code":"INTERNAL"' in body
        assert response_headers.get("connection") != "close"
        opened = connection.sock
        status, _, body = send(connection, "GET", "/healthz", {})
        assert status == 200, body
        assert connection.sock is opened  # the same connection, not a new one

    def test_the_log_names_the_error_but_not_its_message(
        self,
        connection: http.client.HTTPConnection,
        settings: Settings,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        with caplog.at_level(logging.ERROR, logger="kit.app"):
            send(connection, "GET", f"{FAILING}?name=Zhang+San", token_header(settings))
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "RuntimeError" in logged and FAILING in logged
        assert "Zhang San" not in logged


class TestHeaderLimit:
    def test_headers_over_the_limit_are_431_and_the_connection_stays(
        self, connection: http.client.HTTPConnection
    ) -> None:
        status, headers, body = send(
            connection, "GET", "/healthz", {"X-Padding": "x" * (MAX_HEADER_BYTES + 1)}
        )
        assert status == 431
        assert headers["content-type"] == "application/problem+json"
        assert b"HEADERS_TOO_LARGE" in body
        assert send(connection, "GET", "/healthz", {"X-Padding": "x" * 1000})[0] == 200
