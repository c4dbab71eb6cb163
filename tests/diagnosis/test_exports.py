"""001 附件2 信息汇总表 of a unit's engagements: the seed's headings, the contact's phone masked
unless ``pii:read`` (then audited), 备注 from the recognitions, nothing of another unit, no
formula from user data."""

from __future__ import annotations

import pytest
from kit.testing import Platform

from tests.fixtures.diagnosis import API, MOBILE, file, giant, need
from tests.sheets import FORMULAS, formulas, neutralised, rows_of

pytestmark = pytest.mark.services("registry", "diagnosis")


async def test_the_engagement_list_in_001_annex2s_layout(platform: Platform) -> None:
    uscc = await giant(platform, batch="第五批")
    hostile = need(uscc)
    hostile["contact"] = {**hostile["contact"], "name": FORMULAS["hyperlink"]}
    assert (await file(platform, hostile)).status_code == 201
    elsewhere = await giant(platform, region="430102")
    assert (await file(platform, need(elsewhere), region="430102")).status_code == 201

    async def export(*scopes: str) -> bytes:
        r = await platform["diagnosis"].get(
            f"{API}/engagements/export.xlsx",
            params={"kind": "quality"},
            headers=platform.auth("province", "420000", scopes=scopes),
        )
        assert r.status_code == 200, r.text
        return r.content

    masked = await export()
    rows = rows_of(masked)
    heading = rows.index(["序号", "企业名称", "行业", "联系人", "职务", "手机", "备注"])
    [row] = rows[heading + 1 :][:1]
    assert row[0] == 1 and row[2] == "39 计算机、通信和其他电子设备制造业"
    assert row[3] == neutralised(FORMULAS["hyperlink"]) and formulas(masked) == []
    assert row[5] != MOBILE and row[5].startswith(MOBILE[:3])
    assert row[6] == "专精特新“小巨人”企业（第五批）"
    assert len([r for r in rows[heading + 1 :] if isinstance(r[0], int)]) == 1  # Hubei's only

    unmasked = rows_of(await export("pii:read"))
    assert MOBILE in unmasked[heading + 1]
    pool = platform.apps["diagnosis"].state.ctx.db.pool
    audited = await pool.fetchval(
        "SELECT count(*) FROM diagnosis.audit_log WHERE action = 'pii.read'"
    )
    assert audited == 1
