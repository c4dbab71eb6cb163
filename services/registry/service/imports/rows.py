"""Validating a chunk of rows, column by column: no model object per row, each distinct
value of a coded column checked once per file, duplicates within the file caught by the
row that used a USCC first and those already registered by one lookup per chunk."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from kit import codes
from kit.auth import Principal
from kit.context import ServiceContext

from registry.enums import ListingBoard
from registry.errors import ENTERPRISE_EXISTS, ENTERPRISE_LISTING_CONFLICT
from registry.repository import imports as repo
from registry.service.imports.cells import MISSING, TEXT_LIMITS, Check, Invalid, checks_for

# Per row of a chunk (its index), the problems found: (field, check).
Problems = dict[int, list[tuple[str, Check]]]


class RowChecker:
    """Checks one file's rows, remembering what it has seen: the USCCs used and each
    column's checked values."""

    def __init__(self, ctx: ServiceContext, principal: Principal, fields: list[str | None]) -> None:
        self.ctx = ctx
        self.fields = fields
        self.first_row: dict[str, int] = {}  # USCC → the row that used it first
        self.checks = checks_for(principal)
        self.memo: dict[str, dict[str, object]] = {name: {} for name in self.checks}

    async def check(
        self, numbers: list[int], rows: list[list[str]]
    ) -> tuple[dict[str, Sequence[Any]], Problems]:
        """Each field's values for the chunk's rows, and the problems of the bad rows."""
        width = len(self.fields)
        if any(len(r) != width for r in rows):
            rows = [(r + [""] * width)[:width] for r in rows]
        columns = zip(self.fields, zip(*rows, strict=True), strict=True)
        cells = {name: column for name, column in columns if name}
        bad: Problems = {}
        usccs = self._usccs(cells["uscc"], numbers, bad)
        values: dict[str, Sequence[Any]] = {"uscc": usccs}
        for name, limit in TEXT_LIMITS.items():
            if name in cells:
                values[name] = self._texts(name, cells[name], limit, bad)
        await asyncio.sleep(0)  # yields keep the write in flight going
        for name, check in self.checks.items():
            if name in cells:
                values[name] = self._memoised(name, cells[name], check, bad)
        if "listing_board" in values:
            values["listed"] = self._listed_by_board(
                values["listing_board"], values.get("listed"), cells.get("listed"), bad
            )
        # Committed rows only; rows of this file in flight are caught by ``first_row``.
        found = await repo.existing(self.ctx.db, [u for u in usccs if u])
        if found:
            for i, uscc in enumerate(usccs):
                if uscc in found:
                    bad.setdefault(i, []).append(
                        (
                            "uscc",
                            (
                                ENTERPRISE_EXISTS.code,
                                ENTERPRISE_EXISTS.zh.format(uscc=uscc),
                                ENTERPRISE_EXISTS.en.format(uscc=uscc),
                            ),
                        )
                    )
        return values, bad

    def _usccs(self, cells: Sequence[str], numbers: list[int], bad: Problems) -> list[str]:
        out: list[str] = []
        first_row = self.first_row
        for i, raw in enumerate(cells):
            try:
                uscc = codes.validate_uscc(raw)
            except codes.CodeError as exc:
                check = MISSING if not raw.strip() else (exc.code, exc.message_zh, exc.message_en)
                bad.setdefault(i, []).append(("uscc", check))
                out.append("")
                continue
            first = first_row.setdefault(uscc, numbers[i])
            if first != numbers[i]:
                bad.setdefault(i, []).append(
                    (
                        "uscc",
                        (
                            "USCC_DUPLICATE_IN_FILE",
                            f"与第 {first} 行的统一社会信用代码重复",
                            f"Same credit code as row {first}",
                        ),
                    )
                )
                out.append("")  # neither looked up nor stored
                continue
            out.append(uscc)
        return out

    @staticmethod
    def _listed_by_board(
        boards: Sequence[Any],
        listed: Sequence[Any] | None,
        raw: Sequence[str] | None,
        bad: Problems,
    ) -> list[Any]:
        """The board decides 是否上市; a 是否上市 cell saying otherwise is a problem."""
        out = list(listed) if listed is not None else [False] * len(boards)
        for i, board in enumerate(boards):
            if not isinstance(board, str):
                continue
            derived = ListingBoard(board).listed
            if raw is not None and raw[i].strip() and out[i] is not derived:
                error = ENTERPRISE_LISTING_CONFLICT
                zh = error.zh.format(board=ListingBoard(board).zh)
                bad.setdefault(i, []).append(
                    ("listing_board", (error.code, zh, error.en.format(board_en=board)))
                )
            out[i] = derived
        return out

    @staticmethod
    def _texts(name: str, cells: Sequence[str], limit: int, bad: Problems) -> list[str | None]:
        texts = [c.strip() for c in cells]
        required = name == "name"
        for i in [
            i for i, t in enumerate(texts) if len(t) > limit or "\x00" in t or (required and not t)
        ]:
            text = texts[i]
            check = (
                MISSING
                if not text
                else ("STRING_TOO_LONG", f"长度超出限制（{limit}）", f"At most {limit} characters")
                if len(text) > limit
                else ("CHARACTER_INVALID", "含有不允许的空字符", "Contains a NUL character")
            )
            bad.setdefault(i, []).append((name, check))
        return [t or None for t in texts]

    def _memoised(
        self, name: str, cells: Sequence[str], check: Callable[[str], object], bad: Problems
    ) -> list[Any]:
        memo = self.memo[name]
        distinct = set(cells)
        for raw in distinct.difference(memo):
            memo[raw] = check(raw)
        out = list(map(memo.__getitem__, cells))
        if any(isinstance(memo[raw], Invalid) for raw in distinct):
            for i, value in enumerate(out):
                if isinstance(value, Invalid):
                    bad.setdefault(i, []).append((name, value.check))
        return out
