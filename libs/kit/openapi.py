"""The OpenAPI document and its pages: what a client generator and a person can use.

FastAPI documents ``{"detail": [...]}`` for 422 and nothing else; every error here is
problem+json. The document gets the Problem schema and its 4xx responses on each operation,
the bearer scheme on each authenticated one (Swagger's Authorize), and operation ids that
do not change with paths. /docs and /redoc are served with their assets from the service
itself: government intranets are often offline, and a CDN page renders blank there.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from kit.errors import PROBLEM_JSON, ProblemBody
from kit.web import UnitOfWorkRoute

BEARER = "bearer"
ASSETS = "/docs/assets"
# fastapi-offline ships swagger-ui-dist and redoc's standalone bundle; only its files are used.
_ASSET_DIR = resources.files("fastapi_offline") / "static"

# What each documented status means on an authenticated operation.
AUTHENTICATED_ERRORS = {
    400: "请求无效（如分页游标、幂等键） / bad request (cursor, Idempotency-Key)",
    401: "未认证或令牌无效 / not authenticated",
    403: "无权执行此操作 / not allowed",
    404: "资源不存在或不在管辖范围内 / not found or outside your jurisdiction",
    409: "数据冲突 / conflict",
    422: "请求数据校验失败 / validation failed",
}
PUBLIC_ERRORS = {422: AUTHENTICATED_ERRORS[422]}


def install(app: FastAPI, service: str) -> None:
    """The problem-aware document at /openapi.json, and /docs and /redoc served offline.

    Operation ids are ``<service>_<endpoint function>``: unique, and unchanged when a path
    is (FastAPI's own join function, path and method).
    """
    for route in app.routes:
        if isinstance(route, APIRoute) and route.operation_id is None:
            route.operation_id = f"{service}_{route.name}"

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(app)
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
    _serve_pages(app)


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _document(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    problem = ProblemBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    components["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "令牌（zjtx token 签发） / a token from `zjtx token`",
        }
    }
    authenticated = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, UnitOfWorkRoute)
        for method in route.methods or ()
    }
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if operation.pop("x-problem-errors", True) is False:
                continue  # an operation answering in another documented format (OAuth's)
            if (path, method) in authenticated:
                operation["security"] = [{BEARER: []}]
                errors = AUTHENTICATED_ERRORS
            elif operation.get("parameters") or operation.get("requestBody"):
                errors = PUBLIC_ERRORS
            else:
                errors = {}
            responses.pop("422", None)
            for status, description in errors.items():
                responses[str(status)] = _problem_response(description)
    return doc


def _serve_pages(app: FastAPI) -> None:
    assert app.openapi_url is not None
    openapi_url = app.openapi_url
    redirect_url = "/docs/oauth2-redirect"
    app.mount(ASSETS, StaticFiles(directory=str(_ASSET_DIR)), name="docs-assets")

    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} — Swagger UI",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            oauth2_redirect_url=root + redirect_url,
            # No online validator badge (it calls validator.swagger.io); tokens survive reloads.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )

    async def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} — ReDoc",
            redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS}/favicon.png",
            with_google_fonts=False,
        )

    app.add_api_route("/docs", swagger, include_in_schema=False)
    app.add_api_route(redirect_url, swagger_redirect, include_in_schema=False)
    app.add_api_route("/redoc", redoc, include_in_schema=False)
