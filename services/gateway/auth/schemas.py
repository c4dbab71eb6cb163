"""Auth request and response bodies: clients, tokens, the JWK Set, key rotation."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from kit.fields import Text, UnitCode
from pydantic import BaseModel, ConfigDict, Field


class ClientCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"unit": "3302", "name": "宁波市专精特新企业服务平台"}]},
    )

    unit: UnitCode = Field(description="该系统所属单位（令牌只能访问本单位数据）")
    name: Text = Field(min_length=1, max_length=200, description="系统名称")


class ClientRead(BaseModel):
    """A registered provincial system, without its secret."""

    client_id: uuid.UUID
    unit: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = Field(None, description="吊销时间（吊销后不再签发令牌）")
    last_token_at: datetime | None = Field(None, description="最近一次获取令牌的时间")


class ClientCreated(ClientRead):
    client_secret: str = Field(description="客户端密钥：只在此时显示一次，平台只保存其哈希值")


class TokenResponse(BaseModel):
    """RFC 6749 §5.1."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="有效期（秒）")


class OAuthErrorBody(BaseModel):
    """RFC 6749 §5.2 (not problem+json: OAuth clients parse this format)."""

    error: Literal[
        "invalid_request", "invalid_client", "unsupported_grant_type", "invalid_scope", "slow_down"
    ]
    error_description: str = Field(description="英文（RFC 6749 只允许 ASCII）")
    detail: str = Field(description="中文（Accept-Language: en 时为英文）")


class Jwk(BaseModel):
    """An ES256 verifying key (RFC 7517 §4, RFC 7518 §6.2)."""

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str
    y: str
    kid: str = Field(description="RFC 7638 指纹")
    use: Literal["sig"]
    alg: Literal["ES256"]


class JwkSet(BaseModel):
    keys: list[Jwk]


class KeyRotation(BaseModel):
    kid: str = Field(description="新的签名密钥（此后签发的令牌使用）")
    next_kid: str = Field(description="下一把密钥：已在 JWKS 中发布，下次轮换时启用")
    retired_kid: str | None = Field(None, description="停止签名的旧密钥")
    retired_verifies_until: datetime | None = Field(
        None, description="旧密钥签发的令牌在此之前全部过期，其公钥一直保留在 JWKS 中"
    )
