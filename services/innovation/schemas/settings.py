"""The unit's setting: runs the task or not (000:39), and the tiers it admits."""

from __future__ import annotations

from datetime import datetime

from contracts.vocabulary import Tier
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from innovation.rules import ADMISSIBLE_TIERS, DEFAULT_TIERS


def admissible(tiers: list[Tier]) -> list[Tier]:
    """The tiers a unit (or a round) may admit, each once."""
    wrong = [t.value for t in tiers if t.value not in ADMISSIBLE_TIERS]
    if wrong:
        raise PydanticCustomError(
            "TIER_NOT_ADMISSIBLE",
            "Technical-innovation services serve 专精特新中小企业 and up, not {wrong}",
            {"wrong": ", ".join(wrong), "zh": "技术创新服务面向专精特新中小企业及以上梯度"},
        )
    return list(dict.fromkeys(tiers))


class SettingPut(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"runs": True, "eligible_tiers": ["little_giant", "key_little_giant"]}]
        },
    )

    runs: bool = Field(description="本单位是否开展技术创新服务（000:39：地方自行决定是否开展）")
    eligible_tiers: list[Tier] = Field(
        default_factory=lambda: [Tier(t) for t in DEFAULT_TIERS],
        min_length=1,
        description="面向的企业梯度：specialized_sme / little_giant / key_little_giant"
        "（默认三者；001 仅面向“小巨人”）",
    )

    @field_validator("eligible_tiers")
    @classmethod
    def _admissible(cls, tiers: list[Tier]) -> list[Tier]:
        return admissible(tiers)


class SettingRead(BaseModel):
    unit: str
    runs: bool = Field(description="是否开展技术创新服务")
    eligible_tiers: list[Tier]
    stated: bool = Field(description="单位已作设置（否则为默认：开展，面向默认梯度）")
    version: int
    updated_at: datetime | None
