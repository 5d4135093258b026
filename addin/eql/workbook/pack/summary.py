"""The Summary sheet: where the facility stands on the quarter's last day, each value beside a
check that recomputes it from the other sheets, and whether every check of the pack agrees."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from eql.vocabulary import LimitKind
from eql.workbook import style
from eql.workbook.cells import Formula
from eql.workbook.layout import EXAMPLE
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.ledgers import LedgersLayout
from eql.workbook.pack.limits import LimitsLayout
from eql.workbook.pack.writer import (
    HEADER,
    PackWriter,
    and_of_many,
    funded_sum,
    red_when_false,
    within,
)

EXAMPLE_NOTE = (
    f"{EXAMPLE}: computed from eql's built-in example facility and its illustrative closes, "
    "not from a real facility's records."
)
EXAMPLE_FONT = Font(bold=True, color="C00000")


@dataclass(frozen=True)
class Line:
    """One line of the Summary: its value, and the check of it, given the cell of every line by
    its key."""

    key: str
    label: str
    value: Any
    number_format: str | None = None
    check: Callable[[Mapping[str, str]], str] | None = None


def _lines(found: PackFacts, limits: LimitsLayout, ledgers: LedgersLayout) -> list[Line]:
    terms, last_day = found.terms, found.last_day
    rooms = {room.key: room for room in last_day.rooms}
    commitment = found.limit(LimitKind.COMMITMENT)
    per_period = found.limit(LimitKind.PER_PERIOD)
    cash_used = found.limit(LimitKind.CASH_USED)
    lines = [
        Line("quarter", "Fiscal quarter", found.quarter.label),
        Line("as_of", "As of", found.as_of, style.DATE, lambda at: f"={at['as_of']}=AsOf"),
        Line(
            "commitment",
            "Commitment",
            terms.commitment,
            style.MONEY,
            lambda at: f"={at['commitment']}=Commitment",
        ),
    ]
    if commitment is not None:
        lines.append(
            Line(
                "reductions",
                "Reductions in force",
                found.reductions_in_force(found.as_of),
                style.MONEY,
                lambda at: within(at["reductions"], "ReductionsInForce"),
            )
        )
    lines += [
        Line(
            "funded_quarter",
            "Funded in the quarter",
            found.funded_in_quarter,
            style.MONEY,
            lambda at: within(at["funded_quarter"], funded_sum("AsOf", "QuarterStart")),
        ),
        Line(
            "funded",
            "Funded to date",
            found.funded_to_date,
            style.MONEY,
            lambda at: within(at["funded"], "SUM(Draws!$C:$C)"),
        ),
    ]
    if commitment is not None:
        lines.append(
            Line(
                "remaining",
                "Remaining commitment",
                rooms[commitment.key].room,
                style.MONEY,
                lambda at: within(
                    at["remaining"], f"{at['commitment']}-{at['reductions']}-{at['funded']}"
                ),
            )
        )
    if per_period is not None:
        row = limits.rows[per_period.key]
        lines.append(
            Line(
                "period_room",
                "Term-quarter room on the last day",
                rooms[per_period.key].room,
                style.MONEY,
                lambda at: f"={at['period_room']}=Limits!F{row}",
            )
        )
    if cash_used is not None:
        cash_row = limits.rows[cash_used.key]
        lines += [
            Line(
                "cash_cap",
                "Cash-used cap for the quarter",
                rooms[cash_used.key].allowed,
                style.MONEY,
                lambda at: f"={at['cash_cap']}=Limits!D{cash_row}",
            ),
            Line(
                "cash_funded",
                "Funded against the cash-used cap",
                rooms[cash_used.key].used,
                style.MONEY,
                lambda at: f"={at['cash_funded']}=Limits!E{cash_row}",
            ),
        ]
    in_quarter = found.in_quarter
    in_dates = 'Draws!$A:$A,">="&QuarterStart,Draws!$A:$A,"<="&AsOf'
    lines += [
        Line(
            "cap",
            "Cap on the last day",
            last_day.amount,
            style.MONEY,
            lambda at: f"={at['cap']}=Limits!F{limits.cap_row}",
        ),
        Line("binds", "What binds", last_day.binds),
        Line(
            "requested",
            "Draws requested in the quarter",
            len(in_quarter),
            None,
            lambda at: f"={at['requested']}=COUNTIFS({in_dates})",
        ),
        Line(
            "blocked",
            "Blocked in the quarter",
            sum(1 for row in in_quarter if not row.check.ok),
            None,
            lambda at: f"={at['blocked']}=COUNTIFS({in_dates},Draws!$C:$C,0)",
        ),
        Line(
            "failing",
            "Conditions failing on the last day",
            Formula('=COUNTIF(Conditions!$D:$D,"FAILS")'),
            style.WHOLE,
        ),
        Line(
            "fees",
            "Legal fees outstanding",
            Formula(f"={ledgers.fees_outstanding}"),
            style.MONEY,
        ),
    ]
    return lines


def summary_sheet(
    writer: PackWriter,
    sheet: Worksheet,
    found: PackFacts,
    limits: LimitsLayout,
    ledgers: LedgersLayout,
) -> None:
    sheet.title = "Summary"
    writer.setup(
        sheet,
        found.name,
        f"As of {found.as_of}. Values computed by eql from the term sheet; every check cell "
        "recomputes one of them with spreadsheet formulas.",
    )
    if found.example:
        writer.put(sheet, 3, 1, EXAMPLE_NOTE)
        sheet.cell(3, 1).font = EXAMPLE_FONT
    writer.header(sheet, HEADER, ("", "Value", "Check"))
    lines = _lines(found, limits, ledgers)
    at = {line.key: f"B{HEADER + offset}" for offset, line in enumerate(lines, start=1)}
    for offset, line in enumerate(lines, start=1):
        row = HEADER + offset
        writer.put(sheet, row, 1, line.label)
        sheet.cell(row, 1).font = style.BOLD
        writer.put(sheet, row, 2, line.value, line.number_format)
        sheet.cell(row, 2).alignment = style.WRAP
        if line.check is not None:
            writer.check(sheet, row, 3, line.check(at))
    all_row = HEADER + len(lines) + 2
    writer.put(sheet, all_row, 1, "All checks agree")
    sheet.cell(all_row, 1).font = style.TITLE
    others = [f"'{s}'!{c}" for s, c in writer.checks]
    writer.formula(sheet, all_row, 2, and_of_many(others))
    sheet.cell(all_row, 2).font = style.TITLE
    writer.put(
        sheet,
        all_row + 1,
        1,
        f"{len(others)} check cells; each is TRUE when the spreadsheet's own formula agrees with "
        "eql's value.",
    )
    sheet.cell(all_row + 1, 1).font = style.NOTE
    red_when_false(sheet, f"C{HEADER + 1}:C{all_row - 1}")
    red_when_false(sheet, f"B{all_row}")
    style.widths(sheet, {"A": 34, "B": 30, "C": 8})
