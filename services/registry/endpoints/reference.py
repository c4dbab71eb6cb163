"""Reference data: enum values with their Chinese labels."""

from __future__ import annotations

from typing import Any

from kit.enums import catalogue
from kit.web import service_router

from registry import enums

router = service_router("/api/v1/registry", ["reference 参考数据"])


@router.get("/enums")
async def list_enums() -> dict[str, Any]:
    return catalogue(*enums.ALL)
