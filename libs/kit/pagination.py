"""Keyset pagination: ``?limit=&cursor=`` → ``{"items": [...], "next_cursor": ...}``.

The cursor is the sort key of the last item returned, opaque to clients (base64 JSON). A
service reads the cursor into a :class:`Window`, its repository applies the window to the
query (:meth:`Window.over`), and the service cuts the fetched rows into a page
(:meth:`Window.split`): one more row than the page is fetched to know whether another follows.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import QueryableAttribute

from kit.errors import CURSOR_INVALID
from kit.fields import Text

T = TypeVar("T")
R = TypeVar("R")
Ts = TypeVarTuple("Ts")

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


def _id(row: Any) -> str:
    return str(row.id)


@dataclass(frozen=True)
class Window:
    """One page of rows ordered by a unique key: the key the cursor points after (None for
    the first page) and the page size."""

    after: Any
    limit: int

    @classmethod
    def of_ids(cls, cursor: str | None, limit: int) -> Window:
        """The window of a cursor over id-ordered rows."""
        return cls(after_id(cursor), limit)

    @classmethod
    def of(cls, cursor: str | None, limit: int, kind: type) -> Window:
        """The window of a cursor over rows ordered by one key of type ``kind``."""
        key = decode_cursor(cursor, kind)
        return cls(None if key is None else key[0], limit)

    def over(
        self,
        query: Select[*Ts],
        key: QueryableAttribute[Any] | ColumnElement[Any],
    ) -> Select[*Ts]:
        """``query`` ordered by ``key`` from past the cursor, one row longer than the page."""
        query = query.order_by(key).limit(self.limit + 1)
        return query if self.after is None else query.where(key > self.after)

    def split(self, rows: list[R], key: Callable[[R], Any] = _id) -> tuple[list[R], str | None]:
        """The page's rows and the cursor of the next page (None on the last)."""
        return rows[: self.limit], next_cursor(rows, self.limit, lambda row: [key(row)])
