"""Bulk import reports and the batch upsert payload (API.md registry section)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from registry.schemas.enterprises import EnterpriseCreate

ImportMode = Literal["all_or_nothing", "best_effort"]
MAX_BATCH_ITEMS = 5000


class RowError(BaseModel):
    row: int = Field(description="表格中的行号（标题行为第 1 行） / spreadsheet row number")
    field: str
    code: str
    message: str


class ImportResult(BaseModel):
    total_rows: int = Field(description="非空数据行数 / non-blank data rows")
    stored_rows: int
    failed_rows: int
    errors: list[RowError] = Field(
        description="逐行错误（最多列出 10000 条） / row errors, at most 10,000 listed"
    )


def _raw_items(value: Any) -> list[dict[str, Any]]:
    """Items stay raw here: the service validates each one so that its errors are reported
    as ``items[3].uscc`` and every invalid item is named, not only the first."""
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise PydanticCustomError("list_type", "Input should be a list of objects")
    if not 1 <= len(value) <= MAX_BATCH_ITEMS:
        raise PydanticCustomError(
            "too_long" if value else "too_short",
            "Between 1 and {limit} items are allowed",
            {"limit": MAX_BATCH_ITEMS},
        )
    return value


class BatchUpsert(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "uscc": "91420100MA4K3C2P0R",
                            "name": "武汉精测电子科技有限公司",
                            "region_code": "420102",
                            "industry_code": "39",
                        }
                    ]
                }
            ]
        }
    )

    items: Annotated[
        list[dict[str, Any]],
        PlainValidator(_raw_items, json_schema_input_type=list[EnterpriseCreate]),
    ] = Field(description=f"1–{MAX_BATCH_ITEMS} 家企业，以统一社会信用代码为键")


BatchOutcome = Literal["created", "updated", "unchanged"]


class BatchItemResult(BaseModel):
    uscc: str
    result: BatchOutcome


class BatchResult(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    items: list[BatchItemResult] = Field(default_factory=list)
