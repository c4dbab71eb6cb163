"""The import's report: rows read, stored and refused, and every refused cell's problem,
listed in row order and the template's column order."""

from __future__ import annotations

from dataclasses import dataclass, field

from kit.errors import FieldError
from kit.i18n import Lang, pick

from registry.schemas.imports import ImportResult, RowError
from registry.service.imports.columns import POSITION
from registry.service.imports.rows import Problems

MAX_LISTED_ERRORS = 10_000

# Row problem: (spreadsheet row, field, code, message zh, message en).
RowProblem = tuple[int, str, str, str, str]


@dataclass
class Report:
    total_rows: int = 0
    stored_rows: int = 0
    failed_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def count(self, numbers: list[int], bad: Problems) -> None:
        """A checked chunk: its rows (numbered ``numbers``) and the problems of the bad ones."""
        self.total_rows += len(numbers)
        self.failed_rows += len(bad)
        self.problems.extend(
            (numbers[i], name, *check) for i, problems in bad.items() for name, check in problems
        )

    def sorted_problems(self) -> list[RowProblem]:
        return sorted(self.problems, key=lambda p: (p[0], POSITION.get(p[1], 0)))

    def field_errors(self) -> list[FieldError]:
        """The listed problems as the fields of a problem+json (``rows[7].uscc``)."""
        return [
            FieldError(f"rows[{row}].{name}", code, zh, en)
            for row, name, code, zh, en in self.sorted_problems()[:MAX_LISTED_ERRORS]
        ]

    def result(self, lang: Lang) -> ImportResult:
        return ImportResult(
            total_rows=self.total_rows,
            stored_rows=self.stored_rows,
            failed_rows=self.failed_rows,
            errors=[
                RowError(row=row, field=name, code=code, message=pick(lang, zh, en))
                for row, name, code, zh, en in self.sorted_problems()[:MAX_LISTED_ERRORS]
            ],
        )
