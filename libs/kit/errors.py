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
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

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


class FieldErrorBody(BaseModel):
    """One invalid field of a request, as rendered."""

    field: str = Field(description="字段路径，如 items.3.uscc；body 指整个请求体")
    code: str = Field(description="稳定的错误代码，如 USCC_INVALID")
    message: str


class ProblemBody(BaseModel):
    """Every error response (``application/problem+json``, RFC 9457)."""

    type: str
    title: str
    status: int
    code: str = Field(description="稳定的错误代码，如 ENTERPRISE_NOT_FOUND")
    detail: str = Field(description="中文（Accept-Language: en 时为英文）")
    instance: str | None = None
    errors: list[FieldErrorBody] | None = Field(None, description="逐字段的校验错误")


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
# A denial because of the caller's role, told apart from a region outside its jurisdiction
# (REGION_OUT_OF_SCOPE), so the message never sends a user looking for the wrong cause.
FORBIDDEN = Problem(
    "FORBIDDEN",
    403,
    "您的角色无权执行此操作",
    "Your role is not allowed to perform this action",
)
REGION_OUT_OF_SCOPE = Problem(
    "REGION_OUT_OF_SCOPE",
    403,
    "行政区划 {region} 不在您的管辖范围内",
    "Region {region} is outside your jurisdiction",
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
TIME_RANGE_INVALID = Problem(
    "TIME_RANGE_INVALID",
    422,
    "结束时间 to（{to}）应晚于开始时间 from（{since}）",
    "to ({to}) must be later than from ({since})",
)
HEADERS_TOO_LARGE = Problem(
    "HEADERS_TOO_LARGE",
    431,
    "请求头过大（合计不超过 {limit} KB）",
    "Request headers too large (at most {limit} KB in all)",
)
INTERNAL = Problem("INTERNAL", 500, "服务器内部错误，请稍后重试", "Internal server error")


def problem_response(request: Request, error: ProblemError) -> JSONResponse:
    lang = negotiate(request.headers.get("accept-language"))
    return JSONResponse(
        error.render(lang, request.url.path),
        status_code=error.problem.status,
        media_type=PROBLEM_JSON,
    )


# Pydantic's error types → Chinese messages (English comes from pydantic itself). A message
# says as much as pydantic's English: the limit or pattern from the error's context.
_PYDANTIC_ZH = {
    "missing": "必填字段缺失",
    "string_too_short": "长度不足（至少 {min_length} 个字符）",
    "string_too_long": "长度超出限制（最多 {max_length} 个字符）",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为布尔值（true 或 false）",
    "bool_type": "应为布尔值（true 或 false）",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "enum": "取值不在允许范围内，应为：{expected}",
    "literal_error": "取值不在允许范围内，应为：{expected}",
    "greater_than_equal": "数值应不小于 {ge}",
    "less_than_equal": "数值应不大于 {le}",
    "greater_than": "数值应大于 {gt}",
    "less_than": "数值应小于 {lt}",
    "extra_forbidden": "不允许的字段",
    "model_attributes_type": "应为对象",
    "model_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为数组",
    "too_short": "条目数不足（至少 {min_length} 项）",
    "too_long": "条目数超出限制（最多 {max_length} 项）",
    "decimal_max_places": "小数位数过多（最多 {decimal_places} 位）",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_whole_digits": "整数部分位数过多（最多 {whole_digits} 位）",
    "url_parsing": "网址格式错误",
    "url_type": "网址格式错误",
    "url_scheme": "网址应以 {expected_schemes} 开头",
    "url_too_long": "网址过长（最多 {max_length} 个字符）",
    "value_error": "取值无效：{error}",
    "string_pattern_mismatch": "格式不正确（应匹配 {pattern}）",
    "string_unicode": "应为有效的 UTF-8 文本",
}
_NULL_REFUSED = (
    "NULL_NOT_ALLOWED",
    "不能为 null：不需要修改时请省略该字段",
    "May not be null: leave the field out to keep its value",
)


def _zh(code: str, ctx: dict[str, Any]) -> str:
    template = _PYDANTIC_ZH.get(code)
    if template is None:
        return "取值无效"
    if "expected" in ctx:  # "'a', 'b' or 'c'" listed the Chinese way
        listed = str(ctx["expected"]).replace(" or ", ", ").split(", ")
        ctx = {**ctx, "expected": "、".join(listed)}
    try:
        return template.format(**ctx)
    except KeyError:  # pydantic gives these details; a custom error may not
        return "取值无效"


def field_errors_from_pydantic(errors: Any) -> list[FieldError]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        ctx = err.get("ctx") or {}
        code = str(err.get("type", "invalid"))
        en = str(err.get("msg", "Invalid value"))
        if code.endswith("_type") and "input" in err and err["input"] is None:
            code, zh, en = _NULL_REFUSED
        else:
            zh = ctx.get("zh") or _zh(code, ctx)
        out.append(FieldError(".".join(loc) or "body", code.upper(), str(zh), en))
    return out


def _json_position(document: object, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of a character offset in the request body."""
    text = document if isinstance(document, str) else ""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _malformed_json(exc: RequestValidationError) -> FieldError | None:
    """FastAPI reports a body that is not JSON at ``("body", offset)``: a position, not a
    field called "9"."""
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            offset = next((p for p in err.get("loc", ()) if isinstance(p, int)), 0)
            line, column = _json_position(exc.body, offset)
            reason = (err.get("ctx") or {}).get("error", "invalid JSON")
            return FieldError(
                "body",
                "JSON_INVALID",
                f"JSON 格式错误：第 {line} 行第 {column} 列（偏移量 {offset}）：{reason}",
                f"Malformed JSON at line {line}, column {column} (offset {offset}): {reason}",
            )
    return None


# Statuses Starlette and FastAPI raise themselves (HTTPException), in both languages.
_HTTP_PROBLEMS = {
    400: Problem("BODY_UNREADABLE", 400, "请求体无法解析", "The request body could not be parsed"),
    404: ROUTE_NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    413: Problem("BODY_TOO_LARGE", 413, "请求体过大", "The request body is too large"),
}


def _allowed_methods(request: Request) -> list[str]:
    """Every method the path has: Starlette names only those of the first route matching
    it, and a path's GET and PATCH are two routes."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    """Problems, validation and HTTP errors rendered as problem+json. Unexpected exceptions
    are rendered by ``kit.app``'s middleware, which keeps the connection open."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        malformed = _malformed_json(exc)
        errors = [malformed] if malformed else field_errors_from_pydantic(exc.errors())
        return problem_response(request, VALIDATION_FAILED(errors=errors))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem = _HTTP_PROBLEMS.get(exc.status_code)
        if problem is None:
            problem = Problem(
                "HTTP_ERROR",
                exc.status_code,
                f"请求错误（HTTP {exc.status_code}）：{exc.detail}",
                str(exc.detail),
            )
        response = problem_response(request, problem())
        response.headers.update(exc.headers or {})  # 401's WWW-Authenticate
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
        return response

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
