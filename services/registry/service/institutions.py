"""服务机构 (机构库): a national directory (institutions serve across provinces), each type's
qualifications checked against the seeds' conditions; a contract engages a qualified
institution for a province, task and batch. Never commits (the request does).

A type's qualification counts only once the unit has verified it (资质审核): the province of
the institution's region (its provincial system included) or the ministry, recorded with
who and when. The institution may declare its conditions (自述) but they stay pending; the
unit verifies or rejects them, with a reason. Conditions the unit enters itself count as
verified by it on entry. Any change to a type's declared conditions reopens its review."""

from __future__ import annotations

import uuid
from typing import Any

from kit import clock
from kit.auth import GOVERNMENT, Principal, Role
from kit.codes import province_of
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, VALIDATION_FAILED, FieldError
from kit.pagination import Page, after_id, next_cursor
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events, qualifications
from registry.enums import InstitutionType, Review, Task
from registry.errors import (
    CONTRACT_DUPLICATE,
    INSTITUTION_EXISTS,
    INSTITUTION_NOT_FOUND,
    INSTITUTION_NOT_QUALIFIED,
    PLATFORM_LEVEL_NOT_APPLICABLE,
    PLATFORM_LEVEL_REQUIRED,
    QUALIFICATION_TYPE_NOT_HELD,
    QUALIFICATION_UNKNOWN,
    REGION_OUT_OF_SCOPE,
)
from registry.models import Institution, InstitutionContract
from registry.repository import institutions as repo
from registry.schemas.institutions import (
    Condition,
    ConditionRef,
    ContractCreate,
    ContractRead,
    InstitutionCreate,
    InstitutionRead,
    InstitutionUpdate,
    Qualification,
    Qualifications,
    QualificationStatus,
)
from registry.scope import ensure_governs

# The institution type a task needs (000 附件1–4).
TASK_TYPES = {
    Task.TRAINING: InstitutionType.TRAINING,
    Task.QUALITY_DIAGNOSIS: InstitutionType.QUALITY_DIAGNOSIS,
    Task.MANAGEMENT_DIAGNOSIS: InstitutionType.MANAGEMENT_DIAGNOSIS,
    Task.INNOVATION: InstitutionType.INNOVATION_SERVICE,
}
PLATFORM = InstitutionType.PUBLIC_SERVICE_PLATFORM
# Who reviews qualifications: the unit and the ministry; never a city or the institution.
REVIEWERS = (Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM)
_POSITION = {code: i for i, code in enumerate(qualifications.BY_CODE)}


def catalogue() -> dict[InstitutionType, list[Condition]]:
    return {
        t: [Condition(code=c.code, text=c.text, mandatory=c.mandatory, source=c.source) for c in cs]
        for t, cs in qualifications.CATALOGUE.items()
    }


def _validate(
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


def _stored(declared: Qualifications) -> dict[str, Any]:
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


def _met(institution: Institution, type_: InstitutionType) -> set[str]:
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
        type_, _met(institution, type_)
    )


def _decision(principal: Principal, state: Review, reason: str | None = None) -> dict[str, Any]:
    return {
        "state": state.value,
        "by": principal.sub,
        "at": clock.now().isoformat(),
        "reason": reason,
    }


def _declaration(type_: str, stored: dict[str, Any], level: str | None) -> Any:
    """What a review of ``type_`` vouches for: its conditions (and a platform's level)."""
    return stored.get(type_), level if type_ == PLATFORM.value else None


def _reviews_after(
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
            out[t] = _decision(principal, Review.VERIFIED)
        elif kept and previous is not None and t in previous.reviews:
            out[t] = previous.reviews[t]
    return out


def statuses(institution: Institution) -> list[QualificationStatus]:
    out = []
    for t in map(InstitutionType, institution.types):
        met = _met(institution, t)
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


def to_read(institution: Institution) -> InstitutionRead:
    return InstitutionRead(
        id=institution.id,
        name=institution.name,
        uscc=institution.uscc,
        region_code=institution.region_code,
        province=institution.province,
        types=[InstitutionType(t) for t in institution.types],
        qualifications=declared(institution),
        qualification_status=statuses(institution),
        platform_level=institution.platform_level,
        staff_count=institution.staff_count,
        version=institution.version,
        created_at=institution.created_at,
        updated_at=institution.updated_at,
    )


def event_data(institution: Institution) -> dict[str, Any]:
    return {
        "id": str(institution.id),
        "name": institution.name,
        "uscc": institution.uscc,
        "region_code": institution.region_code,
        "province": institution.province,
        "types": list(institution.types),
        "platform_level": institution.platform_level,
        "qualified_types": [
            t for t in institution.types if qualified(institution, InstitutionType(t))
        ],
        "reviews": {t: review_of(institution, InstitutionType(t)).value for t in institution.types},
    }


def _own_id(principal: Principal) -> uuid.UUID | None:
    """An institution principal's ``org`` is its institution id (None if it is not one)."""
    try:
        return uuid.UUID(principal.org or "")
    except ValueError:
        return None


def _sees(principal: Principal, institution: Institution) -> bool:
    if principal.role is Role.INSTITUTION:
        return _own_id(principal) == institution.id
    return principal.role in (*GOVERNMENT, Role.ENTERPRISE)


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: InstitutionCreate
) -> Institution:
    ensure_governs(principal, payload.region_code)
    _validate(payload.types, payload.qualifications, payload.platform_level)
    if await repo.exists_uscc(session, payload.uscc):
        raise INSTITUTION_EXISTS(uscc=payload.uscc)
    institution = Institution(
        name=payload.name,
        uscc=payload.uscc,
        region_code=payload.region_code,
        province=province_of(payload.region_code),
        types=[t.value for t in payload.types],
        qualifications=_stored(payload.qualifications),
        platform_level=payload.platform_level.value if payload.platform_level else None,
        staff_count=payload.staff_count,
        version=1,
    )
    institution.reviews = _reviews_after(
        principal,
        institution.region_code,
        payload.types,
        institution.qualifications,
        institution.platform_level,
    )
    session.add(institution)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same USCC won
        raise INSTITUTION_EXISTS(uscc=payload.uscc) from exc
    await session.refresh(institution)
    await ctx.outbox.emit(
        session,
        events.INSTITUTION,
        "registered",
        subject=str(institution.id),
        data=event_data(institution),
        province=institution.province,
        version=1,
    )
    return institution


async def get(
    session: AsyncSession, principal: Principal, institution_id: uuid.UUID, *, lock: bool = False
) -> Institution:
    institution = await repo.get(session, institution_id, lock=lock)
    if institution is None or not _sees(principal, institution):
        raise INSTITUTION_NOT_FOUND()
    return institution


async def update(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    institution_id: uuid.UUID,
    payload: InstitutionUpdate,
) -> Institution:
    institution = await get(session, principal, institution_id, lock=True)
    if principal.role is not Role.INSTITUTION:
        ensure_governs(principal, institution.region_code)
    sent = payload.model_fields_set
    types = payload.types or [InstitutionType(t) for t in institution.types]
    # What belongs to a dropped type goes with it, unless the caller sends it explicitly.
    quals = (
        payload.qualifications or {}
        if "qualifications" in sent
        else {t: items for t, items in declared(institution).items() if t in types}
    )
    level = (
        payload.platform_level
        if "platform_level" in sent
        else institution.platform_level
        if PLATFORM in types
        else None
    )
    _validate(types, quals, level)
    stored, level_value = _stored(quals), str(level) if level else None
    values: dict[str, Any] = {
        "types": [t.value for t in types],
        "qualifications": stored,
        "reviews": _reviews_after(
            principal, institution.region_code, types, stored, level_value, institution
        ),
        "platform_level": level_value,
    }
    values.update({k: getattr(payload, k) for k in ("name", "staff_count") if k in sent})
    changed = {k: v for k, v in values.items() if getattr(institution, k) != v}
    if not changed:
        return institution
    for key, value in changed.items():
        setattr(institution, key, value)
    institution.version += 1
    await session.flush()
    await session.refresh(institution)
    await ctx.outbox.emit(
        session,
        events.INSTITUTION,
        "updated",
        subject=str(institution.id),
        data=event_data(institution),
        province=institution.province,
        version=institution.version,
    )
    return institution


async def search(
    session: AsyncSession,
    principal: Principal,
    *,
    type_: InstitutionType | None,
    province: str | None,
    qualified_for: InstitutionType | None,
    cursor: str | None,
    limit: int,
) -> Page[InstitutionRead]:
    after = after_id(cursor)
    only = None
    if principal.role is Role.INSTITUTION:
        only = _own_id(principal)
        if only is None:
            return Page(items=[])
    elif principal.role not in (*GOVERNMENT, Role.ENTERPRISE):
        return Page(items=[])
    rows = await repo.search(
        session,
        type_=type_.value if type_ else None,
        province=province,
        qualified_for=(
            (qualified_for.value, qualifications.mandatory_codes(qualified_for))
            if qualified_for
            else None
        ),
        only=only,
        after=after,
        limit=limit,
    )
    return Page(
        items=[to_read(i) for i in rows[:limit]],
        next_cursor=next_cursor(rows, limit, lambda i: [str(i.id)]),
    )


def _review_errors(institution: Institution, type_: InstitutionType) -> list[FieldError]:
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


async def review(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    institution_id: uuid.UUID,
    type_: InstitutionType,
    decision: Review,
    reason: str | None,
) -> Institution:
    """资质审核: the unit verifies or rejects (with a reason) a type's declared conditions.
    Other roles are refused whatever the id; to a foreign unit the institution's review is
    not there (404), as for any record outside its region."""
    if principal.role not in REVIEWERS:
        raise FORBIDDEN()
    institution = await get(session, principal, institution_id, lock=True)
    if not reviews_for(principal, institution):
        raise INSTITUTION_NOT_FOUND()
    if type_.value not in institution.types:
        raise QUALIFICATION_TYPE_NOT_HELD(type=type_.zh, type_en=type_.value)
    if decision is Review.REJECTED and not reason:
        raise VALIDATION_FAILED(
            errors=[
                FieldError("reason", "REQUIRED", "审核不通过须说明理由", "A reason is required")
            ]
        )
    entry = _decision(principal, decision, reason if decision is Review.REJECTED else None)
    institution.reviews = {**institution.reviews, type_.value: entry}
    institution.version += 1
    await session.flush()
    await session.refresh(institution)
    await ctx.outbox.emit(
        session,
        events.INSTITUTION,
        f"qualification_{decision.value}",
        subject=str(institution.id),
        data={**event_data(institution), "type": type_.value, "review": decision.value},
        province=institution.province,
        version=institution.version,
    )
    return institution


def _ensure_qualified(institution: Institution, task: Task) -> None:
    needed = TASK_TYPES[task]
    if needed.value not in institution.types:
        reasons = [
            FieldError(
                "task",
                "INSTITUTION_TYPE_MISSING",
                f"机构类型中没有“{needed.zh}”",
                f"The institution is not of type {needed.value}",
            )
        ]
    else:
        reasons = _review_errors(institution, needed) + [
            FieldError(
                "task",
                "CONDITION_NOT_MET",
                f"未满足遴选条件 {c.code}（{c.source}）",
                f"Condition {c.code} ({c.source}) is not met",
            )
            for c in qualifications.unmet(needed, _met(institution, needed))
            if c.mandatory
        ]
    if reasons:
        raise INSTITUTION_NOT_QUALIFIED(task=task.zh, task_en=task.value, errors=reasons)


async def sign_contract(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    institution_id: uuid.UUID,
    payload: ContractCreate,
) -> ContractRead:
    if principal.role not in GOVERNMENT:
        raise FORBIDDEN()
    institution = await get(session, principal, institution_id)
    region = payload.province + "0000"
    if not principal.sees_region(region):
        raise REGION_OUT_OF_SCOPE(region=region)
    _ensure_qualified(institution, payload.task)
    task = payload.task.value
    if await repo.contract_exists(session, institution.id, payload.province, task, payload.batch):
        raise CONTRACT_DUPLICATE()
    contract = InstitutionContract(
        institution_id=institution.id,
        province=payload.province,
        task=task,
        batch=payload.batch,
        amount=payload.amount,
        signed_on=payload.signed_on,
    )
    session.add(contract)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent signature of the same contract won
        raise CONTRACT_DUPLICATE() from exc
    await session.refresh(contract)
    read = _contract_read(contract, institution.name)
    await ctx.outbox.emit(
        session,
        events.CONTRACT,
        "signed",
        subject=str(contract.id),
        data={
            "id": str(contract.id),
            "institution_id": str(institution.id),
            "institution_name": institution.name,
            "province": contract.province,
            "task": task,
            "batch": contract.batch,
            "amount": read.model_dump(mode="json")["amount"],
            "signed_on": payload.signed_on.isoformat(),
        },
        province=contract.province,
        version=1,
    )
    return read


def _contract_read(contract: InstitutionContract, institution_name: str) -> ContractRead:
    return ContractRead(
        id=contract.id,
        institution_id=contract.institution_id,
        institution_name=institution_name,
        province=contract.province,
        task=Task(contract.task),
        batch=contract.batch,
        amount=contract.amount,
        signed_on=contract.signed_on,
        created_at=contract.created_at,
    )


async def contracts(
    session: AsyncSession,
    principal: Principal,
    *,
    institution_id: uuid.UUID | None = None,
    province: str | None = None,
    task: Task | None = None,
    batch: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ContractRead]:
    """Government users see their province's contracts (the ministry all of them), an
    institution its own."""
    after = after_id(cursor)
    if institution_id is not None:
        await get(session, principal, institution_id)
    if principal.role is Role.INSTITUTION:
        institution_id = _own_id(principal)
        if institution_id is None:
            return Page(items=[])
    elif principal.role not in GOVERNMENT:
        return Page(items=[])
    elif own := principal.region_prefix[:2]:
        if province not in (None, own):
            return Page(items=[])
        province = own
    rows = await repo.contracts(
        session,
        institution_id=institution_id,
        province=province,
        task=task.value if task else None,
        batch=batch,
        after=after,
        limit=limit,
    )
    return Page(
        items=[_contract_read(c, name) for c, name in rows[:limit]],
        next_cursor=next_cursor(rows, limit, lambda r: [str(r[0].id)]),
    )
