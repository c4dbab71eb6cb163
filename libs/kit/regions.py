"""Each filing unit's regions (DESIGN.md §5): unit → city → county, as data — the GB/T 2260
table ``kit.codes`` validates against, with that table's version — so that a 计划单列市's
districts belong to it and not to its province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from kit.codes import FORMER, PLAN_CITIES, PROVINCES, REGIONS, city_name, filing_unit, unit_name

VERSION = (
    f"GB/T 2260 行政区划代码：python-stdnum {version('python-stdnum')} 所附 cn/loc.dat"
    "（民政部历年代码，含已撤销的代码）；新疆生产建设兵团 660000 为工业和信息化部的单位代码，"
    "其师团不在 GB/T 2260 中"
)
UNITS = [code + "0000" for code in PROVINCES] + sorted(PLAN_CITIES)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    current: bool
    places: tuple[Place, ...] = ()


def kind(unit: str) -> str:
    """``province``, ``plan_city`` (计划单列市) or ``corps`` (兵团)."""
    return "plan_city" if unit in PLAN_CITIES else "corps" if unit == "660000" else "province"


@cache  # the table never changes while the process runs
def hierarchy(unit: str, *, former: bool = False) -> Place:
    """The unit with its cities and their counties (abolished codes only with ``former``)."""
    prefix = unit[:4] if unit in PLAN_CITIES else unit[:2]

    def shown(code: str) -> bool:
        return code.startswith(prefix) and (former or code not in FORMER)

    codes = sorted(c for c in REGIONS if shown(c) and filing_unit(c) == unit)
    cities = [c for c in codes if c.endswith("00") and not c.endswith("0000")]
    if unit in PLAN_CITIES:
        cities = [unit]
    return Place(
        unit,
        unit_name(unit),
        True,
        tuple(
            Place(
                city,
                city_name(city),
                city not in FORMER,
                tuple(
                    Place(c, REGIONS[c] or c, c not in FORMER)
                    for c in codes
                    # XXYY01 市辖区 names a city's districts as a whole, not a county
                    if c[:4] == city[:4] and not c.endswith("00") and REGIONS[c] != "市辖区"
                ),
            )
            for city in cities
        ),
    )
