"""Webhook payloads (API.md gateway: Webhooks)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from kit.fields import Instant, Patch, Text, UnitCode
from pydantic import BaseModel, ConfigDict, Field

from gateway.webhooks.event_filter import MAX_TYPES


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class EndpointFields(BaseModel):
    """What a provincial system sets of its endpoint; shared by create and update."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: Text = Field(
        min_length=1,
        max_length=2000,
        description="接收推送的地址：https，且解析到公网地址",
    )
    event_types: list[Text] = Field(
        default_factory=list,
        max_length=MAX_TYPES,
        description="订阅的事件类型（cn.zjtx.<服务>.<对象>.<事件>.v1）；为空表示全部",
    )
    description: Text | None = Field(None, max_length=500, description="说明")


class EndpointCreate(EndpointFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.com/zjtx",
                    "event_types": ["cn.zjtx.registry.enterprise.registered.v1"],
                    "description": "省级系统：企业库同步",
                }
            ]
        }
    )

    unit: UnitCode | None = Field(
        None,
        description="接收哪个单位的事件：仅部级可指定，不填为全部单位；其他用户只能为本单位登记",
    )


class EndpointUpdate(Patch, EndpointFields):
    """Only the fields sent change; the unit stays."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"event_types": []}]})


class EndpointRead(BaseModel):
    id: uuid.UUID
    unit: str | None = Field(description="单位代码；为空表示全部单位（部级端点）")
    url: str
    description: str | None
    event_types: list[str] = Field(description="订阅的事件类型；为空表示全部")
    enabled: bool
    disabled_at: datetime | None
    disabled_reason: str | None = Field(description="停用原因（如接收端返回 410、连续失败 5 天）")
    failing_since: datetime | None = Field(description="自上次成功以来首次失败的时间")
    previous_secret_expires_at: datetime | None = Field(
        description="密钥轮换后，旧密钥同时签名至此时刻"
    )
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointRead):
    secret: str = Field(description="签名密钥（whsec_…），仅此一次返回，请妥善保存")


class SecretRotated(BaseModel):
    secret: str = Field(description="新的签名密钥（whsec_…），仅此一次返回")
    previous_secret_expires_at: datetime = Field(description="旧密钥同时签名至此时刻（24 小时）")


class DeliveryRead(BaseModel):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID = Field(description="事件 id，即请求头 webhook-id")
    event_type: str
    status: DeliveryStatus
    attempts: int = Field(description="已尝试次数")
    next_attempt_at: datetime | None = Field(description="下次尝试时间（待投递时）")
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    succeeded_at: datetime | None
    created_at: datetime


class AttemptRead(BaseModel):
    id: uuid.UUID
    at: datetime
    status_code: int | None = Field(description="接收端的 HTTP 状态码；未收到响应时为空")
    duration_ms: int
    response_excerpt: str | None = Field(description="响应内容摘录（最多 1 KB）")
    error: str | None


class ReplayWindow(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"since": "2026-12-01T00:00:00+08:00", "until": "2026-12-02T00:00:00+08:00"}
            ]
        },
    )

    since: Instant = Field(description="事件发生时间不早于此（含）")
    until: Instant = Field(description="事件发生时间早于此（不含）")


class Replayed(BaseModel):
    deliveries: int = Field(description="新建的投递数")
