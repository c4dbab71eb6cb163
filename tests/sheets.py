"""Reading the XLSX files the services send, as a spreadsheet would."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from openpyxl import load_workbook

# Cell texts an attacker would choose: each would run as a formula or DDE if written as one.
FORMULAS = {
    "hyperlink": '=HYPERLINK("http://evil.example/x","x")',
    "dde": "=cmd|' /C calc'!A0",
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


def neutralised(text: str) -> str:
    """What the export must hold for ``text`` as read back: OWASP's leading single quote
    (and a CR as XML reads it back, a line feed)."""
    return "'" + text.replace("\r", "\n")


def formulas(content: bytes) -> list[str]:
    """Every formula element in any sheet of the workbook."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return [
            formula
            for name in book.namelist()
            if name.startswith("xl/worksheets/")
            for formula in re.findall(r"<f\b[^>]*>.*?</f>|<f\b[^>]*/>", book.read(name).decode())
        ]


def rows_of(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]
