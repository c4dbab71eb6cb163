"""Small factories for test data: valid codes computed, never hard-coded by hand."""

from __future__ import annotations

import itertools
from typing import Any

from kit.codes import filing_unit
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

_serial = itertools.count(1)


def make_uscc(region: str = "420100", serial: int | None = None) -> str:
    """A valid 统一社会信用代码: 91 (enterprise), region, 9-char organisation code, check."""
    n = next(_serial) if serial is None else serial
    body = f"91{region}{n:09d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


def enterprise(region: str = "420102", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uscc": make_uscc(region[:4] + "00"),
        "name": f"测试科技有限公司{next(_serial)}",
        "region_code": region,
        "industry_code": "39",
        "scale": "small",
        "ownership": "private",
        "main_product": "工业传感器",
    }
    body.update(overrides)
    return body


def recognition(
    tier: str = "little_giant", valid_from: str = "2024-07-01", **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "tier": tier,
        "batch": "第六批",
        "recognized_on": valid_from,
        "valid_from": valid_from,
    }
    body.update(overrides)
    return body


def recorder(tier: str, region: str) -> tuple[str, str]:
    """The role and region that may record ``tier`` for an enterprise in ``region``: the
    ministry for 小巨人 and 重点小巨人, the enterprise's filing unit for the provincial tiers."""
    if tier in ("little_giant", "key_little_giant"):
        return "ministry", "100000"
    return "province", filing_unit(region)


def make_id_number(region: str = "420102", born: str = "19800101") -> str:
    """A valid 居民身份证号码 with a fresh sequence number."""
    body = f"{region}{born}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads past a check-digit slot
