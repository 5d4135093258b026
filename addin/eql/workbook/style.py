"""Formats shared by the template and the packs: number formats wide enough that nothing shows ###."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from eql.workbook import cells

DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
WHOLE = "#,##0"
PRICE = "0.0000##"  # a price has at most as many decimals as the engine gives; 4 shown at least
PCT = "0%"

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
NOTE = Font(italic=True, color="555555")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells a user types in
RED_FILL = PatternFill("solid", fgColor="F4C7C3")
GREEN_FILL = PatternFill("solid", fgColor="D9EAD3")
ORANGE_FILL = PatternFill("solid", fgColor="FCE5CD")
WRAP = Alignment(wrap_text=True, vertical="top")


def number_format_for(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.date):
        return DATE
    return None


def title(sheet: Worksheet, text: str, note: str) -> None:
    cells.put(sheet, 1, 1, text).font = TITLE
    cells.put(sheet, 2, 1, note).font = NOTE


def widths(sheet: Worksheet, columns: Mapping[str, float]) -> None:
    for letter, width in columns.items():
        sheet.column_dimensions[letter].width = width


def print_setup(sheet: Worksheet, *, landscape: bool = True, title_rows: str | None = None) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    if title_rows:
        sheet.print_title_rows = title_rows
