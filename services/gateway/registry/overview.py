"""The registry's figures of the overview: enterprises registered and tiers held on a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import asyncpg
from pydantic import BaseModel, Field

from gateway.base import in_region

_TIERS = f"""
SELECT scope, tier, sum(delta)::int AS held FROM gateway.tier_deltas
WHERE day <= $1 AND {in_region("$2")} GROUP BY scope, tier
"""
_COUNTS = f"SELECT scope, enterprises FROM gateway.region_counts WHERE {in_region('$1')}"


class TierCounts(BaseModel):
    innovative_sme: int = Field(0, description="创新型中小企业")
    specialized_sme: int = Field(0, description="专精特新中小企业")
    little_giant: int = Field(0, description="专精特新“小巨人”企业")
    key_little_giant: int = Field(0, description="重点“小巨人”企业")
    valid_little_giant: int = Field(
        0,
        description="有效期内的“小巨人”企业（含重点“小巨人”，同时持有两者的企业计一次）："
        "覆盖率的分母",
    )


@dataclass
class Places:
    """Enterprises registered (current) and tiers held on the date, per scope."""

    enterprises: dict[str, int]
    held: dict[str, dict[str, int]] = field(default_factory=dict)

    def tiers(self, scope: str) -> TierCounts:
        return TierCounts(**self.held.get(scope, {}))

    def add_up(self, scope: str, parts: list[str]) -> None:
        """``scope`` holds the sum of ``parts`` (an enterprise is in one unit, so the
        nation's figures are the sum of the units')."""
        self.enterprises[scope] = sum(self.enterprises.get(p, 0) for p in parts)
        self.held[scope] = {
            t: sum(self.held.get(p, {}).get(t, 0) for p in parts) for t in TierCounts.model_fields
        }


async def places(conn: asyncpg.Connection, prefix: str, as_of: date) -> Places:
    found = Places({r["scope"]: r["enterprises"] for r in await conn.fetch(_COUNTS, prefix)})
    for r in await conn.fetch(_TIERS, as_of, prefix):
        found.held.setdefault(r["scope"], {})[r["tier"]] = r["held"]
    return found
