"""Pydantic field types: free text, dates and times, the national codes, phones; and the PATCH base.

Errors carry a stable code and a Chinese message saying as much as the English one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, GetJsonSchemaHandler
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from kit import clock, codes

# C0 controls but tab, line feed and carriage return; DEL; lone UTF-16 surrogates (JSON's
# "\ud800" decodes to one). PostgreSQL stores none of them: refused here as a field error,
# they would otherwise reach the database and fail there as a server error.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _plain_text(value: str) -> str:
    found = _CONTROL.search(value)
    if found:
        char, nth = f"U+{ord(found.group()):04X}", found.start() + 1
        raise PydanticCustomError(
            "TEXT_CONTROL_CHARACTER",
            "Text may not contain control characters (character {nth} is {char})",
            {"char": char, "nth": nth, "zh": f"文本不能包含控制字符（第 {nth} 个字符为 {char}）"},
        )
    return value


Text = Annotated[str, AfterValidator(_plain_text)]
"""Every free-text field and query parameter: a string the database can store."""

EARLIEST_DAY = date(1800, 1, 1)
LATEST_DAY = date(2999, 12, 31)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic would also read 0 or "1700000000" as Unix time."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError(
        "date_parsing",
        "A date is written YYYY-MM-DD",
        {"zh": "日期格式应为 YYYY-MM-DD"},
    )


def _bounded_day(value: date) -> date:
    # Beyond these a date is a typo, and date arithmetic (a validity of three years from
    # 9998-01-01) would leave Python's range.
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise PydanticCustomError(
            "DATE_OUT_OF_RANGE",
            "A date must lie between {earliest} and {latest}",
            {
                "earliest": EARLIEST_DAY.isoformat(),
                "latest": LATEST_DAY.isoformat(),
                "zh": f"日期应在 {EARLIEST_DAY.isoformat()} 至 {LATEST_DAY.isoformat()} 之间",
            },
        )
    return value


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_bounded_day)]
"""Every date of a request body or query: ISO ``YYYY-MM-DD``, 1800–2999."""

_YEAR_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def _year_month(value: str) -> str:
    found = _YEAR_MONTH.fullmatch(value)
    if found is None or not EARLIEST_DAY.year <= int(found.group(1)) <= LATEST_DAY.year:
        raise PydanticCustomError(
            "YEAR_MONTH_INVALID",
            "A month is written YYYY-MM (e.g. 2003-09), years {earliest}–{latest}",
            {
                "earliest": EARLIEST_DAY.year,
                "latest": LATEST_DAY.year,
                "zh": f"年月格式应为 YYYY-MM（如 2003-09），年份在 {EARLIEST_DAY.year}–"
                f"{LATEST_DAY.year} 之间",
            },
        )
    return value


YearMonth = Annotated[
    str,
    Field(json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}),
    AfterValidator(_year_month),
]
"""A month of a request body (起止时间 on a form): ``YYYY-MM``, 1800–2999; as text, which
orders as the months do."""

_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}.*")


def _iso_instant(value: object) -> object:
    """Only an ISO 8601 date and time: pydantic would also read a bare date as midnight and
    0 or "1700000000" as Unix time."""
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_INSTANT.fullmatch(value)):
        return value
    raise PydanticCustomError(
        "datetime_parsing",
        "A time is written as ISO 8601 with its offset, e.g. 2026-12-01T08:00:00+08:00",
        {"zh": "时间格式应为 ISO 8601 并带时区，如 2026-12-01T08:00:00+08:00"},
    )


def _zoned_instant(value: datetime) -> datetime:
    # A time without its offset is eight hours off when read as UTC and read as Beijing's
    # by nobody else: refused rather than guessed.
    if value.utcoffset() is None:
        raise PydanticCustomError(
            "TIMEZONE_REQUIRED",
            "A time needs its offset (Z or +08:00)",
            {"zh": "时间应带时区（Z 或 +08:00）"},
        )
    # Beyond these a time is a typo, and one near year 1 or 9999 leaves Python's range
    # when the database driver converts it to UTC.
    if not EARLIEST_DAY.year <= value.year <= LATEST_DAY.year:
        raise PydanticCustomError(
            "DATETIME_OUT_OF_RANGE",
            "A time must lie between {earliest} and {latest}",
            {
                "earliest": EARLIEST_DAY.isoformat(),
                "latest": LATEST_DAY.isoformat(),
                "zh": f"时间应在 {EARLIEST_DAY.isoformat()} 至 {LATEST_DAY.isoformat()} 之间",
            },
        )
    return value


Instant = Annotated[datetime, BeforeValidator(_iso_instant), AfterValidator(_zoned_instant)]
"""Every point in time of a request: ISO 8601 with its offset, years 1800–2999."""


def not_future(value: date | None) -> date | None:
    """A date that has happened (a registration)."""
    if value is not None and value > clock.today():
        raise PydanticCustomError(
            "DATE_IN_FUTURE",
            "{day} is in the future (today is {today})",
            {
                "day": value.isoformat(),
                "today": clock.today().isoformat(),
                "zh": f"日期 {value.isoformat()} 晚于今天（{clock.today().isoformat()}）",
            },
        )
    return value


def month_not_future(value: str | None) -> str | None:
    """A ``YearMonth`` that has begun (Beijing's current month is not in the future)."""
    this_month = clock.today().strftime("%Y-%m")
    if value is not None and value > this_month:
        raise PydanticCustomError(
            "MONTH_IN_FUTURE",
            "{month} is in the future (this month is {this_month})",
            {
                "month": value,
                "this_month": this_month,
                "zh": f"年月 {value} 晚于本月（{this_month}）",
            },
        )
    return value


class Patch(BaseModel):
    """The PATCH base: ``class XUpdate(Patch, XFields)`` takes the fields (and validators) the
    create model shares, each made optional; only what is sent changes
    (``model_dump(exclude_unset=True)``).

    A field keeps its create type, so an explicit ``null`` on one the create model requires
    (a name, a flag, a list) is refused as that field's error, and the create model's
    validators (a registration date not in the future) run on what is sent, as on create.
    """

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        # A field is left out, not set to null: the placeholder default is not documented.
        for prop in handler.resolve_ref_schema(schema).get("properties", {}).values():
            if "default" in prop and prop["default"] is None:
                del prop["default"]
        return schema

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, info in list(cls.__pydantic_fields__.items()):
            # A default is not validated: a field left out is never None in a type refusing it.
            unset = FieldInfo.merge_field_infos(info, default=None)
            unset.default_factory = None
            cls.__pydantic_fields__[name] = unset
        cls.model_rebuild(force=True)


def _checked(validate: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return validate(value)
        except codes.CodeError as exc:
            raise PydanticCustomError(exc.code, exc.message_en, {"zh": exc.message_zh}) from exc

    return check


Uscc = Annotated[str, AfterValidator(_checked(codes.validate_uscc))]
RegionCode = Annotated[str, AfterValidator(_checked(codes.validate_region))]
IndustryCode = Annotated[str, AfterValidator(_checked(codes.validate_industry))]
IdNumber = Annotated[str, AfterValidator(_checked(codes.validate_id_number))]


def _unit(value: str) -> str:
    if value in codes.UNITS:
        return value
    if re.fullmatch(r"\d{6}", value) and (unit := codes.unit_of(value)) in codes.UNITS:
        # a region code from a token or a form's 6-digit field
        raise PydanticCustomError(
            "PROVINCE_INVALID",
            "{value} is a 6-digit region code; a filing unit is given by its prefix"
            " (here {prefix})",
            {
                "value": value,
                "prefix": unit,
                "zh": f"{value} 是 6 位行政区划代码；此处应填单位代码（此处为 {unit}）",
            },
        )
    shown = value[:20]
    raise PydanticCustomError(
        "PROVINCE_INVALID",
        "Unknown filing unit {value} (a province's 2 digits such as 42, a plan-listed city's 4"
        " such as 3302, or 66)",
        {
            "value": shown,
            "zh": f"单位代码 {shown} 无效（省级两位如 42，计划单列市四位如 3302，兵团 66）",
        },
    )


# A filing unit (DESIGN.md §5) by its prefix: kit.codes.UNITS.
UnitCode = Annotated[
    str,
    # The pattern documents the form; the validator says what is wrong in both languages.
    Field(
        description="单位代码：省级两位（如 42），计划单列市四位（如 3302），兵团 66",
        json_schema_extra={"pattern": r"^\d{2}(\d{2})?$"},
    ),
    AfterValidator(_unit),
]


_MOBILE = re.compile(r"1[3-9]\d{9}")
# Landlines as written in China: area code, number, optional extension (027-87654321-123).
_OFFICE = re.compile(r"\+?\d[\d-]{5,23}\d")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _normalised(value: object) -> object:
    """Full-width digits and letters (Chinese input methods) → ASCII; spaces dropped."""
    if not isinstance(value, str):
        return value
    return "".join(unicodedata.normalize("NFKC", value).split())


def _matching(
    pattern: re.Pattern[str], code: str, en: str, zh: str, max_length: int
) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > max_length or not pattern.fullmatch(value):
            raise PydanticCustomError(code, en, {"zh": zh})
        return value

    return check


Mobile = Annotated[
    str,
    BeforeValidator(_normalised),
    AfterValidator(
        _matching(
            _MOBILE,
            "MOBILE_INVALID",
            "A mainland mobile number has 11 digits and starts with 13–19",
            "手机号码应为 11 位数字，以 13–19 开头",
            11,
        )
    ),
]
OfficePhone = Annotated[
    str,
    BeforeValidator(_normalised),
    AfterValidator(
        _matching(
            _OFFICE,
            "PHONE_INVALID",
            "An office phone has digits and hyphens only, e.g. 027-87654321",
            "办公电话只能包含数字和连字符，如 027-87654321",
            25,
        )
    ),
]
Email = Annotated[
    str,
    BeforeValidator(_normalised),
    AfterValidator(
        _matching(
            _EMAIL,
            "EMAIL_INVALID",
            "Invalid email address",
            "电子邮箱格式不正确",
            254,
        )
    ),
]
