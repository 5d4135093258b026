"""The template's Summary sheet: where the facility stands on an as-of date, and every limit."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from eql.market import limits_read_market
from eql.terms import Terms
from eql.workbook import cells, style
from eql.workbook.cells import Formula
from eql.workbook.layout import EXAMPLE
from eql.workbook.price_columns import prices_headings
from eql.workbook.references import (
    CASH_RANGE,
    FUNDED_ALL,
    MILESTONES_RANGE,
    REDUCTIONS_RANGE,
    TERMS_RANGE,
    market_prices,
    term_value,
)

# The Summary's rows; the limits block below them is EQL_CAP_DETAIL's table.
NOTICE_ROW = 3
AS_OF_ROW = 4
FUNCTIONS_MISSING = (
    "The EQL_ functions are not loaded, so every cell that uses them shows an error: see the "
    "README, Setting up Excel or Setting up LibreOffice."
)
NOTICE_FONT = Font(bold=True, color="C00000")


def functions_missing_formula() -> str:
    """Says so when the add-in is missing: an EQL_ function that is loaded answers every input
    with a value or a text, never a spreadsheet error, so only a missing one gives an error."""
    return (
        f'=IF(ISERROR(EQL_FISCAL_QUARTER($B${AS_OF_ROW},{TERMS_RANGE})),"{FUNCTIONS_MISSING}","")'
    )


DETAIL_ROW = 16


def cap_detail_formula(terms: Terms) -> str:
    return (
        f"=EQL_CAP_DETAIL($B${AS_OF_ROW},{FUNDED_ALL},{CASH_RANGE},{REDUCTIONS_RANGE},"
        f"{TERMS_RANGE}{market_prices(terms)})"
    )


AS_OF_AFTER_PRICES = "As of (the day after the latest price)"


def as_of_row(terms: Terms) -> tuple[str, str]:
    """The As-of row's label and formula: today, or the term's last day once it is over. Where a
    limit reads market data before a date (a limit by traded value), no later than the day after
    the latest date the Prices table holds: the limits are then worked from prices entered, not
    errors until the market data reaches today; the label says so."""
    end = term_value("facility.term_end")
    if not limits_read_market(terms):
        return "As of", f"=MIN(TODAY(),{end})"
    dates = f"Prices[{prices_headings(terms)[0]}]"
    return (
        AS_OF_AFTER_PRICES,
        f"=IF(COUNT({dates})=0,MIN(TODAY(),{end}),MIN(TODAY(),{end},MAX({dates})+1))",
    )


def summary_sheet(sheet: Worksheet, terms: Terms, *, example: bool) -> None:
    style.title(
        sheet,
        f"{EXAMPLE}: {terms.name}" if example else terms.name,
        "Computed by the EQL_ functions of the eql add-in. Yellow cells are inputs: set the "
        "As-of date to see the facility on that day.",
    )
    cells.put(sheet, NOTICE_ROW, 1, Formula(functions_missing_formula())).font = NOTICE_FONT
    limits = terms.limits
    detail_last = DETAIL_ROW + len(limits) + 1
    total = next((i for i, limit in enumerate(limits) if limit.kind == "commitment"), None)
    cap_row = detail_last
    as_of = f"$B${AS_OF_ROW}"
    rows: list[tuple[str, str, str | None]] = [
        (*as_of_row(terms), style.DATE),
        ("Commitment", f"={term_value('facility.commitment')}", style.MONEY),
        ("Requested", "=SUM(Draws[Amount requested])", style.MONEY),
        (
            "Funded by the as-of date",
            f'=SUMIFS(Draws[Amount funded],Draws[Funded on],"<="&{as_of})',
            style.MONEY,
        ),
    ]
    if total is not None:
        total_row = DETAIL_ROW + 1 + total
        rows += [
            ("Reductions in force", f"=B{AS_OF_ROW + 1}-B{total_row}", style.MONEY),
            ("Remaining commitment", f"=D{total_row}", style.MONEY),
        ]
    rows += [
        ("Room on the as-of date", f"=D{cap_row}", style.MONEY),
        ("What binds", f"=E{cap_row}", None),
        # Without the add-in every Amount funded is an error: the count shows that error (the
        # one SUM passes on), never 0.
        (
            "Draws blocked",
            "=IF(ISERROR(SUM(Draws[Amount funded])),SUM(Draws[Amount funded]),"
            "COUNTIF(Draws[Amount funded],0))",
            style.WHOLE,
        ),
        (
            "Conditions on the as-of date",
            f"=EQL_STATUS({as_of},{MILESTONES_RANGE},{TERMS_RANGE})",
            None,
        ),
    ]
    for offset, (label, formula, number_format) in enumerate(rows):
        cells.put(sheet, AS_OF_ROW + offset, 1, label).font = style.BOLD
        cell = cells.put(sheet, AS_OF_ROW + offset, 2, Formula(formula))
        if number_format:
            cell.number_format = number_format
    sheet[f"B{AS_OF_ROW}"].fill = style.INPUT_FILL
    status = f"B{AS_OF_ROW + len(rows) - 1}"
    sheet[status].alignment = style.WRAP
    sheet.conditional_formatting.add(
        status, FormulaRule(formula=[f'LEFT({status},2)<>"OK"'], fill=style.RED_FILL)
    )
    sheet.conditional_formatting.add(
        status, FormulaRule(formula=[f'LEFT({status},2)="OK"'], fill=style.GREEN_FILL)
    )
    cells.put(
        sheet, DETAIL_ROW - 1, 1, "Every limit on the as-of date (EQL_CAP_DETAIL)"
    ).font = style.BOLD
    block = f"A{DETAIL_ROW}:E{detail_last}"
    cells.put(sheet, DETAIL_ROW, 1, ArrayFormula(block, cap_detail_formula(terms)))
    for row in range(DETAIL_ROW + 1, detail_last + 1):
        for column in "BCD":
            sheet[f"{column}{row}"].number_format = style.MONEY
    style.widths(sheet, {"A": 30, "B": 18, "C": 18, "D": 18, "E": 70})
    sheet.freeze_panes = "A4"
    style.print_setup(sheet)
