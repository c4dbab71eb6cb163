"""The import template (导入模板): the headings, and a sheet explaining each column."""

from __future__ import annotations

from kit import xlsx
from openpyxl import Workbook
from openpyxl.styles import Font

from registry.service.imports.columns import COLUMNS, TEMPLATE_HEADINGS


def template_xlsx() -> bytes:
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
