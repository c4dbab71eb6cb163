"""The gateway's declarative base (schema ``gateway``) and the scopes its figures are kept in.

Every figure is kept per *scope*: a filing unit (``kit.codes.UNITS``: a province's 2 digits
``42``, a 计划单列市's 4 ``3302``), a city (its 6-digit code, the first 4 digits of a region
code + ``00``: ``420100``) and, where one fact can touch several units (a joint class),
:data:`NATION` (``00``), which counts it once. An enterprise counts in its unit and in its
city; a province's unit leaves out its 计划单列市 (DESIGN.md §5).
"""

from __future__ import annotations

from kit.codes import PLAN_CITIES
from kit.db import schema_metadata
from kit.tables import add_kit_tables
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    metadata = schema_metadata("gateway")


kit_tables = add_kit_tables(Base.metadata)

NATION = "00"  # the scope that counts each fact once, however many provinces it touches

# The 培育赋能工作批次 (000 §三(四)) as the diagnosis and innovation records name it, by the
# training plan period the overview's ``batch`` is read as (batch 1 = 2025, 2 = 2026,
# 3 = 2027-2028, due on the same dates); counters keep each batch and ``ALL_BATCHES``.
BATCH_OF_PERIOD = {"2025": "第一批", "2026": "第二批", "2027-2028": "第三批"}
ALL_BATCHES = "all"  # the batch row that accumulates every batch


def city_of(region_code: str) -> str:
    """The city (地级) scope of a 6-digit region code: ``420102`` → ``420100``."""
    return region_code[:4] + "00"


_PLAN_CITIES = ", ".join(f"'{code[:4]}'" for code in sorted(PLAN_CITIES))


def in_region(prefix: str) -> str:
    """SQL: the scopes under the caller's region ``prefix`` (a placeholder: '' for the
    ministry, who reads the units and the nation, not the cities; a province reads neither
    its 计划单列市 nor their cities)."""
    return (
        f"scope LIKE {prefix} || '%' AND ({prefix} <> '' OR length(scope) < 6)"
        f" AND (length({prefix}) <> 2 OR left(scope, 4) NOT IN ({_PLAN_CITIES}))"
    )
