"""Bulk import of enterprises (CSV / XLSX) and JSON batch upsert.

Imports are built for a million rows: the file is read as a stream, rows are checked column
by column with the validators of ``kit.codes`` (no model object per row; values that
repeat — regions, industries, enums, dates — are checked once per file), duplicates are
looked up once per chunk, and rows and their events go in with COPY inside the request's
transaction, chunk by chunk. ``all_or_nothing`` stops storing at the first bad row but
still checks the whole file, so the report names every bad row; the route then rolls back.

The accepted headings are ``COLUMNS`` (also in the template's 填写说明 sheet).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import csv
import gc
import io
import re
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, repeat
from operator import itemgetter
from typing import IO, Any

import asyncpg
from kit import clock, codes, xlsx, xlsx_reader
from kit.auth import Principal
from kit.context import ServiceContext
from kit.errors import VALIDATION_FAILED, FieldError, ProblemError, field_errors_from_pydantic
from kit.events import envelope
from kit.events.envelope import CloudEvent
from kit.i18n import Lang, pick
from openpyxl import Workbook
from openpyxl.styles import Font
from pydantic import HttpUrl, TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry import events
from registry.enums import Ownership, Scale
from registry.errors import (
    CONCURRENT_REGISTRATION,
    ENTERPRISE_EXISTS,
    IMPORT_FAILED,
    IMPORT_FILE_INVALID,
    REGION_OUT_OF_SCOPE,
)
from registry.models import Enterprise
from registry.repository import imports as repo
from registry.schemas.enterprises import EnterpriseCreate
from registry.schemas.imports import (
    BatchItemResult,
    BatchOutcome,
    BatchResult,
    ImportMode,
    ImportResult,
    RowError,
)
from registry.scope import sees_enterprise
from registry.service import enterprises as enterprise_service

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000  # rows read, blank ones included
# A million-row XLSX reads at ~10,000 rows/s on an idle core and ~2,400 rows/s on the
# 2-core machine shared by six test runs (measured): seven minutes; twice that is too slow.
MAX_SECONDS = 900
MAX_LINE_CHARS = 1024 * 1024  # a CSV line: a row of 14 cells of ≤ 300 characters is < 5,000
CSV_BATCH_ROWS = 2000  # rows a worker thread reads at a time: a few ms of GIL
CHUNK_ROWS = 10_000  # rows checked and stored per round: bounded memory, one lookup each
MAX_LISTED_ERRORS = 10_000


@dataclass(frozen=True)
class Column:
    """One importable column: its Chinese heading (the template's), the API field name
    (accepted as a heading too) and what the cells may hold."""

    field: str
    heading: str
    required: bool
    note: str


COLUMNS = (
    Column("uscc", "统一社会信用代码", True, "18 位，含校验位"),
    Column("name", "企业名称", True, "不超过 200 字"),
    Column("region_code", "行政区划代码", True, "6 位 GB/T 2260 代码，须在本单位管辖范围内"),
    Column(
        "industry_code",
        "所属行业代码",
        True,
        "GB/T 4754-2017 两位大类代码（01–97；表格吞掉的前导零可省略）",
    ),
    Column("niche_field", "细分领域", False, "不超过 200 字"),
    Column("main_product", "主导产品", False, "不超过 200 字"),
    Column("scale", "企业规模", False, "中型 / 小型 / 微型（或 medium / small / micro）"),
    Column(
        "ownership",
        "企业类型",
        False,
        "国有 / 合资 / 民营 / 其他（或 state / joint / private / other）",
    ),
    Column("legal_representative", "法定代表人", False, "不超过 100 字"),
    Column("registered_on", "成立日期", False, "YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日，不晚于今天"),
    Column("employees", "从业人员", False, "0–10000000 的整数"),
    Column("address", "通讯地址", False, "不超过 300 字"),
    Column("website", "公司网址", False, "以 http:// 或 https:// 开头，不超过 300 字"),
    Column("listed", "是否上市", False, "是 / 否（空白为否）"),
)
TEMPLATE_HEADINGS = [c.heading for c in COLUMNS]
_BY_HEADING = {key: c.field for c in COLUMNS for key in (c.heading, c.field)}
_ORDER = {c.field: n for n, c in enumerate(COLUMNS)}
_HEADING_NOTE = re.compile(r"[（(][^）)]*[）)]|[*＊\s]")


def heading_field(heading: object) -> str | None:
    """``企业规模（中型/小型/微型）*`` → ``scale``: notes in brackets and the required-marker
    are ignored, English field names in any case."""
    return _BY_HEADING.get(_HEADING_NOTE.sub("", str(heading or "")).lower())


# Row problem: (spreadsheet row, field, code, message zh, message en).
RowProblem = tuple[int, str, str, str, str]
Check = tuple[str, str, str]  # code, zh, en


class Invalid:
    """A memoised cell value that failed its check."""

    __slots__ = ("check",)

    def __init__(self, code: str, zh: str, en: str) -> None:
        self.check: Check = (code, zh, en)


# --- reading the file --------------------------------------------------------------------
#
# Nothing here parses on the event loop: an XLSX is read by kit.xlsx_reader's child
# process, a CSV by worker threads (the csv module parses in C; a batch is a few ms of GIL).
# Every row read counts against MAX_ROWS, blank ones too, and the whole import has a
# deadline: neither five million empty rows nor a slow file can hold the service.


@dataclass
class Sheet:
    fields: list[str | None]  # per column: the field it holds, None when ignored
    first: list[list[str]]  # the rows read with the headings, after them
    batches: AsyncGenerator[list[list[str]], None]  # the rest, in batches (blank rows are ``[]``)

    async def close(self) -> None:
        await self.batches.aclose()


async def open_sheet(file: IO[bytes], filename: str, deadline: float) -> Sheet:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > MAX_BYTES:
        raise _unreadable("文件超过 200 MB", "the file is larger than 200 MB")
    magic = file.read(8)
    file.seek(0)
    batches: AsyncGenerator[list[list[str]], None]
    if magic.startswith(b"PK\x03\x04"):
        batches = _xlsx(file, deadline)
    elif magic.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise _unreadable(
            "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV",
            "old .xls files are not supported; save as .xlsx or CSV",
        )
    else:
        batches = _csv(file, deadline)
    try:
        first: list[list[str]] = await anext(batches, [])
        header = first[0] if first else []
        fields = [heading_field(h) for h in header]
        _check_headings(fields)
    except BaseException:
        await batches.aclose()
        raise
    return Sheet(fields, first[1:], batches)


def _unreadable(zh: str, en: str) -> ProblemError:
    return IMPORT_FILE_INVALID(reason=zh, reason_en=en)


def _overdue() -> ProblemError:
    return _unreadable(
        f"文件未能在 {MAX_SECONDS} 秒内读完，请拆分为多个文件导入",
        f"the file could not be read within {MAX_SECONDS} s; split it into several files",
    )


def _check_headings(fields: list[str | None]) -> None:
    if not any(fields):
        raise _unreadable(
            "首行应为列标题（如“统一社会信用代码”），请使用导入模板",
            "the first row must hold the headings; use the template",
        )
    missing = [c for c in COLUMNS if c.required and c.field not in fields]
    if missing:
        raise _unreadable(
            "缺少列：" + "、".join(c.heading for c in missing),
            "missing columns: " + ", ".join(c.field for c in missing),
        )
    repeated = [c for c in COLUMNS if fields.count(c.field) > 1]
    if repeated:
        raise _unreadable(
            "列重复：" + "、".join(c.heading for c in repeated),
            "repeated columns: " + ", ".join(c.field for c in repeated),
        )


async def _xlsx(file: IO[bytes], deadline: float) -> AsyncGenerator[list[list[str]], None]:
    batches = xlsx_reader.rows(file, deadline)
    try:
        async for batch in batches:
            yield batch
    except xlsx_reader.SheetUnreadable as exc:
        raise _unreadable(exc.zh, exc.en) from exc
    except TimeoutError as exc:
        raise _overdue() from exc
    finally:
        await batches.aclose()


async def _csv(file: IO[bytes], deadline: float) -> AsyncGenerator[list[list[str]], None]:
    text = io.TextIOWrapper(file, encoding=await asyncio.to_thread(_csv_encoding, file), newline="")
    try:
        rows = csv.reader(_csv_lines(text))
        while batch := await asyncio.to_thread(_csv_batch, rows, deadline):
            yield batch
    finally:
        text.detach()  # the upload's file is the request's to close


def _csv_lines(text: IO[str]) -> Iterator[str]:
    """The file's lines, none longer than MAX_LINE_CHARS: csv would hold a line of 200
    million commas as one row of 200 million cells."""
    while line := text.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise _unreadable(
                f"某行超过 {MAX_LINE_CHARS} 个字符",
                f"a line is longer than {MAX_LINE_CHARS} characters",
            )
        yield line


def _csv_batch(rows: Iterator[list[str]], deadline: float) -> list[list[str]]:
    """The next CSV_BATCH_ROWS rows (fewer at the end), cut to MAX_COLUMNS cells each."""
    try:
        batch = [row[: xlsx_reader.MAX_COLUMNS] for row in islice(rows, CSV_BATCH_ROWS)]
    except UnicodeDecodeError as exc:
        raise _unreadable(
            "编码应为 UTF-8 或 GB18030", "the encoding must be UTF-8 or GB18030"
        ) from exc
    except csv.Error as exc:
        raise _unreadable(f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from exc
    if time.monotonic() > deadline:
        raise _overdue()
    return batch


def _csv_encoding(file: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) when the whole file is valid UTF-8, else GB18030 —
    checked while reading, since a file that is neither fails part-way."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := file.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    file.seek(0)
    return encoding


async def chunks(
    sheet: Sheet, size: int, deadline: float
) -> AsyncIterator[tuple[list[int], list[list[str]]]]:
    """The data rows (row 1 holds the headings) in chunks of about ``size``, blank rows
    left out, with their spreadsheet row numbers. Every row read counts against MAX_ROWS,
    blank ones too: a sheet of five million empty rows is refused after the first million,
    not read to its end."""
    first = 2
    pending = sheet.first
    async for batch in _and_then_end(sheet.batches):
        if batch:
            pending += batch
            if len(pending) < size:
                continue
        elif not pending:
            return
        if first - 2 + len(pending) > MAX_ROWS:
            raise _unreadable(
                f"单次导入不超过 {MAX_ROWS} 行（空行也计入）",
                f"at most {MAX_ROWS} rows per import (blank rows count)",
            )
        if time.monotonic() > deadline:
            raise _overdue()
        numbers = list(range(first, first + len(pending)))
        first += len(pending)
        rows, pending = pending, []
        if not all(map(any, rows)):
            numbers = [n for n, row in zip(numbers, rows, strict=True) if any(row)]
            rows = [row for row in rows if any(row)]
        if rows:
            yield numbers, rows


async def _and_then_end(
    batches: AsyncIterator[list[list[str]]],
) -> AsyncIterator[list[list[str]]]:
    """The batches, then one empty batch: the signal to hand over what is pending."""
    async for batch in batches:
        yield batch
    yield []


# --- checking cells ----------------------------------------------------------------------

_URL = TypeAdapter(HttpUrl)
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
_BOOLEANS = {
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "": False,
}
_TEXT_LIMITS = {
    "name": 200,
    "niche_field": 200,
    "main_product": 200,
    "legal_representative": 100,
    "address": 300,
}
MISSING: Check = ("MISSING", "必填字段缺失", "Field required")


def _choices(enum: type[Scale] | type[Ownership]) -> Callable[[str], object]:
    table = {**{m.zh: m.value for m in enum}, **{m.value: m.value for m in enum}}
    wrong = Invalid(
        "ENUM",
        "取值应为：" + "、".join(m.zh for m in enum),
        "Must be one of: " + ", ".join(m.value for m in enum),
    )

    def check(raw: str) -> object:
        text = raw.strip().lower()
        return table.get(text, wrong) if text else None

    return check


def _registered_on(raw: str) -> object:
    text = raw.strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (int(g) for g in match.groups() if g is not None)
        value = date(year, month, day)
    except ValueError:
        return Invalid("DATE_PARSING", "日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD")
    if value > clock.today():
        return Invalid("DATE_IN_FUTURE", "成立日期不能晚于今天", "registered_on is in the future")
    return value


def _employees(raw: str) -> object:
    text = raw.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        return Invalid("INT_PARSING", "应为整数", "Must be a whole number")
    if value < 0:
        return Invalid("GREATER_THAN_EQUAL", "不能小于 0", "Must be at least 0")
    if value > 10_000_000:
        return Invalid("LESS_THAN_EQUAL", "不能大于 10000000", "Must be at most 10000000")
    return value


def _listed(raw: str) -> object:
    return _BOOLEANS.get(raw.strip().lower(), _NOT_BOOL)


_NOT_BOOL = Invalid("BOOL_PARSING", "应为“是”或“否”", "Must be 是 or 否 (yes or no)")


def _website(raw: str) -> object:
    text = raw.strip()
    if not text:
        return None
    try:
        url = str(_URL.validate_python(text))
    except ValidationError:
        return Invalid(
            "URL_PARSING",
            "网址格式错误（应以 http:// 或 https:// 开头）",
            "Must be an http:// or https:// URL",
        )
    if len(url) > 300:
        return Invalid("STRING_TOO_LONG", "长度超出限制（300）", "At most 300 characters")
    return url


def _industry(raw: str) -> str:
    """Spreadsheets turn 01–09 into 1–9: the lost zero is restored before the check."""
    text = raw.strip()
    return codes.validate_industry("0" + text if len(text) == 1 and text.isdigit() else text)


def _coded(validate: Callable[[str], str]) -> Callable[[str], object]:
    def check(raw: str) -> object:
        if not raw.strip():
            return Invalid(*MISSING)
        try:
            return validate(raw)
        except codes.CodeError as exc:
            return Invalid(exc.code, exc.message_zh, exc.message_en)

    return check


# --- the import --------------------------------------------------------------------------

# Column order of the COPY; the table's defaults fill the rest (version 1, now(), '{}').
COPY_COLUMNS = (
    "uscc",
    "name",
    "region_code",
    "province",
    "industry_code",
    "niche_field",
    "main_product",
    "scale",
    "ownership",
    "legal_representative",
    "registered_on",
    "employees",
    "address",
    "website",
    "listed",
)
# Event fields an import never sets (an imported enterprise has no IPO plan, titles or key
# fields yet); every other one comes from the COPY record.
_UNSET = ("ipo_plan", "titles", "key_fields")
_EVENT_SOURCES = [f for f in enterprise_service.EVENT_FIELDS if f not in _UNSET]
_event_values = itemgetter(*(COPY_COLUMNS.index(f) for f in _EVENT_SOURCES))
_REGISTERED_ON = COPY_COLUMNS.index("registered_on")


def event_data(record: tuple[Any, ...]) -> dict[str, Any]:
    """``enterprise_service.event_data`` of the enterprise a COPY record creates."""
    registered_on = record[_REGISTERED_ON]
    return dict(
        zip(_EVENT_SOURCES, _event_values(record), strict=True),
        ipo_plan=None,
        titles=[],
        key_fields=[],
        registered_on=registered_on.isoformat() if registered_on else None,
    )


@dataclass
class Report:
    total_rows: int = 0
    stored_rows: int = 0
    failed_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def sorted_problems(self) -> list[RowProblem]:
        return sorted(self.problems, key=lambda p: (p[0], _ORDER.get(p[1], 0)))

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


class Writer:
    """Stores one chunk while the next is being checked: PostgreSQL ingests a COPY while
    Python validates, so an import costs about the larger of the two, not their sum.
    One write at a time, on the request's session; nothing else uses it meanwhile."""

    def __init__(self, session: AsyncSession, ctx: ServiceContext) -> None:
        self.session = session
        self.ctx = ctx
        self.pending: asyncio.Task[None] | None = None

    async def write(self, records: list[tuple[Any, ...]], events: list[CloudEvent]) -> None:
        await self.wait()
        self.pending = asyncio.create_task(self._write(records, events))
        await asyncio.sleep(0)  # let it start sending

    async def wait(self) -> None:
        task, self.pending = self.pending, None
        if task is not None:
            await task

    async def abandon(self) -> None:
        """After a failure: let the write in flight end; the request rolls it back."""
        with contextlib.suppress(Exception):
            await self.wait()

    async def _write(self, records: list[tuple[Any, ...]], events: list[CloudEvent]) -> None:
        try:
            await repo.copy_enterprises(self.session, COPY_COLUMNS, records)
        except asyncpg.UniqueViolationError as exc:  # a concurrent request registered one
            raise CONCURRENT_REGISTRATION() from exc
        await self.ctx.outbox.emit_many(self.session, events)


class Importer:
    """Checks and stores one file's rows, chunk by chunk, remembering what it has seen."""

    def __init__(
        self,
        session: AsyncSession,
        ctx: ServiceContext,
        principal: Principal,
        fields: list[str | None],
        mode: ImportMode,
    ) -> None:
        self.ctx = ctx
        self.fields = fields
        self.mode = mode
        self.writer = Writer(session, ctx)
        self.report = Report()
        self.first_row: dict[str, int] = {}  # USCC → the row that used it first
        coded_region = _coded(codes.validate_region)

        def region(raw: str) -> object:
            value = coded_region(raw)
            if isinstance(value, str) and not principal.sees_region(value):
                return Invalid(
                    "REGION_OUT_OF_SCOPE",
                    f"行政区划 {value} 不在您的管辖范围内",
                    f"Region {value} is outside your jurisdiction",
                )
            return value

        self.checks: dict[str, Callable[[str], object]] = {
            "region_code": region,
            "industry_code": _coded(_industry),
            "scale": _choices(Scale),
            "ownership": _choices(Ownership),
            "registered_on": _registered_on,
            "employees": _employees,
            "listed": _listed,
            "website": _website,
        }
        self.memo: dict[str, dict[str, object]] = {name: {} for name in self.checks}

    async def add(self, numbers: list[int], rows: list[list[str]]) -> None:
        width = len(self.fields)
        if any(len(r) != width for r in rows):
            rows = [(r + [""] * width)[:width] for r in rows]
        columns = zip(self.fields, zip(*rows, strict=True), strict=True)
        cells = {name: column for name, column in columns if name}
        bad: dict[int, list[tuple[str, Check]]] = {}
        usccs = self._usccs(cells["uscc"], numbers, bad)
        values: dict[str, Sequence[Any]] = {"uscc": usccs}
        for name, limit in _TEXT_LIMITS.items():
            if name in cells:
                values[name] = self._texts(name, cells[name], limit, bad)
        await asyncio.sleep(0)  # yields keep the write in flight going
        for name, check in self.checks.items():
            if name in cells:
                values[name] = self._memoised(name, cells[name], check, bad)
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
        report = self.report
        report.total_rows += len(rows)
        report.failed_rows += len(bad)
        report.problems.extend(
            (numbers[i], name, *check) for i, problems in bad.items() for name, check in problems
        )
        if self.mode == "all_or_nothing" and report.failed_rows:
            return  # nothing will be kept: no need to store the rest
        records = self._records(values, len(rows), bad)
        if records:
            await self.writer.write(records, await self._events(records))
            report.stored_rows += len(records)

    def _usccs(
        self, cells: Sequence[str], numbers: list[int], bad: dict[int, list[tuple[str, Check]]]
    ) -> list[str]:
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
    def _texts(
        name: str, cells: Sequence[str], limit: int, bad: dict[int, list[tuple[str, Check]]]
    ) -> list[str | None]:
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
        self,
        name: str,
        cells: Sequence[str],
        check: Callable[[str], object],
        bad: dict[int, list[tuple[str, Check]]],
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

    @staticmethod
    def _records(
        values: dict[str, Sequence[Any]], count: int, bad: dict[int, list[tuple[str, Check]]]
    ) -> list[tuple[Any, ...]]:
        values["province"] = [r[:2] if isinstance(r, str) else "" for r in values["region_code"]]
        columns = [
            values.get(c) or repeat(False if c == "listed" else None, count) for c in COPY_COLUMNS
        ]
        records = list(zip(*columns, strict=True))
        return [r for i, r in enumerate(records) if i not in bad] if bad else records

    async def _events(self, records: list[tuple[Any, ...]]) -> list[CloudEvent]:
        at = envelope.now()
        event = self.ctx.outbox.event
        out: list[CloudEvent] = []
        for start in range(0, len(records), 2000):
            out += [
                event(
                    events.ENTERPRISE,
                    "registered",
                    subject=r[0],
                    data=event_data(r),
                    province=r[3],
                    version=1,
                    time=at,
                )
                for r in records[start : start + 2000]
            ]
            await asyncio.sleep(0)
        return out

    def finish(self) -> Report:
        report = self.report
        if not report.total_rows:
            raise _unreadable("文件中没有数据行", "the file has no data rows")
        if report.failed_rows and self.mode == "all_or_nothing":
            raise IMPORT_FAILED(
                failed=report.failed_rows,
                errors=[
                    FieldError(f"rows[{row}].{name}", code, zh, en)
                    for row, name, code, zh, en in report.sorted_problems()[:MAX_LISTED_ERRORS]
                ],
            )
        return report


_imports_running = 0


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import allocates millions of short-lived rows, records and events, and the
    cyclic collector would traverse each of them again and again: a third of the import's
    CPU, measured. Reference counting still frees them all; the collector resumes when
    the last import running in the process ends."""
    global _imports_running
    if _imports_running == 0 and not gc.isenabled():
        yield  # paused by someone else: theirs to resume
        return
    _imports_running += 1
    gc.disable()
    try:
        yield
    finally:
        _imports_running -= 1
        if _imports_running == 0:
            gc.enable()


async def import_file(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    file: IO[bytes],
    filename: str,
    mode: ImportMode,
) -> Report:
    deadline = time.monotonic() + MAX_SECONDS
    sheet = await open_sheet(file, filename, deadline)
    importer = Importer(session, ctx, principal, sheet.fields, mode)
    try:
        with _cyclic_gc_paused():
            async for numbers, rows in chunks(sheet, CHUNK_ROWS, deadline):
                await importer.add(numbers, rows)
            await importer.writer.wait()
    except BaseException:
        await importer.writer.abandon()
        raise
    finally:
        await sheet.close()
    return importer.finish()


def template_xlsx() -> bytes:
    """The import template: the headings, and a sheet explaining each column."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "企业名单"
    sheet.append(TEMPLATE_HEADINGS)
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=column.required)
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = max(12, 2 * len(column.heading) + 4)
        if column.field in ("uscc", "region_code", "industry_code"):
            dimension.number_format = "@"  # text: no lost leading zeros, no 9.1E+17
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "字段名（也可作列名）", "是否必填", "填写要求"])
    for column in COLUMNS:
        notes.append([column.heading, column.field, "是" if column.required else "否", column.note])
    for letter, width in zip("ABCD", (18, 24, 10, 60), strict=True):
        notes.column_dimensions[letter].width = width
    return xlsx.save(book)


# --- batch upsert ------------------------------------------------------------------------


def _validated(raw_items: list[dict[str, Any]]) -> list[EnterpriseCreate]:
    items: list[EnterpriseCreate] = []
    errors: list[FieldError] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_items):
        try:
            item = EnterpriseCreate.model_validate(raw)
        except ValidationError as exc:
            errors += [
                FieldError(f"items[{index}].{e.field}", e.code, e.zh, e.en)
                for e in field_errors_from_pydantic(exc.errors())
            ]
            continue
        first = first_index.setdefault(item.uscc, index)
        if first != index:
            errors.append(
                FieldError(
                    f"items[{index}].uscc",
                    "USCC_DUPLICATE_IN_BATCH",
                    f"与第 {first} 项（items[{first}]）的统一社会信用代码重复",
                    f"Same credit code as items[{first}]",
                )
            )
        items.append(item)
    if errors:
        raise VALIDATION_FAILED(errors=errors)
    return items


async def batch_upsert(
    session: AsyncSession,
    ctx: ServiceContext,
    principal: Principal,
    raw_items: list[dict[str, Any]],
) -> BatchResult:
    """Create the missing, update the changed, leave the identical alone: a replay changes
    nothing and emits nothing. All or nothing: any bad item and nothing is stored."""
    items = _validated(raw_items)
    foreign = [
        (i, item.region_code)
        for i, item in enumerate(items)
        if not principal.sees_region(item.region_code)
    ]
    if foreign:
        raise REGION_OUT_OF_SCOPE(
            region=foreign[0][1],
            errors=[
                FieldError(
                    f"items[{i}].region_code",
                    REGION_OUT_OF_SCOPE.code,
                    REGION_OUT_OF_SCOPE.zh.format(region=r),
                    REGION_OUT_OF_SCOPE.en.format(region=r),
                )
                for i, r in foreign
            ],
        )
    current = {e.uscc: e for e in await repo.for_update(session, [i.uscc for i in items])}
    hidden = [
        (i, item.uscc)
        for i, item in enumerate(items)
        if item.uscc in current
        and not sees_enterprise(principal, item.uscc, current[item.uscc].region_code)
    ]
    if hidden:  # registered under another jurisdiction: as POST /enterprises would say
        raise ENTERPRISE_EXISTS(
            uscc=hidden[0][1],
            errors=[
                FieldError(
                    f"items[{i}].uscc",
                    ENTERPRISE_EXISTS.code,
                    ENTERPRISE_EXISTS.zh.format(uscc=u),
                    ENTERPRISE_EXISTS.en.format(uscc=u),
                )
                for i, u in hidden
            ],
        )
    outcomes: list[BatchItemResult] = []
    changes: list[tuple[str, Enterprise, int]] = []  # event, enterprise, version
    for item in items:
        values = enterprise_service.column_values(item, partial=False)
        existing = current.get(item.uscc)
        outcome: BatchOutcome
        if existing is None:
            enterprise = Enterprise(**values, version=1)
            session.add(enterprise)
            changes.append(("registered", enterprise, 1))
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(existing, key, value)
                existing.version += 1
                changes.append(("updated", existing, existing.version))
            outcome = "updated" if changed else "unchanged"
        outcomes.append(BatchItemResult(uscc=item.uscc, result=outcome))
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request registered one of them first
        raise CONCURRENT_REGISTRATION() from exc
    at = envelope.now()
    await ctx.outbox.emit_many(
        session,
        [
            ctx.outbox.event(
                events.ENTERPRISE,
                name,
                subject=e.uscc,
                data=enterprise_service.event_data(e),
                province=e.province,
                version=version,
                time=at,
            )
            for name, e, version in changes
        ],
    )
    counts = {
        o: sum(1 for r in outcomes if r.result == o) for o in ("created", "updated", "unchanged")
    }
    return BatchResult(**counts, items=outcomes)
