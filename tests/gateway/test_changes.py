"""The change feed: every event of the caller's unit, in commit order, from a cursor.

Events reach the gateway as in production: published on the services' JetStream streams
(here by the test, or by the registry's relay) and recorded by the feed's durable consumers.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Iterable
from typing import Any

import nats
import orjson
import pytest
from gateway.changes.handlers import SEQ_LOCK, record
from kit.events.envelope import CloudEvent, stream_name
from kit.testing import Platform, eventually

from tests.factories import enterprise

CHANGES = "/api/v1/column/changes"
CONTACT = "cn.zjtx.registry.contact.registered.v1"
TEACHER = "cn.zjtx.training.teacher.registered.v1"

pytestmark = pytest.mark.services("gateway")

MINISTRY = ("ministry", "100000")
HUBEI = ("province", "420000")  # unit 42
NINGBO_SYSTEM = ("province_system", "330200")  # unit 3302, a 计划单列市
ZHEJIANG = ("province", "330000")  # unit 33, without 宁波


def contact(unit: str) -> CloudEvent:
    """A registry event the read models ignore (附件6 contacts are not replicated)."""
    data = {
        "id": str(uuid.uuid4()),
        "province": unit,
        "task": "training",
        "organisation": "工业和信息化厅",
        "name": "王芳",
        "title": "处长",
        "replaced_by": None,
    }
    return CloudEvent.new(
        service="registry",
        aggregate="contact",
        event="registered",
        subject=data["id"],
        data=data,
        province=unit,
        version=1,
    )


def teacher(unit: str) -> CloudEvent:
    """A training event the read models ignore."""
    data = {
        "id": str(uuid.uuid4()),
        "province": unit,
        "name": "李华",
        "affiliation_kind": "university",
        "organisation": "华中科技大学管理学院",
        "topics": ["management"],
    }
    return CloudEvent.new(
        service="training",
        aggregate="teacher",
        event="registered",
        subject=data["id"],
        data=data,
        province=unit,
        version=1,
    )


async def publish(platform: Platform, events: Iterable[CloudEvent]) -> None:
    """Onto the services' streams, as their relays publish (``Nats-Msg-Id`` = event id)."""
    bus = platform.apps["gateway"].state.ctx.bus
    for service in ("registry", "training"):
        await bus.ensure_stream(stream_name(service), [f"zjtx.{service}.>"])
    nc = await nats.connect(platform.settings.nats_url)
    try:
        js = nc.jetstream()
        pending = []
        for event in events:
            pending.append(
                await js.publish_async(
                    event.nats_subject,
                    orjson.dumps(event.to_dict()),
                    headers={"Nats-Msg-Id": str(event.id)},
                )
            )
            if len(pending) == 1000:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
    finally:
        await nc.close()


async def recorded(platform: Platform, count: int, timeout: float = 10.0) -> None:
    """The feed holds ``count`` events."""
    pool = platform.apps["gateway"].state.ctx.db.pool

    async def probe() -> bool:
        return bool(await pool.fetchval("SELECT count(*) FROM gateway.changes") >= count)

    await eventually(probe, timeout=timeout, message=f"the feed recorded {count} events")


async def get(platform: Platform, who: tuple[str, str], **params: Any) -> dict[str, Any]:
    r = await platform["gateway"].get(CHANGES, params=params, headers=platform.auth(*who))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def read_all(
    platform: Platform, who: tuple[str, str], after: str | None = None, **params: Any
) -> tuple[list[dict[str, Any]], str, int]:
    """Every event past ``after``, page by page: the events, the last cursor, the pages."""
    items: list[dict[str, Any]] = []
    pages = 0
    while True:
        body = await get(platform, who, **({"after": after} if after else {}), **params)
        items += body["items"]
        after = body["next_cursor"]
        pages += 1
        if not body["has_more"]:
            assert after is not None
            return items, after, pages


def ids(items: Iterable[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


def of(events: Iterable[CloudEvent], *units: str) -> list[str]:
    return [str(e.id) for e in events if e.province in units]


class TestScope:
    async def test_each_unit_reads_its_own_events_in_order(self, platform: Platform) -> None:
        events = [contact(u) for u in ("42", "3302", "33", "42", "51", "3302", "42")]
        await publish(platform, events)
        await recorded(platform, len(events))
        for who, unit in ((HUBEI, "42"), (NINGBO_SYSTEM, "3302"), (ZHEJIANG, "33")):
            items, _, _ = await read_all(platform, who)
            assert ids(items) == of(events, unit), unit
        items, _, _ = await read_all(platform, MINISTRY)
        assert ids(items) == [str(e.id) for e in events]

    async def test_items_are_the_cloud_events_as_published(self, platform: Platform) -> None:
        events = [contact("42"), teacher("42")]
        await publish(platform, events)
        await recorded(platform, 2)
        items, _, _ = await read_all(platform, HUBEI)
        assert sorted(items, key=lambda i: str(i["id"])) == sorted(
            (e.to_dict() for e in events), key=lambda i: str(i["id"])
        )

    async def test_events_of_both_streams_are_recorded(self, platform: Platform) -> None:
        events = [contact("42"), teacher("51"), teacher("42")]
        await publish(platform, events)
        await recorded(platform, 3)
        items, _, _ = await read_all(platform, MINISTRY)
        assert sorted(ids(items)) == sorted(str(e.id) for e in events)

    @pytest.mark.parametrize(
        "role,region",
        [("city", "420100"), ("institution", "420102"), ("enterprise", "420102")],
    )
    async def test_other_roles_are_refused(
        self, platform: Platform, role: str, region: str
    ) -> None:
        org = {"institution": str(uuid.uuid4()), "enterprise": enterprise()["uscc"]}.get(role)
        r = await platform["gateway"].get(CHANGES, headers=platform.auth(role, region, org))
        assert r.status_code == 403, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "FORBIDDEN"

    async def test_an_event_of_a_type_no_contract_lists_is_kept(self, platform: Platform) -> None:
        """The feed holds what was published, not only what the gateway understands."""
        novel = CloudEvent.new(
            service="registry",
            aggregate="widget",
            event="made",
            subject="w1",
            data={"province": "42"},
            province="42",
            version=1,
        )
        await publish(platform, [novel])
        await recorded(platform, 1)
        items, _, _ = await read_all(platform, HUBEI)
        assert ids(items) == [str(novel.id)]


class TestTypes:
    async def test_only_the_types_asked_for(self, platform: Platform) -> None:
        events = [contact("42"), teacher("42"), contact("42"), teacher("51")]
        await publish(platform, events)
        await recorded(platform, len(events))
        items, _, _ = await read_all(platform, HUBEI, types=CONTACT)
        assert sorted(ids(items)) == sorted(str(e.id) for e in events if e.type == CONTACT)
        items, _, _ = await read_all(platform, HUBEI, types=f"{CONTACT}, {TEACHER}")
        assert sorted(ids(items)) == sorted(of(events, "42"))
        items, _, _ = await read_all(platform, MINISTRY, types=TEACHER)
        assert sorted(ids(items)) == sorted(str(e.id) for e in events if e.type == TEACHER)

    async def test_an_unknown_type_is_refused_in_chinese(self, platform: Platform) -> None:
        unknown = "cn.zjtx.registry.enterprise.deleted.v1"
        r = await platform["gateway"].get(
            CHANGES, params={"types": f"{CONTACT},{unknown}"}, headers=platform.auth(*HUBEI)
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["code"] == "EVENT_TYPE_UNKNOWN"
        assert body["detail"].startswith("未知的事件类型")
        assert unknown in body["detail"]
        assert [e["field"] for e in body["errors"]] == ["types"]


class TestCursor:
    async def test_pages_follow_one_another_and_the_last_cursor_waits(
        self, platform: Platform
    ) -> None:
        first = [contact("42") for _ in range(5)]
        await publish(platform, first)
        await recorded(platform, 5)
        items, cursor, pages = await read_all(platform, HUBEI, limit=2)
        assert ids(items) == of(first, "42")
        assert pages == 3
        again = await get(platform, HUBEI, after=cursor)
        assert again == {"items": [], "next_cursor": cursor, "has_more": False}
        later = [contact("42"), contact("51")]
        await publish(platform, later)
        await recorded(platform, 7)
        items, _, _ = await read_all(platform, HUBEI, cursor)
        assert ids(items) == of(later, "42")

    async def test_an_event_delivered_twice_is_in_the_feed_once(self, platform: Platform) -> None:
        event = contact("42")
        await publish(platform, [event])
        await recorded(platform, 1)
        nc = await nats.connect(platform.settings.nats_url)
        try:  # beyond the stream's duplicate window: the same event under a new message id
            js = nc.jetstream()
            await js.publish(
                event.nats_subject,
                orjson.dumps(event.to_dict()),
                headers={"Nats-Msg-Id": f"again-{event.id}"},
            )

            async def consumed() -> bool:
                info = await js.consumer_info("ZJTX_REGISTRY", "gateway-changes--registry")
                return bool(info.delivered.stream_seq >= 2 and info.num_ack_pending == 0)

            await eventually(consumed, message="the copy was consumed")
        finally:
            await nc.close()
        items, _, _ = await read_all(platform, MINISTRY)
        assert ids(items) == [str(event.id)]

    @pytest.mark.parametrize(
        "params,status,code",
        [
            ({"after": "not-a-cursor"}, 400, "CURSOR_INVALID"),
            ({"after": "WyJ4Il0"}, 400, "CURSOR_INVALID"),  # ["x"]
            ({"limit": "1001"}, 422, "VALIDATION_FAILED"),
            ({"limit": "0"}, 422, "VALIDATION_FAILED"),
            ({"since": "2025-01-01"}, 422, "VALIDATION_FAILED"),
        ],
    )
    async def test_bad_queries_are_refused(
        self, platform: Platform, params: dict[str, str], status: int, code: str
    ) -> None:
        r = await platform["gateway"].get(CHANGES, params=params, headers=platform.auth(*HUBEI))
        assert r.status_code == status, r.text
        assert r.json()["code"] == code


def waiting_for_the_seq_lock() -> str:
    """SQL: a transaction of this database waits for the feed's lock."""
    return (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        f" AND classid = {SEQ_LOCK >> 32} AND objid = {SEQ_LOCK & 0xFFFFFFFF} AND objsubid = 1"
    )


class TestCommitOrder:
    async def test_an_event_that_commits_later_never_falls_behind_a_cursor(
        self, platform: Platform
    ) -> None:
        """Two writers: the first takes its place in the feed and holds its transaction
        open; the second records and commits meanwhile. A reader in between must not be
        handed a cursor past the first writer's event, or it would never see it."""
        ctx = platform.apps["gateway"].state.ctx
        a, b = contact("42"), contact("42")

        async def second_writer() -> None:
            async with ctx.db.sessions() as session, session.begin():
                await record(session, [b])

        async with ctx.db.sessions() as session, session.begin():
            await record(session, [a])
            second = asyncio.create_task(second_writer())

            async def second_done_or_waiting() -> bool:
                if second.done():
                    return True
                return bool(await ctx.db.pool.fetchval(waiting_for_the_seq_lock()))

            await eventually(second_done_or_waiting, message="the second writer got as far")
            before = await get(platform, HUBEI)
        await second
        after = await get(platform, HUBEI, after=before["next_cursor"])
        assert ids(before["items"]) + ids(after["items"]) == [str(a.id), str(b.id)]


class TestCatchUp:
    async def test_a_system_away_for_a_month_catches_up_with_nothing_missing(
        self, platform: Platform
    ) -> None:
        """10,000 events of three units on both streams while a system is away: from its
        last cursor it gets every one of its unit's, in order, and none of another's."""
        seen = [contact("42"), contact("51")]
        await publish(platform, seen)
        await recorded(platform, 2)
        _, cursor, _ = await read_all(platform, HUBEI)
        _, ministry_cursor, _ = await read_all(platform, MINISTRY)
        units = ("42", "3302", "51", "42")
        month = [(contact if n % 3 else teacher)(units[n % len(units)]) for n in range(10_000)]
        await publish(platform, month)
        await recorded(platform, 2 + len(month), timeout=180)

        items, _, pages = await read_all(platform, HUBEI, cursor, limit=1000)
        assert {i["province"] for i in items} == {"42"}
        assert len(ids(items)) == len(set(ids(items)))
        assert sorted(ids(items)) == sorted(of(month, "42"))
        for source in ("registry", "training"):  # each stream's events in their order
            published = [str(e.id) for e in month if e.province == "42" and source in e.source]
            assert [i["id"] for i in items if source in i["source"]] == published
        assert pages == math.ceil(len(items) / 1000)
        items, _, _ = await read_all(platform, MINISTRY, ministry_cursor, limit=1000)
        assert sorted(ids(items)) == sorted(str(e.id) for e in month)


@pytest.mark.services("registry", "gateway")
class TestThroughTheServices:
    async def test_a_registration_reaches_its_unit_s_feed_only(self, platform: Platform) -> None:
        body = enterprise("420102")
        r = await platform["registry"].post(
            "/api/v1/registry/enterprises", json=body, headers=platform.auth(*MINISTRY)
        )
        assert r.status_code == 201, r.text
        await recorded(platform, 1)
        items, _, _ = await read_all(platform, HUBEI)
        assert [(i["type"], i["subject"]) for i in items] == [
            ("cn.zjtx.registry.enterprise.registered.v1", body["uscc"])
        ]
        assert items[0]["data"]["name"] == body["name"]
        assert items[0]["province"] == "42"
        assert (await get(platform, ("province", "510000")))["items"] == []
