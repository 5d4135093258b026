"""The worked schedule as a workbook for analysts: one sheet, a heading row, a row per request.

Dates are date cells, amounts, prices and share counts numbers (a spreadsheet holds 15
significant digits; CSV and JSON carry the exact values), every text a text cell. Each number
column has one format, with the places its values need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from eql.ledger import ScheduleRow
from eql.schedule_view import COLUMNS, Column, Kind, places_needed, values
from eql.terms import Terms
from eql.workbook.cells import put, write_text
from eql.workbook.layout import EXAMPLE
from eql.workbook.properties import stamp
from eql.workbook.style import BOLD, DATE

SHEET = "Schedule"


def _format(kind: Kind, places: int) -> str | None:
    decimals = "." + "0" * places if places else ""
    if kind is Kind.MONEY:
        return f"#,##0{decimals}"
    if kind is Kind.COUNT:
        return "#,##0"
    if kind is Kind.PRICE:
        return f"0{decimals}"
    if kind is Kind.DATE:
        return DATE
    return None


def schedule_book(
    terms: Terms,
    rows: Sequence[ScheduleRow],
    columns: Sequence[Column] = COLUMNS,
    *,
    example: bool = False,
) -> Workbook:
    """A workbook holding ``rows``; the facility's name is its document title (said to be the
    built-in example's when ``example``)."""
    name = f"{EXAMPLE}: {terms.name}" if example else terms.name
    book = stamp(Workbook(), f"{name}: schedule")
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    cells = values(rows, terms, columns)
    for number, column in enumerate(columns, start=1):
        heading = column.heading(terms)
        write_text(sheet.cell(1, number), heading).font = BOLD
        kind_format = _format(
            column.kind, places_needed(column.kind, [row[number - 1] for row in cells])
        )
        widest = len(heading)
        for row_number, row in enumerate(cells, start=2):
            value = row[number - 1]
            cell = put(sheet, row_number, number, value)
            if kind_format is not None and isinstance(value, dt.date | Decimal | int):
                cell.number_format = kind_format
            widest = max(widest, len(str(value)) if value is not None else 0)
        sheet.column_dimensions[get_column_letter(number)].width = min(widest + 2, 60)
    sheet.freeze_panes = "A2"
    if cells:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(cells) + 1}"
    return book
