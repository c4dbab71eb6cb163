"""Pydantic field types for the national codes: errors carry the code's stable error code."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from kit import codes


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


def _province(value: str) -> str:
    if value not in codes.PROVINCES:
        raise PydanticCustomError(
            "PROVINCE_INVALID",
            "Unknown province code {value} (2 digits of GB/T 2260, e.g. 42)",
            {"value": value, "zh": f"省级代码 {value} 无效（GB/T 2260 前两位，如 42）"},
        )
    return value


ProvinceCode = Annotated[
    str, Field(pattern=r"^\d{2}$", description="省级代码（两位）"), AfterValidator(_province)
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
