"""The innovation benchmark: ``GET /demands/public`` (the published 需求库) at 100,000 demands
of the 37 units, about 56,000 of them publishable and pooled (``--quick``: 30,000).

The demands are COPYed in (titles and problems composed from an industrial vocabulary, so a
term matches a realistic share of them); then, against the service as a real uvicorn process,
p50/p99 over sequential requests of four reads — the first page, a category, a text in about
1 of 30 demands, a text in none — each next to the same query over asyncpg (``PUBLIC_SQL``),
without the service around it. The text searches also show the ILIKE scan they replaced.
Last, a unit's ``GET /stats`` next to its demands' aggregate over asyncpg.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import asyncpg
from contracts.innovation import CATEGORIES, POOLED, SELECTED, WITHDRAWN
from kit import clock, codes
from kit.auth import issue_token
from kit.infra import free_port
from kit.pii import PiiCipher
from kit.settings import Settings
from uuid6 import uuid7

from bench.common import Servers, asyncpg_dsn, http_latency, percentiles, uscc_for

API = "/api/v1/innovation"
PAGE = 50


@dataclass(frozen=True)
class Scale:
    demands: int
    requests: int


FULL = Scale(100_000, 300)
QUICK = Scale(30_000, 100)

# What the enterprises make and need: a title joins a product and a need, a problem names
# the product and another one, each with a defect.
PRODUCTS = (  # noqa: SIM905 - a vocabulary reads best as words
    "谐波减速器 RV减速器 伺服电机 滚珠丝杠 直线导轨 精密轴承 工业机器人关节 "
    "数控系统 激光切割头 光纤激光器 MEMS传感器 压力变送器 红外探测器 "
    "功率半导体 碳化硅衬底 氮化镓外延片 光刻胶 电子特气 高纯石英砂 锂电池隔膜 "
    "固态电解质 燃料电池膜电极 氢气压缩机 风电主轴承 光伏逆变器 储能变流器 "
    "特高压绝缘子 高温合金叶片 钛合金紧固件 碳纤维复合材料 芳纶纸 特种陶瓷 "
    "工业软件 PLC控制器 机器视觉相机 医用导管 人工关节 体外诊断试剂 "
    "疫苗佐剂 原料药中间体 农机变速箱 液压柱塞泵 密封件 高速齿轮箱 "
    "汽车线控底盘 毫米波雷达 车规级芯片 工业胶粘剂 水处理膜 环保催化剂 "
    "超硬刀具 精密模具 3D打印粉末 工业CT 无损检测仪 电子束焊机 真空泵 "
    "半导体阀门 晶圆清洗设备 封装基板"
).split()
NEEDS = (
    "寿命提升",
    "国产化替代",
    "工艺优化",
    "良率提升",
    "可靠性验证",
    "中试放大",
    "性能检测",
    "成本降低",
    "专利布局",
    "成果转化",
)
DEFECTS = (
    "在高负载工况下寿命不足设计值的一半",
    "关键材料依赖进口且交期长达六个月",
    "批次一致性差，良率只有百分之七十",
    "缺少第三方检测手段，客户验收周期长",
    "中试线能耗高，放大后性能明显下降",
    "热处理变形大，精加工余量难以控制",
    "核心算法精度不足，无法满足高端客户要求",
    "现有专利保护范围窄，存在侵权风险",
)
STATES = ("submitted", "declined", "withdrawn", "selected")  # the rest of the pool
TEXT = "伺服电机"  # a product: in about 1 of 30 public demands (a title or a problem)
COLUMNS = (
    "id",
    "enterprise_uscc",
    "enterprise_name",
    "unit",
    "region_code",
    "enterprise_tier",
    "contact_name",
    "contact_title",
    "contact_phone_enc",
    "categories",
    "title",
    "problem",
    "basis",
    "time_requirement",
    "due_on",
    "quantitative_targets",
    "necessity",
    "budget_wan_yuan",
    "onsite_needed",
    "publishable",
    "submitted_on",
    "state",
    "version",
)


def records(scale: Scale, cipher: PiiCipher, today: date) -> list[tuple[Any, ...]]:
    """The demands in id order; 70% pooled, 80% of those publishable."""
    rng = random.Random(14)
    units = list(codes.UNITS)
    phone = cipher.encrypt("13912345678", context="demand.contact_phone")
    out = []
    for n in range(scale.demands):
        unit = rng.choice(units)
        region = codes.unit_region(unit)[:4] + "01" if len(unit) == 2 else unit + "03"
        product, other = rng.sample(PRODUCTS, 2)
        pooled = rng.random() < 0.7
        out.append(
            (
                uuid7(),
                uscc_for(n, region),
                f"创新基准企业{n}",
                unit,
                region,
                "little_giant",
                "联系人",
                "技术总监",
                phone,
                sorted(rng.sample(CATEGORIES, rng.randint(1, 2))),
                f"{product}{rng.choice(NEEDS)}（{n}）",
                f"{product}{rng.choice(DEFECTS)}；配套的{other}{rng.choice(DEFECTS)}。"
                f"需要在{rng.randint(6, 24)}个月内解决，目标指标提升{rng.randint(20, 90)}%。",
                "已有中试线和省级企业技术中心",
                "一年内完成小试",
                today + timedelta(days=rng.randint(90, 700)),
                "性能指标达到国际同类产品水平",
                "打破国外垄断，保障产业链安全",
                Decimal(rng.randint(20, 800)),
                rng.random() < 0.5,
                rng.random() < 0.8,
                today - timedelta(days=rng.randint(0, 300)),
                "pooled" if pooled else rng.choice(STATES),
                2 if pooled else 1,
            )
        )
    return out


async def seed(dsn: str, rows: list[tuple[Any, ...]]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "demands", schema_name="innovation", columns=COLUMNS, records=rows
        )
        await conn.execute("VACUUM (ANALYZE) innovation.demands")
    finally:
        await conn.close()


# ---- the reads ------------------------------------------------------------------------------

# What the service asks the database for a page (repository ``public``): the same columns,
# conditions, order and limit, prepared once by asyncpg, without the service around it.
PUBLIC_SQL = "SELECT d.* FROM innovation.demands d WHERE d.state = 'pooled' AND d.publishable"
BY_CATEGORY = " AND d.categories @> ARRAY[$1]::varchar[]"
BY_TEXT = (
    " AND innovation.demand_grams(d.title, d.problem) @> innovation.search_grams($1)"
    " AND (d.title ILIKE $2 ESCAPE '/' OR d.problem ILIKE $2 ESCAPE '/')"
)
ORDER = f" ORDER BY d.id LIMIT {PAGE + 1}"
# The text search as it was before the grams index (``publishable IS true`` as SQLAlchemy's
# ``is_(True)`` wrote it, which no partial index serves): the scan of the pool it replaced.
SCANNED = "SELECT d.* FROM innovation.demands d WHERE d.state = 'pooled' AND d.publishable IS true"
SCAN = " AND (d.title ILIKE $1 ESCAPE '/' OR d.problem ILIKE $1 ESCAPE '/')"


def like(text: str) -> str:
    """``%text%`` with ``/``, ``%`` and ``_`` literal, as SQLAlchemy's ``autoescape`` binds it."""
    for char in "/%_":
        text = text.replace(char, "/" + char)
    return f"%{text}%"


@dataclass(frozen=True)
class Read:
    label: str
    query: str  # of GET /demands/public
    where: str  # what it adds to PUBLIC_SQL
    args: tuple[Any, ...]

    def sql(self, base: str = PUBLIC_SQL) -> str:
        return base + self.where + ORDER


def reads(text: str, missing: str) -> list[Read]:
    return [
        Read("first page", "", "", ()),
        Read("category=testing", "&category=testing", BY_CATEGORY, ("testing",)),
        Read(f"q={text}", f"&q={quote(text)}", BY_TEXT, (text, like(text))),
        Read(f"q={missing}", f"&q={quote(missing)}", BY_TEXT, (missing, like(missing))),
    ]


async def sql_latency(dsn: str, sql: str, args: tuple[Any, ...], n: int) -> dict[str, float]:
    conn = await asyncpg.connect(dsn)
    try:
        for _ in range(3):
            await conn.fetch(sql, *args)
        samples = []
        for _ in range(n):
            began = time.perf_counter()
            await conn.fetch(sql, *args)
            samples.append((time.perf_counter() - began) * 1000)
        return percentiles(samples)
    finally:
        await conn.close()


async def matching(dsn: str, read: Read) -> int:
    """Every public demand the read matches (its pages together)."""
    conn = await asyncpg.connect(dsn)
    try:
        found: int = await conn.fetchval(
            f"SELECT count(*) FROM ({PUBLIC_SQL}{read.where}) AS m", *read.args
        )
        return found
    finally:
        await conn.close()


# What ``GET /stats`` asks for a unit (``innovation.service.stats``): the demands' aggregate
# (the projects' one reads an empty table here).
def _listed(states: frozenset[str]) -> str:
    return ", ".join(f"'{s}'" for s in sorted(states))


BY_CATEGORIES = ", ".join(
    f"count(*) FILTER (WHERE categories @> ARRAY['{c}']::varchar[])" for c in CATEGORIES
)
STATS_SQL = f"""
SELECT count(*), count(*) FILTER (WHERE state IN ({_listed(POOLED)})),
       count(*) FILTER (WHERE state = 'declined'),
       count(*) FILTER (WHERE state IN ({_listed(SELECTED)})),
       count(*) FILTER (WHERE state = 'not_selected'),
       {BY_CATEGORIES}
FROM innovation.demands WHERE state <> '{WITHDRAWN}' AND unit = $1
"""


# ---- the part -------------------------------------------------------------------------------


def run(servers: Servers, url: str, settings: Settings, quick: bool) -> dict[str, Any]:
    scale = QUICK if quick else FULL
    dsn = asyncpg_dsn(url)
    cipher = PiiCipher.from_settings(
        settings.pii_keys, settings.pii_index_key, settings.data_dir / "keys"
    )
    asyncio.run(seed(dsn, records(scale, cipher, clock.today())))
    port = servers.start(["-m", "kit.cli", "serve", "innovation"], free_port())
    token = issue_token(
        settings, role="institution", region="110000", org=str(uuid7()), ttl_seconds=24 * 3600
    )
    auth = {"Authorization": f"Bearer {token}"}
    out: dict[str, Any] = {"demands": scale.demands, "quick": quick, "reads": []}
    for read in reads(TEXT, "无此需求"):
        path = f"{API}/demands/public?limit={PAGE}{read.query}"
        out["reads"].append(
            {
                "label": read.label,
                "http_ms": asyncio.run(http_latency(port, path, auth, scale.requests)),
                "sql_ms": asyncio.run(sql_latency(dsn, read.sql(), read.args, scale.requests)),
                "matching": asyncio.run(matching(dsn, read)),
            }
        )
        if read.where == BY_TEXT:
            scan = Read(read.label, read.query, SCAN, read.args[1:])
            out["reads"][-1]["scan_ms"] = asyncio.run(
                sql_latency(dsn, scan.sql(SCANNED), scan.args, max(3, scale.requests // 5))
            )
    unit = issue_token(settings, role="province", region="420000", ttl_seconds=24 * 3600)
    out["stats"] = {
        "http_ms": asyncio.run(
            http_latency(port, f"{API}/stats", {"Authorization": f"Bearer {unit}"}, scale.requests)
        ),
        "sql_ms": asyncio.run(sql_latency(dsn, STATS_SQL, ("42",), scale.requests)),
    }
    return out


def table_rows(r: dict[str, Any]) -> list[str]:
    public = r["reads"][0]["matching"]
    quick = "--quick: " if r.get("quick") else ""
    rows = []
    for x in r["reads"]:
        http, sql = x["http_ms"], x["sql_ms"]
        rows.append(
            f"| innovation: GET /demands/public {x['label']} ({quick}{r['demands']:,} demands, "
            f"{public:,} public; {x['matching']:,} match) | p50 {http['p50']:.1f} ms, p99 "
            f"{http['p99']:.1f} ms | the same query over asyncpg p50 {sql['p50']:.1f} ms, p99 "
            f"{sql['p99']:.1f} ms | {http['p50'] / sql['p50']:.2f}× | — |"
        )
        if "scan_ms" in x:
            rows.append(
                f"| innovation: {x['label']} before, the ILIKE scan over asyncpg | p50 "
                f"{x['scan_ms']['p50']:.1f} ms, p99 {x['scan_ms']['p99']:.1f} ms | | | |"
            )
    if stats := r.get("stats"):
        http, sql = stats["http_ms"], stats["sql_ms"]
        rows.append(
            f"| innovation: GET /stats (a unit, {quick}{r['demands']:,} demands) | p50 "
            f"{http['p50']:.1f} ms, p99 {http['p99']:.1f} ms | the demands' aggregate over asyncpg "
            f"p50 {sql['p50']:.1f} ms | {http['p50'] / sql['p50']:.2f}× | — |"
        )
    return rows
