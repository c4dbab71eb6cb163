"""An institution's qualifications, type by type: the conditions it declares (自述) checked
against the seeds' catalogue, and where their review (资质审核) stands.

A type's qualification counts only once the unit has verified it: the province of the
institution's region (its provincial system included) or the ministry, recorded with who and
when. The institution may declare its conditions but they stay pending; the unit verifies or
rejects them, with a reason. Conditions the unit enters itself count as verified by it on
entry. Any change to a type's declared conditions reopens its review."""

from __future__ import annotations

from typing import Any

from contracts.vocabulary import InstitutionType
from kit import clock
from kit.auth import Principal, Role
from kit.errors import FieldError

from registry import qualifications
from registry.enums import Review
from registry.errors import (
    PLATFORM_LEVEL_NOT_APPLICABLE,
    PLATFORM_LEVEL_REQUIRED,
    QUALIFICATION_UNKNOWN,
)
from registry.models import Institution
from registry.schemas.institutions import (
    Condition,
    ConditionRef,
    Qualification,
    Qualifications,
    QualificationStatus,
)

PLATFORM = InstitutionType.PUBLIC_SERVICE_PLATFORM

# Who reviews qualifications: the unit and the ministry; never a city or the institution.
REVIEWERS = (Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM)

_POSITION = {code: i for i, code in enumerate(qualifications.BY_CODE)}


def catalogue() -> dict[InstitutionType, list[Condition]]:
    return {
        t: [Condition(code=c.code, text=c.text, mandatory=c.mandatory, source=c.source) for c in cs]
        for t, cs in qualifications.CATALOGUE.items()
    }


def validate(
    types: list[InstitutionType], declared: Qualifications, platform_level: str | None
) -> None:
    errors: list[FieldError] = []
    for type_, items in declared.items():
        if type_ not in types:
            errors.append(
                FieldError(
                    f"qualifications.{type_.value}",
                    "QUALIFICATION_TYPE_NOT_HELD",
                    f"机构类型中没有“{type_.zh}”，不能填写其遴选条件",
                    f"The institution is not of type {type_.value}",
                )
            )
            continue
        seen: set[str] = set()
        for i, item in enumerate(items):
            field = f"qualifications.{type_.value}[{i}].code"
            held = qualifications.BY_CODE.get(item.code)
            if held is None or held[0] is not type_:
                errors.append(
                    FieldError(
                        field,
                        "QUALIFICATION_UNKNOWN",
                        f"“{type_.zh}”没有遴选条件 {item.code}",
                        f"{item.code} is not a condition for {type_.value}",
                    )
                )
            elif item.code in seen:
                errors.append(
                    FieldError(
                        field,
                        "QUALIFICATION_DUPLICATE",
                        f"遴选条件 {item.code} 重复填写",
                        f"Condition {item.code} is listed twice",
                    )
                )
            seen.add(item.code)
    if errors:
        raise QUALIFICATION_UNKNOWN(errors=errors)
    if PLATFORM in types and platform_level is None:
        raise PLATFORM_LEVEL_REQUIRED(
            errors=[FieldError("platform_level", "MISSING", "必填字段缺失", "Field required")]
        )
    if PLATFORM not in types and platform_level is not None:
        raise PLATFORM_LEVEL_NOT_APPLICABLE(
            errors=[
                FieldError(
                    "platform_level", "NOT_APPLICABLE", "不适用于该机构类型", "Not applicable"
                )
            ]
        )


def for_storage(declared: Qualifications) -> dict[str, Any]:
    """JSONB ``{type: {code: {"evidence": ...}}}``: keyed so that SQL can test ``?&``."""
    return {
        t.value: {q.code: {"evidence": q.evidence} for q in items} for t, items in declared.items()
    }


def declared(institution: Institution) -> Qualifications:
    """The stored conditions in the institution's type order and the catalogue's (JSONB keeps
    neither)."""
    stored = institution.qualifications
    return {
        InstitutionType(t): [
            Qualification(code=code, evidence=stored[t][code].get("evidence"))
            for code in sorted(stored[t], key=_POSITION.__getitem__)
        ]
        for t in institution.types
        if t in stored
    }


def conditions_met(institution: Institution, type_: InstitutionType) -> set[str]:
    return set(institution.qualifications.get(type_.value, {}))


def _ref(c: qualifications.Condition) -> ConditionRef:
    return ConditionRef(code=c.code, text=c.text, mandatory=c.mandatory)


def _is_unit(principal: Principal, region_code: str) -> bool:
    return principal.role in REVIEWERS and principal.sees_region(region_code)


def reviews_for(principal: Principal, institution: Institution) -> bool:
    """The principal is the institution's unit (or the ministry)."""
    return _is_unit(principal, institution.region_code)


def review_of(institution: Institution, type_: InstitutionType) -> Review:
    entry = institution.reviews.get(type_.value)
    return Review(entry["state"]) if entry else Review.DECLARED


def qualified(institution: Institution, type_: InstitutionType) -> bool:
    """Verified by the unit, and every mandatory condition declared."""
    return review_of(institution, type_) is Review.VERIFIED and qualifications.qualified(
        type_, conditions_met(institution, type_)
    )


def decision(principal: Principal, state: Review, reason: str | None = None) -> dict[str, Any]:
    return {
        "state": state.value,
        "by": principal.sub,
        "at": clock.now().isoformat(),
        "reason": reason,
    }


def _declaration(type_: str, stored: dict[str, Any], level: str | None) -> Any:
    """What a review of ``type_`` vouches for: its conditions (and a platform's level)."""
    return stored.get(type_), level if type_ == PLATFORM.value else None


def reviews_after(
    principal: Principal,
    region_code: str,
    types: list[InstitutionType],
    stored: dict[str, Any],
    level: str | None,
    previous: Institution | None = None,
) -> dict[str, Any]:
    """The reviews of a new or changed declaration: a type whose declaration is new or
    changed is verified if the unit made the change, else pending; the others keep theirs."""
    unit = _is_unit(principal, region_code)
    out: dict[str, Any] = {}
    for t in (t.value for t in types):
        kept = (
            previous is not None
            and t in previous.types
            and _declaration(t, previous.qualifications, previous.platform_level)
            == _declaration(t, stored, level)
        )
        if not kept and unit:
            out[t] = decision(principal, Review.VERIFIED)
        elif kept and previous is not None and t in previous.reviews:
            out[t] = previous.reviews[t]
    return out


def statuses(institution: Institution) -> list[QualificationStatus]:
    out = []
    for t in map(InstitutionType, institution.types):
        met = conditions_met(institution, t)
        entry = institution.reviews.get(t.value) or {}
        out.append(
            QualificationStatus(
                type=t,
                qualified=qualified(institution, t),
                review=review_of(institution, t),
                reviewed_by=entry.get("by"),
                reviewed_at=entry.get("at"),
                reason=entry.get("reason"),
                met=[_ref(c) for c in qualifications.CATALOGUE[t] if c.code in met],
                missing=[_ref(c) for c in qualifications.unmet(t, met)],
            )
        )
    return out


def review_errors(institution: Institution, type_: InstitutionType) -> list[FieldError]:
    review = review_of(institution, type_)
    if review is Review.DECLARED:
        return [
            FieldError(
                "task",
                "QUALIFICATION_NOT_VERIFIED",
                f"“{type_.zh}”资质为机构自述，尚未经省级主管部门或工业和信息化部审核通过",
                f"The {type_.value} qualification is self-declared: not yet verified by the "
                "province or the ministry",
            )
        ]
    if review is Review.REJECTED:
        reason = institution.reviews[type_.value].get("reason") or ""
        return [
            FieldError(
                "task",
                "QUALIFICATION_REJECTED",
                f"“{type_.zh}”资质审核未通过：{reason}",
                f"The {type_.value} qualification was rejected: {reason}",
            )
        ]
    return []
