"""The principal vocabulary every service's scope is written in (kit.scope)."""

from __future__ import annotations

import uuid

import pytest
from kit.auth import Principal, Role
from kit.codes import unit_region
from kit.scope import KEEPERS, acts_for, covers, institution_id, keeps, unit

from tests.factories import make_uscc

USCC = make_uscc("420100")
OTHER_USCC = make_uscc("420100")
INSTITUTION_ID = uuid.UUID("0192f0a4-6c1e-7d3a-9b2f-4e5d6c7b8a90")

MINISTRY = Principal("ministry", Role.MINISTRY, "100000")
PROVINCE = Principal("hubei", Role.PROVINCE, "420000")
PROVINCE_SYSTEM = Principal("hubei-system", Role.PROVINCE_SYSTEM, "420000")
CITY = Principal("wuhan", Role.CITY, "420100")
PLAN_CITY = Principal("ningbo", Role.PROVINCE, "330200")  # 计划单列市: a unit of its own
BINGTUAN = Principal("bingtuan", Role.PROVINCE, "660000")
# No government role acts at county level: a county code is where an enterprise is.
ENTERPRISE = Principal("enterprise", Role.ENTERPRISE, "420102", org=USCC)
INSTITUTION = Principal("institution", Role.INSTITUTION, "420100", org=str(INSTITUTION_ID))
# National region without a keeper's role: covers every province, keeps none.
AUDITOR = Principal("auditor", Role.AUDITOR, "100000")


NINGBO_DISTRICT = Principal("ningbo-firm", Role.ENTERPRISE, "330212", org=USCC)


class TestUnitRegion:
    @pytest.mark.parametrize(
        ("unit", "region"),
        [
            pytest.param("42", "420000", id="hubei"),
            pytest.param("33", "330000", id="zhejiang"),
            pytest.param("3302", "330200", id="ningbo"),
            pytest.param("66", "660000", id="bingtuan"),
        ],
    )
    def test_is_the_units_own_code(self, unit: str, region: str) -> None:
        assert unit_region(unit) == region


class TestUnit:
    @pytest.mark.parametrize(
        ("principal", "province"),
        [
            pytest.param(MINISTRY, "", id="ministry-whole-country"),
            pytest.param(PROVINCE, "42", id="province"),
            pytest.param(PROVINCE_SYSTEM, "42", id="province-system"),
            pytest.param(CITY, "42", id="city-confined-to-its-province"),
            pytest.param(PLAN_CITY, "3302", id="plan-city-a-unit-of-its-own"),
            pytest.param(NINGBO_DISTRICT, "3302", id="plan-city-district"),
            pytest.param(BINGTUAN, "66", id="bingtuan"),
            pytest.param(ENTERPRISE, "42", id="county-enterprise"),
            pytest.param(INSTITUTION, "42", id="institution"),
        ],
    )
    def test_is_the_province_the_principal_is_confined_to(
        self, principal: Principal, province: str
    ) -> None:
        assert unit(principal) == province


class TestCovers:
    @pytest.mark.parametrize(
        ("principal", "province"),
        [
            pytest.param(MINISTRY, "42", id="ministry-hubei"),
            pytest.param(MINISTRY, "33", id="ministry-zhejiang"),
            pytest.param(PROVINCE, "42", id="province-its-own"),
            pytest.param(PROVINCE_SYSTEM, "42", id="province-system-its-own"),
            pytest.param(BINGTUAN, "66", id="bingtuan-its-own"),
            pytest.param(PLAN_CITY, "3302", id="plan-city-its-own"),
        ],
    )
    def test_the_ministry_and_the_provinces_own_users_cover_it(
        self, principal: Principal, province: str
    ) -> None:
        assert covers(principal, province)

    @pytest.mark.parametrize(
        ("principal", "province"),
        [
            pytest.param(PROVINCE, "43", id="province-another-province"),
            pytest.param(PROVINCE_SYSTEM, "43", id="province-system-another-province"),
            pytest.param(CITY, "42", id="city-its-own-province"),
            pytest.param(PLAN_CITY, "33", id="plan-city-its-own-province"),
            pytest.param(PLAN_CITY, "21", id="plan-city-another-province"),
            pytest.param(
                Principal("zhejiang", Role.PROVINCE, "330000"), "3302", id="province-its-plan-city"
            ),
            pytest.param(ENTERPRISE, "42", id="county-enterprise-its-province"),
            pytest.param(INSTITUTION, "42", id="city-institution-its-province"),
        ],
    )
    def test_cities_counties_and_other_provinces_do_not(
        self, principal: Principal, province: str
    ) -> None:
        assert not covers(principal, province)


class TestKeeps:
    def test_keepers_are_the_ministry_and_the_provinces(self) -> None:
        assert set(KEEPERS) == {Role.MINISTRY, Role.PROVINCE, Role.PROVINCE_SYSTEM}

    @pytest.mark.parametrize(
        ("principal", "province"),
        [
            pytest.param(MINISTRY, "42", id="ministry"),
            pytest.param(PROVINCE, "42", id="province-its-own"),
            pytest.param(PROVINCE_SYSTEM, "42", id="province-system-its-own"),
            pytest.param(BINGTUAN, "66", id="bingtuan-its-own"),
            pytest.param(PLAN_CITY, "3302", id="plan-city-its-own"),
        ],
    )
    def test_a_keeper_covering_the_province_keeps_it(
        self, principal: Principal, province: str
    ) -> None:
        assert keeps(principal, province)

    @pytest.mark.parametrize(
        ("principal", "province"),
        [
            pytest.param(PROVINCE, "43", id="province-another-province"),
            pytest.param(CITY, "42", id="city-reads-but-does-not-keep"),
            pytest.param(PLAN_CITY, "33", id="plan-city-its-own-province"),
            pytest.param(AUDITOR, "42", id="national-auditor-covers-but-is-no-keeper"),
            pytest.param(ENTERPRISE, "42", id="enterprise"),
        ],
    )
    def test_others_do_not(self, principal: Principal, province: str) -> None:
        assert not keeps(principal, province)


class TestRegions:
    ZHEJIANG = Principal("zhejiang", Role.PROVINCE, "330000")

    @pytest.mark.parametrize(
        ("principal", "region", "seen"),
        [
            pytest.param(ZHEJIANG, "330102", True, id="province-its-county"),
            pytest.param(ZHEJIANG, "330212", False, id="province-not-its-plan-citys"),
            pytest.param(PLAN_CITY, "330212", True, id="plan-city-its-district"),
            pytest.param(PLAN_CITY, "330102", False, id="plan-city-not-its-provinces"),
            pytest.param(CITY, "420102", True, id="city-its-district"),
            pytest.param(MINISTRY, "330212", True, id="ministry-everything"),
        ],
    )
    def test_a_province_sees_its_unit_without_its_plan_cities(
        self, principal: Principal, region: str, seen: bool
    ) -> None:
        # in_region, its SQL twin, is checked against PostgreSQL by the registry's list tests
        assert principal.sees_region(region) is seen


class TestActsFor:
    def test_an_enterprise_acts_for_its_own_uscc(self) -> None:
        assert acts_for(ENTERPRISE, USCC)

    @pytest.mark.parametrize(
        ("principal", "uscc"),
        [
            pytest.param(ENTERPRISE, OTHER_USCC, id="enterprise-another-enterprise"),
            pytest.param(
                Principal("enterprise", Role.ENTERPRISE, "420102"), "", id="enterprise-without-org"
            ),
            pytest.param(
                Principal("institution", Role.INSTITUTION, "420100", org=USCC),
                USCC,
                id="not-an-enterprise-with-that-org",
            ),
            pytest.param(MINISTRY, USCC, id="ministry"),
            pytest.param(PROVINCE, USCC, id="province"),
        ],
    )
    def test_nobody_else_does(self, principal: Principal, uscc: str) -> None:
        assert not acts_for(principal, uscc)


class TestInstitutionId:
    def test_is_an_institutions_org(self) -> None:
        assert institution_id(INSTITUTION) == INSTITUTION_ID

    @pytest.mark.parametrize(
        "principal",
        [
            pytest.param(
                Principal("institution", Role.INSTITUTION, "420100", org="not-a-uuid"),
                id="institution-org-malformed",
            ),
            pytest.param(
                Principal("institution", Role.INSTITUTION, "420100"), id="institution-org-none"
            ),
            pytest.param(
                Principal("enterprise", Role.ENTERPRISE, "420100", org=str(INSTITUTION_ID)),
                id="not-an-institution-with-a-uuid-org",
            ),
            pytest.param(MINISTRY, id="ministry"),
        ],
    )
    def test_is_none_for_anyone_else(self, principal: Principal) -> None:
        assert institution_id(principal) is None
