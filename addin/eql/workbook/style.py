"""Formats shared by the template and the packs: number formats wide enough that nothing shows ###."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from eql.workbook import cells

DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
WHOLE = "#,##0"
PRICE = "0.0000##"
# A day's close, bid, VWAP or low as given: cents at least, up to 6 decimals (a VWAP has more).
DAILY_PRICE = (
    "#,##0.00####"  # a price has at most as many decimals as the engine gives; 4 shown at least
)
PCT = "0%"

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
NOTE = Font(italic=True, color="555555")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells a user types in
RED_FILL = PatternFill("solid", fgColor="F4C7C3")
GREEN_FILL = PatternFill("solid", fgColor="D9EAD3")
ORANGE_FILL = PatternFill("solid", fgColor="FCE5CD")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_INDENTED = Alignment(
    horizontal="left", wrap_text=True, vertical="top", indent=1
)  # text beside a number


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


def header_row(sheet: Worksheet, row: int, names: Sequence[str]) -> None:
    """A table's headings in bold, wrapped in their columns (:func:`fit_rows` sizes the row)."""
    for column, name in enumerate(names, start=1):
        cell = cells.put(sheet, row, column, name)
        cell.font = BOLD
        cell.alignment = WRAP


# Points a line of 11-point text takes, and the characters of it a column of width 1 holds.
LINE_HEIGHT = 15
CHARACTERS_PER_WIDTH = 1.15
BOLD_CHARACTERS_PER_WIDTH = 0.9  # bold text is wider
DEFAULT_WIDTH = 8.43


def fit_rows(sheet: Worksheet) -> None:
    """Give every row holding wrapped text the height of its longest wrapped cell.

    A spreadsheet sizes such rows itself only when it recalculates layout; LibreOffice opening an
    openpyxl file keeps the default height, so a two-line heading overlaps the row below and a
    long status is cut. The lines are estimated from the text's length and the column's width.
    """
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            if not (cell.alignment and cell.alignment.wrap_text) or not isinstance(cell.value, str):
                continue
            if cell.data_type == "f":
                continue
            width = sheet.column_dimensions[cell.column_letter].width or DEFAULT_WIDTH
            per_width = BOLD_CHARACTERS_PER_WIDTH if cell.font.b else CHARACTERS_PER_WIDTH
            lines = max(lines, _lines(cell.value, width * per_width))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
            for cell in row:  # every value of a tall row at its top, level with the text
                if cell.value is not None:
                    cell.alignment = Alignment(
                        horizontal=cell.alignment.horizontal,
                        vertical="top",
                        wrap_text=cell.alignment.wrap_text,
                        indent=cell.alignment.indent,
                    )


def _lines(text: str, room: float) -> int:
    """The lines ``text`` takes when wrapped at word boundaries in ``room`` characters."""
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                count += 1
                used = len(word)
            else:
                used += (1 if used else 0) + len(word)
    return max(count, 1)


# The paper of a facility's printed pages, by the currency of its terms: US Letter for a US
# facility, A4 elsewhere.
LETTER_CURRENCIES = frozenset({"USD"})


LETTER = 1  # the file format's paper size codes (Worksheet.PAPERSIZE_LETTER ...)
A4 = 9


def paper_for(currency: str) -> int:
    return LETTER if currency in LETTER_CURRENCIES else A4


def print_setup(
    sheet: Worksheet,
    *,
    landscape: bool = True,
    title_rows: str | None = None,
    footer: str | None = None,
    paper: int = LETTER,
    fit_width: bool = True,
) -> None:
    """Pages as a reader prints them: one page wide, headings repeated, numbered in the footer."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = paper
    sheet.page_setup.fitToWidth = 1 if fit_width else 0
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = fit_width
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = 0.6
    sheet.page_margins.bottom = 0.75
    sheet.page_margins.footer = 0.3
    if title_rows:
        sheet.print_title_rows = title_rows
    if footer is not None:
        sheet.oddFooter.left.text = footer
        sheet.oddFooter.left.size = 8
        sheet.oddFooter.right.text = "Page &P of &N"
        sheet.oddFooter.right.size = 8


PRINT_MARGIN = 0.72
# Printable width of a landscape page with the margins of print_setup, in points.
LANDSCAPE_WIDTH = {LETTER: (11 - 1) * 72, A4: (11.69 - 1) * 72}


def _points(width: float) -> float:
    """A column of ``width`` characters, in points (7 pixels a character and 5 of padding)."""
    return (int(width * 7) + 5) * 0.75


def print_in_blocks(sheet: Worksheet, breaks: Sequence[int], paper: int) -> None:
    """A wide sheet printed landscape in blocks of columns, each block a page wide: a page break
    after each column numbered in ``breaks``, column A (the date) repeated on every page, and
    one scale that fits the widest block."""
    last = sheet.max_column
    edges = [0, *breaks, last]
    first_width = _points(sheet.column_dimensions["A"].width or DEFAULT_WIDTH)
    widest = 0.0
    for start, end in itertools.pairwise(edges):
        block = sum(
            _points(sheet.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH)
            for c in range(start + 1, end + 1)
        )
        widest = max(widest, block + (first_width if start else 0))
    for column in breaks:
        sheet.col_breaks.append(Break(id=column))
    sheet.print_title_cols = "A:A"
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.page_setup.fitToWidth = 0
    # The width estimate runs short of what a spreadsheet prints (fonts, cell padding): a
    # margin keeps each block on its page.
    scale = 100 * PRINT_MARGIN * LANDSCAPE_WIDTH[paper] / widest
    sheet.page_setup.scale = max(10, min(100, int(scale)))
