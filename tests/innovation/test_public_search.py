"""The public 需求库's text search at the service tier: the grams index finds exactly what the
ILIKE scan it replaced found (any case, wildcards literal, one character, across pages), and
the query the repository sends is one the index serves."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from innovation.models import Demand
from innovation.repository import demands as repo
from kit.pagination import Window
from kit.testing import ServiceTier
from sqlalchemy import event, text
from uuid6 import uuid7

pytestmark = pytest.mark.services("innovation")

# Titles and problems a search must tell apart: Chinese without spaces, ASCII in any case,
# SQL wildcards as text, a text split between the title and the problem, a long problem.
TEXTS = [
    ("高精度减速器轴承寿命提升", "轴承在高负载下寿命不足 3000 小时"),
    ("MEMS 传感器封装", "封装良率只有 60%（目标 95%）"),
    ("mems麦克风", "声学一致性差"),
    ("Àpropos 工艺", "à la carte 检测"),
    ("密封件末", "首批样件泄漏"),
    ("伺服电机", "x" * 4000 + "编码器精度不足"),
    ("a_b 工具", "100% 国产"),
    ("碳化硅衬底", "良"),
]
QUERIES = [
    "轴承",
    "轴",
    "承在",
    "寿命提升",
    "MEMS",
    "mems",
    "Mems 传",
    "s ",
    "À",
    "à",
    "%",
    "_",
    "a_b",
    "60%（目标",
    "6_%",
    "末首",  # the end of a title and the start of its problem: no demand holds it
    "编码器精度",
    "x" * 50,
    "良",
    "衬底良",
    "没有的词",
]


def demand(title: str, problem: str, **overrides: Any) -> Demand:
    values: dict[str, Any] = {
        "id": uuid7(),
        "enterprise_uscc": "91420100MA4K3C2P0R",
        "enterprise_name": "测试科技有限公司",
        "unit": "42",
        "region_code": "420102",
        "enterprise_tier": "little_giant",
        "contact_name": "李明",
        "contact_phone_enc": b"\x00",
        "categories": ["rd"],
        "title": title,
        "problem": problem,
        "basis": "已有中试线",
        "time_requirement": "一年内",
        "quantitative_targets": "寿命翻倍",
        "necessity": "替代进口",
        "budget_wan_yuan": Decimal("100"),
        "onsite_needed": False,
        "publishable": True,
        "submitted_on": date(2026, 12, 1),
        "state": "pooled",
        "version": 2,
    }
    values.update(overrides)
    return Demand(**values)


def like(query: str) -> str:
    for char in "/%_":
        query = query.replace(char, "/" + char)
    return f"%{query}%"


async def scanned(service: ServiceTier, query: str) -> list[uuid.UUID]:
    """The ILIKE scan the index replaced: the answer every search must give."""
    rows = await service.session.execute(
        text(
            "SELECT id FROM innovation.demands WHERE state = 'pooled' AND publishable"
            " AND (title ILIKE :p ESCAPE '/' OR problem ILIKE :p ESCAPE '/') ORDER BY id"
        ),
        {"p": like(query)},
    )
    return [r.id for r in rows]


async def searched(service: ServiceTier, query: str, limit: int = 2) -> list[uuid.UUID]:
    """Every page of the repository's search, following the cursor."""
    found: list[uuid.UUID] = []
    window = Window(None, limit)
    while True:
        rows = await repo.public(service.session, category=None, text=query, window=window)
        found += [d.id for d in rows[:limit]]
        if len(rows) <= limit:
            return found
        window = Window(rows[limit - 1].id, limit)


class TestSameAsTheScan:
    async def test_every_text_finds_what_ilike_finds(self, service: ServiceTier) -> None:
        service.session.add_all(demand(t, p) for t, p in TEXTS)
        # Not public: holding the text changes nothing.
        service.session.add(demand("轴承 MEMS", "良", publishable=False))
        service.session.add(demand("轴承 MEMS", "良", state="submitted"))
        await service.session.flush()
        for query in QUERIES:
            expected = await scanned(service, query)
            assert await searched(service, query) == expected, query
        assert len(await scanned(service, "轴承")) == 1  # the oracle does see the text
        assert len(await scanned(service, "mems")) == 2  # both cases
        assert await scanned(service, "末首") == []

    async def test_with_a_category(self, service: ServiceTier) -> None:
        testing = demand("轴承检测", "台架", categories=["testing", "rd"])
        service.session.add_all([testing, demand("轴承研发", "台架")])
        await service.session.flush()
        rows = await repo.public(
            service.session, category="testing", text="轴承", window=Window(None, 10)
        )
        assert [d.id for d in rows] == [testing.id]


class TestTheIndexServesIt:
    async def test_a_rare_text_is_read_from_the_grams_index(self, service: ServiceTier) -> None:
        # Enough of a pool for the planner to prefer an index over reading it all.
        await service.session.execute(
            text(
                "INSERT INTO innovation.demands (id, enterprise_uscc, enterprise_name, unit,"
                " region_code, enterprise_tier, contact_name, contact_phone_enc, categories,"
                " title, problem, basis, time_requirement, quantitative_targets, necessity,"
                " budget_wan_yuan, onsite_needed, publishable, submitted_on, state, version)"
                " SELECT gen_random_uuid(), '91420100MA4K3C2P0R', '企业', '42', '420102',"
                " 'little_giant', '李明', '\\x00', '{rd}', '减速器寿命提升' || n,"
                " '高负载下寿命不足，需要提升到八千小时以上' || n, '基础', '一年', '指标',"
                " '必要', 10, false, true, '2026-12-01', 'pooled', 2"
                " FROM generate_series(1, 3000) AS n"
            )
        )
        service.session.add(demand("谐波减速器柔轮", "柔轮疲劳断裂"))
        await service.session.flush()
        await service.session.execute(text("ANALYZE innovation.demands"))
        statements: list[tuple[str, Any]] = []
        conn = await service.session.connection()

        def grab(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
            if "demand_grams" in statement:
                statements.append((statement, parameters))

        event.listen(conn.sync_connection, "before_cursor_execute", grab)
        try:
            rows = await repo.public(
                service.session, category=None, text="柔轮疲劳", window=Window(None, 50)
            )
        finally:
            event.remove(conn.sync_connection, "before_cursor_execute", grab)
        assert [d.title for d in rows] == ["谐波减速器柔轮"]
        [(statement, parameters)] = statements
        plan = await conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        assert "ix_demands_public_text" in "\n".join(r[0] for r in plan)
