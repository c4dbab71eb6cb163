"""Language of user-facing text: Chinese by default, English on request."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]


def negotiate(accept_language: str | None) -> Lang:
    """English only when the caller's first preference is English (``Accept-Language: en``)."""
    if not accept_language:
        return "zh"
    first = accept_language.split(",", 1)[0].strip().lower()
    return "en" if first.startswith("en") else "zh"


def pick(lang: Lang, zh: str, en: str) -> str:
    return en if lang == "en" else zh
