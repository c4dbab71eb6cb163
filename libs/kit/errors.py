"""Problem+json errors (RFC 9457) with stable codes and Chinese / English messages.

A service declares its problems once (``NOT_FOUND = Problem(...)``) and raises them
(``raise NOT_FOUND(resource="企业")``); kit renders every one the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kit.i18n import Lang, negotiate, pick

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://zjtx.miit.gov.cn/problems/"


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    zh: str
    en: str

    def render(self, lang: Lang) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": pick(lang, self.zh, self.en)}


@dataclass(frozen=True)
class Problem:
    """A problem type: stable code, HTTP status, message templates (``{name}`` params)."""

    code: str
    status: int
    zh: str
    en: str

    def __call__(self, *, errors: list[FieldError] | None = None, **params: Any) -> ProblemError:
        return ProblemError(self, params, errors or [])


@dataclass
class ProblemError(Exception):
    problem: Problem
    params: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.problem.code}: {self.detail('en')}"

    def detail(self, lang: Lang) -> str:
        template = pick(lang, self.problem.zh, self.problem.en)
        return template.format(**self.params) if self.params else template

    def render(self, lang: Lang, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.problem.code.lower().replace("_", "-"),
            "title": self.detail(lang),
            "status": self.problem.status,
            "code": self.problem.code,
            "detail": self.detail(lang),
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.render(lang) for e in self.errors]
        return body


# Problems every service shares.
VALIDATION_FAILED = Problem(
    "VALIDATION_FAILED", 422, "请求数据校验失败", "Request validation failed"
)
NOT_FOUND = Problem("NOT_FOUND", 404, "{resource}不存在", "{resource_en} not found")
ROUTE_NOT_FOUND = Problem("ROUTE_NOT_FOUND", 404, "接口不存在", "No such endpoint")
METHOD_NOT_ALLOWED = Problem("METHOD_NOT_ALLOWED", 405, "不支持的请求方法", "Method not allowed")
UNAUTHENTICATED = Problem(
    "UNAUTHENTICATED", 401, "未认证或令牌无效：{reason_zh}", "Not authenticated: {reason}"
)
# A denial because of the caller's role; a region outside its jurisdiction is each service's
# REGION_OUT_OF_SCOPE, so the message never sends a user looking for the wrong cause.
FORBIDDEN = Problem(
    "FORBIDDEN",
    403,
    "您的角色无权执行此操作",
    "Your role is not allowed to perform this action",
)
CONFLICT = Problem("CONFLICT", 409, "数据冲突：{reason}", "Conflict: {reason}")
IDEMPOTENCY_KEY_REUSED = Problem(
    "IDEMPOTENCY_KEY_REUSED",
    422,
    "幂等键已用于内容不同的请求",
    "The Idempotency-Key was already used with a different request",
)
IDEMPOTENCY_KEY_OTHER_GRANTS = Problem(
    "IDEMPOTENCY_KEY_OTHER_GRANTS",
    422,
    "幂等键已由权限不同的令牌使用，请换用新的幂等键",
    "The Idempotency-Key was used by a token with other grants; use a new key",
)
IDEMPOTENCY_KEY_INVALID = Problem(
    "IDEMPOTENCY_KEY_INVALID",
    400,
    "幂等键格式无效（1–200 个可见字符）",
    "Invalid Idempotency-Key (1–200 visible characters)",
)
CURSOR_INVALID = Problem("CURSOR_INVALID", 400, "分页游标无效", "Invalid pagination cursor")
INTERNAL = Problem("INTERNAL", 500, "服务器内部错误，请稍后重试", "Internal server error")


def problem_response(request: Request, error: ProblemError) -> JSONResponse:
    lang = negotiate(request.headers.get("accept-language"))
    return JSONResponse(
        error.render(lang, request.url.path),
        status_code=error.problem.status,
        media_type=PROBLEM_JSON,
    )


# Pydantic's error types → Chinese messages (English comes from pydantic itself).
_PYDANTIC_ZH = {
    "missing": "必填字段缺失",
    "string_too_short": "长度不足",
    "string_too_long": "长度超出限制",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为布尔值",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "extra_forbidden": "不允许的字段",
    "json_invalid": "JSON 格式错误",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为数组",
    "too_short": "条目数不足",
    "too_long": "条目数超出限制",
    "decimal_max_places": "小数位数过多",
    "url_parsing": "网址格式错误",
    "value_error": "取值无效",
    "string_pattern_mismatch": "格式不正确",
}


def field_errors_from_pydantic(errors: Any) -> list[FieldError]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        ctx = err.get("ctx") or {}
        code = str(err.get("type", "invalid"))
        en = str(err.get("msg", "Invalid value"))
        zh = ctx.get("zh") or _PYDANTIC_ZH.get(code, "取值无效")
        if "expected" in ctx and code in ("enum", "literal_error"):
            zh = f"{zh}：{ctx['expected']}"
        out.append(FieldError(".".join(loc) or "body", code.upper(), str(zh), en))
    return out


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            request, VALIDATION_FAILED(errors=field_errors_from_pydantic(exc.errors()))
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem = {404: ROUTE_NOT_FOUND, 405: METHOD_NOT_ALLOWED}.get(exc.status_code)
        if problem is None:
            problem = Problem("HTTP_ERROR", exc.status_code, str(exc.detail), str(exc.detail))
        return problem_response(request, problem())

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, INTERNAL())

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
