"""Webhook problem types (stable codes; Chinese and English messages)."""

from __future__ import annotations

from kit.errors import Problem

ENDPOINT_NOT_FOUND = Problem(
    "WEBHOOK_ENDPOINT_NOT_FOUND", 404, "Webhook 端点不存在", "Webhook endpoint not found"
)
DELIVERY_NOT_FOUND = Problem(
    "WEBHOOK_DELIVERY_NOT_FOUND", 404, "Webhook 投递记录不存在", "Webhook delivery not found"
)
ENDPOINT_DISABLED = Problem(
    "WEBHOOK_ENDPOINT_DISABLED",
    409,
    "Webhook 端点已停用（{reason}），请先启用",
    "The webhook endpoint is disabled ({reason}); enable it first",
)
URL_INVALID = Problem(
    "WEBHOOK_URL_INVALID", 422, "Webhook 地址无效：{reason_zh}", "Invalid webhook URL: {reason}"
)
URL_UNRESOLVABLE = Problem(
    "WEBHOOK_URL_UNRESOLVABLE",
    422,
    "无法解析 Webhook 地址的主机名 {host}",
    "The webhook URL's host {host} does not resolve",
)
URL_NOT_ALLOWED = Problem(
    "WEBHOOK_URL_NOT_ALLOWED",
    422,
    "Webhook 地址的主机 {host} 解析到{kind_zh}（{address}），不能接收推送",
    "The webhook URL's host {host} resolves to a {kind} address ({address}), "
    "which may not receive webhooks",
)
URL_RESERVED_NAME = Problem(
    "WEBHOOK_URL_RESERVED_NAME",
    422,
    "Webhook 地址的主机名 {host} 是保留域名（示例、测试或本机专用），不能接收推送",
    "The webhook URL's host {host} is a special-use name (examples, tests, this machine), "
    "which may not receive webhooks",
)
EVENT_TYPE_INVALID = Problem(
    "WEBHOOK_EVENT_TYPE_INVALID",
    422,
    "事件类型 {type} 格式无效，应为 cn.zjtx.<服务>.<对象>.<事件>.v1",
    "Event type {type} is malformed: it is cn.zjtx.<service>.<aggregate>.<event>.v1",
)
REPLAY_WINDOW_INVALID = Problem(
    "WEBHOOK_REPLAY_WINDOW_INVALID",
    422,
    "重放时间窗无效：until（{until}）应晚于 since（{since}）",
    "Invalid replay window: until ({until}) must be later than since ({since})",
)
REPLAY_TOO_LARGE = Problem(
    "WEBHOOK_REPLAY_TOO_LARGE",
    422,
    "重放时间窗内的事件超过 {limit} 个，请缩小时间窗分次重放",
    "The replay window holds more than {limit} events: replay it in shorter windows",
)
