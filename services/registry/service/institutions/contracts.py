"""Contracts (签约): a government unit engages a qualified institution for a province, a
task and a batch."""

from __future__ import annotations

import uuid

from contracts import registry as published
from contracts.vocabulary import InstitutionType, Task
from kit import scope
from kit.auth import GOVERNMENT, Principal, Role
from kit.codes import unit_region
from kit.context import ServiceContext
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE, FieldError
from kit.pagination import Page, Window
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events, qualifications
from registry.errors import CONTRACT_DUPLICATE, INSTITUTION_NOT_QUALIFIED
from registry.models import Institution, InstitutionContract
from registry.repository import institutions as repo
from registry.schemas.institutions import ContractCreate, ContractRead
from registry.service.institutions import declarations, directory

# The institution type a task needs (000 附件1–4).
TASK_TYPES = {
    Task.TRAINING: InstitutionType.TRAINING,
    Task.QUALITY_DIAGNOSIS: InstitutionType.QUALITY_DIAGNOSIS,
    Task.MANAGEMENT_DIAGNOSIS: InstitutionType.MANAGEMENT_DIAGNOSIS,
    Task.INNOVATION: InstitutionType.INNOVATION_SERVICE,
}


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
        reasons = declarations.review_errors(institution, needed) + [
            FieldError(
                "task",
                "CONDITION_NOT_MET",
                f"未满足遴选条件 {c.code}（{c.source}）",
                f"Condition {c.code} ({c.source}) is not met",
            )
            for c in qualifications.unmet(needed, declarations.conditions_met(institution, needed))
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
    institution = await directory.get(session, principal, institution_id)
    if not scope.covers(principal, payload.province):
        raise REGION_OUT_OF_SCOPE(region=unit_region(payload.province))
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
        data=published.ContractSigned(
            id=contract.id,
            institution_id=institution.id,
            institution_name=institution.name,
            province=contract.province,
            task=payload.task,
            batch=contract.batch,
            amount=contract.amount,
            signed_on=payload.signed_on,
        ).model_dump(mode="json"),
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


async def search(
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
    window = Window.of_ids(cursor, limit)
    if institution_id is not None:
        await directory.get(session, principal, institution_id)
    if principal.role is Role.INSTITUTION:
        institution_id = scope.institution_id(principal)
        if institution_id is None:
            return Page(items=[])
    elif principal.role not in GOVERNMENT:
        return Page(items=[])
    elif own := scope.unit(principal):
        if province not in (None, own):
            return Page(items=[])
        province = own
    rows = await repo.contracts(
        session,
        institution_id=institution_id,
        province=province,
        task=task.value if task else None,
        batch=batch,
        window=window,
    )
    page, next_page = window.split(rows, lambda r: str(r[0].id))
    return Page(items=[_contract_read(c, name) for c, name in page], next_cursor=next_page)
