"""Pydantic field types for the national codes: errors carry the code's stable error code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator
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
