"""Auth errors: problem types for the ministry's endpoints, OAuth errors for the token endpoint.

The token endpoint speaks OAuth's error format (RFC 6749 §5.2), which clients' OAuth
libraries parse: ``error`` (a registered code) and ``error_description`` (ASCII only, by
§5.2: English), plus ``detail``, the platform's message (Chinese, English on request).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit.errors import Problem
from kit.i18n import Lang, pick

CLIENT_NOT_FOUND = Problem(
    "CLIENT_NOT_FOUND", 404, "省级系统客户端 {client_id} 不存在", "Client {client_id} not found"
)

# Responses of the token endpoint are never cached (RFC 6749 §5.1, §5.2).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass
class OAuthError(Exception):
    """An answer of the token endpoint other than a token."""

    error: str
    status: int
    en: str
    zh: str
    headers: tuple[tuple[str, str], ...] = ()

    def body(self, lang: Lang) -> dict[str, Any]:
        return {
            "error": self.error,
            "error_description": self.en,
            "detail": pick(lang, self.zh, self.en),
        }

    def response_headers(self) -> dict[str, str]:
        return {**NO_STORE, **dict(self.headers)}


def invalid_request(en: str, zh: str) -> OAuthError:
    return OAuthError("invalid_request", 400, en, zh)


def invalid_client(
    en: str = "client authentication failed", zh: str = "客户端认证失败"
) -> OAuthError:
    """401 with the Basic challenge (§5.2: the scheme the client may authenticate with)."""
    return OAuthError("invalid_client", 401, en, zh, (("WWW-Authenticate", 'Basic realm="zjtx"'),))


def unsupported_grant_type() -> OAuthError:
    return OAuthError(
        "unsupported_grant_type",
        400,
        "only grant_type=client_credentials is supported",
        "仅支持 grant_type=client_credentials（客户端凭据模式）",
    )


def invalid_scope() -> OAuthError:
    return OAuthError(
        "invalid_scope",
        400,
        "no scope can be requested: the token carries the province_system role of its unit",
        "不能申请 scope：令牌的权限即本单位省级系统（province_system）的权限",
    )


def slow_down(retry_after: int) -> OAuthError:
    """Too many wrong secrets: ``slow_down`` (RFC 8628 §3.5, registered for the token
    endpoint) with 429 and ``Retry-After``; the secret is not even checked."""
    return OAuthError(
        "slow_down",
        429,
        f"too many failed attempts; retry after {retry_after} seconds",
        f"密钥错误次数过多，请 {retry_after} 秒后再试",
        (("Retry-After", str(retry_after)),),
    )
