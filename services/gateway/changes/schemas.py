"""The change feed's query and page, and the event-type catalogue as served."""

from __future__ import annotations

from typing import Any

from kit.fields import Text
from pydantic import BaseModel, ConfigDict, Field

MAX_LIMIT = 1000


class ChangesQuery(BaseModel):
    """The feed's query; a parameter it does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    after: Text | None = Field(
        None,
        max_length=200,
        description="上次返回的 next_cursor（不透明游标）；不填则从最早的事件开始",
    )
    types: Text | None = Field(
        None,
        max_length=4000,
        description="只要这些事件类型，逗号分隔（如 cn.zjtx.registry.enterprise.registered.v1）；"
        "不填为全部类型；类型见 GET /api/v1/webhooks/event-types",
    )
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页事件数，最多 1000")


class ChangeEvent(BaseModel):
    """A CloudEvents 1.0 event exactly as its service published it (never PII)."""

    model_config = ConfigDict(extra="allow")

    specversion: str = Field(description="1.0")
    id: str = Field(description="事件编号（UUIDv7），即 webhook-id")
    type: str = Field(description="事件类型：cn.zjtx.<服务>.<对象>.<事件>.v1")
    source: str = Field(description="发布的服务：/services/<服务>")
    subject: str = Field(description="对象编号（如统一社会信用代码、班次编号）")
    time: str = Field(description="发生时间（UTC）")
    datacontenttype: str
    data: dict[str, Any] = Field(description="对象状态，结构见 GET /api/v1/webhooks/event-types")
    aggregateversion: int = Field(description="对象版本，每次变更加 1")
    province: str | None = Field(
        None, description="所属单位代码：省级 2 位，计划单列市 4 位（如 3302）"
    )
    traceparent: str | None = None


class ChangePage(BaseModel):
    """One page of the feed, oldest first. Keep ``next_cursor`` and ask again with it as
    ``after``: nothing that commits later can fall before it."""

    items: list[ChangeEvent]
    next_cursor: str = Field(
        description="下次请求的 after：本页最后一个事件之后（本页为空时与请求的 after 相同）"
    )
    has_more: bool = Field(description="是否已有更多事件（是则立即再取下一页）")


class EventTypeRead(BaseModel):
    type: str = Field(description="事件类型（CloudEvents type）")
    service: str = Field(description="发布事件的服务")
    description: str = Field(description="中文说明")
    data_schema: dict[str, Any] = Field(description="事件 data 的 JSON Schema")


class EventTypeList(BaseModel):
    """Every event type of every service (the whole catalogue: one page)."""

    items: list[EventTypeRead]
    next_cursor: str | None = Field(None, description="总为空：目录只有一页")
