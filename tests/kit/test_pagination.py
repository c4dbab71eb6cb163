"""Keyset pagination: cursors, the window a repository applies, the page a service cuts."""

from __future__ import annotations

import base64
import uuid
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from kit.errors import CURSOR_INVALID, ProblemError
from kit.pagination import Window, after_id, decode_cursor, encode_cursor, next_cursor
from sqlalchemy import Column, MetaData, Select, String, Table, Uuid, insert, select
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import create_async_engine

DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]  # the services' dialect
ITEMS = Table(
    "items",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("name", String(20)),
    prefixes=["TEMPORARY"],  # the database test's table lives only in its connection
)


def forge(document: object) -> str:
    """A cursor carrying any JSON document, as a client could make one."""
    return base64.urlsafe_b64encode(orjson.dumps(document)).decode().rstrip("=")


def sql(query: Select[Any]) -> str:
    compiled = query.compile(dialect=DIALECT, compile_kwargs={"literal_binds": True})
    return " ".join(str(compiled).split())


def rows(count: int) -> list[SimpleNamespace]:
    return [SimpleNamespace(id=uuid.UUID(int=n), uscc=f"U{n}") for n in range(1, count + 1)]


class TestCursor:
    @pytest.mark.parametrize(
        ("key", "shape"),
        [
            pytest.param([str(uuid.UUID(int=7))], (str,), id="id"),
            pytest.param(["91420100MA4K000001"], (str,), id="uscc"),
            pytest.param(["张三", 7], (str, int), id="chinese-and-int"),
        ],
    )
    def test_round_trips(self, key: list[Any], shape: tuple[type, ...]) -> None:
        assert decode_cursor(encode_cursor(key), *shape) == key

    def test_is_url_safe_without_padding(self) -> None:
        # Standard base64 of ["???"] is WyI/Pz8iXQ==: '/' and '=' would need escaping.
        assert encode_cursor(["???"]) == "WyI_Pz8iXQ"

    def test_no_cursor_is_the_first_page(self) -> None:
        assert decode_cursor(None, str) is None

    @pytest.mark.parametrize(
        ("cursor", "shape"),
        [
            pytest.param(forge([1, 2]), (int,), id="too-long"),
            pytest.param(forge([]), (str,), id="empty-list"),
            pytest.param(forge({"id": "x"}), (str,), id="object"),
            pytest.param(forge("x"), (str,), id="bare-string"),
            pytest.param(forge(None), (str,), id="null"),
            pytest.param("WzFd", (str,), id="int-where-str"),
            pytest.param(forge(["1"]), (int,), id="str-where-int"),
            pytest.param(forge([True]), (int,), id="bool-where-int"),
            pytest.param(forge([1.0]), (int,), id="float-where-int"),
            pytest.param(forge(["a\x00b"]), (str,), id="nul-in-string"),
            pytest.param(forge(["ok", "\x00"]), (str, str), id="nul-in-second-part"),
            pytest.param("!!!!", (str,), id="not-base64"),
            pytest.param("W", (str,), id="truncated-base64"),
            pytest.param("bm90IGpzb24", (str,), id="base64-not-json"),
            pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), (str,), id="not-utf8"),
        ],
    )
    def test_forged_cursors_are_refused(self, cursor: str, shape: tuple[type, ...]) -> None:
        with pytest.raises(ProblemError) as refused:
            decode_cursor(cursor, *shape)
        assert refused.value.problem is CURSOR_INVALID


class TestAfterId:
    def test_is_the_id_the_cursor_carries(self) -> None:
        id_ = uuid.UUID(int=42)
        assert after_id(encode_cursor([str(id_)])) == id_

    def test_no_cursor_starts_at_the_beginning(self) -> None:
        assert after_id(None) is None

    @pytest.mark.parametrize(
        "cursor",
        [
            pytest.param(forge(["not-a-uuid"]), id="not-a-uuid"),
            pytest.param("WzFd", id="int"),
        ],
    )
    def test_a_cursor_without_an_id_is_refused(self, cursor: str) -> None:
        with pytest.raises(ProblemError) as refused:
            after_id(cursor)
        assert refused.value.problem is CURSOR_INVALID


class TestWindowOf:
    def test_of_ids_reads_the_id(self) -> None:
        id_ = uuid.UUID(int=3)
        assert Window.of_ids(encode_cursor([str(id_)]), 20) == Window(id_, 20)
        assert Window.of_ids(None, 20) == Window(None, 20)

    def test_of_reads_a_key_of_the_kind_named(self) -> None:
        assert Window.of(encode_cursor(["U3"]), 20, str) == Window("U3", 20)
        assert Window.of(None, 20, str) == Window(None, 20)
        with pytest.raises(ProblemError):
            Window.of(encode_cursor(["U3"]), 20, int)


class TestWindowOver:
    def test_first_page_orders_by_the_key_and_fetches_one_more(self) -> None:
        query = Window(None, 3).over(select(ITEMS), ITEMS.c.id)
        assert sql(query) == "SELECT items.id, items.name FROM items ORDER BY items.id LIMIT 4"

    def test_later_pages_start_past_the_cursor(self) -> None:
        after = uuid.UUID(int=5)
        query = Window(after, 3).over(select(ITEMS).where(ITEMS.c.name == "x"), ITEMS.c.id)
        assert sql(query) == (
            "SELECT items.id, items.name FROM items "
            f"WHERE items.name = 'x' AND items.id > '{after}' ORDER BY items.id LIMIT 4"
        )


class TestWindowSplit:
    def test_a_full_fetch_gives_the_page_and_the_cursor_of_its_last_row(self) -> None:
        fetched = rows(4)
        page, cursor = Window(None, 3).split(fetched)
        assert page == fetched[:3]
        assert after_id(cursor) == fetched[2].id

    @pytest.mark.parametrize("count", [3, 2, 0], ids=["exactly-limit", "fewer", "none"])
    def test_the_last_page_has_no_cursor(self, count: int) -> None:
        fetched = rows(count)
        assert Window(None, 3).split(fetched) == (fetched, None)

    def test_the_cursor_carries_the_key_given(self) -> None:
        page, cursor = Window(None, 2).split(rows(3), lambda row: row.uscc)
        assert [row.uscc for row in page] == ["U1", "U2"]
        assert decode_cursor(cursor, str) == ["U2"]

    def test_next_cursor_needs_more_rows_than_the_page(self) -> None:
        assert next_cursor(rows(2), 2, lambda row: [row.uscc]) is None
        assert next_cursor(rows(3), 2, lambda row: [row.uscc]) == encode_cursor(["U2"])


class TestWindowOverTheDatabase:
    async def test_pages_through_every_row_once(self, database_url: str) -> None:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as conn:
                await conn.run_sync(ITEMS.metadata.create_all)
                ids = [uuid.uuid4() for _ in range(7)]  # random: key order ≠ insert order
                await conn.execute(insert(ITEMS), [{"id": id_, "name": "x"} for id_ in ids])
                seen: list[uuid.UUID] = []
                sizes: list[int] = []
                cursor: str | None = None
                for _ in range(5):  # a window that never ends fails, not hangs
                    window = Window.of_ids(cursor, 3)
                    fetched = (await conn.execute(window.over(select(ITEMS), ITEMS.c.id))).all()
                    page, cursor = window.split(fetched)
                    sizes.append(len(page))
                    seen.extend(row.id for row in page)
                    if cursor is None:
                        break
                else:
                    pytest.fail("the pages never ended")
        finally:
            await engine.dispose()
        assert sizes == [3, 3, 1]
        assert seen == sorted(ids)
