"""Auth routes: the ministry's client registry and key rotation; the token endpoint and the
JWK Set, which are public (a client authenticates with its own credentials, not a token)."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated, Any
from urllib.parse import parse_qsl, unquote_plus

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from kit import audit, clock
from kit.auth import Principal, Role
from kit.context import ServiceContext
from kit.fields import UnitCode
from kit.i18n import negotiate
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, Session, require, service_router

from gateway.auth import errors as oauth
from gateway.auth import keyring, service
from gateway.auth.errors import NO_STORE, OAuthError
from gateway.auth.schemas import (
    ClientCreate,
    ClientCreated,
    ClientRead,
    JwkSet,
    KeyRotation,
    OAuthErrorBody,
    TokenResponse,
)

PREFIX = "/api/v1/auth"
TAGS: list[Any] = ["auth 认证"]
router = service_router(PREFIX, TAGS)
public = APIRouter(prefix=PREFIX, tags=TAGS)  # no bearer token, no unit of work
Ministry = Annotated[Principal, Depends(require(Role.MINISTRY))]


@router.post("/clients", status_code=201, response_model=ClientCreated)
async def register_client(
    payload: ClientCreate, session: Session, principal: Ministry, response: Response
) -> ClientCreated:
    """登记省级系统（部级）。``client_secret`` 只在此响应中出现一次，平台只保存其哈希值；
    遗失后只能吊销并重新登记。

    Register a provincial system (ministry only). The secret appears in this response once.
    """
    created = await service.register(session, principal, payload)
    response.headers["Location"] = f"{PREFIX}/clients/{created.client_id}"
    response.headers.update(NO_STORE)
    return created


@router.get("/clients", response_model=Page[ClientRead])
async def list_clients(
    session: Session,
    principal: Ministry,
    unit: Annotated[UnitCode | None, Query(description="单位代码")] = None,
    include_revoked: Annotated[bool, Query(description="含已吊销的客户端")] = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ClientRead]:
    """已登记的省级系统（不含密钥）。"""
    return await service.search(
        session, unit=unit, include_revoked=include_revoked, cursor=cursor, limit=limit
    )


@router.delete("/clients/{client_id}", status_code=204, response_class=Response)
async def revoke_client(client_id: uuid.UUID, session: Session, principal: Ministry) -> Response:
    """吊销：此后不再为其签发令牌；已签发的令牌在有效期（默认 15 分钟）结束时失效。"""
    await service.revoke(session, client_id)
    return Response(status_code=204)


@router.post("/keys:rotate", response_model=KeyRotation)
async def rotate_signing_key(ctx: Context, session: Session, principal: Ministry) -> KeyRotation:
    """轮换令牌签名密钥（部级）：新密钥立即用于签发；旧密钥停止签发，但其公钥保留在 JWKS 中，
    直到它签发的令牌全部过期，各服务在此期间继续验证这些令牌。

    Rotate the signing key: new tokens carry the new kid at once; the old key stays in the
    JWK Set until every token it signed has expired.
    """
    return await keyring.rotate(session, ctx, clock.now())


@public.get("/jwks", response_model=JwkSet)
async def jwks(request: Request) -> dict[str, Any]:
    """令牌签名公钥（RFC 7517 JWK Set，无需认证）：当前签名密钥、轮换后仍在验证期内的旧密钥，
    以及本部署的本地密钥。按令牌头部的 ``kid`` 选用。

    Every public key a valid token may be signed with, by ``kid`` (no authentication).
    """
    ctx: ServiceContext = request.state.ctx
    async with ctx.db.sessions() as session:
        return await keyring.jwk_set(session, ctx, clock.now())


FORM = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 4096
MAX_FORM_FIELDS = 16
TOKEN_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {
                            "type": "string",
                            "description": "不用 HTTP Basic 时在此提供",
                        },
                        "client_secret": {
                            "type": "string",
                            "description": "不用 HTTP Basic 时在此提供",
                        },
                    },
                }
            }
        },
    },
    # OAuth's own error format, not problem+json (kit.openapi leaves these responses alone).
    "x-problem-errors": False,
}


def _oauth_error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"model": OAuthErrorBody, "description": description, "headers": headers or {}}


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


TOKEN_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Cache-Control": _header("no-store")}},
    400: _oauth_error("invalid_request / unsupported_grant_type / invalid_scope"),
    401: _oauth_error(
        "invalid_client：客户端认证失败（未知、已吊销或密钥错误）",
        {"WWW-Authenticate": _header('Basic realm="zjtx"')},
    ),
    429: _oauth_error(
        "slow_down：密钥错误次数过多，稍后再试（不检查密钥）",
        {"Retry-After": _header("秒 / seconds")},
    ),
}


@public.post(
    "/token",
    response_model=TokenResponse,
    responses=TOKEN_RESPONSES,
    openapi_extra=TOKEN_FORM,
)
async def token(request: Request) -> Response:
    """省级系统获取访问令牌：OAuth 2.0 客户端凭据模式（RFC 6749 §4.4）。表单
    ``grant_type=client_credentials``，客户端以 HTTP Basic（``client_id:client_secret``）或表单
    参数 ``client_id``、``client_secret`` 认证（二者择一）。令牌角色为 ``province_system``，
    行政区划为其单位，有效期默认 15 分钟，到期重新获取。

    **错误格式为 OAuth 的（RFC 6749 §5.2：``error``、``error_description``），不是
    problem+json**；``detail`` 为中文说明（``Accept-Language: en`` 时为英文）。连续密钥错误达到
    上限后返回 429 与 ``Retry-After``（等待时间逐次加倍，有上限），期间不检查密钥。

    OAuth 2.0 client credentials (RFC 6749 §4.4), by HTTP Basic or form parameters. Errors are
    OAuth's (RFC 6749 §5.2), not problem+json.
    """
    ctx: ServiceContext = request.state.ctx
    lang = negotiate(request.headers.get("accept-language"))
    try:
        form = await _form(request)
        if "grant_type" not in form:
            raise oauth.invalid_request("grant_type is required", "缺少 grant_type")
        if form["grant_type"] != "client_credentials":
            raise oauth.unsupported_grant_type()
        if "scope" in form:
            raise oauth.invalid_scope()
        client_id, secret = await _client_credentials(request, form)
        async with ctx.db.sessions() as session:
            issued = await service.grant(
                session, ctx, request.state, client_id, secret, clock.now()
            )
            await session.commit()
        if isinstance(issued, OAuthError):
            raise issued
    except OAuthError as exc:
        return JSONResponse(exc.body(lang), status_code=exc.status, headers=exc.response_headers())
    return JSONResponse(issued.model_dump(), headers=NO_STORE)


async def _form(request: Request) -> dict[str, str]:
    """The form's parameters; one sent without a value counts as omitted (RFC 6749 §3.1)."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM:
        raise oauth.invalid_request(f"the body must be {FORM}", f"请求体应为 {FORM} 表单")
    body = b""
    async for chunk in request.stream():  # never more than the limit read into memory
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise oauth.invalid_request("the body is too large", "请求体过大")
    try:
        pairs = parse_qsl(
            body.decode(),
            keep_blank_values=True,
            max_num_fields=MAX_FORM_FIELDS,
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise oauth.invalid_request("malformed form body", "表单格式无效") from exc
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise oauth.invalid_request("a parameter is repeated", "参数重复")
        if value:
            form[name] = value
    return form


async def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """The client's id and secret, by HTTP Basic or by form (RFC 6749 §2.3.1: one of them).
    What is not even a credential is refused (and audited) here; the rest by the service."""
    authorization = request.headers.get("authorization")
    in_form = "client_id" in form or "client_secret" in form
    try:
        if authorization is None:
            if "client_id" not in form or "client_secret" not in form:
                raise oauth.invalid_client(
                    "client credentials missing", "缺少客户端凭据（client_id 与 client_secret）"
                )
            return form["client_id"], form["client_secret"]
        if in_form:
            raise oauth.invalid_request(
                "authenticate the client one way: HTTP Basic or form parameters",
                "客户端认证只能用一种方式：HTTP Basic 或表单参数",
            )
        return _basic(authorization)
    except OAuthError as exc:
        if exc.error == "invalid_client":
            await audit.record_now(
                request,
                action=service.TOKEN_ACTION,
                resource=service.TOKEN_PATH,
                result="denied",
                detail={"reason": exc.en},
            )
        raise


def _basic(authorization: str) -> tuple[str, str]:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        raise oauth.invalid_client(
            "authenticate the client with HTTP Basic or form parameters",
            "客户端认证应使用 HTTP Basic 或表单参数",
        )
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise oauth.invalid_client("malformed Basic credentials", "Basic 认证信息格式无效") from exc
    user, colon, password = decoded.partition(":")
    if not colon or not user or not password:
        raise oauth.invalid_client("malformed Basic credentials", "Basic 认证信息格式无效")
    # Both parts were form-encoded before Basic (RFC 6749 §2.3.1).
    return unquote_plus(user), unquote_plus(password)
