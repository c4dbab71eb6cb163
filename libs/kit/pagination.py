"""Keyset pagination: ``?limit=&cursor=`` → ``{"items": [...], "next_cursor": ...}``.

The cursor is the sort key of the last item returned, opaque to clients (base64 JSON).
"""

from __future__ import annotations

import base64
import uuid
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from kit.errors import CURSOR_INVALID
from kit.fields import Text

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=500, description="每页条数 / page size")]
Cursor = Annotated[Text | None, Query(max_length=500, description="上一页返回的 next_cursor")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None, *shape: type) -> list[Any] | None:
    """The sort key a cursor carries, each part of the type ``shape`` names: a forged cursor
    (``WzFd`` is ``[1]``) is refused here, not by the database comparing 1 with a code."""
    if cursor is None:
        return None
    try:
        key = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise CURSOR_INVALID() from exc
    if (
        not isinstance(key, list)
        or len(key) != len(shape)
        or not all(type(part) is kind for part, kind in zip(key, shape, strict=True))
        or any(isinstance(part, str) and "\x00" in part for part in key)
    ):
        raise CURSOR_INVALID()
    return key


def next_cursor(rows: list[Any], limit: int, key: Any) -> str | None:
    """Given ``limit + 1`` fetched rows, the cursor for the next page (or None)."""
    if len(rows) <= limit:
        return None
    return encode_cursor(list(key(rows[limit - 1])))


def after_id(cursor: str | None) -> uuid.UUID | None:
    """The id a cursor of id-ordered rows points after (None for the first page)."""
    key = decode_cursor(cursor, str)
    if key is None:
        return None
    try:
        return uuid.UUID(key[0])
    except ValueError as exc:
        raise CURSOR_INVALID() from exc
