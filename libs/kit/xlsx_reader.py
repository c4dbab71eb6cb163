"""Reading an uploaded XLSX without letting it stall or exhaust the service.

openpyxl parses in pure Python under the GIL, and an XLSX is a zip: 45 KB can unpack to
millions of rows, a row to millions of cells, a styles part to gigabytes. So the first
sheet is read by a child process (``python -m kit.xlsx_reader``) under an address-space
limit, which streams the rows back as JSON lines; the service's event loop only decodes
them, the child is killed at the caller's deadline or when the caller stops reading, and a
bomb costs the child its memory, never the service. Before the child starts, the zip's
directory is checked: no part may unpack past its limit (zipfile never inflates a part past
the size its directory declares, so the check holds for what is actually read).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import IO

# A million-row import written by openpyxl (inline strings) has a 900 MB sheet part; a
# sheet Excel writes (shared strings) about half that. The other parts are read whole into
# memory: shared strings of a million distinct names and addresses are ~200 MB, styles and
# the rest kilobytes.
MAX_SHEET_XML = 2 * 1024**3
MAX_SHARED_STRINGS_XML = 256 * 1024**2
MAX_OTHER_XML = 16 * 1024**2
# The child's whole address space: a legitimate million-row file peaks near 1 GB.
CHILD_MEMORY = 3 * 1024**3
# Wider than any import form; columns past it are not sent.
MAX_COLUMNS = 200
# Longer than any cell an import accepts, so a cut cell still fails its length check.
MAX_CELL_CHARS = 4096
# Children reading at once in this process; the others wait (their deadline running): a
# bomb may take its child up to CHILD_MEMORY before it dies.
_children = asyncio.Semaphore(2)
BATCH_ROWS = 2000
BATCH_CHARS = 4 * 1024**2
_LINE_LIMIT = 64 * 1024**2  # a batch line: BATCH_CHARS plus one row at its widest


class SheetUnreadable(Exception):
    """The file is not an XLSX this reader accepts; the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def check_archive(file: IO[bytes]) -> None:
    """Refuse a zip whose parts would unpack past their limits, before anything inflates."""
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable(type(exc).__name__) from exc
    finally:
        file.seek(0)
    for part in parts:
        name = part.filename
        limit = (
            MAX_SHEET_XML
            if name.startswith("xl/worksheets/")
            else MAX_SHARED_STRINGS_XML
            if name == "xl/sharedStrings.xml"
            else MAX_OTHER_XML
        )
        if part.file_size > limit:
            raise SheetUnreadable(
                f"XLSX 中的 {name} 解压后超过 {limit // 1024**2} MB",
                f"{name} in the XLSX unpacks to more than {limit // 1024**2} MB",
            )


async def rows(file: IO[bytes], deadline: float) -> AsyncGenerator[list[list[str]], None]:
    """The first sheet's rows in batches, blank rows as ``[]`` (they count), each cell as
    text (dates as ISO dates, whole floats as integers), trailing empty cells dropped.
    Raises ``SheetUnreadable``, or ``TimeoutError`` at ``deadline`` (``time.monotonic``);
    the child is gone when the iterator is closed, however it ends."""
    await asyncio.to_thread(check_archive, file)
    await asyncio.wait_for(_children.acquire(), _left(deadline))
    batches = _from_child(file, deadline)
    try:
        async for batch in batches:
            yield batch
    finally:
        await batches.aclose()  # the child is gone before its place is given up
        _children.release()


async def _from_child(file: IO[bytes], deadline: float) -> AsyncGenerator[list[list[str]], None]:
    source = await asyncio.to_thread(_on_disk, file)
    try:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "kit.xlsx_reader",
            str(CHILD_MEMORY),
            stdin=source,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=_LINE_LIMIT,
        )
    finally:
        if source is not file:
            source.close()  # the child holds its own descriptor
    assert child.stdout is not None
    try:
        # A timeout per read, never around the yield: the caller's work between two
        # batches must not be cancelled by a scope it cannot see.
        while line := await asyncio.wait_for(child.stdout.readline(), _left(deadline)):
            batch = json.loads(line)
            if isinstance(batch, dict):
                raise _unreadable(str(batch["error"]))
            yield batch
        if await asyncio.wait_for(child.wait(), _left(deadline)) != 0:
            raise _unreadable("MemoryError")  # killed by its memory limit, or crashed
    finally:
        if child.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _on_disk(file: IO[bytes]) -> IO[bytes]:
    """A descriptor the child can read from the start: the upload's own file when it has
    one (a spooled upload is moved to disk), else a temporary copy."""
    file.seek(0)
    try:
        file.fileno()
    except (OSError, io.UnsupportedOperation):
        copy = tempfile.TemporaryFile()  # noqa: SIM115 (closed once the child has it)
        shutil.copyfileobj(file, copy, 1 << 20)
        copy.seek(0)
        return copy
    file.seek(0)
    return file


def _unreadable(kind: str) -> SheetUnreadable:
    if kind == "MemoryError":
        return SheetUnreadable(
            "XLSX 解压后过大或结构过于复杂", "the XLSX is too large or too complex when unpacked"
        )
    return SheetUnreadable(f"XLSX 无法解析（{kind}）", f"not a readable XLSX file ({kind})")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _child(memory: int) -> None:
    """Runs in the child: stdin is the XLSX, stdout the JSON lines of ``rows``, at most
    ``memory`` bytes of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    out = sys.stdout.buffer

    def emit(data: object) -> None:
        out.write(json.dumps(data, ensure_ascii=False).encode() + b"\n")

    try:
        from openpyxl import load_workbook

        book = load_workbook(os.fdopen(0, "rb"), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        batch: list[list[str]] = []
        chars = 0
        # Not iter_rows(max_col=…): that pads every row to the limit in Python. openpyxl pads
        # a row to its last cell in C ([None] * width), so a cell at XFD costs microseconds.
        for values in sheet.iter_rows(values_only=True):
            row = [cell_text(v)[:MAX_CELL_CHARS] for v in values[:MAX_COLUMNS]]
            while row and not row[-1]:
                row.pop()
            batch.append(row)
            chars += sum(map(len, row))
            if len(batch) >= BATCH_ROWS or chars >= BATCH_CHARS:
                emit(batch)
                batch, chars = [], 0
        if batch:
            emit(batch)
    except MemoryError:
        emit({"error": "MemoryError"})
    except BrokenPipeError:
        return  # the parent stopped reading
    except Exception as exc:  # openpyxl raises whatever its zip and XML layers raise
        emit({"error": type(exc).__name__})
    out.flush()


if __name__ == "__main__":
    _child(int(sys.argv[1]))
