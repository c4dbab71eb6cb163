"""Checking one cell: the validators of ``kit.codes`` and the column rules, each returning
the stored value or an ``Invalid``. Values that repeat (regions, industries, enums, dates)
are checked once per file: every check here is a pure function of the cell's text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from kit import clock, codes
from kit.auth import Principal
from kit.enums import LabelledEnum
from kit.errors import REGION_OUT_OF_SCOPE
from pydantic import HttpUrl, TypeAdapter, ValidationError

from registry.enums import ListingBoard, Ownership, Scale

Check = tuple[str, str, str]  # code, zh, en
MISSING: Check = ("MISSING", "必填字段缺失", "Field required")
# The free-text columns and their lengths (the model's).
TEXT_LIMITS = {
    "name": 200,
    "niche_field": 200,
    "main_product": 200,
    "legal_representative": 100,
    "address": 300,
}


class Invalid:
    """A memoised cell value that failed its check."""

    __slots__ = ("check",)

    def __init__(self, code: str, zh: str, en: str) -> None:
        self.check: Check = (code, zh, en)


_URL = TypeAdapter(HttpUrl)
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
_BOOLEANS = {
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "": False,
}
_NOT_BOOL = Invalid("BOOL_PARSING", "应为“是”或“否”", "Must be 是 or 否 (yes or no)")


def checks_for(principal: Principal) -> dict[str, Callable[[str], object]]:
    """The memoisable check of each coded or typed column, for this caller (a region
    outside its jurisdiction is refused)."""
    coded_region = _coded(codes.validate_region)

    def region(raw: str) -> object:
        value = coded_region(raw)
        if isinstance(value, str) and not principal.sees_region(value):
            return Invalid(
                REGION_OUT_OF_SCOPE.code,
                REGION_OUT_OF_SCOPE.zh.format(region=value),
                REGION_OUT_OF_SCOPE.en.format(region=value),
            )
        return value

    return {
        "region_code": region,
        "industry_code": _coded(_industry),
        "scale": _choices(Scale),
        "ownership": _choices(Ownership),
        "registered_on": _registered_on,
        "employees": _employees,
        "listed": _listed,
        "listing_board": _choices(ListingBoard),
        "website": _website,
    }


def _choices(enum: type[LabelledEnum]) -> Callable[[str], object]:
    table = {**{m.zh: m.value for m in enum}, **{m.value: m.value for m in enum}}
    wrong = Invalid(
        "ENUM",
        "取值应为：" + "、".join(m.zh for m in enum),
        "Must be one of: " + ", ".join(m.value for m in enum),
    )

    def check(raw: str) -> object:
        text = raw.strip().lower()
        return table.get(text, wrong) if text else None

    return check


def _registered_on(raw: str) -> object:
    text = raw.strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (int(g) for g in match.groups() if g is not None)
        value = date(year, month, day)
    except ValueError:
        return Invalid("DATE_PARSING", "日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD")
    if value > clock.today():
        return Invalid("DATE_IN_FUTURE", "成立日期不能晚于今天", "registered_on is in the future")
    return value


def _employees(raw: str) -> object:
    text = raw.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        return Invalid("INT_PARSING", "应为整数", "Must be a whole number")
    if value < 0:
        return Invalid("GREATER_THAN_EQUAL", "不能小于 0", "Must be at least 0")
    if value > 10_000_000:
        return Invalid("LESS_THAN_EQUAL", "不能大于 10000000", "Must be at most 10000000")
    return value


def _listed(raw: str) -> object:
    return _BOOLEANS.get(raw.strip().lower(), _NOT_BOOL)


def _website(raw: str) -> object:
    text = raw.strip()
    if not text:
        return None
    try:
        url = str(_URL.validate_python(text))
    except ValidationError:
        return Invalid(
            "URL_PARSING",
            "网址格式错误（应以 http:// 或 https:// 开头）",
            "Must be an http:// or https:// URL",
        )
    if len(url) > 300:
        return Invalid("STRING_TOO_LONG", "长度超出限制（300）", "At most 300 characters")
    return url


def _industry(raw: str) -> str:
    """Spreadsheets turn 01–09 into 1–9: the lost zero is restored before the check."""
    text = raw.strip()
    return codes.validate_industry("0" + text if len(text) == 1 and text.isdigit() else text)


def _coded(validate: Callable[[str], str]) -> Callable[[str], object]:
    def check(raw: str) -> object:
        if not raw.strip():
            return Invalid(*MISSING)
        try:
            return validate(raw)
        except codes.CodeError as exc:
            return Invalid(exc.code, exc.message_zh, exc.message_en)

    return check
