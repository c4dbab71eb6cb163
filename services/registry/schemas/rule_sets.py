"""A rule-set version as the ministry (or a unit, for its own) writes it: every rule's
parameters checked against its kind, so a set that cannot be evaluated is never stored."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Literal

from contracts.vocabulary import Tier
from kit.auth import FILING_UNITS
from kit.codes import NATIONAL
from kit.fields import Day, Text
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from registry.enums import IpoStage, ListingBoard
from registry.rules import KINDS
from registry.schemas.indicators import IndicatorWrite


def _one_of(allowed: Iterable[str], zh: str) -> AfterValidator:
    names = tuple(allowed)

    def check(value: str) -> str:
        if value not in names:
            raise PydanticCustomError(
                "VALUE_NOT_ALLOWED",
                "must be one of: " + ", ".join(names),
                {"zh": f"{zh}应为：" + "、".join(names)},
            )
        return value

    return AfterValidator(check)


# The indicator fields a rule may read (the annual indicators' figures) and its kinds.
IndicatorField = Annotated[str, _one_of(IndicatorWrite.model_fields, "指标字段")]
Kind = Annotated[str, _one_of(KINDS, "规则类型")]
Label = Field(min_length=1, max_length=100)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HoldsTier(_Params):
    tier: Tier


class NotListed(_Params):
    excluded_boards: list[ListingBoard] = Field(min_length=1)


class NotRecognised(_Params):
    tier: Tier
    batches: list[Text] = Field(min_length=1, max_length=20)


class AnyKeyField(_Params):
    pass


class RatioAtLeast(_Params):
    numerator: IndicatorField
    denominator: IndicatorField
    years: int = Field(ge=1, le=5)
    threshold: Decimal = Field(ge=0, le=1, max_digits=6, decimal_places=4)
    each_year: bool = False
    label_zh: Text = Label
    label_en: Text = Label


class Alternative(_Params):
    fields: list[IndicatorField] = Field(min_length=1)
    at_least: int = Field(ge=1, le=10_000)
    label_zh: Text = Label
    label_en: Text = Label


class AnyCountAtLeast(_Params):
    alternatives: list[Alternative] = Field(min_length=1, max_length=10)


class CountAtLeast(_Params):
    field: IndicatorField
    at_least: int = Field(ge=0, le=10_000)
    label_zh: Text = Label
    label_en: Text = Label


class GrowthOrIpo(_Params):
    ipo_stages: list[IpoStage] = Field(min_length=1)


PARAMS: dict[str, type[_Params]] = {
    "holds_tier": HoldsTier,
    "not_listed": NotListed,
    "not_recognised": NotRecognised,
    "any_key_field": AnyKeyField,
    "ratio_at_least": RatioAtLeast,
    "any_count_at_least": AnyCountAtLeast,
    "count_at_least": CountAtLeast,
    "growth_or_ipo": GrowthOrIpo,
}
assert set(PARAMS) == set(KINDS), "every rule kind has its parameters' model"


class RuleWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,49}$")
    kind: Kind
    required: bool
    title: Text = Field(min_length=1, max_length=300)
    params: dict[str, Any] = Field(default_factory=dict)
    source: Text = Field(min_length=1, max_length=1000, description="规则出处（原文）")
    interpretation: Text | None = Field(None, max_length=1000, description="原文未明之处的解释")

    @model_validator(mode="after")
    def _params_of_kind(self) -> RuleWrite:
        try:
            params = PARAMS[self.kind].model_validate(self.params)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in ("params", *first["loc"]))
            raise PydanticCustomError(
                "RULE_PARAMS_INVALID",
                "{where} is invalid for kind {kind}: {reason}",
                {
                    "where": where,
                    "kind": self.kind,
                    "reason": first["msg"],
                    "zh": f"规则 {self.code} 的参数 {where} 不符合类型 {self.kind}：{first['msg']}",
                },
            ) from exc
        self.params = params.model_dump(mode="json")
        return self


class RuleSetCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "code": "key_little_giant",
                    "version": "2025-hb-1",
                    "jurisdiction": "420000",
                    "effective_from": "2025-06-01",
                    "title": "湖北省重点“小巨人”企业申报条件",
                    "source": "鄂经信〔2025〕…号",
                    "rules": [
                        {
                            "code": "is_little_giant",
                            "kind": "holds_tier",
                            "required": True,
                            "title": "申报对象：国家级专精特新“小巨人”企业",
                            "params": {"tier": "little_giant"},
                            "source": "一、申报对象",
                        }
                    ],
                }
            ]
        },
    )

    code: Literal["key_little_giant"]
    version: str = Field(pattern=r"^[A-Za-z0-9._-]{1,20}$")
    jurisdiction: str = Field(description="适用单位：100000（全国）或省级单位代码")
    effective_from: Day
    effective_until: Day | None = Field(None, description="失效日（当日起不再适用）")
    title: Text = Field(min_length=1, max_length=300)
    source: Text = Field(min_length=1, max_length=300)
    rules: list[RuleWrite] = Field(min_length=1, max_length=50)

    @field_validator("jurisdiction")
    @classmethod
    def _a_unit(cls, value: str) -> str:
        if value != NATIONAL and value not in FILING_UNITS:
            raise PydanticCustomError(
                "JURISDICTION_INVALID",
                "must be 100000 or a filing unit (a province, 计划单列市 or 兵团)",
                {"zh": "应为 100000（全国）或省级单位（省、计划单列市、兵团）代码"},
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RuleSetCreate:
        if self.effective_until is not None and self.effective_until <= self.effective_from:
            raise PydanticCustomError(
                "EFFECTIVE_PERIOD_INVALID",
                "effective_until must be after effective_from",
                {"zh": "失效日须晚于生效日"},
            )
        codes = [r.code for r in self.rules]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError(
                "RULE_CODE_REPEATED", "rule codes repeat", {"zh": "规则代码重复"}
            )
        return self
