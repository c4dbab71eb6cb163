"""Webhook routes (API.md gateway: Webhooks): endpoints, deliveries, attempts, retry, replay."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response
from kit.pagination import Cursor, Limit, Page
from kit.web import Context, CurrentPrincipal, Session, service_router

from gateway.webhooks import service
from gateway.webhooks.schemas import (
    AttemptRead,
    DeliveryRead,
    DeliveryStatus,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
    Replayed,
    ReplayWindow,
    SecretRotated,
)

PREFIX = "/api/v1/webhooks"
router = service_router(PREFIX, ["webhooks 推送"])


@router.post("/endpoints", status_code=201, response_model=EndpointCreated)
async def register_endpoint(
    payload: EndpointCreate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
    response: Response,
) -> EndpointCreated:
    """登记接收推送的端点。返回的签名密钥 ``secret`` 仅此一次给出。省级用户和省级系统只能为本单位
    登记；部级可指定单位，不指定则接收全部单位的事件。地址须为 https 且解析到公网地址。"""
    created = await service.register(session, ctx, principal, payload)
    response.headers["Location"] = f"{PREFIX}/endpoints/{created.id}"
    return created


@router.get("/endpoints", response_model=Page[EndpointRead])
async def list_endpoints(
    session: Session, principal: CurrentPrincipal, limit: Limit = 50, cursor: Cursor = None
) -> Page[EndpointRead]:
    """本单位的端点（部级：全部端点）。"""
    return await service.search(session, principal, cursor, limit)


@router.get("/endpoints/{endpoint_id}", response_model=EndpointRead)
async def get_endpoint(
    endpoint_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> EndpointRead:
    """端点详情；已停用的端点给出停用原因（``disabled_reason``）。"""
    return await service.read(session, principal, endpoint_id)


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointRead)
async def update_endpoint(
    endpoint_id: uuid.UUID,
    payload: EndpointUpdate,
    session: Session,
    ctx: Context,
    principal: CurrentPrincipal,
) -> EndpointRead:
    """修改地址、订阅的事件类型或说明（只改所传字段）。"""
    return await service.update(session, ctx, principal, endpoint_id, payload)


@router.delete("/endpoints/{endpoint_id}", status_code=204, response_class=Response)
async def delete_endpoint(
    endpoint_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> Response:
    """删除端点及其投递记录。"""
    await service.remove(session, principal, endpoint_id)
    return Response(status_code=204)


@router.post("/endpoints/{endpoint_id}:rotate-secret", response_model=SecretRotated)
async def rotate_secret(
    endpoint_id: uuid.UUID, session: Session, ctx: Context, principal: CurrentPrincipal
) -> SecretRotated:
    """更换签名密钥：新密钥仅此一次给出；此后 24 小时内旧密钥同时签名
    （``webhook-signature`` 含两个 ``v1,`` 签名），便于接收端切换。"""
    return await service.rotate_secret(session, ctx, principal, endpoint_id)


@router.post("/endpoints/{endpoint_id}:enable", response_model=EndpointRead)
async def enable_endpoint(
    endpoint_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> EndpointRead:
    """重新启用已停用的端点，待投递的记录继续投递。"""
    return await service.enable(session, principal, endpoint_id)


@router.get("/endpoints/{endpoint_id}/deliveries", response_model=Page[DeliveryRead])
async def list_deliveries(
    endpoint_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    status: Annotated[DeliveryStatus | None, Query(description="投递状态")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeliveryRead]:
    """端点的投递记录，最新的在前。"""
    return await service.search_deliveries(session, principal, endpoint_id, status, cursor, limit)


@router.post("/endpoints/{endpoint_id}:replay", status_code=202, response_model=Replayed)
async def replay_endpoint(
    endpoint_id: uuid.UUID,
    payload: ReplayWindow,
    session: Session,
    principal: CurrentPrincipal,
) -> Replayed:
    """重放时间窗 [since, until) 内该端点订阅的事件：每个事件新建一次投递，
    ``webhook-id`` 与首次相同，接收端可据此去重。"""
    return await service.replay(session, principal, endpoint_id, payload)


@router.get("/deliveries/{delivery_id}/attempts", response_model=Page[AttemptRead])
async def list_attempts(
    delivery_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[AttemptRead]:
    """一次投递的每次尝试：时间、状态码、耗时、响应摘录（最多 1 KB）和错误。"""
    return await service.search_attempts(session, principal, delivery_id, cursor, limit)


@router.post("/deliveries/{delivery_id}:retry", status_code=202, response_model=DeliveryRead)
async def retry_delivery(
    delivery_id: uuid.UUID, session: Session, principal: CurrentPrincipal
) -> DeliveryRead:
    """立即重新投递（重试计划从头开始，``webhook-id`` 不变）。"""
    return await service.retry(session, principal, delivery_id)
