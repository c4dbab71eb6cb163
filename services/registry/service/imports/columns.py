"""The import file's columns: which headings are accepted and the field each one fills.

The accepted headings are ``COLUMNS`` (also in the template's 填写说明 sheet): the Chinese
heading or the API field name, with notes in brackets and the required-marker ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.errors import IMPORT_FILE_INVALID


@dataclass(frozen=True)
class Column:
    """One importable column: its Chinese heading (the template's), the API field name
    (accepted as a heading too) and what the cells may hold."""

    field: str
    heading: str
    required: bool
    note: str


COLUMNS = (
    Column("uscc", "统一社会信用代码", True, "18 位，含校验位"),
    Column("name", "企业名称", True, "不超过 200 字"),
    Column("region_code", "行政区划代码", True, "6 位 GB/T 2260 代码，须在本单位管辖范围内"),
    Column(
        "industry_code",
        "所属行业代码",
        True,
        "GB/T 4754-2017 两位大类代码（01–97；表格吞掉的前导零可省略）",
    ),
    Column("niche_field", "细分领域", False, "不超过 200 字"),
    Column("main_product", "主导产品", False, "不超过 200 字"),
    Column("scale", "企业规模", False, "中型 / 小型 / 微型（或 medium / small / micro）"),
    Column(
        "ownership",
        "企业类型",
        False,
        "国有 / 合资 / 民营 / 其他（或 state / joint / private / other）",
    ),
    Column("legal_representative", "法定代表人", False, "不超过 100 字"),
    Column("registered_on", "成立日期", False, "YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日，不晚于今天"),
    Column("employees", "从业人员", False, "0–10000000 的整数"),
    Column("address", "通讯地址", False, "不超过 300 字"),
    Column("website", "公司网址", False, "以 http:// 或 https:// 开头，不超过 300 字"),
    Column("listed", "是否上市", False, "是 / 否（空白为否；填了上市板块时由板块决定）"),
    Column(
        "listing_board",
        "上市板块",
        False,
        "上交所主板 / 上交所科创板 / 深交所主板 / 深交所中小板 / 深交所创业板 / 北交所 / "
        "新三板（全国中小企业股份转让系统）挂牌 / 境外上市（空白为未上市）",
    ),
)
TEMPLATE_HEADINGS = [c.heading for c in COLUMNS]
# A column's place in the template: the report lists a row's problems in this order.
POSITION = {c.field: n for n, c in enumerate(COLUMNS)}
_BY_HEADING = {key: c.field for c in COLUMNS for key in (c.heading, c.field)}
_HEADING_NOTE = re.compile(r"[（(][^）)]*[）)]|[*＊\s]")


def heading_field(heading: object) -> str | None:
    """``企业规模（中型/小型/微型）*`` → ``scale``: notes in brackets and the required-marker
    are ignored, English field names in any case."""
    return _BY_HEADING.get(_HEADING_NOTE.sub("", str(heading or "")).lower())


def fields_of(header: list[str]) -> list[str | None]:
    """Per column of the first row, the field it holds (None when ignored); refused when a
    required column is missing or one is repeated."""
    fields = [heading_field(h) for h in header]
    if not any(fields):
        raise IMPORT_FILE_INVALID(
            reason="首行应为列标题（如“统一社会信用代码”），请使用导入模板",
            reason_en="the first row must hold the headings; use the template",
        )
    missing = [c for c in COLUMNS if c.required and c.field not in fields]
    if missing:
        raise IMPORT_FILE_INVALID(
            reason="缺少列：" + "、".join(c.heading for c in missing),
            reason_en="missing columns: " + ", ".join(c.field for c in missing),
        )
    repeated = [c for c in COLUMNS if fields.count(c.field) > 1]
    if repeated:
        raise IMPORT_FILE_INVALID(
            reason="列重复：" + "、".join(c.heading for c in repeated),
            reason_en="repeated columns: " + ", ".join(c.field for c in repeated),
        )
    return fields
