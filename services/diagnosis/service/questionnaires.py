"""Questionnaires: versioned (a new one under a code is its next version, the old ones stay),
and the scoring of an answer by the version it was given on.

Scoring (*interpreted*: the seeds name the standards, not a formula): each item counts 0–1
(a scale answer 1–5 as (answer − 1) / 4, yes as 1, a number against its full mark, capped),
a dimension is the weighted mean of its items × 100, the total the weighted mean of the
dimensions; the level a quality total reaches is indicative only — the report's level is the
institution's decision (DESIGN.md §5).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kit.auth import Principal, Role
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, FieldError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from diagnosis.enums import Kind
from diagnosis.errors import ANSWERS_INVALID, QUESTIONNAIRE_NOT_FOUND
from diagnosis.models import Questionnaire
from diagnosis.schemas.questionnaires import QuestionnaireCreate

_CENTS = Decimal("0.01")


async def create(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: QuestionnaireCreate
) -> Questionnaire:
    if principal.role is not Role.MINISTRY:
        raise FORBIDDEN()
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(payload.code))))
    latest = await session.scalar(
        select(func.max(Questionnaire.version)).where(Questionnaire.code == payload.code)
    )
    q = Questionnaire(
        code=payload.code,
        version=(latest or 0) + 1,
        kind=payload.kind.value,
        title=payload.title,
        source=payload.source,
        dimensions=[d.model_dump(mode="json") for d in payload.dimensions],
        thresholds=[t.model_dump(mode="json") for t in payload.thresholds],
    )
    session.add(q)
    await session.flush()
    await session.refresh(q)
    return q


async def latest(session: AsyncSession, code: str, kind: Kind) -> Questionnaire:
    q = await session.scalar(
        select(Questionnaire)
        .where(Questionnaire.code == code, Questionnaire.kind == kind.value)
        .order_by(Questionnaire.version.desc())
        .limit(1)
    )
    if q is None:
        raise QUESTIONNAIRE_NOT_FOUND(code=code, kind=kind.zh, kind_en=kind.value)
    return q


async def listed(session: AsyncSession, kind: Kind | None) -> list[Questionnaire]:
    query = select(Questionnaire).order_by(Questionnaire.code, Questionnaire.version)
    if kind:
        query = query.where(Questionnaire.kind == kind.value)
    return list(await session.scalars(query))


def _item_value(item: dict[str, Any], answer: Any) -> Decimal | None:
    """The item's 0–1 share, or None when the answer does not fit the item."""
    kind = item["kind"]
    if kind == "yes_no":
        return Decimal(int(answer)) if isinstance(answer, bool) else None
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    value = Decimal(str(answer))
    if kind == "scale":
        return (value - 1) / 4 if value in {1, 2, 3, 4, 5} else None
    if value < 0:
        return None
    return min(value / Decimal(str(item["full_mark"])), Decimal(1))


def score(
    q: Questionnaire, answers: dict[str, Any]
) -> tuple[dict[str, Decimal], Decimal, str | None]:
    """Per-dimension scores, the total and the level it reaches; every item must be answered."""
    errors: list[FieldError] = []
    known = {i["code"] for d in q.dimensions for i in d["items"]}
    for code in sorted(set(answers) - known):
        errors.append(
            FieldError(f"answers.{code}", "NOT_AN_ITEM", "问卷中没有该题", "No such item")
        )
    scores: dict[str, Decimal] = {}
    for d in q.dimensions:
        total_weight = sum((Decimal(str(i["weight"])) for i in d["items"]), Decimal(0))
        earned = Decimal(0)
        for item in d["items"]:
            code = item["code"]
            if code not in answers:
                errors.append(
                    FieldError(f"answers.{code}", "MISSING", "该题未作答", "Not answered")
                )
                continue
            value = _item_value(item, answers[code])
            if value is None:
                errors.append(
                    FieldError(
                        f"answers.{code}",
                        "ANSWER_INVALID",
                        {"scale": "应为 1–5 的整数", "yes_no": "应为是或否（true/false）"}.get(
                            item["kind"], "应为不小于 0 的数值"
                        ),
                        {"scale": "An integer 1–5", "yes_no": "true or false"}.get(
                            item["kind"], "A number, 0 or more"
                        ),
                    )
                )
                continue
            earned += Decimal(str(item["weight"])) * value
        scores[d["code"]] = (earned / total_weight * 100).quantize(_CENTS, ROUND_HALF_UP)
    if errors:
        raise ANSWERS_INVALID(errors=errors)
    weights = {d["code"]: Decimal(str(d["weight"])) for d in q.dimensions}
    weighted = sum((scores[c] * w for c, w in weights.items()), Decimal(0))
    total = (weighted / sum(weights.values(), Decimal(0))).quantize(_CENTS, ROUND_HALF_UP)
    reached = [t["level"] for t in q.thresholds if total >= Decimal(str(t["min_total"]))]
    return scores, total, reached[-1] if reached else None
