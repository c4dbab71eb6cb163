"""师资库: provinces (and the ministry) keep it, every government user reads it whole."""

from __future__ import annotations

from typing import Any

import pytest
from kit.testing import Platform

from tests.factories import make_uscc
from tests.fixtures.training import API, outbox

# Teachers touch no replica: the training service alone answers these tests.
pytestmark = pytest.mark.services("training")

HUBEI = {"role": "province", "region": "420000"}
SICHUAN = {"role": "province", "region": "510000"}
ENTERPRISE_USCC = make_uscc("420100")


def teacher_body(province: str = "42", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "province": province,
        "name": "李华",
        "affiliation_kind": "university",
        "organisation": "华中科技大学管理学院",
        "title": "教授",
        "topics": ["management"],
    }
    body.update(overrides)
    return body


async def register(platform: Platform, as_: dict[str, str] = HUBEI, **overrides: Any) -> Any:
    return await platform["training"].post(
        f"{API}/teachers", json=teacher_body(**overrides), headers=platform.auth(**as_)
    )


async def listed(platform: Platform, as_: dict[str, str] = HUBEI, **params: Any) -> Any:
    r = await platform["training"].get(
        f"{API}/teachers", params=params, headers=platform.auth(**as_)
    )
    assert r.status_code == 200, r.text
    return r.json()


class TestRegister:
    async def test_province_registers_a_teacher_and_reads_it_back(self, platform: Platform) -> None:
        r = await register(platform, topics=["policy", "management", "policy"])
        assert r.status_code == 201, r.text
        created = r.json()
        assert r.headers["location"] == f"{API}/teachers/{created['id']}"
        assert {k: created[k] for k in ("province", "name", "affiliation_kind", "title")} == {
            "province": "42",
            "name": "李华",
            "affiliation_kind": "university",
            "title": "教授",
        }
        assert created["topics"] == ["policy", "management"]  # repeats kept once, in order
        got = await platform["training"].get(r.headers["location"], headers=platform.auth(**HUBEI))
        assert got.status_code == 200
        assert got.json() == created

    async def test_registration_is_announced_once(self, platform: Platform) -> None:
        r = await register(platform)
        assert r.status_code == 201, r.text
        [event] = await outbox(platform, "teacher.registered")
        assert event["subject"] == r.json()["id"]
        assert event["data"]["id"] == r.json()["id"]
        assert event["data"]["province"] == "42"

    async def test_ministry_registers_in_any_province(self, platform: Platform) -> None:
        r = await register(platform, {"role": "ministry"}, province="51")
        assert r.status_code == 201, r.text
        assert r.json()["province"] == "51"


class TestScope:
    async def test_province_may_not_register_in_a_foreign_province(
        self, platform: Platform
    ) -> None:
        r = await register(platform, HUBEI, province="51")
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "REGION_OUT_OF_SCOPE"
        assert (await listed(platform, {"role": "ministry"}))["items"] == []

    @pytest.mark.parametrize(
        "who",
        [
            {"role": "city", "region": "420100"},
            {"role": "enterprise", "region": "420102", "org": ENTERPRISE_USCC},
        ],
        ids=["city", "enterprise"],
    )
    async def test_only_keepers_register(self, platform: Platform, who: dict[str, str]) -> None:
        r = await register(platform, who)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "FORBIDDEN"

    async def test_the_library_is_shared_by_every_government_user(self, platform: Platform) -> None:
        r = await register(platform)
        teacher_id = r.json()["id"]
        for who in (SICHUAN, {"role": "city", "region": "510100"}, {"role": "ministry"}):
            got = await platform["training"].get(
                f"{API}/teachers/{teacher_id}", headers=platform.auth(**who)
            )
            assert got.status_code == 200, (who, got.text)
            assert [t["id"] for t in (await listed(platform, who))["items"]] == [teacher_id]

    async def test_an_enterprise_neither_finds_nor_lists_teachers(self, platform: Platform) -> None:
        teacher_id = (await register(platform)).json()["id"]
        who = {"role": "enterprise", "region": "420102", "org": ENTERPRISE_USCC}
        got = await platform["training"].get(
            f"{API}/teachers/{teacher_id}", headers=platform.auth(**who)
        )
        assert got.status_code == 404
        assert got.json()["code"] == "TEACHER_NOT_FOUND"
        assert (await listed(platform, who))["items"] == []

    async def test_an_unknown_teacher_is_not_found(self, platform: Platform) -> None:
        got = await platform["training"].get(
            f"{API}/teachers/01900000-0000-7000-8000-000000000000", headers=platform.auth(**HUBEI)
        )
        assert got.status_code == 404
        assert got.json()["code"] == "TEACHER_NOT_FOUND"


class TestSearch:
    async def test_filters_by_province_topic_and_affiliation(self, platform: Platform) -> None:
        ministry = {"role": "ministry"}
        hubei = (await register(platform, topics=["policy"])).json()["id"]
        sichuan = (
            await register(
                platform, ministry, province="51", affiliation_kind="enterprise", topics=["policy"]
            )
        ).json()["id"]
        other = (await register(platform, topics=["management"])).json()["id"]

        def ids(page: dict[str, Any]) -> set[str]:
            return {t["id"] for t in page["items"]}

        assert ids(await listed(platform)) == {hubei, sichuan, other}
        assert ids(await listed(platform, province="51")) == {sichuan}
        assert ids(await listed(platform, topic="policy")) == {hubei, sichuan}
        assert ids(await listed(platform, affiliation_kind="enterprise")) == {sichuan}
        assert ids(await listed(platform, province="42", topic="management")) == {other}

    async def test_pages_follow_the_cursor_without_repeats(self, platform: Platform) -> None:
        made = {(await register(platform, name=f"教师{i}")).json()["id"] for i in range(5)}
        seen: list[str] = []
        params: dict[str, Any] = {"limit": 2}
        while True:
            page = await listed(platform, **params)
            assert len(page["items"]) <= 2
            seen += [t["id"] for t in page["items"]]
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
        assert len(seen) == len(set(seen)) == 5
        assert set(seen) == made

    async def test_a_malformed_province_filter_is_refused(self, platform: Platform) -> None:
        r = await platform["training"].get(
            f"{API}/teachers", params={"province": "420000"}, headers=platform.auth(**HUBEI)
        )
        assert r.status_code == 422
        assert r.json()["code"] == "VALIDATION_FAILED"


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "李" * 101}, "name"),
            ({"organisation": ""}, "organisation"),
            ({"affiliation_kind": "freelance"}, "affiliation_kind"),
            ({"topics": []}, "topics"),
            ({"topics": ["cooking"]}, "topics"),
            ({"province": "4"}, "province"),
            ({"title": "职" * 101}, "title"),
            ({"hobby": "钓鱼"}, "hobby"),
        ],
        ids=[
            "empty-name",
            "blank-name",
            "long-name",
            "empty-organisation",
            "unknown-affiliation",
            "no-topics",
            "unknown-topic",
            "bad-province",
            "long-title",
            "unknown-field",
        ],
    )
    async def test_a_bad_field_is_named_and_nothing_is_kept(
        self, platform: Platform, overrides: dict[str, Any], field: str
    ) -> None:
        r = await register(platform, **overrides)
        assert r.status_code == 422, r.text
        problem = r.json()
        assert problem["code"] == "VALIDATION_FAILED"
        assert [e["field"].split(".")[0] for e in problem["errors"]] == [field]
        assert (await listed(platform))["items"] == []
        assert await outbox(platform, "teacher.registered") == []
