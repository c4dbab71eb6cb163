"""Who recognises what (DESIGN.md §5; 000:87 "经工业和信息化部认定"), each right broken on
purpose at the service tier: the ministry records 小巨人 and 重点小巨人 (by hand or by its
published list), the enterprise's filing unit the provincial tiers; revocation follows."""

from __future__ import annotations

import pytest
from kit.auth import Principal
from kit.errors import ProblemError
from kit.testing import ServiceTier
from pydantic import ValidationError
from registry.models import Recognition
from registry.schemas.enterprises import EnterpriseCreate
from registry.schemas.recognitions import MinistryList, RecognitionCreate, RevokeRequest
from registry.service import enterprises, recognitions
from sqlalchemy import func, select

from tests.factories import enterprise as enterprise_body
from tests.factories import make_uscc
from tests.factories import recognition as recognition_body

pytestmark = pytest.mark.services("registry")

LIST = {
    "tier": "little_giant",
    "batch": "第六批",
    "document_number": "工信部企业函〔2024〕168号",
    "recognized_on": "2024-07-01",
    "valid_from": "2024-07-01",
}


async def registered(service: ServiceTier, region: str = "420102") -> tuple[str, str]:
    body = EnterpriseCreate.model_validate(enterprise_body(region))
    e = await enterprises.register(
        service.session, service.ctx, service.principal("ministry"), body
    )
    return e.uscc, e.name


async def grant(
    service: ServiceTier, principal: Principal, uscc: str, tier: str, **overrides: str
) -> Recognition:
    payload = RecognitionCreate.model_validate(recognition_body(tier, **overrides))
    return await recognitions.grant(service.session, service.ctx, principal, uscc, payload)


async def refused(service: ServiceTier, principal: Principal, uscc: str, tier: str) -> str:
    with pytest.raises(ProblemError) as caught:
        await grant(service, principal, uscc, tier)
    assert caught.value.problem.status == 403
    return caught.value.detail("zh")


async def count(service: ServiceTier) -> int:
    return int(await service.session.scalar(select(func.count()).select_from(Recognition)) or 0)


class TestMinistryTiers:
    @pytest.mark.parametrize("tier", ["little_giant", "key_little_giant"])
    @pytest.mark.parametrize(
        ("role", "region"),
        [("province", "420000"), ("city", "420100"), ("province_system", "420000")],
    )
    async def test_only_the_ministry_records_them(
        self, service: ServiceTier, tier: str, role: str, region: str
    ) -> None:
        uscc, _ = await registered(service)
        detail = await refused(service, service.principal(role, region), uscc, tier)
        assert "工业和信息化部认定" in detail
        assert await count(service) == 0
        assert await service.emitted("recognition.") == []

    async def test_the_ministry_is_the_authority_whatever_it_types(
        self, service: ServiceTier
    ) -> None:
        uscc, _ = await registered(service)
        with pytest.raises(ValidationError):  # the authority is derived, never typed
            RecognitionCreate.model_validate({**recognition_body(), "authority": "工信部"})
        r = await grant(
            service,
            service.principal("ministry"),
            uscc,
            "key_little_giant",
            document_number="文号1",
        )
        assert (r.authority, r.authority_code, r.document_number) == (
            "工业和信息化部",
            "100000",
            "文号1",
        )
        [event] = await service.emitted("recognition.")
        assert event.data["authority"] == "工业和信息化部"
        assert event.data["authority_code"] == "100000"
        assert event.data["document_number"] == "文号1"

    async def test_a_province_may_not_revoke_the_ministrys(self, service: ServiceTier) -> None:
        uscc, _ = await registered(service)
        r = await grant(service, service.principal("ministry"), uscc, "little_giant")
        for role, region in (("province", "420000"), ("city", "420100")):
            with pytest.raises(ProblemError) as caught:
                await recognitions.revoke(
                    service.session,
                    service.ctx,
                    service.principal(role, region),
                    r.id,
                    RevokeRequest(reason="复核未通过"),
                )
            assert caught.value.problem.code == "RECOGNITION_AUTHORITY"
        assert r.revoked_on is None
        revoked = await recognitions.revoke(
            service.session,
            service.ctx,
            service.principal("ministry"),
            r.id,
            RevokeRequest(reason="复核未通过"),
        )
        assert revoked.revoked_on is not None


class TestUnitTiers:
    @pytest.mark.parametrize("tier", ["innovative_sme", "specialized_sme"])
    async def test_the_province_records_them_in_its_name(
        self, service: ServiceTier, tier: str
    ) -> None:
        uscc, _ = await registered(service)
        r = await grant(service, service.principal("province", "420000"), uscc, tier)
        assert (r.authority, r.authority_code) == ("湖北省中小企业主管部门", "420000")

    async def test_its_system_records_them_too(self, service: ServiceTier) -> None:
        uscc, _ = await registered(service)
        r = await grant(
            service, service.principal("province_system", "420000"), uscc, "specialized_sme"
        )
        assert r.authority_code == "420000"

    @pytest.mark.parametrize(("role", "region"), [("ministry", "100000"), ("city", "420100")])
    async def test_neither_the_ministry_nor_a_city_records_them(
        self, service: ServiceTier, role: str, region: str
    ) -> None:
        uscc, _ = await registered(service)
        detail = await refused(service, service.principal(role, region), uscc, "specialized_sme")
        assert "湖北省中小企业主管部门认定" in detail
        assert await count(service) == 0

    async def test_a_plan_listed_city_is_the_unit_not_its_province(
        self, service: ServiceTier
    ) -> None:
        uscc, _ = await registered(service, "330203")  # 宁波市海曙区
        with pytest.raises(ProblemError) as caught:  # 浙江省 does not even see it
            await grant(service, service.principal("province", "330000"), uscc, "specialized_sme")
        assert caught.value.problem.code == "ENTERPRISE_NOT_FOUND"
        r = await grant(service, service.principal("province", "330200"), uscc, "specialized_sme")
        assert (r.authority, r.authority_code) == ("宁波市中小企业主管部门", "330200")

    async def test_revocation_follows_the_unit(self, service: ServiceTier) -> None:
        uscc, _ = await registered(service)
        r = await grant(service, service.principal("province", "420000"), uscc, "innovative_sme")
        with pytest.raises(ProblemError) as caught:
            await recognitions.revoke(
                service.session,
                service.ctx,
                service.principal("ministry"),
                r.id,
                RevokeRequest(reason="复核未通过"),
            )
        assert caught.value.problem.code == "RECOGNITION_AUTHORITY"
        revoked = await recognitions.revoke(
            service.session,
            service.ctx,
            service.principal("province", "420000"),
            r.id,
            RevokeRequest(reason="复核未通过"),
        )
        assert revoked.revoked_on is not None


class TestMinistryList:
    async def test_each_listed_enterprise_gets_its_own_result(self, service: ServiceTier) -> None:
        (listed, name), (renamed, _) = await registered(service), await registered(service)
        missing = make_uscc("420100")
        body = MinistryList.model_validate(
            {
                **LIST,
                "enterprises": [
                    {"uscc": listed, "name": name},
                    {"uscc": renamed, "name": "另一个名称有限公司"},
                    {"uscc": missing},
                ],
            }
        )
        ministry = service.principal("ministry")
        result = await recognitions.import_list(service.session, service.ctx, ministry, body)
        assert (result.granted, result.unchanged, result.failed) == (1, 0, 2)
        codes = {item.uscc: item.code for item in result.items}
        assert codes == {
            listed: None,
            renamed: "RECOGNITION_LIST_NAME",
            missing: "ENTERPRISE_NOT_FOUND",
        }
        [event] = await service.emitted("recognition.")
        assert event.data["uscc"] == listed
        assert event.data["document_number"] == LIST["document_number"]
        assert event.data["batch"] == "第六批"

        again = await recognitions.import_list(service.session, service.ctx, ministry, body)
        assert (again.granted, again.unchanged, again.failed) == (0, 1, 2)
        assert again.items[0].recognition_id == result.items[0].recognition_id
        assert await count(service) == 1

    async def test_only_the_ministry_imports_its_list(self, service: ServiceTier) -> None:
        uscc, _ = await registered(service)
        body = MinistryList.model_validate({**LIST, "enterprises": [{"uscc": uscc}]})
        with pytest.raises(ProblemError) as caught:
            await recognitions.import_list(
                service.session, service.ctx, service.principal("province", "420000"), body
            )
        assert caught.value.problem.code == "RECOGNITION_AUTHORITY"
        assert await count(service) == 0

    async def test_a_list_holds_only_the_ministrys_tiers(self, service: ServiceTier) -> None:
        uscc, _ = await registered(service)
        body = MinistryList.model_validate(
            {**LIST, "tier": "specialized_sme", "enterprises": [{"uscc": uscc}]}
        )
        with pytest.raises(ProblemError) as caught:
            await recognitions.import_list(
                service.session, service.ctx, service.principal("ministry"), body
            )
        assert caught.value.problem.code == "RECOGNITION_LIST_TIER"

    def test_a_list_needs_its_document_number_and_at_most_1000(self) -> None:
        with pytest.raises(ValidationError):
            MinistryList.model_validate({**LIST, "document_number": None, "enterprises": []})
        many = [{"uscc": make_uscc("420100")} for _ in range(1001)]
        with pytest.raises(ValidationError):
            MinistryList.model_validate({**LIST, "enterprises": many})
