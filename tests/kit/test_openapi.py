"""Each service's OpenAPI document and its pages (``kit.openapi``)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.routing import APIRoute
from kit.testing import Platform
from kit.web import UnitOfWorkRoute
from pydantic import BaseModel

SERVICES = ["registry", "training", "diagnosis", "innovation", "gateway"]
PROBLEM = {"$ref": "#/components/schemas/Problem"}


pytestmark = pytest.mark.services(*SERVICES, run_workers=False)


async def documents(platform: Platform) -> dict[str, dict[str, Any]]:
    return {name: (await platform[name].get("/openapi.json")).json() for name in SERVICES}


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


class TestDocument:
    async def test_errors_are_documented_as_problems_not_fastapi_details(
        self, platform: Platform
    ) -> None:
        for name, doc in (await documents(platform)).items():
            schemas = doc["components"]["schemas"]
            assert "HTTPValidationError" not in schemas, name
            assert {"type", "title", "status", "code", "detail"} <= set(
                schemas["Problem"]["required"]
            )
            for path, method, op in operations(doc):
                if "security" not in op:
                    continue
                for status in ("400", "401", "403", "404", "409", "422"):
                    content = op["responses"][status]["content"]
                    assert content == {"application/problem+json": {"schema": PROBLEM}}, (
                        name,
                        method,
                        path,
                        status,
                    )

    async def test_every_authenticated_operation_names_the_bearer_scheme(
        self, platform: Platform
    ) -> None:
        for name, doc in (await documents(platform)).items():
            scheme = doc["components"]["securitySchemes"]["bearer"]
            assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
            routes = {
                (route.path, method.lower()): isinstance(route, UnitOfWorkRoute)
                for route in platform.apps[name].routes
                if isinstance(route, APIRoute) and route.include_in_schema
                for method in route.methods
            }
            for path, method, op in operations(doc):
                authenticated = routes[(path, method)]
                assert ("security" in op) == authenticated, (name, method, path)
                if authenticated:
                    assert op["security"] == [{"bearer": []}]
            assert "security" not in doc["paths"]["/healthz"]["get"]

    async def test_operation_ids_are_the_service_and_the_endpoint_function(
        self, platform: Platform
    ) -> None:
        docs = await documents(platform)
        ids = [op["operationId"] for doc in docs.values() for _, _, op in operations(doc)]
        assert len(ids) == len(set(ids))
        registry = docs["registry"]["paths"]
        assert (
            registry["/api/v1/registry/enterprises/{uscc}"]["patch"]["operationId"]
            == "registry_update_enterprise"
        )
        assert all(i.split("_", 1)[0] in SERVICES for i in ids)

    async def test_every_json_request_body_has_an_example_the_api_accepts(
        self, platform: Platform
    ) -> None:
        for name, app in platform.apps.items():
            doc = (await platform[name].get("/openapi.json")).json()
            for route in app.routes:
                if not isinstance(route, APIRoute) or route.body_field is None:
                    continue
                model = route.body_field.field_info.annotation
                if not (isinstance(model, type) and issubclass(model, BaseModel)):
                    continue
                if route.body_field.field_info.media_type != "application/json":
                    continue  # a spreadsheet upload
                schema = doc["components"]["schemas"][model.__name__]
                assert schema.get("examples"), (name, route.path)
                for example in schema["examples"]:
                    model.model_validate(example)


ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


class TestPages:
    @pytest.mark.parametrize("page", ["/docs", "/redoc"])
    async def test_pages_and_every_asset_they_reference_come_from_the_service(
        self, platform: Platform, page: str
    ) -> None:
        for name in SERVICES:
            client = platform[name]
            r = await client.get(page)
            assert r.status_code == 200
            html = r.text
            assets = ASSET.findall(html)
            assert any(a.endswith(".js") for a in assets), (name, page)
            for asset in assets:
                url = urljoin(f"{client.base_url}{page}", asset)
                assert urlsplit(url).hostname == client.base_url.host, (name, page, asset)
                loaded = await client.get(url)
                assert loaded.status_code == 200, (name, asset)
                assert len(loaded.content) > 1000, (name, asset)
            assert not re.search(r"https?://", re.sub(r"<!--.*?-->", "", html, flags=re.S))
