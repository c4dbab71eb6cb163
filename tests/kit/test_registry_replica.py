"""The shared registry replica (``kit.registry_replica``): version-guarded upserts of real
registry events, the changes it reports, and the per-enterprise lock that serialises the
gateway's recounts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from contracts import registry
from gateway.handlers import on_registry_changes
from gateway.registry.models import REPLICA as GATEWAY
from kit.db import Database
from kit.events.consumer import BatchHandler
from kit.events.envelope import CloudEvent
from kit.registry_replica import Changes
from kit.settings import Settings
from kit.testing import eventually
from sqlalchemy.ext.asyncio import AsyncSession
from training.models import REPLICA as TRAINING

from tests.factories import make_uscc
from tests.fixtures.registry_events import enterprise_event


def recognition_event(
    uscc: str, version: int = 1, rec_id: uuid.UUID | None = None, **fields: Any
) -> CloudEvent:
    payload = registry.Recognition(
        id=rec_id or uuid.uuid4(),
        uscc=uscc,
        tier=registry.Tier.LITTLE_GIANT,
        batch=fields.get("batch", "第六批"),
        authority="工业和信息化部",
        recognized_on=date(2024, 7, 1),
        valid_from=date(2024, 7, 1),
        valid_until=date(2027, 6, 30),
        revoked_on=fields.get("revoked_on"),
        region_code="420102",
        province="42",
    )
    return CloudEvent.new(
        service="registry",
        aggregate="recognition",
        event="granted" if payload.revoked_on is None else "revoked",
        subject=str(payload.id),
        data=payload.model_dump(mode="json"),
        province="42",
        version=version,
    )


def contract_event(institution_id: uuid.UUID, batch: str) -> CloudEvent:
    payload = registry.ContractSigned(
        id=uuid.uuid4(),
        institution_id=institution_id,
        institution_name="湖北专精特新学院",
        province="42",
        task=registry.Task.TRAINING,
        batch=batch,
        amount=None,
        signed_on=date(2025, 1, 10),
    )
    return CloudEvent.new(
        service="registry",
        aggregate="contract",
        event="signed",
        subject=str(payload.id),
        data=payload.model_dump(mode="json"),
        province="42",
        version=1,
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = await Database.connect(settings.database_url)
    yield database
    await database.close()


async def apply(db: Database, *events: CloudEvent) -> Changes:
    async with db.sessions() as session, session.begin():
        return await TRAINING.apply(session, events)


class TestUpserts:
    async def test_a_newer_version_replaces_and_an_older_one_is_dropped(self, db: Database) -> None:
        uscc = make_uscc()
        first = await apply(db, enterprise_event(uscc, 1, name="旧名"))
        assert [(c.before, c.after["name"]) for c in first.enterprises] == [(None, "旧名")]
        newer = await apply(db, enterprise_event(uscc, 3, name="新名"))
        assert [(c.before and c.before["name"], c.after["name"]) for c in newer.enterprises] == [
            ("旧名", "新名")
        ]
        stale = await apply(db, enterprise_event(uscc, 2, name="中间名"))
        assert stale.enterprises == []
        again = await apply(db, enterprise_event(uscc, 3, name="新名"))
        assert again.enterprises == []
        name = await db.pool.fetchval("SELECT name FROM training.enterprises WHERE uscc = $1", uscc)
        assert name == "新名"

    async def test_a_batch_keeps_each_rows_newest_event(self, db: Database) -> None:
        uscc = make_uscc()
        changes = await apply(
            db,
            enterprise_event(uscc, 2, name="第二版"),
            enterprise_event(uscc, 1, name="第一版"),
            enterprise_event(uscc, 4, name="第四版", region="420502"),
        )
        assert [(c.after["name"], c.after["region_code"]) for c in changes.enterprises] == [
            ("第四版", "420502")
        ]
        assert changes.usccs() == {uscc}

    async def test_a_signed_contract_never_changes_and_long_batches_fit(self, db: Database) -> None:
        institution = uuid.uuid4()
        batch = "第一批" + "（补充）" * 11  # 47 characters: the registry allows 50
        signed = contract_event(institution, batch)
        assert len((await apply(db, signed)).contracts) == 1
        assert (await apply(db, signed)).contracts == []
        stored = await db.pool.fetchval(
            "SELECT batch FROM training.contracts WHERE institution_id = $1", institution
        )
        assert stored == batch

    async def test_events_it_does_not_replicate_are_skipped(self, db: Database) -> None:
        other = CloudEvent.new(
            service="registry",
            aggregate="contact",
            event="registered",
            subject="x",
            data={},
            province="42",
            version=1,
        )
        assert (await apply(db, other)) == Changes()


FORM_COLUMNS = "website, listed, listing_board, ipo_plan, titles"


async def form_fields(db: Database, schema: str, uscc: str) -> dict[str, Any]:
    row = await db.pool.fetchrow(
        f"SELECT {FORM_COLUMNS}, ipo_plan IS NULL AS no_plan FROM {schema}.enterprises"
        " WHERE uscc = $1",
        uscc,
    )
    assert row is not None
    return dict(row)


class TestEnterpriseFormFields:
    """附1-3's 企业情况 (website, listing, IPO plan, titles) arrive through the events in
    every replica of the shared mixin, training's and the gateway's."""

    async def test_they_arrive_and_follow_the_next_event(self, db: Database) -> None:
        uscc = make_uscc()
        registered = enterprise_event(
            uscc,
            1,
            website="https://www.example-sensor.cn/",
            ipo_plan={"stage": "restructured", "board": "sse_star"},
            titles=["high_tech", "green_factory"],
        )
        listed = enterprise_event(uscc, 2, listed=True, listing_board="sse_star")
        for replica in (TRAINING, GATEWAY):
            async with db.sessions() as session, session.begin():
                await replica.apply(session, [registered])
        for schema in ("training", "gateway"):
            fields = await form_fields(db, schema, uscc)
            assert fields["website"] == "https://www.example-sensor.cn/"
            assert (fields["listed"], fields["listing_board"]) == (False, None)
            assert fields["ipo_plan"] == {"stage": "restructured", "board": "sse_star"}
            assert fields["titles"] == ["high_tech", "green_factory"]
        for replica in (TRAINING, GATEWAY):
            async with db.sessions() as session, session.begin():
                await replica.apply(session, [listed])
        for schema in ("training", "gateway"):
            fields = await form_fields(db, schema, uscc)
            assert (fields["listed"], fields["listing_board"]) == (True, "sse_star")
            assert fields["no_plan"] and fields["titles"] == []  # SQL null, not JSON null
            assert fields["website"] is None

    async def test_an_event_from_before_the_website_was_published_has_none(
        self, db: Database
    ) -> None:
        uscc = make_uscc()
        event = enterprise_event(uscc, 1, titles=["quality_benchmark"])
        event.data.pop("website")
        await apply(db, event)
        fields = await form_fields(db, "training", uscc)
        assert fields["website"] is None and fields["titles"] == ["quality_benchmark"]


async def tier_deltas(db: Database) -> list[tuple[str, str, int]]:
    rows = await db.pool.fetch(
        "SELECT scope, day::text, delta FROM gateway.tier_deltas"
        " WHERE tier = 'little_giant' AND delta <> 0 ORDER BY scope, day"
    )
    return [(r["scope"], r["day"], r["delta"]) for r in rows]


class TestGatewayRecount:
    async def test_a_move_and_a_grant_applied_at_once_count_in_the_new_place(
        self, db: Database
    ) -> None:
        """Two consumers (gateway replicas) apply a move and a grant of one enterprise at
        the same time: the second waits for the first's lock and sees its result."""
        uscc = make_uscc()
        handle = GATEWAY.subscription(then=on_registry_changes).batch_handler
        assert handle is not None
        async with db.sessions() as session, session.begin():
            await handle(session, [enterprise_event(uscc, 1)])

        async with db.sessions() as mover, db.sessions() as granter:
            await mover.begin()
            await handle(mover, [enterprise_event(uscc, 2, region="420502")])  # 武汉 → 宜昌
            grant = asyncio.create_task(_in_transaction(granter, handle, recognition_event(uscc)))

            async def waiting_or_done() -> bool:
                waits = await db.pool.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                )
                return grant.done() or waits > 0

            await eventually(waiting_or_done, message="the grant waits for the move")
            await mover.commit()
            await grant
        assert await tier_deltas(db) == [
            ("42", "2024-07-01", 1),
            ("42", "2027-07-01", -1),
            ("420500", "2024-07-01", 1),
            ("420500", "2027-07-01", -1),
        ]

    async def test_a_recognition_before_its_enterprise_counts_when_it_arrives(
        self, db: Database
    ) -> None:
        uscc = make_uscc()
        handle = GATEWAY.subscription(then=on_registry_changes).batch_handler
        assert handle is not None
        async with db.sessions() as session, session.begin():
            await handle(session, [recognition_event(uscc)])
        assert await tier_deltas(db) == []
        async with db.sessions() as session, session.begin():
            await handle(session, [enterprise_event(uscc, 1)])
        assert await tier_deltas(db) == [
            ("42", "2024-07-01", 1),
            ("42", "2027-07-01", -1),
            ("420100", "2024-07-01", 1),
            ("420100", "2027-07-01", -1),
        ]


async def _in_transaction(session: AsyncSession, handle: BatchHandler, event: CloudEvent) -> None:
    async with session.begin():
        await handle(session, [event])
