"""The Reductions and Fees sheets: the commitment reductions in force, and the legal fees the
investor asked to be reimbursed, each with checks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.writer import HEADER, PackWriter, red_when_false, within


@dataclass(frozen=True)
class LedgersLayout:
    fees_outstanding: str  # the cell of the fees outstanding


def ledger_sheets(writer: PackWriter, found: PackFacts) -> LedgersLayout:
    _reductions_sheet(writer, found)
    return LedgersLayout(_fees_sheet(writer, found))


def _reductions_sheet(writer: PackWriter, found: PackFacts) -> None:
    terms = found.terms
    sheet = writer.sheet(
        "Reductions",
        "Commitment reductions in force",
        "After a third-party financing the investor may reduce the commitment, by up to that "
        "amount and at most what is unfunded.",
    )
    names = (
        "Date",
        "Third-party financing",
        "Amount elected",
        "Unfunded on the date",
        "In force",
        "Check: unfunded",
        "Check: in force",
    )
    writer.header(sheet, HEADER, names)
    reductions = found.facts.reductions
    same_day = "<=" if terms.reduction_same_day_draws_funded else "<"
    for offset, effective in enumerate(reductions, start=1):
        row = HEADER + offset
        reduction = effective.reduction
        writer.put(sheet, row, 1, reduction.date)
        writer.put(sheet, row, 2, reduction.third_party, style.MONEY)
        writer.put(sheet, row, 3, reduction.elected, style.MONEY)
        writer.put(sheet, row, 4, effective.unfunded, style.MONEY)
        writer.put(sheet, row, 5, effective.amount, style.MONEY)
        earlier = f"SUM(E${HEADER}:E{row - 1})"
        funded = f'SUMIFS(Draws!$C:$C,Draws!$A:$A,"{same_day}"&A{row})'
        writer.check(sheet, row, 6, within(f"D{row}", f"MAX(Commitment-{earlier}-{funded},0)"))
        bounds = [f"C{row}"]
        if reduction.third_party is not None:
            bounds.append(f"B{row}")
        if terms.reduction_capped_at_unfunded:
            bounds.append(f"D{row}")
        writer.check(sheet, row, 7, within(f"E{row}", f"MIN({','.join(bounds)})"))
    total_row = HEADER + len(reductions) + 2
    writer.put(sheet, total_row, 4, "Total in force")
    sheet.cell(total_row, 4).font = style.BOLD
    in_force = found.reductions_in_force(found.as_of)
    writer.put(sheet, total_row, 5, in_force or Decimal(0), style.MONEY)
    writer.name("ReductionsInForce", sheet, f"E{total_row}")
    if reductions:
        span = f"E{HEADER + 1}:E{HEADER + len(reductions)}"
        writer.check(sheet, total_row, 6, within(f"E{total_row}", f"SUM({span})"))
        red_when_false(sheet, f"F{HEADER + 1}:G{total_row}")
    widths = (11, 14, 14, 14, 14, 11, 11)
    style.widths(sheet, dict(zip("ABCDEFG", widths, strict=True)))


def _fees_sheet(writer: PackWriter, found: PackFacts) -> str:
    as_of = found.as_of
    sheet = writer.sheet(
        "Fees",
        "Legal fees and expenses",
        "Requested by the investor up to the quarter's end; reimbursed ones show the date paid.",
        landscape=False,
    )
    writer.header(sheet, HEADER, ("Requested", "Amount", "Reimbursed", "Status", "Check: status"))
    fees = found.facility.fees
    outstanding = Decimal(0)
    for offset, fee in enumerate(fees, start=1):
        row = HEADER + offset
        paid = fee.reimbursed if fee.reimbursed is not None and fee.reimbursed <= as_of else None
        if paid is None:
            outstanding += fee.amount
        writer.put(sheet, row, 1, fee.requested)
        writer.put(sheet, row, 2, fee.amount, style.MONEY)
        writer.put(sheet, row, 3, paid, style.DATE)
        writer.put(sheet, row, 4, "reimbursed" if paid else "outstanding")
        writer.check(sheet, row, 5, f'=IF(ISNUMBER(C{row}),"reimbursed","outstanding")=D{row}')
    row = HEADER + len(fees) + 2
    writer.put(sheet, row, 1, "Outstanding")
    sheet.cell(row, 1).font = style.BOLD
    writer.put(sheet, row, 2, outstanding, style.MONEY)
    if fees:
        first, last = HEADER + 1, row - 2
        writer.check(
            sheet,
            row,
            5,
            within(f"B{row}", f'SUMIFS(B{first}:B{last},D{first}:D{last},"outstanding")'),
        )
        red_when_false(sheet, f"E{HEADER + 1}:E{row}")
    style.widths(sheet, {"A": 13, "B": 14, "C": 13, "D": 13, "E": 12})
    return f"Fees!$B${row}"
