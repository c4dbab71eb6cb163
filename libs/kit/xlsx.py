"""XLSX downloads: the government forms of the seeds (title, heading row, rows, footer)
and the response that carries them with a Chinese file name.

Every text a form writes is written as text: an enterprise that names itself
``=HYPERLINK("http://evil.example/x","x")`` must not become a formula in the province's
spreadsheet (OWASP, CSV injection). Numbers, dates and booleans are ours (counts, years,
sequence numbers) and stay what they are.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPENAPI: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {}}, "description": "XLSX"}
}


# OWASP's list of the characters that make Excel, LibreOffice or WPS read a cell as a formula
# (or as DDE: ``=cmd|' /C calc'!A0``), also when the file is later saved as CSV.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """``value`` as a cell holds it safely: a leading formula trigger gets OWASP's single
    quote, so it is read as text by every spreadsheet, also after a save as CSV; control
    characters XML cannot carry (openpyxl would refuse the whole file) are dropped."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def cell_value(value: object) -> object:
    """A form's cell: text neutralised, ``None`` empty, numbers and dates as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return text(value)
    return value


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form(
    *,
    sheet: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[object]],
    title: str | None = None,
    lines: Sequence[str] = (),
    footer: Sequence[str] = (),
    widths: Sequence[int] = (),
) -> bytes:
    """One sheet laid out like a seed's table: a bold title, lines under it (单位名称…), the
    bold heading row, the rows, then the footer lines (单位(盖章), 年 月 日). Cells wrap;
    ``widths`` are column widths in characters (12 where not given). Every cell goes
    through ``cell_value``: no user text ever becomes a formula."""
    book = Workbook()
    page = book.active
    assert page is not None  # a new workbook always has its first sheet
    page.title = sheet
    if title:
        page.append([text(title)])
        page.cell(page.max_row, 1).font = Font(bold=True, size=14)
    for line in lines:
        page.append([text(line)])
    page.append([text(h) for h in headings])
    heading_row = page.max_row
    for cell in page[heading_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        page.append([cell_value(v) for v in row])
        for cell in page[page.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a shared string, never an <f>, whatever it starts with
    if footer:
        page.append([])
    for line in footer:
        page.append([text(line)])
    for i in range(len(headings)):
        page.column_dimensions[get_column_letter(i + 1)].width = (
            widths[i] if i < len(widths) else 12
        )
    page.freeze_panes = page.cell(heading_row + 1, 1)
    return save(book)


def attachment(content: bytes, filename: str, fallback: str) -> Response:
    """The workbook as a download named ``filename`` (Chinese, RFC 5987), ``fallback`` (ASCII)
    for clients that only read the plain parameter."""
    return Response(
        content,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{fallback}"; '
            f"filename*=UTF-8''{quote(filename)}"
        },
    )
