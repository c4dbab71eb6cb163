"""The read model's migrations keep the figures it already counted."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic import command
from kit.migrations import alembic_config

BEFORE_CITIES = "ae161f8524e8"

OLD_ROWS = """
INSERT INTO gateway.enterprises VALUES ('E1', '420102', '42', 1), ('E2', '420502', '42', 1);
INSERT INTO gateway.recognitions VALUES
    ('00000000-0000-0000-0000-000000000001', 'E1', 'little_giant', '2024-07-01', '2027-06-30',
     NULL, 1),
    ('00000000-0000-0000-0000-000000000002', 'E1', 'little_giant', '2025-01-01', '2027-12-31',
     NULL, 1),
    ('00000000-0000-0000-0000-000000000003', 'E2', 'little_giant', '2024-07-01', '2027-06-30',
     '2025-03-01', 1);
INSERT INTO gateway.tier_deltas VALUES ('42', 'little_giant', '2024-07-01', 2),
    ('42', 'little_giant', '2025-03-01', -1), ('42', 'little_giant', '2028-01-01', -1);
INSERT INTO gateway.province_counts VALUES ('42', 2);
INSERT INTO gateway.training_counts (scope, period, classes, trainees, enterprises_trained,
    certificates) VALUES ('42', 'all', 3, 1, 1, 2);
INSERT INTO gateway.training_enrollments (id, trainee_id, enterprise_uscc, province,
    class_province, period, state, version)
    VALUES ('00000000-0000-0000-0000-00000000000a', $1, 'E1', '42', '42', '2025', 'completed', 5);
INSERT INTO gateway.training_trainee_members VALUES ('42', 'all', $1, 1);
"""


async def test_city_scopes_are_derived_from_what_was_counted(database_url: str) -> None:
    config = alembic_config("gateway", database_url)
    await asyncio.to_thread(command.downgrade, config, BEFORE_CITIES)
    dsn = database_url.replace("+asyncpg", "")
    conn = await asyncpg.connect(dsn)
    try:
        trainee = uuid.uuid4()
        async with conn.transaction():
            for statement in OLD_ROWS.split(";"):
                if statement.strip():
                    args = [trainee] if "$1" in statement else []
                    await conn.execute(statement, *args)
        await asyncio.to_thread(command.upgrade, config, "head")

        deltas = await conn.fetch(
            "SELECT scope, day::text, delta FROM gateway.tier_deltas"
            " WHERE tier = 'little_giant' ORDER BY scope, day"
        )
        assert [tuple(r) for r in deltas] == [
            ("42", "2024-07-01", 2),
            ("42", "2025-03-01", -1),
            ("42", "2028-01-01", -1),
            ("420100", "2024-07-01", 1),  # the renewal overlaps: one span to 2027-12-31
            ("420100", "2028-01-01", -1),
            ("420500", "2024-07-01", 1),
            ("420500", "2025-03-01", -1),
        ]
        counts = await conn.fetch("SELECT scope, enterprises FROM gateway.region_counts")
        assert sorted(tuple(r) for r in counts) == [("42", 2), ("420100", 1), ("420500", 1)]
        dated = await conn.fetch(
            "SELECT scope, day::text, classes, certificates FROM gateway.training_day_counts"
        )
        assert [tuple(r) for r in dated] == [("42", "0001-01-01", 3, 2)]
        training = await conn.fetch(
            "SELECT scope, trainees, enterprises_trained FROM gateway.training_counts"
            " WHERE period = 'all' ORDER BY scope"
        )
        assert [tuple(r) for r in training] == [("42", 1, 1), ("420100", 1, 1)]
    finally:
        await conn.close()


BEFORE_VALID_COUNT = "4d2b7e9a1c52"

REPLICATED = """
INSERT INTO gateway.enterprises (uscc, name, region_code, province, version)
    VALUES ('E1', '甲', '420102', '42', 1), ('E2', '乙', '420502', '42', 1);
INSERT INTO gateway.recognitions (id, uscc, tier, valid_from, valid_until, revoked_on, version)
VALUES
    ('00000000-0000-0000-0000-000000000001', 'E1', 'little_giant', '2024-07-01', '2027-06-30',
     NULL, 1),
    ('00000000-0000-0000-0000-000000000002', 'E1', 'key_little_giant', '2025-01-01',
     '2027-12-31', NULL, 1),
    ('00000000-0000-0000-0000-000000000003', 'E2', 'key_little_giant', '2025-01-01',
     '2027-12-31', '2026-03-01', 1),
    ('00000000-0000-0000-0000-000000000004', 'E2', 'innovative_sme', '2024-01-01', '2026-12-31',
     NULL, 1)
"""


async def test_valid_little_giants_are_derived_from_the_replica(database_url: str) -> None:
    config = alembic_config("gateway", database_url)
    await asyncio.to_thread(command.downgrade, config, BEFORE_VALID_COUNT)
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        for statement in REPLICATED.split(";"):
            await conn.execute(statement)
        await asyncio.to_thread(command.upgrade, config, "head")
        deltas = await conn.fetch(
            "SELECT scope, day::text, delta FROM gateway.tier_deltas"
            " WHERE tier = 'valid_little_giant' ORDER BY scope, day"
        )
        # E1: one island 2024-07-01 → 2027-12-31 (its key recognition extends the plain one);
        # E2: 2025-01-01 until revoked on 2026-03-01; the 创新型 recognition does not count.
        assert [tuple(r) for r in deltas] == [
            ("42", "2024-07-01", 1),
            ("42", "2025-01-01", 1),
            ("42", "2026-03-01", -1),
            ("42", "2028-01-01", -1),
            ("420100", "2024-07-01", 1),
            ("420100", "2028-01-01", -1),
            ("420500", "2025-01-01", 1),
            ("420500", "2026-03-01", -1),
        ]
    finally:
        await conn.close()
