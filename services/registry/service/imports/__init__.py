"""Bulk import of enterprises (CSV / XLSX), one job per module: ``reading`` the file,
``columns`` mapping its headings, ``cells`` and ``rows`` validating, ``writing`` (COPY),
``report``, the ``template``; and the JSON ``batch`` upsert.

Imports are built for a million rows: the file is read as a stream, rows are checked column
by column with the validators of ``kit.codes`` (no model object per row; values that
repeat — regions, industries, enums, dates — are checked once per file), duplicates are
looked up once per chunk, and rows and their events go in with COPY inside the request's
transaction, chunk by chunk. ``all_or_nothing`` stops storing at the first bad row but
still checks the whole file, so the report names every bad row; the route then rolls back.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from typing import IO

from kit.auth import Principal
from kit.context import ServiceContext
from sqlalchemy.ext.asyncio import AsyncSession

from registry.errors import IMPORT_FAILED
from registry.schemas.imports import ImportMode
from registry.service.imports import writing
from registry.service.imports.reading import Limits, chunks, open_sheet, unreadable
from registry.service.imports.report import Report
from registry.service.imports.rows import RowChecker
from registry.service.imports.writing import Writer

# Read when an import starts (tests lower them).
MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000  # rows read, blank ones included
# A million-row XLSX reads at ~10,000 rows/s on an idle core and ~2,400 rows/s on the
# 2-core machine shared by six test runs (measured): seven minutes; twice that is too slow.
MAX_SECONDS = 900
MAX_LINE_CHARS = 1024 * 1024  # a CSV line: a row of 14 cells of ≤ 300 characters is < 5,000
CHUNK_ROWS = 10_000  # rows checked and stored per round: bounded memory, one lookup each


class Importer:
    """Checks and stores one file's rows, chunk by chunk."""

    def __init__(
        self,
        session: AsyncSession,
        ctx: ServiceContext,
        principal: Principal,
        fields: list[str | None],
        mode: ImportMode,
    ) -> None:
        self.ctx = ctx
        self.mode = mode
        self.rows = RowChecker(ctx, principal, fields)
        self.writer = Writer(session, ctx)
        self.report = Report()

    async def add(self, numbers: list[int], rows: list[list[str]]) -> None:
        values, bad = await self.rows.check(numbers, rows)
        report = self.report
        report.count(numbers, bad)
        if self.mode == "all_or_nothing" and report.failed_rows:
            return  # nothing will be kept: no need to store the rest
        records = writing.records(values, len(rows), bad)
        if records:
            await self.writer.write(records, await writing.registered_events(self.ctx, records))
            report.stored_rows += len(records)

    def finish(self) -> Report:
        report = self.report
        if not report.total_rows:
            raise unreadable("文件中没有数据行", "the file has no data rows")
        if report.failed_rows and self.mode == "all_or_nothing":
            raise IMPORT_FAILED(failed=report.failed_rows, errors=report.field_errors())
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
    limits = Limits(
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        max_line_chars=MAX_LINE_CHARS,
        max_seconds=MAX_SECONDS,
        deadline=time.monotonic() + MAX_SECONDS,
    )
    sheet = await open_sheet(file, filename, limits)
    importer = Importer(session, ctx, principal, sheet.fields, mode)
    try:
        with _cyclic_gc_paused():
            async for numbers, rows in chunks(sheet, CHUNK_ROWS):
                await importer.add(numbers, rows)
            await importer.writer.wait()
    except BaseException:
        await importer.writer.abandon()
        raise
    finally:
        await sheet.close()
    return importer.finish()
