"""服务机构 (机构库): qualification conditions quoted from the seeds, contracts, scoping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from kit.testing import Platform

from tests.factories import make_uscc

API = "/api/v1/registry"
INSTITUTIONS = f"{API}/institutions"
QD_ALL = [{"code": f"QD{n}", "evidence": f"材料{n}"} for n in (1, 2, 3, 4, 5, 7)]  # 6 preferred
MD_ALL = [{"code": f"MD{n}"} for n in range(1, 5)]
PSP_ALL = [{"code": f"PSP{n}"} for n in range(1, 6)]


def institution(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "湖北质量诊断服务中心",
        "uscc": make_uscc("420100"),
        "region_code": "420102",
        "types": ["quality_diagnosis"],
        "qualifications": {"quality_diagnosis": QD_ALL},
        "staff_count": 12,
    }
    body.update(overrides)
    return body


async def create(
    platform: Platform, body: dict[str, Any], role: str = "province", region: str = "420000"
) -> httpx.Response:
    return await platform["registry"].post(
        INSTITUTIONS, json=body, headers=platform.auth(role, region)
    )


async def created(platform: Platform, **overrides: Any) -> str:
    r = await create(platform, institution(**overrides), "ministry", "100000")
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def contract(
    platform: Platform,
    institution_id: str,
    role: str = "province",
    region: str = "420000",
    headers: dict[str, str] | None = None,
    **overrides: Any,
) -> httpx.Response:
    body = {
        "province": "42",
        "task": "quality_diagnosis",
        "batch": "第一批",
        "amount": "120.5",
        "signed_on": "2025-03-01",
    }
    body.update(overrides)
    return await platform["registry"].post(
        f"{INSTITUTIONS}/{institution_id}/contracts",
        json=body,
        headers={**platform.auth(role, region), **(headers or {})},
    )


async def outbox(platform: Platform, subject: str) -> list[dict[str, Any]]:
    pool = platform.apps["registry"].state.ctx.db.pool
    rows = await pool.fetch(
        "SELECT payload FROM registry.outbox WHERE subject = $1 ORDER BY id",
        f"zjtx.registry.{subject}",
    )
    return [r["payload"] for r in rows]


async def count(platform: Platform, table: str) -> int:
    pool = platform.apps["registry"].state.ctx.db.pool
    return int(await pool.fetchval(f"SELECT count(*) FROM registry.{table}"))


def codes(conditions: list[dict[str, Any]]) -> list[str]:
    return [c["code"] for c in conditions]


class TestQualificationCatalogue:
    async def test_each_type_lists_the_seed_conditions(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            f"{API}/qualifications", headers=platform.auth("city", "420100")
        )
        catalogue = r.json()
        assert {t: len(cs) for t, cs in catalogue.items()} == {
            "training": 0,
            "quality_diagnosis": 7,
            "management_diagnosis": 4,
            "innovation_service": 4,
            "public_service_platform": 5,
        }
        qd4 = catalogue["quality_diagnosis"][3]
        assert qd4["text"] == "具有一定数量（一般不得低于10名）的制造业相关领域质量管理咨询服务人员"
        assert qd4["source"] == "000 附件2 §二(二) 遴选机构 第4条"
        assert catalogue["public_service_platform"][3]["source"].startswith("004 §二(二)")

    async def test_only_the_preferred_condition_is_optional(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            f"{API}/qualifications", headers=platform.auth("ministry")
        )
        optional = [c["code"] for cs in r.json().values() for c in cs if not c["mandatory"]]
        assert optional == ["QD6"]


class TestRegister:
    async def test_qualified_without_the_preferred_condition(self, platform: Platform) -> None:
        r = await create(platform, institution())
        assert r.status_code == 201, r.text
        assert r.headers["location"] == f"{INSTITUTIONS}/{r.json()['id']}"
        (status,) = r.json()["qualification_status"]
        assert status["qualified"] is True
        assert codes(status["met"]) == ["QD1", "QD2", "QD3", "QD4", "QD5", "QD7"]
        assert status["missing"] == [
            {
                "code": "QD6",
                "text": "熟悉《制造业企业质量能力评估规范》"
                "并具备相关质量诊断服务工作经历的机构优先",
                "mandatory": False,
            }
        ]
        assert r.json()["qualifications"]["quality_diagnosis"][0] == {
            "code": "QD1",
            "evidence": "材料1",
        }

    async def test_missing_mandatory_condition_is_reported(self, platform: Platform) -> None:
        r = await create(platform, institution(qualifications={"quality_diagnosis": QD_ALL[:-1]}))
        (status,) = r.json()["qualification_status"]
        assert status["qualified"] is False
        assert [(c["code"], c["mandatory"]) for c in status["missing"]] == [
            ("QD6", False),
            ("QD7", True),
        ]

    async def test_each_type_has_its_own_status(self, platform: Platform) -> None:
        r = await create(
            platform,
            institution(
                types=["quality_diagnosis", "management_diagnosis", "training"],
                qualifications={"quality_diagnosis": QD_ALL, "management_diagnosis": MD_ALL[:2]},
            ),
        )
        assert {s["type"]: s["qualified"] for s in r.json()["qualification_status"]} == {
            "quality_diagnosis": True,
            "management_diagnosis": False,
            "training": True,  # the seeds set no conditions for training institutions
        }

    async def test_conditions_come_back_in_seed_order(self, platform: Platform) -> None:
        institution_id = await created(
            platform,
            types=["management_diagnosis", "quality_diagnosis"],
            qualifications={
                "quality_diagnosis": [{"code": "QD7"}, {"code": "QD2"}],
                "management_diagnosis": [{"code": "MD3"}, {"code": "MD1"}],
            },
        )
        r = await platform["registry"].get(
            f"{INSTITUTIONS}/{institution_id}", headers=platform.auth("ministry")
        )
        declared = r.json()["qualifications"]
        assert [(t, codes(items)) for t, items in declared.items()] == [
            ("management_diagnosis", ["MD1", "MD3"]),
            ("quality_diagnosis", ["QD2", "QD7"]),
        ]

    async def test_invalid_uscc_is_rejected_and_nothing_stored(self, platform: Platform) -> None:
        uscc = make_uscc("420100")
        wrong = uscc[:17] + ("1" if uscc[17] != "1" else "2")
        r = await create(platform, institution(uscc=wrong))
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "uscc"
        assert r.json()["errors"][0]["code"] == "USCC_INVALID"
        assert await count(platform, "institutions") == 0

    async def test_unknown_or_foreign_condition_code(self, platform: Platform) -> None:
        r = await create(
            platform,
            institution(qualifications={"quality_diagnosis": [{"code": "QD9"}, {"code": "MD1"}]}),
        )
        assert r.status_code == 422
        assert r.json()["code"] == "QUALIFICATION_UNKNOWN"
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("qualifications.quality_diagnosis[0].code", "QUALIFICATION_UNKNOWN"),
            ("qualifications.quality_diagnosis[1].code", "QUALIFICATION_UNKNOWN"),
        ]
        assert r.json()["errors"][0]["message"] == "“质量诊断机构”没有遴选条件 QD9"

    async def test_conditions_of_a_type_not_held(self, platform: Platform) -> None:
        r = await create(
            platform,
            institution(
                qualifications={"quality_diagnosis": QD_ALL, "management_diagnosis": MD_ALL}
            ),
        )
        assert r.status_code == 422
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("qualifications.management_diagnosis", "QUALIFICATION_TYPE_NOT_HELD")
        ]

    async def test_condition_listed_twice(self, platform: Platform) -> None:
        r = await create(
            platform,
            institution(qualifications={"quality_diagnosis": [{"code": "QD1"}, {"code": "QD1"}]}),
        )
        assert r.json()["errors"][0]["code"] == "QUALIFICATION_DUPLICATE"

    async def test_at_least_one_type(self, platform: Platform) -> None:
        r = await create(platform, institution(types=[], qualifications={}))
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "types"

    async def test_unknown_type(self, platform: Platform) -> None:
        r = await create(platform, institution(types=["consulting"], qualifications={}))
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "types.0"

    async def test_platform_needs_a_level(self, platform: Platform) -> None:
        r = await create(
            platform,
            institution(
                types=["public_service_platform"],
                qualifications={"public_service_platform": PSP_ALL},
            ),
        )
        assert r.status_code == 422
        assert r.json()["code"] == "PLATFORM_LEVEL_REQUIRED"
        assert r.json()["errors"][0]["field"] == "platform_level"

    async def test_level_only_for_platforms(self, platform: Platform) -> None:
        r = await create(platform, institution(platform_level="provincial"))
        assert r.status_code == 422
        assert r.json()["code"] == "PLATFORM_LEVEL_NOT_APPLICABLE"

    async def test_platform_with_its_level(self, platform: Platform) -> None:
        r = await create(
            platform,
            institution(
                types=["public_service_platform"],
                qualifications={"public_service_platform": PSP_ALL},
                platform_level="national",
            ),
        )
        assert r.status_code == 201, r.text
        assert r.json()["platform_level"] == "national"
        assert r.json()["qualification_status"][0]["qualified"] is True

    async def test_duplicate_uscc(self, platform: Platform) -> None:
        body = institution()
        assert (await create(platform, body)).status_code == 201
        r = await create(platform, {**body, "name": "另一个名称"})
        assert r.status_code == 409
        assert r.json()["code"] == "INSTITUTION_EXISTS"
        assert await count(platform, "institutions") == 1

    async def test_other_province_cannot_register_here(self, platform: Platform) -> None:
        r = await create(platform, institution(), region="510000")
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"

    async def test_ministry_registers_anywhere(self, platform: Platform) -> None:
        r = await create(
            platform, institution(region_code="510104"), role="ministry", region="100000"
        )
        assert r.status_code == 201
        assert r.json()["province"] == "51"

    async def test_enterprise_cannot_register(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            INSTITUTIONS,
            json=institution(),
            headers=platform.auth("enterprise", "420000", org=make_uscc()),
        )
        assert r.status_code == 403

    async def test_event_names_qualified_types(self, platform: Platform) -> None:
        institution_id = await created(
            platform,
            types=["quality_diagnosis", "management_diagnosis"],
            qualifications={"quality_diagnosis": QD_ALL, "management_diagnosis": MD_ALL[:1]},
        )
        (event,) = await outbox(platform, "institution.registered")
        assert event["subject"] == institution_id
        assert event["aggregateversion"] == 1
        assert event["province"] == "42"
        assert event["data"]["types"] == ["quality_diagnosis", "management_diagnosis"]
        assert event["data"]["qualified_types"] == ["quality_diagnosis"]

    async def test_english_messages(self, platform: Platform) -> None:
        r = await platform["registry"].post(
            INSTITUTIONS,
            json=institution(qualifications={"quality_diagnosis": [{"code": "XX1"}]}),
            headers=platform.auth("province", "420000", **{"Accept-Language": "en"}),
        )
        assert r.json()["detail"] == "Invalid qualification conditions"
        assert r.json()["errors"][0]["message"] == "XX1 is not a condition for quality_diagnosis"


class TestRead:
    async def test_directory_is_national(self, platform: Platform) -> None:
        institution_id = await created(platform)
        for headers in (
            platform.auth("province", "510000"),
            platform.auth("city", "440300"),
            platform.auth("enterprise", "510000", org=make_uscc("510100")),
        ):
            r = await platform["registry"].get(f"{INSTITUTIONS}/{institution_id}", headers=headers)
            assert r.status_code == 200, r.text

    async def test_auditor_sees_no_institutions(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].get(
            f"{INSTITUTIONS}/{institution_id}", headers=platform.auth("auditor")
        )
        assert r.status_code == 404
        assert r.json()["code"] == "INSTITUTION_NOT_FOUND"

    async def test_institution_user_sees_only_itself(self, platform: Platform) -> None:
        mine = await created(platform)
        other = await created(platform)
        headers = platform.auth("institution", "420000", org=mine)
        r = await platform["registry"].get(f"{INSTITUTIONS}/{other}", headers=headers)
        assert r.status_code == 404
        listed = await platform["registry"].get(INSTITUTIONS, headers=headers)
        assert [i["id"] for i in listed.json()["items"]] == [mine]

    async def test_filters(self, platform: Platform) -> None:
        qualified = await created(platform)
        unqualified = await created(platform, qualifications={"quality_diagnosis": QD_ALL[:2]})
        sichuan = await created(
            platform,
            region_code="510104",
            types=["management_diagnosis"],
            qualifications={"management_diagnosis": MD_ALL},
        )
        training = await created(platform, types=["training"], qualifications={})

        async def ids(**params: str) -> list[str]:
            r = await platform["registry"].get(
                INSTITUTIONS, params=params, headers=platform.auth("ministry")
            )
            assert r.status_code == 200, r.text
            return [i["id"] for i in r.json()["items"]]

        assert await ids(qualified_for="quality_diagnosis") == [qualified]
        assert await ids(type="quality_diagnosis") == [qualified, unqualified]
        assert await ids(province="51") == [sichuan]
        assert await ids(qualified_for="management_diagnosis") == [sichuan]
        assert await ids(qualified_for="training") == [training]
        assert await ids(province="42", qualified_for="management_diagnosis") == []

    async def test_keyset_pagination(self, platform: Platform) -> None:
        made = [await created(platform) for _ in range(3)]
        headers = platform.auth("ministry")
        first = (
            await platform["registry"].get(INSTITUTIONS, params={"limit": 2}, headers=headers)
        ).json()
        second = (
            await platform["registry"].get(
                INSTITUTIONS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
            )
        ).json()
        assert [i["id"] for i in first["items"] + second["items"]] == made
        assert second["next_cursor"] is None

    async def test_bad_cursor(self, platform: Platform) -> None:
        r = await platform["registry"].get(
            INSTITUTIONS, params={"cursor": "WyJ4Il0"}, headers=platform.auth("ministry")
        )
        assert r.status_code == 400
        assert r.json()["code"] == "CURSOR_INVALID"


class TestUpdate:
    async def test_meeting_the_last_condition_qualifies(self, platform: Platform) -> None:
        institution_id = await created(platform, qualifications={"quality_diagnosis": QD_ALL[:-1]})
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"qualifications": {"quality_diagnosis": QD_ALL}},
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 200, r.text
        assert r.json()["version"] == 2
        assert r.json()["qualification_status"][0]["qualified"] is True
        (event,) = await outbox(platform, "institution.updated")
        assert event["aggregateversion"] == 2
        assert event["data"]["qualified_types"] == ["quality_diagnosis"]

    async def test_unchanged_patch_emits_nothing(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"name": "湖北质量诊断服务中心", "staff_count": 12},
            headers=platform.auth("province", "420000"),
        )
        assert r.json()["version"] == 1
        assert await outbox(platform, "institution.updated") == []

    async def test_only_sent_fields_change(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"staff_count": 30},
            headers=platform.auth("province", "420000"),
        )
        assert (r.json()["staff_count"], r.json()["name"]) == (30, "湖北质量诊断服务中心")
        assert codes(r.json()["qualifications"]["quality_diagnosis"]) == codes(QD_ALL)

    async def test_dropping_a_type_drops_what_belongs_to_it(self, platform: Platform) -> None:
        institution_id = await created(
            platform,
            types=["quality_diagnosis", "public_service_platform"],
            qualifications={"quality_diagnosis": QD_ALL, "public_service_platform": PSP_ALL},
            platform_level="provincial",
        )
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"types": ["quality_diagnosis"]},
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 200, r.text
        assert r.json()["platform_level"] is None
        assert list(r.json()["qualifications"]) == ["quality_diagnosis"]

    async def test_adding_the_platform_type_needs_a_level(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"types": ["quality_diagnosis", "public_service_platform"]},
            headers=platform.auth("province", "420000"),
        )
        assert r.json()["code"] == "PLATFORM_LEVEL_REQUIRED"
        got = await platform["registry"].get(
            f"{INSTITUTIONS}/{institution_id}", headers=platform.auth("ministry")
        )
        assert got.json()["types"] == ["quality_diagnosis"]

    async def test_null_for_a_required_field(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"name": None},
            headers=platform.auth("province", "420000"),
        )
        assert r.status_code == 422
        assert (r.json()["errors"][0]["field"], r.json()["errors"][0]["code"]) == (
            "name",
            "NULL_NOT_ALLOWED",
        )

    async def test_institution_patches_only_itself(self, platform: Platform) -> None:
        mine = await created(platform)
        other = await created(platform)
        headers = platform.auth("institution", "420000", org=mine)
        own = await platform["registry"].patch(
            f"{INSTITUTIONS}/{mine}", json={"staff_count": 15}, headers=headers
        )
        assert own.status_code == 200
        foreign = await platform["registry"].patch(
            f"{INSTITUTIONS}/{other}", json={"staff_count": 15}, headers=headers
        )
        assert foreign.status_code == 404

    async def test_other_province_reads_but_cannot_change(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"staff_count": 99},
            headers=platform.auth("province", "510000"),
        )
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"

    async def test_enterprise_cannot_change(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"staff_count": 99},
            headers=platform.auth("enterprise", "420000", org=make_uscc()),
        )
        assert r.status_code == 403


class TestContracts:
    async def test_contract_signed(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(platform, institution_id)
        assert r.status_code == 201, r.text
        body = r.json()
        assert (body["amount"], body["institution_name"], body["task"]) == (
            "120.50",
            "湖北质量诊断服务中心",
            "quality_diagnosis",
        )
        (event,) = await outbox(platform, "contract.signed")
        assert event["province"] == "42"
        assert event["data"] == {
            "id": body["id"],
            "institution_id": institution_id,
            "institution_name": "湖北质量诊断服务中心",
            "province": "42",
            "task": "quality_diagnosis",
            "batch": "第一批",
            "amount": "120.50",
            "signed_on": "2025-03-01",
        }

    async def test_type_must_match_the_task(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(platform, institution_id, task="innovation")
        assert r.status_code == 422
        assert r.json()["code"] == "INSTITUTION_NOT_QUALIFIED"
        assert r.json()["errors"][0]["code"] == "INSTITUTION_TYPE_MISSING"
        assert await count(platform, "institution_contracts") == 0

    async def test_unqualified_institution_cannot_contract(self, platform: Platform) -> None:
        institution_id = await created(platform, qualifications={"quality_diagnosis": QD_ALL[:3]})
        r = await contract(platform, institution_id)
        assert r.status_code == 422
        assert r.json()["code"] == "INSTITUTION_NOT_QUALIFIED"
        assert [e["message"] for e in r.json()["errors"]] == [
            f"未满足遴选条件 QD{n}（000 附件2 §二(二) 遴选机构 第{n}条）" for n in (4, 5, 7)
        ]
        assert await outbox(platform, "contract.signed") == []

    async def test_training_institutions_need_no_conditions(self, platform: Platform) -> None:
        institution_id = await created(platform, types=["training"], qualifications={})
        r = await contract(platform, institution_id, task="training")
        assert r.status_code == 201, r.text

    async def test_duplicate_contract(self, platform: Platform) -> None:
        institution_id = await created(platform)
        assert (await contract(platform, institution_id)).status_code == 201
        r = await contract(platform, institution_id, amount="99")
        assert r.status_code == 409
        assert r.json()["code"] == "CONTRACT_DUPLICATE"
        assert (await contract(platform, institution_id, batch="第二批")).status_code == 201

    async def test_province_contracts_only_for_itself(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(platform, institution_id, province="51")
        assert r.status_code == 403
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"

    async def test_other_province_engages_a_hubei_institution(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(platform, institution_id, region="510000", province="51")
        assert r.status_code == 201, r.text

    async def test_ministry_contracts_for_any_province(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(
            platform, institution_id, role="ministry", region="100000", province="51"
        )
        assert r.status_code == 201

    async def test_city_cannot_contract(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(platform, institution_id, role="city", region="420100")
        assert r.status_code == 403

    async def test_institution_cannot_contract_itself(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await platform["registry"].post(
            f"{INSTITUTIONS}/{institution_id}/contracts",
            json={
                "province": "42",
                "task": "quality_diagnosis",
                "batch": "第一批",
                "amount": "1",
                "signed_on": "2025-03-01",
            },
            headers=platform.auth("institution", "420000", org=institution_id),
        )
        assert r.status_code == 403
        assert r.json()["code"] == "FORBIDDEN"

    async def test_unknown_institution(self, platform: Platform) -> None:
        r = await contract(platform, "0190a1b2-0000-7000-8000-000000000000")
        assert r.status_code == 404

    async def test_invalid_province_and_amount(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(platform, institution_id, province="99", amount="-1")
        assert r.status_code == 422
        assert {(e["field"], e["code"]) for e in r.json()["errors"]} == {
            ("province", "PROVINCE_INVALID"),
            ("amount", "GREATER_THAN_EQUAL"),
        }

    async def test_listing_is_scoped_by_province(self, platform: Platform) -> None:
        institution_id = await created(platform)
        await contract(platform, institution_id)
        await contract(platform, institution_id, region="510000", province="51")

        async def provinces(path: str, headers: dict[str, str], **params: str) -> list[str]:
            r = await platform["registry"].get(f"{API}{path}", params=params, headers=headers)
            assert r.status_code == 200, r.text
            return [c["province"] for c in r.json()["items"]]

        hubei = platform.auth("province", "420000")
        assert await provinces("/contracts", hubei) == ["42"]
        assert await provinces("/contracts", hubei, province="51") == []
        assert await provinces(f"/institutions/{institution_id}/contracts", hubei) == ["42"]
        assert await provinces("/contracts", platform.auth("ministry")) == ["42", "51"]
        assert await provinces("/contracts", platform.auth("ministry"), task="training") == []
        assert await provinces("/contracts", platform.auth("ministry"), batch="第一批") == [
            "42",
            "51",
        ]
        own = platform.auth("institution", "420000", org=institution_id)
        assert await provinces("/contracts", own) == ["42", "51"]
        enterprise = platform.auth("enterprise", "420000", org=make_uscc())
        assert await provinces("/contracts", enterprise) == []

    async def test_english_messages(self, platform: Platform) -> None:
        institution_id = await created(platform)
        r = await contract(
            platform, institution_id, task="training", headers={"Accept-Language": "en"}
        )
        assert r.json()["detail"] == (
            "The institution lacks the type or qualifications for task training"
        )
        assert r.json()["errors"][0]["message"] == "The institution is not of type training"


async def review(
    platform: Platform,
    institution_id: str,
    action: str,
    type_: str = "quality_diagnosis",
    role: str = "province",
    region: str = "420000",
    org: str | None = None,
    reason: str | None = None,
) -> httpx.Response:
    return await platform["registry"].post(
        f"{INSTITUTIONS}/{institution_id}/qualifications/{type_}:{action}",
        json={"reason": reason} if reason else None,
        headers=platform.auth(role, region, org=org),
    )


async def self_declared(platform: Platform) -> str:
    """A management-diagnosis institution that declared itself a quality-diagnosis one,
    meeting every condition (自述)."""
    institution_id = await created(
        platform,
        types=["management_diagnosis"],
        qualifications={"management_diagnosis": MD_ALL},
    )
    r = await platform["registry"].patch(
        f"{INSTITUTIONS}/{institution_id}",
        json={
            "types": ["management_diagnosis", "quality_diagnosis"],
            "qualifications": {"management_diagnosis": MD_ALL, "quality_diagnosis": QD_ALL},
        },
        headers=platform.auth("institution", "420000", org=institution_id),
    )
    assert r.status_code == 200, r.text
    return institution_id


def status_of(body: dict[str, Any], type_: str = "quality_diagnosis") -> dict[str, Any]:
    return next(s for s in body["qualification_status"] if s["type"] == type_)


class TestReview:
    async def test_self_declared_conditions_do_not_qualify(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        r = await platform["registry"].get(
            f"{INSTITUTIONS}/{institution_id}", headers=platform.auth("ministry")
        )
        status = status_of(r.json())
        assert (status["qualified"], status["review"], status["reviewed_by"]) == (
            False,
            "declared",
            None,
        )
        assert codes(status["met"]) == ["QD1", "QD2", "QD3", "QD4", "QD5", "QD7"]
        assert status_of(r.json(), "management_diagnosis")["qualified"] is True  # kept
        (event,) = await outbox(platform, "institution.updated")
        assert event["data"]["qualified_types"] == ["management_diagnosis"]
        assert event["data"]["reviews"] == {
            "management_diagnosis": "verified",
            "quality_diagnosis": "declared",
        }
        listed = await platform["registry"].get(
            INSTITUTIONS,
            params={"qualified_for": "quality_diagnosis"},
            headers=platform.auth("ministry"),
        )
        assert listed.json()["items"] == []
        r = await contract(platform, institution_id)
        assert r.status_code == 422
        assert r.json()["code"] == "INSTITUTION_NOT_QUALIFIED"
        assert [e["code"] for e in r.json()["errors"]] == ["QUALIFICATION_NOT_VERIFIED"]
        assert await count(platform, "institution_contracts") == 0

    async def test_verified_by_the_province_qualifies_with_who_and_when(
        self, platform: Platform
    ) -> None:
        institution_id = await self_declared(platform)
        before = datetime.now(UTC)
        r = await review(platform, institution_id, "verify")
        assert r.status_code == 200, r.text
        status = status_of(r.json())
        assert (status["qualified"], status["review"]) == (True, "verified")
        assert status["reviewed_by"] == "province:420000"
        assert before <= datetime.fromisoformat(status["reviewed_at"]) <= datetime.now(UTC)
        assert r.json()["version"] == 3
        (event,) = await outbox(platform, "institution.qualification_verified")
        assert event["aggregateversion"] == 3
        assert event["data"]["type"] == "quality_diagnosis"
        assert event["data"]["qualified_types"] == ["management_diagnosis", "quality_diagnosis"]
        assert (await contract(platform, institution_id)).status_code == 201
        listed = await platform["registry"].get(
            INSTITUTIONS,
            params={"qualified_for": "quality_diagnosis"},
            headers=platform.auth("ministry"),
        )
        assert [i["id"] for i in listed.json()["items"]] == [institution_id]

    async def test_the_ministry_verifies_anywhere(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        r = await review(platform, institution_id, "verify", role="ministry", region="100000")
        assert status_of(r.json())["reviewed_by"] == "ministry:100000"

    async def test_rejected_with_a_reason(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        r = await review(platform, institution_id, "reject")
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "reason"
        r = await review(platform, institution_id, "reject", reason="质量管理体系认证证书已过期")
        assert r.status_code == 200, r.text
        status = status_of(r.json())
        assert (status["qualified"], status["review"], status["reason"]) == (
            False,
            "rejected",
            "质量管理体系认证证书已过期",
        )
        (event,) = await outbox(platform, "institution.qualification_rejected")
        assert event["data"]["qualified_types"] == ["management_diagnosis"]
        r = await contract(platform, institution_id)
        assert [e["message"] for e in r.json()["errors"]] == [
            "“质量诊断机构”资质审核未通过：质量管理体系认证证书已过期"
        ]

    async def test_a_foreign_province_finds_nothing_to_review(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        r = await review(platform, institution_id, "verify", region="510000")
        assert r.status_code == 404
        assert r.json()["code"] == "INSTITUTION_NOT_FOUND"
        r = await review(platform, "0190a1b2-0000-7000-8000-000000000000", "verify")
        assert r.status_code == 404
        assert await outbox(platform, "institution.qualification_verified") == []

    async def test_the_institution_cannot_verify_itself(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        for role, region, org in (
            ("institution", "420000", institution_id),
            ("city", "420100", None),
            ("enterprise", "420000", make_uscc()),
        ):
            r = await review(platform, institution_id, "verify", role=role, region=region, org=org)
            assert r.status_code == 403, role
            assert r.json()["code"] == "FORBIDDEN"
        r = await platform["registry"].get(
            f"{INSTITUTIONS}/{institution_id}", headers=platform.auth("ministry")
        )
        assert status_of(r.json())["qualified"] is False

    async def test_a_type_not_held(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        r = await review(platform, institution_id, "verify", type_="innovation_service")
        assert r.status_code == 422
        assert r.json()["code"] == "QUALIFICATION_TYPE_NOT_HELD"

    async def test_a_changed_declaration_is_reviewed_again(self, platform: Platform) -> None:
        institution_id = await self_declared(platform)
        await review(platform, institution_id, "verify")
        changed = [{**c, "evidence": "新材料"} for c in QD_ALL]
        r = await platform["registry"].patch(
            f"{INSTITUTIONS}/{institution_id}",
            json={"qualifications": {"management_diagnosis": MD_ALL, "quality_diagnosis": changed}},
            headers=platform.auth("institution", "420000", org=institution_id),
        )
        assert (status_of(r.json())["review"], status_of(r.json())["qualified"]) == (
            "declared",
            False,
        )
        assert status_of(r.json(), "management_diagnosis")["review"] == "verified"

    async def test_conditions_the_unit_enters_are_verified_by_it(self, platform: Platform) -> None:
        r = await create(platform, institution())
        status = status_of(r.json())
        assert (status["review"], status["reviewed_by"]) == ("verified", "province:420000")
        r = await create(platform, institution(), role="city", region="420100")
        assert r.status_code == 201, r.text
        assert (status_of(r.json())["review"], status_of(r.json())["qualified"]) == (
            "declared",
            False,
        )
