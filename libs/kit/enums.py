"""Enums whose values are English snake_case and whose labels are Chinese (API.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class LabelledEnum(StrEnum):
    """``MEMBER = "value", "中文标签"`` — ``.zh`` is what users read."""

    zh: str

    def __new__(cls, value: str, zh: str = "") -> LabelledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh or value
        return obj

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.value.replace("_", " ")


def catalogue(*enums: type[LabelledEnum]) -> dict[str, Any]:
    """The body of ``GET /api/v1/<svc>/enums``: every value with its labels."""
    return {
        e.__name__: [{"value": m.value, "zh": m.zh, "en": m.value.replace("_", " ")} for m in e]
        for e in enums
    }


class Tier(LabelledEnum):
    """The tiers of 优质中小企业 (every service speaks of them)."""

    INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
    SPECIALIZED_SME = "specialized_sme", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”企业"
    KEY_LITTLE_GIANT = "key_little_giant", "重点“小巨人”企业"
