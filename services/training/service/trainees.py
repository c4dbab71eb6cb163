"""学员: the 附1-3 record of an enterprise's principal manager, and the 培训档案 built on it.

The ID number, mobile and email are encrypted (the column bound as associated data); the ID
number is blind-indexed so one person is registered once. Responses are masked unless the
caller holds ``pii:read``, and then every unmasked read is audited. Events carry none of it.

Who sees a trainee: government users whose region covers the enterprise, the enterprise
itself, and — through the classes the trainee enrolled in — the provinces of a joint class
and the institution running it.
"""

from __future__ import annotations

import uuid

from fastapi import Request
from kit import audit
from kit.auth import GOVERNMENT, Principal, Role
from kit.context import ServiceContext
from kit.pagination import Page, after_id, next_cursor
from kit.pii import mask_email, mask_id_number, mask_phone
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events, replica
from training.enums import Education, Gender
from training.errors import ENTERPRISE_UNKNOWN, TRAINEE_EXISTS, TRAINEE_NOT_FOUND
from training.models import Enrollment, EnterpriseReplica, Trainee, TrainingClass
from training.schemas.trainees import SocialRole, TraineeCreate, TraineeRead
from training.scope import KEEPERS, ensure_keeps, own_province

PII_READ = "pii:read"
ID_NUMBER, MOBILE, EMAIL = "trainee.id_number", "trainee.mobile", "trainee.email"


def acts_for(principal: Principal, uscc: str) -> bool:
    """An enterprise user acting for its own enterprise."""
    return principal.role is Role.ENTERPRISE and principal.org == uscc


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: TraineeCreate
) -> Trainee:
    enterprise = await replica.enterprise(session, payload.enterprise_uscc)
    if enterprise is None:
        raise ENTERPRISE_UNKNOWN(uscc=payload.enterprise_uscc)
    if not acts_for(principal, enterprise.uscc):
        ensure_keeps(principal, enterprise.province)
    pii = ctx.pii
    index = pii.blind_index(payload.id_number, context=ID_NUMBER)
    if await session.scalar(select(Trainee.id).where(Trainee.id_number_index == index)):
        raise TRAINEE_EXISTS()
    trainee = Trainee(
        enterprise_uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        province=enterprise.province,
        name=payload.name,
        gender=payload.gender.value,
        id_number_enc=pii.encrypt(payload.id_number, context=ID_NUMBER),
        id_number_index=index,
        mobile_enc=pii.encrypt(payload.mobile, context=MOBILE),
        email_enc=pii.encrypt(payload.email, context=EMAIL) if payload.email else None,
        political_status=payload.political_status,
        ethnicity=payload.ethnicity,
        position=payload.position,
        management_years=payload.management_years,
        address=payload.address,
        education=payload.education.value if payload.education else None,
        school=payload.school,
        major=payload.major,
        social_roles=[r.model_dump() for r in payload.social_roles],
        honours=payload.honours,
        version=1,
    )
    session.add(trainee)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same person won
        raise TRAINEE_EXISTS() from exc
    await session.refresh(trainee)
    await ctx.outbox.emit(
        session,
        events.TRAINEE,
        "registered",
        subject=str(trainee.id),
        data={
            "id": str(trainee.id),
            "enterprise_uscc": trainee.enterprise_uscc,
            "province": trainee.province,
        },
        province=trainee.province,
        version=1,
    )
    return trainee


async def sees(session: AsyncSession, principal: Principal, trainee: Trainee) -> bool:
    if acts_for(principal, trainee.enterprise_uscc):
        return True
    if principal.role in GOVERNMENT and principal.sees_region(trainee.region_code):
        return True
    classes = select(Enrollment.id).join(TrainingClass, TrainingClass.id == Enrollment.class_id)
    classes = classes.where(Enrollment.trainee_id == trainee.id)
    if principal.role in GOVERNMENT and principal.role is not Role.CITY:
        province = own_province(principal)
        assert province is not None  # the ministry saw the trainee above
        return bool(
            await session.scalar(
                select(exists(classes.where(TrainingClass.provinces.contains([province]))))
            )
        )
    if principal.role is Role.INSTITUTION and principal.org:
        try:
            institution = uuid.UUID(principal.org)
        except ValueError:
            return False
        return bool(
            await session.scalar(
                select(exists(classes.where(TrainingClass.institution_id == institution)))
            )
        )
    return False


async def get(session: AsyncSession, principal: Principal, trainee_id: uuid.UUID) -> Trainee:
    trainee = await session.get(Trainee, trainee_id)
    if trainee is None or not await sees(session, principal, trainee):
        raise TRAINEE_NOT_FOUND()
    return trainee


async def present(
    session: AsyncSession,
    ctx: ServiceContext,
    request: Request,
    trainees: list[Trainee],
    *,
    masked: bool = False,
) -> list[TraineeRead]:
    """Decrypted; masked unless the caller holds ``pii:read`` (and ``masked`` is not asked
    for), and then every unmasked read is audited."""
    principal: Principal = request.state.principal
    unmasked = principal.has_scope(PII_READ) and not masked
    names = await enterprise_names(session, {t.enterprise_uscc for t in trainees})
    pii = ctx.pii
    out = []
    for t in trainees:
        id_number: str = pii.decrypt(t.id_number_enc, context=ID_NUMBER)
        mobile: str = pii.decrypt(t.mobile_enc, context=MOBILE)
        email = pii.decrypt(t.email_enc, context=EMAIL) if t.email_enc else None
        if unmasked:
            await audit.record(
                session,
                request,
                action="pii.read",
                resource=f"trainee/{t.id}",
                detail={"fields": ["id_number", "mobile"] + (["email"] if email else [])},
            )
        else:
            id_number, mobile = mask_id_number(id_number), mask_phone(mobile)
            email = mask_email(email) if email else None
        out.append(
            TraineeRead(
                id=t.id,
                enterprise_uscc=t.enterprise_uscc,
                enterprise_name=names.get(t.enterprise_uscc),
                province=t.province,
                name=t.name,
                gender=Gender(t.gender),
                id_number=id_number,
                mobile=mobile,
                email=email,
                masked=not unmasked,
                political_status=t.political_status,
                ethnicity=t.ethnicity,
                position=t.position,
                management_years=t.management_years,
                address=t.address,
                education=Education(t.education) if t.education else None,
                school=t.school,
                major=t.major,
                social_roles=[SocialRole.model_validate(r) for r in t.social_roles],
                honours=t.honours,
                version=t.version,
                created_at=t.created_at,
            )
        )
    return out


async def enterprise_names(session: AsyncSession, usccs: set[str]) -> dict[str, str]:
    if not usccs:
        return {}
    rows = await session.execute(
        select(EnterpriseReplica.uscc, EnterpriseReplica.name).where(
            EnterpriseReplica.uscc.in_(usccs)
        )
    )
    return {uscc: name for uscc, name in rows}


async def search(
    session: AsyncSession,
    ctx: ServiceContext,
    request: Request,
    *,
    enterprise_uscc: str | None,
    province: str | None,
    cursor: str | None,
    limit: int,
) -> Page[TraineeRead]:
    """Trainees of the caller's region (or of the calling enterprise)."""
    principal: Principal = request.state.principal
    after = after_id(cursor)
    query = select(Trainee).order_by(Trainee.id).limit(limit + 1)
    if principal.role is Role.ENTERPRISE:
        query = query.where(Trainee.enterprise_uscc == (principal.org or ""))
    elif principal.role in GOVERNMENT:
        if principal.region_prefix:
            query = query.where(Trainee.region_code.startswith(principal.region_prefix))
    else:
        return Page(items=[])
    if enterprise_uscc:
        query = query.where(Trainee.enterprise_uscc == enterprise_uscc)
    if province:
        query = query.where(Trainee.province == province)
    if after:
        query = query.where(Trainee.id > after)
    rows = list(await session.scalars(query))
    return Page(
        items=await present(session, ctx, request, rows[:limit]),
        next_cursor=next_cursor(rows, limit, lambda t: [str(t.id)]),
    )


def may_keep(principal: Principal, trainee: Trainee) -> bool:
    """The enterprise itself, or a keeper of its province, acts on the trainee's behalf."""
    return acts_for(principal, trainee.enterprise_uscc) or (
        principal.role in KEEPERS and principal.sees_region(trainee.province + "0000")
    )
