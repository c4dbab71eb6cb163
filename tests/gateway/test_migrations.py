"""The read model's migrations keep the figures it already counted."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic import command
from kit.migrations import alembic_config

BEFORE_CITIES = "ae161f8524e8"
BEFORE_UNITS = "bf3c4de4cd4c"  # the figures' scopes as the earlier migrations left them

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
        await asyncio.to_thread(command.upgrade, config, BEFORE_UNITS)

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
        await asyncio.to_thread(command.upgrade, config, BEFORE_UNITS)
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


# A 宁波 (计划单列市) enterprise N and a 杭州 one H, as the consumer counted them while a
# 计划单列市 was part of its province: N's trainee T took a class of 浙江 (33), answered the
# survey and got a certificate.
NINGBO_IN_ZHEJIANG = """
INSERT INTO gateway.enterprises (uscc, name, region_code, province, version)
    VALUES ('N', '甬', '330212', '33', 1), ('H', '杭', '330102', '33', 1);
INSERT INTO gateway.tier_deltas VALUES ('33', 'little_giant', '2024-07-01', 2),
    ('33', 'little_giant', '2027-07-01', -2), ('330200', 'little_giant', '2024-07-01', 1),
    ('330200', 'little_giant', '2027-07-01', -1), ('330100', 'little_giant', '2024-07-01', 1),
    ('330100', 'little_giant', '2027-07-01', -1);
INSERT INTO gateway.region_counts VALUES ('33', 2), ('330200', 1), ('330100', 1);
INSERT INTO gateway.training_enrollments (id, trainee_id, enterprise_uscc, province,
    class_province, city, period, state, version)
    VALUES ('00000000-0000-0000-0000-00000000000a', $1, 'N', '33', '33', '330200', '2025',
            'completed', 3);
INSERT INTO gateway.training_trainee_members
    SELECT s, p, $1, 1 FROM unnest(ARRAY['33', '330200', '00']) s, unnest(ARRAY['2025', 'all']) p;
INSERT INTO gateway.training_enterprise_members
    SELECT s, p, 'N', 1 FROM unnest(ARRAY['33', '330200', '00']) s, unnest(ARRAY['2025', 'all']) p;
INSERT INTO gateway.training_counts (scope, period, trainees, enterprises_trained, responses,
    satisfied)
    SELECT s, p, 1, 1, 1, 1 FROM unnest(ARRAY['33', '330200', '00']) s,
        unnest(ARRAY['2025', 'all']) p;
INSERT INTO gateway.training_day_counts (scope, period, day, classes, certificates)
    VALUES ('33', 'all', '2025-06-01', 1, 1), ('330200', 'all', '2025-06-10', 0, 1),
           ('00', 'all', '2025-06-01', 1, 1)
"""


async def test_a_plan_citys_figures_move_into_its_own_unit(database_url: str) -> None:
    config = alembic_config("gateway", database_url)
    await asyncio.to_thread(command.downgrade, config, BEFORE_UNITS)
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))

    async def rows(sql: str) -> list[tuple[object, ...]]:
        return sorted(tuple(r) for r in await conn.fetch(sql))

    try:
        trainee = uuid.uuid4()
        async with conn.transaction():
            for statement in NINGBO_IN_ZHEJIANG.split(";"):
                await conn.execute(statement, *([trainee] if "$1" in statement else []))
        tiers_before = await rows("SELECT scope, day, delta FROM gateway.tier_deltas")
        await asyncio.to_thread(command.upgrade, config, "head")

        assert await rows("SELECT uscc, province FROM gateway.enterprises") == [
            ("H", "33"),
            ("N", "3302"),
        ]
        assert await rows(
            "SELECT scope, day::text, delta FROM gateway.tier_deltas WHERE delta <> 0"
        ) == [
            ("33", "2024-07-01", 1),  # 杭州's only
            ("33", "2027-07-01", -1),
            ("330100", "2024-07-01", 1),
            ("330100", "2027-07-01", -1),
            ("3302", "2024-07-01", 1),  # 宁波 is a unit of its own
            ("3302", "2027-07-01", -1),
            ("330200", "2024-07-01", 1),
            ("330200", "2027-07-01", -1),
        ]
        assert await rows(
            "SELECT scope, enterprises FROM gateway.region_counts WHERE enterprises <> 0"
        ) == [("33", 1), ("330100", 1), ("3302", 1), ("330200", 1)]
        assert await rows("SELECT province, class_province FROM gateway.training_enrollments") == [
            ("3302", "33")
        ]
        # T counts in 浙江 still (its class's unit) but N, trained, only in 宁波 and its city.
        assert await rows(
            "SELECT scope, trainees, enterprises_trained, responses, satisfied"
            " FROM gateway.training_counts WHERE period = 'all'"
        ) == [
            ("00", 1, 1, 1, 1),
            ("33", 1, 0, 1, 1),
            ("3302", 1, 1, 1, 1),
            ("330200", 1, 1, 1, 1),
        ]
        assert await rows(
            "SELECT scope, certificates FROM gateway.training_day_counts WHERE certificates <> 0"
        ) == [("00", 1), ("33", 1), ("3302", 1), ("330200", 1)]

        await asyncio.to_thread(command.downgrade, config, BEFORE_UNITS)
        assert await rows("SELECT scope, day, delta FROM gateway.tier_deltas WHERE delta <> 0") == (
            tiers_before
        )
        assert await rows("SELECT uscc, province FROM gateway.enterprises") == [
            ("H", "33"),
            ("N", "33"),
        ]
    finally:
        await conn.close()
