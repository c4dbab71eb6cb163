"""学员: the 附1-3 record of an enterprise's principal manager, and the 培训档案 built on it.

The ID number, mobile and email are encrypted (the column bound as associated data); the ID
number is blind-indexed so one person is registered once. Responses are masked unless the
caller holds ``pii:read``, and then every unmasked read is audited. Events carry none of it.

Who sees a trainee is ``scope.visible_trainees``, the one predicate of every path.
"""

from __future__ import annotations

import uuid

from contracts import training as contract
from kit.audit import Audit
from kit.auth import Principal, Role
from kit.context import ServiceContext
from kit.errors import FORBIDDEN
from kit.pagination import Page, Window
from kit.pii import mask_email, mask_id_number, mask_phone
from kit.presenter import PiiPresenter, Secret
from kit.scope import KEEPERS, acts_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training import events
from training.enums import Degree, Education, Gender
from training.errors import ENTERPRISE_UNKNOWN, TRAINEE_EXISTS, TRAINEE_NOT_FOUND
from training.models import Trainee
from training.repository import replica
from training.repository import trainees as repo
from training.schemas.trainees import SocialRole, TraineeCreate, TraineeRead
from training.scope import sees_province, visible_trainees

ID_NUMBER, MOBILE, EMAIL = "trainee.id_number", "trainee.mobile", "trainee.email"
PII = PiiPresenter(
    "trainee",
    (
        Secret("id_number", ID_NUMBER, mask_id_number),
        Secret("mobile", MOBILE, mask_phone),
        Secret("email", EMAIL, mask_email),
    ),
)


async def register(
    session: AsyncSession, ctx: ServiceContext, principal: Principal, payload: TraineeCreate
) -> Trainee:
    if principal.role is not Role.ENTERPRISE and principal.role not in KEEPERS:
        raise FORBIDDEN()
    enterprise = await replica.enterprise(session, payload.enterprise_uscc)
    # An enterprise outside the caller's reach answers as one that does not exist.
    if enterprise is None or not (
        acts_for(principal, enterprise.uscc)
        or (principal.role in KEEPERS and sees_province(principal, enterprise.province))
    ):
        raise ENTERPRISE_UNKNOWN(uscc=payload.enterprise_uscc)
    pii = ctx.pii
    index = pii.blind_index(payload.id_number, context=ID_NUMBER)
    if await repo.id_number_taken(session, index):
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
        studied_from=payload.studied_from,
        studied_until=payload.studied_until,
        major=payload.major,
        degree=payload.degree.value if payload.degree else None,
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
        data=contract.TraineeRegistered(
            id=trainee.id, enterprise_uscc=trainee.enterprise_uscc, province=trainee.province
        ).model_dump(mode="json"),
        province=trainee.province,
        version=1,
    )
    return trainee


async def get(session: AsyncSession, principal: Principal, trainee_id: uuid.UUID) -> Trainee:
    trainee = await repo.get_visible(session, trainee_id, visible_trainees(principal))
    if trainee is None:
        raise TRAINEE_NOT_FOUND()
    return trainee


async def present(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    trainees: list[Trainee],
    *,
    masked: bool = False,
) -> list[TraineeRead]:
    """Decrypted; masked unless the caller holds ``pii:read`` (and ``masked`` is not asked
    for), and then every unmasked read is audited."""
    names = await repo.enterprise_names(session, {t.enterprise_uscc for t in trainees})
    shown = await PII.show(session, ctx.pii, audit, trainees, masked=masked)
    out = []
    for t, fields in zip(trainees, shown, strict=True):
        out.append(
            TraineeRead(
                id=t.id,
                enterprise_uscc=t.enterprise_uscc,
                enterprise_name=names.get(t.enterprise_uscc),
                province=t.province,
                name=t.name,
                gender=Gender(t.gender),
                **fields,
                political_status=t.political_status,
                ethnicity=t.ethnicity,
                position=t.position,
                management_years=t.management_years,
                address=t.address,
                education=Education(t.education) if t.education else None,
                school=t.school,
                studied_from=t.studied_from,
                studied_until=t.studied_until,
                major=t.major,
                degree=Degree(t.degree) if t.degree else None,
                social_roles=[SocialRole.model_validate(r) for r in t.social_roles],
                honours=t.honours,
                version=t.version,
                created_at=t.created_at,
            )
        )
    return out


async def read(
    session: AsyncSession, ctx: ServiceContext, audit: Audit, trainee_id: uuid.UUID
) -> TraineeRead:
    trainee = await get(session, audit.principal, trainee_id)
    return (await present(session, ctx, audit, [trainee]))[0]


async def search(
    session: AsyncSession,
    ctx: ServiceContext,
    audit: Audit,
    *,
    enterprise_uscc: str | None,
    province: str | None,
    cursor: str | None,
    limit: int,
) -> Page[TraineeRead]:
    """The trainees the caller sees (``scope.visible_trainees``)."""
    principal = audit.principal
    window = Window.of_ids(cursor, limit)
    rows = await repo.search(
        session,
        visible_trainees(principal),
        enterprise_uscc=enterprise_uscc,
        province=province,
        window=window,
    )
    page, next_page = window.split(rows)
    return Page(items=await present(session, ctx, audit, page), next_cursor=next_page)
