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
