"""The template workbook a finance user runs the facility from, with the xlwings add-in.

Inputs are Excel Tables (Terms, Prices, Draws, CashUsed, Milestones, Reductions, Fees), so every
formula uses structured references and grows with the data. The Draws table carries formula
columns calling the EQL_ functions; the Summary sheet shows where the facility stands on a date.

Its structured references live in ``references``, the Draws formula columns in ``draw_formulas``,
the input validation in ``validation`` and the Summary sheet in ``summary``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from eql.facility import Facility
from eql.ledger import SCHEDULE_HEADER
from eql.quarters import fiscal_quarter
from eql.sources import needed_inputs
from eql.terms import FACILITY, TERMS_FILE, Terms
from eql.workbook import cells, layout, style
from eql.workbook.cells import Formula
from eql.workbook.draw_formulas import LEDGER_NAME, draw_formulas, price_gates_funding
from eql.workbook.layout import (
    CASH_USED,
    DRAW_FORMULA_COLUMNS,
    DRAWS,
    EXAMPLE,
    FEES,
    FIRST_ROW,
    HEADER_ROW,
    HOLDINGS,
    ISSUED,
    LAST_FORMATTED_ROW,
    MILESTONES,
    OUTSTANDING,
    PRICES,
    REDUCTIONS,
    TERMS,
    InputTable,
)
from eql.workbook.price_columns import prices_headings, prices_rows, rule_heading
from eql.workbook.properties import stamp
from eql.workbook.references import (
    CASH_RANGE,
    MILESTONES_RANGE,
    PRICES_RANGE,
    REDUCTIONS_RANGE,
    TERMS_RANGE,
)
from eql.workbook.summary import summary_sheet
from eql.workbook.validation import amount_rule, date_rule, list_rule, validate

EMPTY_DRAW_ROWS = 25
SPARE_DRAW_ROWS = 10


DRAW_FORMATS = {
    "Funding date": style.DATE,
    "Amount requested": style.MONEY,
    "First pricing date": style.DATE,
    "Last pricing date": style.DATE,
    "Average close": style.PRICE,
    "Price": style.PRICE,
    "Cap": style.MONEY,
    "Funded on": style.DATE,
    "Amount funded": style.MONEY,
    "Shares": style.WHOLE,
}
DRAW_WIDTHS = {
    "Funding date": 13,
    "Amount requested": 17,
    "Notes": 40,
    "Fiscal quarter": 13,
    "Term quarter": 8,
    "First pricing date": 13,
    "Last pricing date": 13,
    "Average close": 11,
    "Price": 11,
    "Cap": 16,
    "Check": 60,
    "Funded on": 13,
    "Amount funded": 16,
    "Shares": 14,
    "Restricted legend": 40,
    "Registration rights": 40,
}


def build_template(
    terms: Terms,
    facility: Facility | None = None,
    prices_note: str | None = None,
    *,
    example: bool = False,
) -> Workbook:
    """The template, empty or filled with a facility's inputs; ``prices_note`` heads Prices;
    ``example`` says in the Summary's title that the inputs are the built-in example's."""
    name = f"{EXAMPLE}: {terms.name}" if example else terms.name
    book = stamp(Workbook(), f"{name}: template")
    summary = book.active
    assert summary is not None
    summary.title = layout.SUMMARY_SHEET
    _terms_sheet(book, terms)
    _prices_sheet(book, terms, facility)
    if prices_note:
        cells.put(book[PRICES.sheet], 2, 1, prices_note)
    _draws_sheet(book, terms, facility)
    _cash_used_sheet(book, terms, facility)
    _milestones_sheet(book, terms, facility)
    # Inputs the terms never read (no cash-used limit, no milestones) are kept for the formulas
    # that pass them, but hidden: the workbook shows what the facility needs.
    needed = needed_inputs(terms)
    for spec in (CASH_USED, MILESTONES):
        if spec.key not in needed:
            book[spec.sheet].sheet_state = "hidden"
    for list_sheet in LIST_SHEETS:
        _list_sheet(book, list_sheet, facility)
    if terms.share_caps:  # the counts the share caps read, only where the terms name one
        for list_sheet in SHARE_SHEETS:
            _list_sheet(book, list_sheet, facility)
    summary_sheet(summary, terms, example=example)
    ledger = _schedule_sheet(book, terms, facility)
    _conf_sheet(book)
    book.defined_names["EQL_AS_OF"] = DefinedName("EQL_AS_OF", attr_text="Summary!$B$4")
    if price_gates_funding(terms):  # the Check column reads its status from the Schedule sheet
        book.defined_names[LEDGER_NAME] = DefinedName(LEDGER_NAME, attr_text=ledger)
    # On paper as the packs print: US Letter for a facility in USD, A4 for any other currency.
    for sheet in book.worksheets:
        sheet.page_setup.paperSize = style.paper_for(terms.currency)
    return book


def _sheet(book: Workbook, spec: InputTable, columns: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(spec.sheet)
    style.title(sheet, spec.sheet, spec.note)
    for index, name in enumerate(columns, start=1):
        cell = cells.put(sheet, HEADER_ROW, index, name)
        cell.font = style.BOLD
        cell.alignment = style.WRAP
    sheet.row_dimensions[HEADER_ROW].height = 30  # two lines: headings wrap in narrow columns
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    style.print_setup(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    return sheet


def _table(
    sheet: Worksheet,
    spec: InputTable,
    columns: Sequence[str],
    rows: int,
    formulas: dict[str, str] | None = None,
) -> Table:
    last = get_column_letter(len(columns))
    table = Table(
        displayName=spec.table,
        ref=f"A{HEADER_ROW}:{last}{HEADER_ROW + max(rows, 1)}",
        tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True),
    )
    for index, name in enumerate(columns, start=1):
        column = TableColumn(id=index, name=name)
        if formulas and name in formulas:
            column.calculatedColumnFormula = TableFormula(attr_text=formulas[name][1:])
        table.tableColumns.append(column)
    table.autoFilter = AutoFilter(ref=table.ref)
    sheet.add_table(table)
    return table


def _fill(sheet: Worksheet, rows: Sequence[Sequence[Any]], formats: Sequence[str | None]) -> None:
    for offset, values in enumerate(rows):
        for index, value in enumerate(values, start=1):
            cell = cells.put(sheet, FIRST_ROW + offset, index, value)
            if formats[index - 1]:
                cell.number_format = formats[index - 1]


def _blank_rows(sheet: Worksheet, first: int, count: int, formats: Sequence[str | None]) -> None:
    for row in range(first, first + count):
        for index, number_format in enumerate(formats, start=1):
            if number_format:
                sheet.cell(row, index).number_format = number_format


def _terms_sheet(book: Workbook, terms: Terms) -> None:
    sheet = _sheet(book, TERMS, TERMS.columns)
    # A built-in facility other than the default is named first: the other rows override its
    # terms. Terms read from a file are carried whole, the file named only as information
    # (TERMS_FILE), so the workbook computes wherever it is opened.
    if terms.source.lower().endswith(".toml"):
        named = [(TERMS_FILE, PurePath(terms.source).name)]
    else:
        named = [(FACILITY, terms.source)] if terms.source else []
    rows = [*named, *((name, value) for name, value in terms.entries)]
    _table(sheet, TERMS, TERMS.columns, len(rows))
    for offset, (name, value) in enumerate(rows):
        cells.put(sheet, FIRST_ROW + offset, 1, name)
        cell = cells.put(sheet, FIRST_ROW + offset, 2, value)
        if isinstance(value, dt.date):
            cell.number_format = style.DATE
        cell.fill = style.INPUT_FILL
    style.widths(sheet, {"A": 34, "B": 70})


def _prices_sheet(book: Workbook, terms: Terms, facility: Facility | None) -> None:
    # The columns the terms read and no others: the daily price headed as the terms price on it
    # (Close, Bid, VWAP), the day's low only where the rule reads it.
    columns = prices_headings(terms)
    sheet = _sheet(book, PRICES, columns)
    formats = (style.DATE, *(style.DAILY_PRICE for _ in columns[1:]))
    rows = prices_rows(facility) if facility else []
    _table(sheet, PRICES, columns, len(rows))
    _fill(sheet, rows, formats)
    _blank_rows(sheet, FIRST_ROW + len(rows), 1 if not rows else 0, formats)
    validate(sheet, "A", date_rule())
    for column in range(2, len(columns) + 1):
        validate(sheet, get_column_letter(column), amount_rule())
    style.widths(sheet, {"A": 13, **{get_column_letter(c): 11 for c in range(2, len(columns) + 1)}})


def _draws_sheet(book: Workbook, terms: Terms, facility: Facility | None) -> None:
    # The rule's value is headed as the facility's rule takes it ("Lowest VWAP", "Mean of 3
    # lowest closes"); formats and widths stay keyed by the column's place.
    named = {"Average close": rule_heading(terms)}
    columns = tuple(named.get(name, name) for name in (*DRAWS.columns, *DRAW_FORMULA_COLUMNS))
    canonical = {named.get(name, name): name for name in (*DRAWS.columns, *DRAW_FORMULA_COLUMNS)}
    sheet = _sheet(book, DRAWS, columns)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 2)
    formulas = {named.get(name, name): formula for name, formula in draw_formulas(terms).items()}
    requests = sorted(facility.requests, key=lambda d: (d.date, d.row)) if facility else []
    count = len(requests) + SPARE_DRAW_ROWS if facility else EMPTY_DRAW_ROWS
    _table(sheet, DRAWS, columns, count, formulas)
    for offset in range(count):
        row = FIRST_ROW + offset
        if offset < len(requests):
            request = requests[offset]
            assert facility is not None
            cells.put(sheet, row, 1, request.date)
            cells.put(sheet, row, 2, request.amount)
            cells.put(sheet, row, 3, facility.notes.get(request.row))
        for index, name in enumerate(columns, start=1):
            cell = sheet.cell(row, index)
            if name in formulas:
                cells.write_formula(cell, Formula(formulas[name]))
            else:
                cell.fill = style.INPUT_FILL
            if canonical[name] in DRAW_FORMATS:
                cell.number_format = DRAW_FORMATS[canonical[name]]
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = DRAW_WIDTHS[canonical[name]]
    last_column = get_column_letter(len(columns))
    check = get_column_letter(columns.index("Check") + 1)
    sheet.conditional_formatting.add(
        f"A{FIRST_ROW}:{last_column}{LAST_FORMATTED_ROW}",
        FormulaRule(
            formula=[f'AND($A{FIRST_ROW}<>"",LEFT(${check}{FIRST_ROW},2)<>"OK")'],
            fill=style.RED_FILL,
        ),
    )
    # Each row is checked against the rows above it, so the ledger holds only in date order.
    sheet.conditional_formatting.add(
        f"A{FIRST_ROW + 1}:A{LAST_FORMATTED_ROW}",
        FormulaRule(
            formula=[
                f'AND($A{FIRST_ROW + 1}<>"",ISNUMBER($A{FIRST_ROW}),$A{FIRST_ROW + 1}<$A{FIRST_ROW})'
            ],
            fill=style.ORANGE_FILL,
        ),
    )
    validate(sheet, "A", date_rule())
    validate(sheet, "B", amount_rule())


def _cash_used_sheet(book: Workbook, terms: Terms, facility: Facility | None) -> None:
    sheet = _sheet(book, CASH_USED, CASH_USED.columns)
    rows = sorted(facility.cash_used.items()) if facility else []
    _table(sheet, CASH_USED, CASH_USED.columns, max(len(rows), 8))
    formats = (None, style.MONEY)
    _fill(sheet, rows, formats)
    _blank_rows(sheet, FIRST_ROW + len(rows), max(8 - len(rows), 0), formats)
    for row in range(FIRST_ROW, FIRST_ROW + max(len(rows), 8)):
        for column in (1, 2):
            sheet.cell(row, column).fill = style.INPUT_FILL
    validate(sheet, "A", list_rule(term_fiscal_quarters(terms), "A fiscal quarter"))
    validate(sheet, "B", amount_rule(zero=True))
    style.widths(sheet, {"A": 15, "B": 16})


def term_fiscal_quarters(terms: Terms) -> list[str]:
    """The labels of the fiscal quarters that the term touches, in order."""
    labels: list[str] = []
    day = terms.term_start
    while day <= terms.term_end:
        quarter = fiscal_quarter(day, terms)
        labels.append(quarter.label)
        day = quarter.end + dt.timedelta(days=1)
    return labels


def _milestones_sheet(book: Workbook, terms: Terms, facility: Facility | None) -> None:
    columns = (*MILESTONES.columns, "What it means")
    sheet = _sheet(book, MILESTONES, columns)
    known = facility.milestones if facility else {}
    rows = [(key, known.get(key), text) for key, text in terms.milestones]
    _table(sheet, MILESTONES, columns, len(rows))
    _fill(sheet, rows, (None, style.DATE, None))
    for row in range(FIRST_ROW, FIRST_ROW + len(rows)):
        sheet.cell(row, 2).fill = style.INPUT_FILL
        sheet.cell(row, 2).number_format = style.DATE
        sheet.cell(row, 3).alignment = style.WRAP
    validate(sheet, "A", list_rule([key for key, _ in terms.milestones], "A milestone key"))
    validate(sheet, "B", date_rule())
    style.widths(sheet, {"A": 14, "B": 13, "C": 90})


@dataclass(frozen=True)
class _ListSheet:
    """An input table that is a plain list of rows: its columns' formats, validations and
    widths, the facility's rows, and how many rows an empty one starts with."""

    spec: InputTable
    rows: Callable[[Facility], list[tuple[Any, ...]]]
    minimum: int
    formats: tuple[str | None, ...]
    rules: tuple[Callable[[], DataValidation], ...]
    widths: tuple[float, ...]


LIST_SHEETS = (
    _ListSheet(
        REDUCTIONS,
        lambda facility: [(r.date, r.third_party, r.elected) for r in facility.reductions],
        3,
        (style.DATE, style.MONEY, style.MONEY),
        (date_rule, amount_rule, amount_rule),
        (13, 22, 17),
    ),
    _ListSheet(
        FEES,
        lambda facility: [(f.requested, f.amount, f.reimbursed) for f in facility.fees],
        5,
        (style.DATE, style.MONEY, style.DATE),
        (date_rule, amount_rule, date_rule),
        (13, 14, 13),
    ),
)


SHARE_SHEETS = (
    _ListSheet(
        ISSUED,
        lambda facility: (
            [(i.date, i.shares, i.paid) for i in facility.share_inputs.issued]
            if facility.share_inputs
            else []
        ),
        3,
        (style.DATE, style.WHOLE, style.MONEY),
        (date_rule, amount_rule, lambda: amount_rule(zero=True)),
        (13, 14, 14),
    ),
    _ListSheet(
        OUTSTANDING,
        lambda facility: (
            [(c.date, c.shares) for c in facility.share_inputs.outstanding]
            if facility.share_inputs
            else []
        ),
        5,
        (style.DATE, style.WHOLE),
        (date_rule, amount_rule),
        (13, 16),
    ),
    _ListSheet(
        HOLDINGS,
        lambda facility: (
            [(c.date, c.shares) for c in facility.share_inputs.holdings]
            if facility.share_inputs
            else []
        ),
        5,
        (style.DATE, style.WHOLE),
        (date_rule, lambda: amount_rule(zero=True)),
        (13, 16),
    ),
)


def _list_sheet(book: Workbook, sheet_spec: _ListSheet, facility: Facility | None) -> None:
    spec = sheet_spec.spec
    sheet = _sheet(book, spec, spec.columns)
    rows = sheet_spec.rows(facility) if facility else []
    count = max(len(rows), sheet_spec.minimum)
    _table(sheet, spec, spec.columns, count)
    _fill(sheet, rows, sheet_spec.formats)
    _blank_rows(sheet, FIRST_ROW + len(rows), count - len(rows), sheet_spec.formats)
    for index, rule in enumerate(sheet_spec.rules, start=1):
        validate(sheet, get_column_letter(index), rule())
    style.widths(sheet, {get_column_letter(i): w for i, w in enumerate(sheet_spec.widths, start=1)})


# EQL_SCHEDULE returns a header row and one row per request; the block is sized for the Draws rows.
SCHEDULE_COLUMNS = len(SCHEDULE_HEADER)


def schedule_formula(terms: Terms) -> str:
    return (
        f"=EQL_SCHEDULE(Draws[[Funding date]:[Amount requested]],{PRICES_RANGE},{CASH_RANGE},"
        f"{MILESTONES_RANGE},{REDUCTIONS_RANGE},{TERMS_RANGE}{share_counts(terms)})"
    )


def share_counts(terms: Terms) -> str:
    """The share caps' inputs as EQL_SCHEDULE's last arguments (issued, outstanding, holdings)
    where the terms name a share cap; nothing otherwise."""
    if not terms.share_caps:
        return ""
    return f",{ISSUED.table},{OUTSTANDING.table},{HOLDINGS.table}"


def _schedule_sheet(book: Workbook, terms: Terms, facility: Facility | None) -> str:
    """The Schedule sheet; returns the reference of its EQL_SCHEDULE block."""
    sheet = book.create_sheet(layout.SCHEDULE_SHEET)
    cells.put(
        sheet,
        1,
        1,
        "The whole ledger in one formula (EQL_SCHEDULE), an alternative view of the Draws sheet.",
    ).font = style.NOTE
    rows = (len(facility.requests) + SPARE_DRAW_ROWS) if facility else EMPTY_DRAW_ROWS
    last = get_column_letter(SCHEDULE_COLUMNS)
    cells.put(sheet, 2, 1, ArrayFormula(f"A2:{last}{2 + rows}", schedule_formula(terms)))
    style.widths(sheet, {get_column_letter(i): 15 for i in range(1, SCHEDULE_COLUMNS + 1)})
    style.print_setup(sheet)
    return f"{quote_sheetname(sheet.title)}!$A$2:${last}${2 + rows}"


def _conf_sheet(book: Workbook) -> None:
    # The xlwings add-in reads its settings from a sheet of this name: Import Functions imports
    # the UDF modules named here.
    sheet = book.create_sheet(layout.CONF_SHEET)
    cells.put(sheet, 1, 1, "UDF Modules")
    cells.put(sheet, 1, 2, layout.UDF_MODULES)
    style.widths(sheet, {"A": 16, "B": 16})
