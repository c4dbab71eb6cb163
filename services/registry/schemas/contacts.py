"""联络人 (000 附件6 联络人信息表): phones and email are personal data."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from registry.enums import Task
from registry.schemas.institutions import ProvinceCode

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


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    province: ProvinceCode
    organisation: str | None = Field(None, max_length=200, description="单位名称")
    task: Task = Field(description="负责工作")
    name: str = Field(min_length=1, max_length=100, description="联系人")
    title: str | None = Field(None, max_length=100, description="职务")
    office_phone: OfficePhone | None = Field(None, description="办公电话")
    mobile: Mobile = Field(description="手机")
    email: Email | None = Field(None, description="电子邮箱")


class ContactRead(BaseModel):
    id: uuid.UUID
    province: str
    organisation: str | None
    task: Task
    name: str
    title: str | None
    office_phone: str | None
    mobile: str
    email: str | None
    masked: bool = Field(description="个人信息是否已脱敏（无 pii:read 权限时脱敏）")
    version: int
