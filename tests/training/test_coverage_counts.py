"""Coverage counts at the service tier: kept as classes close and as the registry's facts
change (a renewal, a revocation, a move), they equal the scan of enrollments they replace
on every date and in every scope; and each unit's own target."""

from __future__ import annotations

from datetime import date

import pytest
from contracts.vocabulary import LITTLE_GIANTS
from kit.codes import PROVINCES
from kit.errors import ProblemError
from kit.migrations import load_migration
from kit.testing import ServiceTier
from sqlalchemy import text
from training.enums import Period
from training.models import TrainingClass
from training.repository import coverage as repo
from training.schemas.coverage import TargetWrite
from training.service import closing, coverage, enrollments
from uuid6 import uuid7

from tests.fixtures.registry_events import enterprise_event, recognition_event
from tests.fixtures.training_service import (
    draft_plan,
    enterprise,
    held_class,
    institution,
    keeper,
    trainee,
)

pytestmark = pytest.mark.services("training")

DATES = [date(2024, 1, 1), date(2025, 6, 30), date(2026, 6, 1), date(2027, 7, 1), date(2030, 1, 1)]
SCOPES = ["", "42", "4201", "420102", "43", "4301"]
TRAINED = load_migration("training", "coverage_counts_and_targets").TRAINED
DELTAS = load_migration("training", "filing_unit_keys").DELTAS


async def trained(service: ServiceTier, cls: TrainingClass, *usccs: str) -> None:
    for uscc in usccs:
        t = await trainee(service, uscc)
        await enrollments.apply(service.session, service.ctx, keeper(service), cls.id, t.id)
    await closing.close(service.session, service.ctx, keeper(service), cls.id)


async def scanned(service: ServiceTier, region: str, as_of: date) -> repo.Counts:
    rows = await service.session.execute(
        text(repo.SCAN),
        {"tiers": [t.value for t in LITTLE_GIANTS], "as_of": as_of, "region": region + "%"},
    )
    return {(k, p, period): (n, v) for k, p, period, n, v in rows if n}


async def counted(service: ServiceTier, region: str, as_of: date) -> repo.Counts:
    scopes = [region] if region else list(PROVINCES)
    found = await repo.counts(service.session, scopes, as_of)
    return {key: value for key, value in found.items() if value[0]}


async def assert_equal_to_the_scan(service: ServiceTier) -> None:
    for region in SCOPES:
        for day in DATES:
            assert await counted(service, region, day) == await scanned(service, region, day), (
                region,
                day,
            )


async def test_counts_equal_the_scan_through_every_change(service: ServiceTier) -> None:
    school = await institution(service)
    plan_2026 = await draft_plan(
        service, period="2026", eligible_tiers=["little_giant", "specialized_sme"]
    )
    a, b, c = [await enterprise(service) for _ in range(3)]
    key = await enterprise(service, "key_little_giant", "420502")
    plain = await enterprise(service, "specialized_sme")  # not a 小巨人: trained, never valid
    untrained = await enterprise(service, region="420602")
    await trained(service, await held_class(service, school, plan_2026, 3), a, b, key, plain)
    await assert_equal_to_the_scan(service)

    renewal, revoked = uuid7(), uuid7()
    await service.receive(
        recognition_event(a, valid_from=date(2027, 1, 1), recognition_id=renewal),
        recognition_event(c, valid_from=date(2025, 1, 1), recognition_id=revoked),
        recognition_event(
            c,
            valid_from=date(2025, 1, 1),
            recognition_id=revoked,
            revoked_on=date(2026, 3, 1),
            version=2,
        ),
        enterprise_event(b, 2, "430103"),  # moved to Hunan: it counts there now
    )
    await assert_equal_to_the_scan(service)
    plan_2025 = await draft_plan(service, period="2025")
    held_2025 = await held_class(service, school, plan_2025, 2, start=date(2025, 9, 1))
    await trained(service, held_2025, a, c, untrained)
    await assert_equal_to_the_scan(service)
    [hubei] = (
        await coverage.coverage(
            service.session, keeper(service), province=None, batch=None, as_of=date(2026, 6, 1)
        )
    ).provinces
    assert hubei.little_giants == 4  # a, c (its first recognition), key, untrained; b moved
    await assert_the_backfill_counts_alike(service)


async def assert_the_backfill_counts_alike(service: ServiceTier) -> None:
    """The migrations that built the counts compute them from scratch: the same rows."""
    kept = await deltas(service)
    await service.session.execute(text("DELETE FROM training.coverage_deltas"))
    await service.session.execute(text("DELETE FROM training.trained_enterprises"))
    await service.session.execute(text(TRAINED))
    await service.session.execute(text(DELTAS))
    assert await deltas(service) == kept


async def deltas(service: ServiceTier) -> list[tuple[object, ...]]:
    rows = await service.session.execute(
        text(
            "SELECT scope, kind, period, day, delta FROM training.coverage_deltas"
            " WHERE delta <> 0 ORDER BY 1, 2, 3, 4"
        )
    )
    return [tuple(r) for r in rows]


async def test_a_lapsed_enterprise_leaves_the_share_on_the_day(service: ServiceTier) -> None:
    school = await institution(service)
    plan = await draft_plan(service, period="2026")
    giant = await enterprise(service, valid_from=date(2024, 7, 1))  # until 2027-06-30
    await trained(service, await held_class(service, school, plan, 2), giant)
    for day, share in ((date(2027, 6, 30), "1.0000"), (date(2027, 7, 1), None)):
        [row] = (
            await coverage.coverage(
                service.session, keeper(service), province="42", batch=2, as_of=day
            )
        ).provinces
        assert (str(row.batches[0].share) if row.batches[0].share else None) == share, day
        assert row.batches[0].trained == 1


class TestTargets:
    async def test_hubei_has_its_own_seeded_targets_and_others_none(
        self, service: ServiceTier
    ) -> None:
        for province, wanted in (("42", ["0.3000", None, "1.0000"]), ("43", [None] * 3)):
            [row] = (
                await coverage.coverage(
                    service.session,
                    service.principal("ministry"),
                    province=province,
                    batch=None,
                    as_of=date(2026, 6, 1),
                )
            ).provinces
            assert [str(c.target) if c.target else None for c in row.cumulative] == wanted
            assert str(row.scoring_floor) == "0.30"

    async def test_a_unit_sets_its_own(self, service: ServiceTier) -> None:
        hunan = service.principal("province", "430000")
        payload = TargetWrite(target="0.45", source="湖南省2026年度工作方案")  # type: ignore[arg-type]
        await coverage.set_target(service.session, hunan, "43", Period.Y2026, payload)
        [row] = (
            await coverage.coverage(
                service.session, hunan, province=None, batch=2, as_of=date(2026, 6, 1)
            )
        ).provinces
        assert str(row.cumulative[0].target) == "0.4500"
        with pytest.raises(ProblemError) as caught:
            await coverage.set_target(service.session, hunan, "42", Period.Y2026, payload)
        assert caught.value.problem.code == "REGION_OUT_OF_SCOPE"
        with pytest.raises(ProblemError) as caught:
            await coverage.set_target(
                service.session, service.principal("city", "430100"), "43", Period.Y2026, payload
            )
        assert caught.value.problem.code == "FORBIDDEN"
