"""Reference data: the enumerations with their labels, including the 11 key courses of
附1-1 and the four content categories."""

from __future__ import annotations

from typing import Any

from contracts.vocabulary import Tier
from kit.enums import catalogue
from kit.web import service_router

from training import enums

router = service_router("/api/v1/training", ["reference 参考数据"])
ALL = (
    enums.Period,
    enums.QuotaScope,
    enums.ContentCategory,
    enums.Course,
    enums.ClassKind,
    enums.OnsiteKind,
    enums.AffiliationKind,
    enums.Gender,
    enums.Education,
    enums.EnrollmentState,
    Tier,
)


@router.get("/enums")
async def list_enums() -> dict[str, Any]:
    return catalogue(*ALL)
