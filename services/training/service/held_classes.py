"""补录 in bulk: a provincial system records the classes its unit already held, each with its
trainees and attendance, by its own ``external_id``. Each item goes through the same steps a
user takes (schedule, enroll, attendance, close), so every rule and event is theirs. A class
synced before is ``unchanged`` when sent again as it was; a different one is refused — a held
class is corrected through the class's own endpoints, not by a resend."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kit import bulk
from kit.auth import Principal
from kit.bulk import BulkResult, Outcome
from kit.context import ServiceContext
from kit.i18n import Lang
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from training.errors import CLASS_SYNCED_DIFFERENTLY
from training.repository import classes as repo
from training.schemas.attendance import AttendanceBatch, AttendanceRecord
from training.schemas.classes import ClassCreate
from training.schemas.held_classes import HeldClass
from training.service import attendance, classes, closing, enrollments, plans


def digest(item: HeldClass) -> str:
    """The item as sent, in one canonical form."""
    canonical = json.dumps(item.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def sync(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    raw_items: list[dict[str, Any]],
    lang: Lang,
) -> BulkResult:
    async def apply(item: HeldClass) -> tuple[Outcome, str]:
        plan = await plans.get(session, principal, item.plan_id)
        sent = digest(item)
        known = await repo.synced(session, plan.province, item.external_id)
        if known is not None:
            if known.sync_digest != sent:
                raise CLASS_SYNCED_DIFFERENTLY(external_id=item.external_id)
            return "unchanged", str(known.id)
        payload = ClassCreate.model_validate(
            item.model_dump(exclude={"external_id", "plan_id", "trainees", "closed"})
        )
        cls = await classes.schedule(session, ctx, principal, plan.id, payload)
        cls.external_id, cls.sync_digest = item.external_id, sent
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError as exc:  # a concurrent sync recorded the same id first
            raise CLASS_SYNCED_DIFFERENTLY(external_id=item.external_id) from exc
        for held in item.trainees:
            await enrollments.apply(session, ctx, principal, cls.id, held.trainee_id)
        days = (await repo.session_days(session, [cls.id])).get(cls.id, [])
        records = [
            AttendanceRecord(session=day, trainee_id=held.trainee_id, present=day in held.attended)
            for held in item.trainees
            for day in days
        ]
        if records:
            await attendance.record(session, principal, cls.id, AttendanceBatch(records=records))
        if item.closed:
            await closing.close(session, ctx, principal, cls.id)
        return "created", str(cls.id)

    return await bulk.run(
        session, raw_items, HeldClass, lambda i: f"{i.plan_id}/{i.external_id}", apply, lang
    )
