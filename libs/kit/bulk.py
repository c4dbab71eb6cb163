"""Bulk sync for provincial systems (API.md: idempotent by their keys, ≤ 1,000 items a call,
a result per item), written once for every service.

Each item is validated and applied on its own, inside a savepoint: a bad item fails with its
errors and changes nothing, the others land. An item applied again unchanged is
``unchanged`` and publishes nothing, so a system may resend a whole batch after a timeout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError
from sqlalchemy.ext.asyncio import AsyncSession

from kit.errors import FieldError, ProblemError, field_errors_from_pydantic
from kit.i18n import Lang

MAX_ITEMS = 1000
Outcome = Literal["created", "updated", "unchanged", "failed"]
M = TypeVar("M", bound=BaseModel)


def _raw_items(value: Any) -> list[dict[str, Any]]:
    """Items stay raw: each is validated on its own, so one bad item fails alone."""
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise PydanticCustomError("list_type", "Input should be a list of objects")
    if not 1 <= len(value) <= MAX_ITEMS:
        raise PydanticCustomError(
            "too_long" if value else "too_short",
            "Between 1 and {limit} items are allowed",
            {"limit": MAX_ITEMS, "zh": f"应有 1–{MAX_ITEMS} 项"},
        )
    return value


def items_of(model: type[BaseModel]) -> PlainValidator:
    """``Annotated[list[dict[str, Any]], items_of(Model), Field(...)]``: a bulk request's
    items, kept raw for :func:`run` and documented as ``Model``s."""
    return PlainValidator(_raw_items, json_schema_input_type=list[model])  # type: ignore[valid-type]


class ItemError(BaseModel):
    field: str = Field(description="字段路径，如 email；整项为 item")
    code: str
    message: str


class ItemResult(BaseModel):
    index: int = Field(description="在 items 中的位置（从 0 起）")
    key: str | None = Field(description="该项的键（如统一社会信用代码、external_id）")
    result: Outcome
    id: str | None = Field(None, description="记录的标识（失败时为空）")
    errors: list[ItemError] = Field(default_factory=list)


class BulkResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    failed: int
    items: list[ItemResult]


def _rendered(errors: list[FieldError], lang: Lang) -> list[ItemError]:
    return [ItemError(**e.render(lang)) for e in errors]


async def run(
    session: AsyncSession,
    raw_items: list[dict[str, Any]],
    model: type[M],
    key: Callable[[M], str],
    apply: Callable[[M], Awaitable[tuple[Outcome, str]]],
    lang: Lang,
) -> BulkResult:
    """Validate and ``apply`` each item (it returns the outcome and the record's id); an item
    whose key an earlier item of the batch already had fails."""
    results: list[ItemResult] = []
    first: dict[str, int] = {}
    for index, raw in enumerate(raw_items):
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            errors = field_errors_from_pydantic(exc.errors())
            results.append(
                ItemResult(index=index, key=None, result="failed", errors=_rendered(errors, lang))
            )
            continue
        k = key(item)
        if (seen := first.setdefault(k, index)) != index:
            duplicate = FieldError(
                "item",
                "DUPLICATE_IN_BATCH",
                f"与第 {seen} 项（items[{seen}]）的键 {k} 重复",
                f"Same key {k} as items[{seen}]",
            )
            results.append(
                ItemResult(index=index, key=k, result="failed", errors=_rendered([duplicate], lang))
            )
            continue
        try:
            async with session.begin_nested():
                outcome, record = await apply(item)
        except ProblemError as exc:
            errors = exc.errors or [
                FieldError("item", exc.problem.code, exc.detail("zh"), exc.detail("en"))
            ]
            results.append(
                ItemResult(index=index, key=k, result="failed", errors=_rendered(errors, lang))
            )
            continue
        results.append(ItemResult(index=index, key=k, result=outcome, id=record))
    counts = Counter(r.result for r in results)
    return BulkResult(
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        failed=counts["failed"],
        items=results,
    )
