"""Every service's OpenAPI document, fuzzed (schemathesis): no 5xx, nothing undocumented.

Bounded for the suite: a few derandomized examples per operation, valid and invalid, against
each service behind a real server, with a ministry token that may read personal data.
"""

from __future__ import annotations

import hypothesis
import pytest
import requests
import schemathesis
from kit.auth import issue_token
from kit.settings import Settings
from schemathesis import GenerationMode, checks

from tests.servers import service_app, serving

SERVICES = ["registry", "training", "diagnosis", "innovation", "gateway"]
EXAMPLES_PER_OPERATION = 2
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.mark.parametrize("service", SERVICES)
def test_no_server_error_and_nothing_undocumented(settings: Settings, service: str) -> None:
    token = issue_token(settings, role="ministry", region="100000", scopes=["pii:read"])
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    with serving(service_app(settings, service)) as base_url, requests.Session() as session:
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
                @hypothesis.settings(
                    max_examples=EXAMPLES_PER_OPERATION,
                    deadline=None,
                    derandomize=True,
                    database=None,
                    suppress_health_check=list(hypothesis.HealthCheck),
                    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                )
                def call(case: schemathesis.Case) -> None:
                    case.call_and_validate(session=session, headers=headers, checks=CHECKS)

                try:
                    call()
                except hypothesis.errors.Unsatisfiable:
                    pass  # nothing of this operation can be made invalid
                except BaseExceptionGroup as exc:  # schemathesis' failures
                    failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
