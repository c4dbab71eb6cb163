"""企业技术创新需求 (000 附件4; 001 附件1-3): the unit's setting (runs the task or not, the tiers
admitted), the form's fields, who files, the 需求库's pooling and decline, withdrawal, each
step recorded and published, the contact's phone protected, scoping."""

from __future__ import annotations

import pytest
from kit.testing import Platform

from tests.fixtures.innovation import (
    API,
    PHONE,
    act,
    code,
    demand,
    file,
    holder,
    outbox,
    put_setting,
    submitted,
)

pytestmark = pytest.mark.services("registry", "innovation")


class TestSetting:
    async def test_a_unit_that_said_nothing_runs_it_for_the_default_tiers(
        self, platform: Platform
    ) -> None:
        r = await platform["innovation"].get(
            f"{API}/settings/42",
            headers=platform.auth(
                "institution", "110000", org="0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802"
            ),
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["runs"], body["stated"]) == (True, False)
        assert body["eligible_tiers"] == ["specialized_sme", "little_giant", "key_little_giant"]

    async def test_a_unit_that_does_not_run_it_says_so_and_takes_no_demands(
        self, platform: Platform
    ) -> None:
        uscc = await holder(platform)
        r = await put_setting(platform, runs=False)
        assert r.status_code == 200, r.text
        assert (r.json()["runs"], r.json()["stated"], r.json()["version"]) == (False, True, 1)
        [event] = await outbox(platform, "setting.updated")
        assert event["data"] == {
            "unit": "42",
            "runs": False,
            "eligible_tiers": ["specialized_sme", "little_giant", "key_little_giant"],
            "version": 1,
        }
        r = await file(platform, demand(uscc))
        assert (r.status_code, code(r)) == (409, "TASK_NOT_RUN")
        assert "未开展技术创新服务" in r.json()["detail"]
        assert (await put_setting(platform, runs=True)).json()["version"] == 2
        assert (await file(platform, demand(uscc))).status_code == 201

    async def test_only_the_units_keepers_set_it(self, platform: Platform) -> None:
        r = await platform["innovation"].put(
            f"{API}/settings/42", json={"runs": False}, headers=platform.auth("city", "420100")
        )
        assert r.status_code == 403
        assert (await put_setting(platform, "43", runs=False)).status_code == 200
        r = await platform["innovation"].put(
            f"{API}/settings/42", json={"runs": False}, headers=platform.auth("province", "430000")
        )
        assert r.status_code == 403
        r = await put_setting(platform, runs=True, eligible_tiers=["innovative_sme"])
        assert (r.status_code, code(r)) == (422, "TIER_NOT_ADMISSIBLE")

    async def test_a_unit_admitting_only_little_giants(self, platform: Platform) -> None:
        """001: "在“小巨人”企业中征集" (001:18)."""
        specialised = await holder(platform, "specialized_sme")
        key = await holder(platform, "key_little_giant")
        assert (await file(platform, demand(specialised))).status_code == 201
        r = await put_setting(platform, runs=True, eligible_tiers=["little_giant"])
        assert r.status_code == 200, r.text
        r = await file(platform, demand(specialised))
        assert (r.status_code, code(r)) == (422, "ENTERPRISE_NOT_ELIGIBLE")
        assert "专精特新“小巨人”企业" in r.json()["detail"]
        r = await file(platform, demand(key))  # a 重点小巨人 holds 小巨人 too
        assert r.status_code == 201, r.text
        assert r.json()["enterprise_tier"] == "key_little_giant"


class TestSubmission:
    async def test_the_form_is_kept_whole(self, platform: Platform) -> None:
        uscc = await holder(platform)
        body = demand(uscc)
        r = await file(platform, body)
        assert r.status_code == 201, r.text
        shown = r.json()
        for field in (
            "title",
            "problem",
            "basis",
            "time_requirement",
            "due_on",
            "quantitative_targets",
            "necessity",
            "onsite_needed",
            "publishable",
        ):
            assert shown[field] == body[field], field
        assert shown["categories"] == ["rd", "pilot"]
        assert float(shown["budget_wan_yuan"]) == 120
        assert shown["past_cooperation"][0]["partner"] == "华中科技大学"
        assert (shown["state"], shown["unit"], shown["enterprise_tier"]) == (
            "submitted",
            "42",
            "little_giant",
        )
        assert shown["contact"] == {
            "name": "李明",
            "title": "技术总监",
            "phone": "139****5678",
            "masked": True,
        }
        [event] = await outbox(platform, "demand.submitted")
        assert event["data"]["id"] == shown["id"] and event["province"] == "42"
        assert PHONE not in str(event) and "李明" not in str(event)

    async def test_only_enterprises_holding_an_admitted_tier(self, platform: Platform) -> None:
        innovative = await holder(platform, "innovative_sme")
        none = await holder(platform, None)
        lapsed = await holder(platform, valid_from="2020-01-01")  # ended 2022-12-31
        for uscc in (innovative, none, lapsed):
            r = await file(platform, demand(uscc))
            assert (r.status_code, code(r)) == (422, "ENTERPRISE_NOT_ELIGIBLE"), uscc

    @pytest.mark.parametrize(
        ("overrides", "error"),
        [
            pytest.param({"categories": []}, "TOO_SHORT", id="no-category"),
            pytest.param({"categories": ["consulting"]}, "ENUM", id="unknown-category"),
            pytest.param({"budget_wan_yuan": "-1"}, "GREATER_THAN_EQUAL", id="negative-budget"),
            pytest.param({"time_requirement": ""}, "STRING_TOO_SHORT", id="no-time-requirement"),
            pytest.param({"publishable": None}, "NULL_NOT_ALLOWED", id="publishable-unsaid"),
        ],
    )
    async def test_the_form_is_checked(
        self, platform: Platform, overrides: dict[str, object], error: str
    ) -> None:
        uscc = await holder(platform)
        r = await file(platform, demand(uscc, **overrides))
        assert (r.status_code, code(r)) == (422, error)

    async def test_who_files(self, platform: Platform) -> None:
        uscc = await holder(platform)
        r = await file(platform, demand(uscc), "province", region="420000")  # its unit
        assert r.status_code == 201, r.text
        r = await file(platform, demand(uscc), "city", region="420100")  # reads, does not file
        assert r.status_code == 403
        r = await file(platform, demand(uscc), "province", region="430000")
        assert (r.status_code, code(r)) == (422, "ENTERPRISE_UNKNOWN")  # not Hunan's to see
        other = await holder(platform)
        r = await file(platform, demand(other), "enterprise", org=uscc)  # not its own
        assert (r.status_code, code(r)) == (422, "ENTERPRISE_UNKNOWN")


class TestPool:
    async def test_pooled_declined_withdrawn_each_step_published(self, platform: Platform) -> None:
        uscc = await holder(platform)
        pooled, declined, withdrawn = [await submitted(platform, uscc) for _ in range(3)]
        r = await act(platform, pooled, "pool", role="city", region="420100")
        assert r.status_code == 403
        r = await act(platform, pooled, "pool", region="430000")
        assert r.status_code == 404
        r = await act(platform, pooled, "pool")
        assert (r.status_code, r.json()["state"], r.json()["version"]) == (200, "pooled", 2)
        r = await act(platform, pooled, "decline", {"reason": "重复"})
        assert (r.status_code, code(r)) == (409, "DEMAND_STATE")
        assert "已入需求库" in r.json()["detail"]
        r = await act(platform, declined, "decline", {"reason": "不属于技术创新服务范围"})
        assert (r.json()["state"], r.json()["decline_reason"]) == (
            "declined",
            "不属于技术创新服务范围",
        )
        assert (await act(platform, declined, "decline", {})).status_code == 422
        r = await act(platform, declined, "withdraw", role="enterprise", org=uscc)
        assert (r.status_code, code(r)) == (409, "DEMAND_STATE")
        r = await act(platform, withdrawn, "withdraw", role="city", region="420100")
        assert r.status_code == 403  # a city reads its enterprises' demands, does not withdraw
        r = await act(platform, withdrawn, "withdraw", role="enterprise", org=uscc)
        assert r.json()["state"] == "withdrawn"
        r = await act(platform, pooled, "withdraw", role="enterprise", org=uscc)
        assert r.json()["state"] == "withdrawn"  # pooled, not yet selected
        for name, ids in (
            ("demand.pooled", [pooled]),
            ("demand.declined", [declined]),
            ("demand.withdrawn", [withdrawn, pooled]),
        ):
            assert [e["data"]["id"] for e in await outbox(platform, name)] == ids
        r = await platform["innovation"].get(
            f"{API}/demands/{declined}/history", headers=platform.auth("province", "420000")
        )
        steps = [(s["from_state"], s["to_state"], s["details"]) for s in r.json()]
        assert steps == [
            (None, "submitted", {}),
            ("submitted", "declined", {"reason": "不属于技术创新服务范围"}),
        ]

    async def test_the_unit_cannot_pool_for_another_unit(self, platform: Platform) -> None:
        uscc = await holder(platform, region="430102")
        d = await submitted(platform, uscc)  # filed as the enterprise (region 420102 token)
        r = await act(platform, d, "pool")
        assert r.status_code == 404


class TestReads:
    async def test_scoped_to_the_enterprise_and_the_units(self, platform: Platform) -> None:
        mine, theirs = await holder(platform), await holder(platform, region="430102")
        d = await submitted(platform, mine)
        assert (await file(platform, demand(theirs), region="430102")).status_code == 201
        auth = platform.auth("enterprise", "420102", org=theirs)
        r = await platform["innovation"].get(f"{API}/demands/{d}", headers=auth)
        assert r.status_code == 404
        for who, expected in (
            (("province", "420000"), 1),
            (("province", "430000"), 1),
            (("city", "420100"), 1),
            (("city", "420200"), 0),
            (("ministry",), 2),
            (("institution", "420100", "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802"), 0),
        ):
            r = await platform["innovation"].get(f"{API}/demands", headers=platform.auth(*who))
            assert len(r.json()["items"]) == expected, who

    async def test_the_phone_shown_with_pii_read_and_audited(self, platform: Platform) -> None:
        uscc = await holder(platform)
        d = await submitted(platform, uscc)
        r = await platform["innovation"].get(
            f"{API}/demands/{d}", headers=platform.auth("province", "420000", scopes=("pii:read",))
        )
        assert r.json()["contact"] == {
            "name": "李明",
            "title": "技术总监",
            "phone": PHONE,
            "masked": False,
        }
        pool = platform.apps["innovation"].state.ctx.db.pool
        resources = await pool.fetch("SELECT resource FROM innovation.audit_log")
        assert f"demand/{d}" in [row["resource"] for row in resources]
        stored = await pool.fetchval(
            "SELECT contact_phone_enc FROM innovation.demands WHERE id = $1::uuid", d
        )
        assert PHONE.encode() not in stored

    async def test_filters(self, platform: Platform) -> None:
        uscc = await holder(platform)
        testing = await submitted(platform, uscc, categories=["testing"])
        await submitted(platform, uscc)
        await act(platform, testing, "pool")
        auth = platform.auth("province", "420000")
        r = await platform["innovation"].get(f"{API}/demands?category=testing", headers=auth)
        assert [d["id"] for d in r.json()["items"]] == [testing]
        r = await platform["innovation"].get(f"{API}/demands?state=pooled", headers=auth)
        assert [d["id"] for d in r.json()["items"]] == [testing]
