"""kit.xlsx: forms write user text as text, never as a formula."""

from __future__ import annotations

from kit import xlsx

from tests.sheets import FORMULAS, formulas, neutralised, rows_of


class TestForm:
    def test_no_text_becomes_a_formula(self) -> None:
        content = xlsx.form(
            sheet="表",
            title=FORMULAS["hyperlink"],
            lines=[FORMULAS["at"]],
            headings=list(FORMULAS),
            rows=[list(FORMULAS.values())],
            footer=[FORMULAS["dde"]],
        )
        assert formulas(content) == []
        rows = rows_of(content)
        assert rows[0][0] == neutralised(FORMULAS["hyperlink"])
        assert rows[1][0] == neutralised(FORMULAS["at"])
        assert rows[3] == [neutralised(t) for t in FORMULAS.values()]
        assert rows[-1][0] == neutralised(FORMULAS["dde"])

    def test_numbers_stay_numbers_and_plain_text_stays_as_it_is(self) -> None:
        content = xlsx.form(
            sheet="表", headings=["序号", "名称", "人数"], rows=[[1, "武汉 = 光谷", -3, None]]
        )
        assert rows_of(content)[1] == [1, "武汉 = 光谷", -3, None]

    def test_control_characters_xml_cannot_carry_are_dropped(self) -> None:
        content = xlsx.form(sheet="表", headings=["名称"], rows=[["武汉\x01科技\x1f"]])
        assert rows_of(content)[1] == ["武汉科技"]
