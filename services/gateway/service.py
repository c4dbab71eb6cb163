"""Overview figures from the read model: a few hundred rows, whatever the enterprise count."""

from __future__ import annotations

from datetime import date

from kit.auth import Principal
from kit.codes import PROVINCES
from kit.db import Database

from gateway.schemas import Overview, ProvinceRow, TierCounts

_TIERS = """
SELECT province, tier, sum(delta)::int AS held FROM gateway.tier_deltas
WHERE day <= $1 GROUP BY province, tier
"""
_COUNTS = "SELECT province, enterprises FROM gateway.province_counts"


async def overview(db: Database, principal: Principal, as_of: date) -> Overview:
    async with db.pool.acquire() as conn:
        tiers = await conn.fetch(_TIERS, as_of)
        counts = {r["province"]: r["enterprises"] for r in await conn.fetch(_COUNTS)}
    held: dict[str, dict[str, int]] = {}
    for r in tiers:
        held.setdefault(r["province"], {})[r["tier"]] = r["held"]
    visible = [code for code in PROVINCES if principal.sees_region(code + "0000")]
    rows = [
        ProvinceRow(
            province=code,
            name=PROVINCES[code],
            enterprises=counts.get(code, 0),
            tiers=TierCounts(**held.get(code, {})),
        )
        for code in visible
    ]
    totals = ProvinceRow(
        province="00" if principal.region_prefix == "" else visible[0] if visible else "00",
        name="全国" if principal.region_prefix == "" else "合计",
        enterprises=sum(r.enterprises for r in rows),
        tiers=TierCounts(
            **{t: sum(getattr(r.tiers, t) for r in rows) for t in TierCounts.model_fields}
        ),
    )
    return Overview(as_of=as_of, totals=totals, provinces=rows)
