"""Reading the import file: an XLSX or CSV upload as a stream of row batches.

Nothing here parses on the event loop: an XLSX is read by kit.xlsx_reader's child process,
a CSV by worker threads (the csv module parses in C; a batch is a few ms of GIL). Every row
read counts against the row limit, blank ones too, and the whole import has a deadline:
neither five million empty rows nor a slow file can hold the service.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

from kit import xlsx_reader
from kit.errors import ProblemError

from registry.errors import IMPORT_FILE_INVALID
from registry.service.imports.columns import fields_of

CSV_BATCH_ROWS = 2000  # rows a worker thread reads at a time: a few ms of GIL


@dataclass(frozen=True)
class Limits:
    """What one import may read: the file's size, its rows (blank ones included), a CSV
    line's length, and the seconds it may take (from ``deadline``, a monotonic time)."""

    max_bytes: int
    max_rows: int
    max_line_chars: int
    max_seconds: int
    deadline: float


@dataclass
class Sheet:
    fields: list[str | None]  # per column: the field it holds, None when ignored
    first: list[list[str]]  # the rows read with the headings, after them
    batches: AsyncGenerator[list[list[str]], None]  # the rest, in batches (blank rows are ``[]``)
    limits: Limits

    async def close(self) -> None:
        await self.batches.aclose()


def unreadable(zh: str, en: str) -> ProblemError:
    return IMPORT_FILE_INVALID(reason=zh, reason_en=en)


def _overdue(limits: Limits) -> ProblemError:
    return unreadable(
        f"文件未能在 {limits.max_seconds} 秒内读完，请拆分为多个文件导入",
        f"the file could not be read within {limits.max_seconds} s; split it into several files",
    )


async def open_sheet(file: IO[bytes], filename: str, limits: Limits) -> Sheet:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > limits.max_bytes:
        raise unreadable("文件超过 200 MB", "the file is larger than 200 MB")
    magic = file.read(8)
    file.seek(0)
    batches: AsyncGenerator[list[list[str]], None]
    if magic.startswith(b"PK\x03\x04"):
        batches = _xlsx(file, limits)
    elif magic.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise unreadable(
            "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV",
            "old .xls files are not supported; save as .xlsx or CSV",
        )
    else:
        batches = _csv(file, limits)
    try:
        first: list[list[str]] = await anext(batches, [])
        fields = fields_of(first[0] if first else [])
    except BaseException:
        await batches.aclose()
        raise
    return Sheet(fields, first[1:], batches, limits)


async def _xlsx(file: IO[bytes], limits: Limits) -> AsyncGenerator[list[list[str]], None]:
    batches = xlsx_reader.rows(file, limits.deadline)
    try:
        async for batch in batches:
            yield batch
    except xlsx_reader.SheetUnreadable as exc:
        raise unreadable(exc.zh, exc.en) from exc
    except TimeoutError as exc:
        raise _overdue(limits) from exc
    finally:
        await batches.aclose()


async def _csv(file: IO[bytes], limits: Limits) -> AsyncGenerator[list[list[str]], None]:
    text = io.TextIOWrapper(file, encoding=await asyncio.to_thread(_csv_encoding, file), newline="")
    try:
        rows = csv.reader(_csv_lines(text, limits.max_line_chars))
        while batch := await asyncio.to_thread(_csv_batch, rows, limits):
            yield batch
    finally:
        text.detach()  # the upload's file is the request's to close


def _csv_lines(text: IO[str], max_chars: int) -> Iterator[str]:
    """The file's lines, none longer than ``max_chars``: csv would hold a line of 200
    million commas as one row of 200 million cells."""
    while line := text.readline(max_chars + 1):
        if len(line) > max_chars:
            raise unreadable(
                f"某行超过 {max_chars} 个字符",
                f"a line is longer than {max_chars} characters",
            )
        yield line


def _csv_batch(rows: Iterator[list[str]], limits: Limits) -> list[list[str]]:
    """The next CSV_BATCH_ROWS rows (fewer at the end), cut to MAX_COLUMNS cells each."""
    try:
        batch = [row[: xlsx_reader.MAX_COLUMNS] for row in islice(rows, CSV_BATCH_ROWS)]
    except UnicodeDecodeError as exc:
        raise unreadable(
            "编码应为 UTF-8 或 GB18030", "the encoding must be UTF-8 or GB18030"
        ) from exc
    except csv.Error as exc:
        raise unreadable(f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from exc
    if time.monotonic() > limits.deadline:
        raise _overdue(limits)
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


async def chunks(sheet: Sheet, size: int) -> AsyncIterator[tuple[list[int], list[list[str]]]]:
    """The data rows (row 1 holds the headings) in chunks of about ``size``, blank rows
    left out, with their spreadsheet row numbers. Every row read counts against the row
    limit, blank ones too: a sheet of five million empty rows is refused after the first
    million, not read to its end."""
    limits = sheet.limits
    first = 2
    pending = sheet.first
    async for batch in _and_then_end(sheet.batches):
        if batch:
            pending += batch
            if len(pending) < size:
                continue
        elif not pending:
            return
        if first - 2 + len(pending) > limits.max_rows:
            raise unreadable(
                f"单次导入不超过 {limits.max_rows} 行（空行也计入）",
                f"at most {limits.max_rows} rows per import (blank rows count)",
            )
        if time.monotonic() > limits.deadline:
            raise _overdue(limits)
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
