"""The "held on a day" rule of ``kit.tiers``: the Python form at its edges (the SQL forms
are the same comparisons, run by the registry, training and gateway tests)."""

from __future__ import annotations

from datetime import date

from kit.tiers import held_on_sql, is_held

FROM, UNTIL = date(2024, 7, 1), date(2027, 6, 30)


class TestHeld:
    def test_both_ends_of_the_period_are_held(self) -> None:
        assert is_held(FROM, UNTIL, None, FROM)
        assert is_held(FROM, UNTIL, None, UNTIL)
        assert not is_held(FROM, UNTIL, None, date(2024, 6, 30))
        assert not is_held(FROM, UNTIL, None, date(2027, 7, 1))

    def test_not_held_from_the_day_it_is_revoked(self) -> None:
        revoked = date(2025, 3, 1)
        assert is_held(FROM, UNTIL, revoked, date(2025, 2, 28))
        assert not is_held(FROM, UNTIL, revoked, revoked)

    def test_the_sql_text_names_its_alias_and_placeholder(self) -> None:
        assert held_on_sql("r", "$2") == (
            "r.valid_from <= $2 AND r.valid_until >= $2"
            " AND (r.revoked_on IS NULL OR r.revoked_on > $2)"
        )
