"""The gateway's declarative base (schema ``gateway``) and the scopes its figures are kept in.

Every figure is kept per *scope*: a province (2 digits, ``42``), a city (its 6-digit code,
the first 4 digits of a region code + ``00``: ``420100``) and, where one fact can touch
several provinces (a joint class), :data:`NATION` (``00``), which counts it once. An
enterprise counts in its province and in its city.
"""

from __future__ import annotations

from kit.db import schema_metadata
from kit.tables import add_kit_tables
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    metadata = schema_metadata("gateway")


kit_tables = add_kit_tables(Base.metadata)

NATION = "00"  # the scope that counts each fact once, however many provinces it touches


def city_of(region_code: str) -> str:
    """The city (地级) scope of a 6-digit region code: ``420102`` → ``420100``."""
    return region_code[:4] + "00"


def in_region(prefix: str) -> str:
    """SQL: the scopes under the caller's region ``prefix`` (a placeholder: '' for the
    ministry, who reads the provinces and the nation, not the cities)."""
    return f"scope LIKE {prefix} || '%' AND ({prefix} <> '' OR length(scope) = 2)"
