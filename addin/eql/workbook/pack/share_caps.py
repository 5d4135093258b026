"""The Share caps sheet: each cap the terms count in shares (the exchange cap, the investor's
ownership cap) on the quarter's last day, as the engine finds it, with the counts it is worked
from and checks that recompute the shares counted and the room natively.

The shares issued under the agreement are the Draws sheet's shares (the ledger's purchases) and
those issued outside it (commitment shares), listed here; the counts of shares outstanding and of
the investor's holdings are listed too, and LOOKUP finds the latest count on or before a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from eql.errors import EqlError
from eql.ledger import ShareInputs
from eql.records import Issue
from eql.share_caps import CapRoom, IssuedShares, ShareFacts, share_room
from eql.terms_records import ShareCap
from eql.vocabulary import Rounding, ShareCapKind, registry
from eql.workbook import style
from eql.workbook.pack.draws import columns as draws_columns
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.writer import HEADER, PackWriter, red_when_false
from eql.workbook.roundings import rounded

SHEET = "Share caps"
HEADINGS = (
    "Share cap",
    "Share",
    "Shares outstanding",
    "Shares counted",
    "Room",
    "How",
    "Check: outstanding",
    "Check: counted",
    "Check: room",
)
NO_LIMIT = "no limit"


@dataclass(frozen=True)
class _Ranges:
    """Where the sheet's counts are, as formulas read them."""

    draws_shares: str  # the Draws sheet's Shares column
    as_of: str = "AsOf"

    def issued(self, after: str | None = None) -> str:
        """The shares issued under the agreement on or before the as-of date (and after the date
        in cell ``after``): the ledger's purchases and the other issues listed here."""
        criteria = f'"<="&{self.as_of}'
        since = f',Draws!$A:$A,">"&{after}' if after else ""
        others = f',ShareIssuedDates,">"&{after}' if after else ""
        return (
            f"(SUMIFS(Draws!${self.draws_shares}:${self.draws_shares},Draws!$A:$A,{criteria}{since})"
            f"+SUMIFS(ShareIssuedShares,ShareIssuedDates,{criteria}{others}))"
        )


def _day(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _exchange(cap: ShareCap, row: int, ranges: _Ranges, found: PackFacts) -> tuple[str, str, str]:
    """The count at signing; every share issued to date; the room: the cap's share of that count,
    rounded down, less those issued (none left below 0), or no limit once stockholders approved."""
    signed = _day(cap.signed or found.as_of)
    outstanding = f"LOOKUP({signed},ShareOutstandingDates,ShareOutstandingShares)"
    if cap.approved and cap.approved_on is not None and cap.approved_on <= found.as_of:
        room = f'=E{row}="{NO_LIMIT}"'
    else:
        allowed = rounded(f"B{row}*C{row}", 0, Rounding.DOWN)
        room = f"=E{row}=MAX(0,{allowed}-D{row})"
    return f"=C{row}={outstanding}", f"=D{row}={ranges.issued()}", room


def _ownership(cap: ShareCap, row: int, ranges: _Ranges, _found: PackFacts) -> tuple[str, str, str]:
    """Shares outstanding and the investor's holdings on the as-of date (the latest counts, with
    the shares issued since each when the cap says so); the room N with (held + N) / (outstanding
    + N) at most the share, rounded down, none below 0."""

    def latest(name: str) -> str:
        count = f"LOOKUP({ranges.as_of},Share{name}Dates,Share{name}Shares)"
        if not cap.count_issued_since:
            return count
        dated = f"LOOKUP({ranges.as_of},Share{name}Dates,Share{name}Dates)"
        return f"{count}+{ranges.issued(dated)}"

    room = rounded(f"MAX(0,(B{row}*C{row}-D{row})/(1-B{row}))", 0, Rounding.DOWN)
    return (
        f"=C{row}={latest('Outstanding')}",
        f"=D{row}={latest('Holdings')}",
        f"=E{row}={room}",
    )


# Each kind of share cap's checks: (shares outstanding, shares counted, room) recomputed.
CAP_CHECKS: Mapping[
    ShareCapKind, Callable[[ShareCap, int, _Ranges, PackFacts], tuple[str, str, str]]
] = registry(
    ShareCapKind,
    {ShareCapKind.EXCHANGE: _exchange, ShareCapKind.OWNERSHIP: _ownership},
    "pack share cap checks",
)


def share_caps_sheet(writer: PackWriter, found: PackFacts) -> None:
    """The sheet, when the terms name a share cap."""
    terms = found.terms
    if not terms.share_caps:
        return
    sheet = writer.sheet(
        SHEET,
        "Share caps on the quarter's last day",
        "The shares issued under the agreement are the Draws sheet's and those listed below; "
        "each cap's room is the most shares a purchase may be under it.",
    )
    inputs = found.facility.share_inputs
    if inputs is None:
        writer.put(
            sheet,
            HEADER,
            1,
            "Not counted: no shares outstanding were given (outstanding.csv, or the template's "
            "Outstanding table), so the ledger did not check the share caps.",
        )
        return
    issued = [*inputs.issued, *_purchases(found)]
    try:
        room = share_room(
            ShareFacts(found.as_of, IssuedShares(issued), inputs.outstanding, inputs.holdings),
            terms,
        )
    except EqlError as error:
        writer.put(sheet, HEADER, 1, error.cell_text())
        return
    writer.header(sheet, HEADER, HEADINGS)
    shares_column = get_column_letter(draws_columns(terms).index("Shares") + 1)
    ranges = _Ranges(shares_column)
    for offset, cap in enumerate(room.rooms, start=1):
        _cap_row(writer, sheet, HEADER + offset, cap, ranges, found)
    last = HEADER + len(room.rooms)
    writer.put(sheet, last + 1, 1, "Share room")
    writer.put(sheet, last + 1, 5, NO_LIMIT if room.shares is None else room.shares, style.WHOLE)
    writer.put(sheet, last + 1, 6, f"binds: {room.binds}" if room.binding else "")
    red_when_false(sheet, f"G{HEADER + 1}:I{last}")
    _counts(writer, sheet, last + 3, inputs)
    style.widths(sheet, {"A": 26, "B": 12, "C": 14, "D": 14, "E": 12, "F": 70, "G": 11, "H": 11})
    style.widths(sheet, {"I": 11})


def _purchases(found: PackFacts) -> list[Issue]:
    """The ledger's purchases to the quarter's end, as shares issued under the agreement."""
    return [
        Issue(row.request.date, row.shares, row.funded, row.request.row)
        for row in found.schedule
        if row.funded and row.shares
    ]


def _cap_row(
    writer: PackWriter, sheet: Worksheet, row: int, cap: CapRoom, ranges: _Ranges, found: PackFacts
) -> None:
    writer.put(sheet, row, 1, cap.name)
    writer.put(sheet, row, 2, cap.cap.share)
    writer.put(sheet, row, 3, cap.base, style.WHOLE)
    writer.put(sheet, row, 4, cap.counted, style.WHOLE)
    writer.put(sheet, row, 5, NO_LIMIT if cap.room is None else cap.room, style.WHOLE)
    writer.put(sheet, row, 6, cap.basis)
    sheet.cell(row, 6).alignment = style.WRAP
    for column, formula in enumerate(CAP_CHECKS[cap.cap.kind](cap.cap, row, ranges, found), 7):
        writer.check(sheet, row, column, formula)


def _counts(writer: PackWriter, sheet: Worksheet, top: int, inputs: ShareInputs) -> None:
    """The counts the caps are worked from, each under names the checks read."""
    blocks: list[tuple[str, str, list[tuple[dt.date, int]]]] = [
        (
            "Shares outstanding",
            "ShareOutstanding",
            [(c.date, c.shares) for c in inputs.outstanding],
        ),
        ("Investor's holdings", "ShareHoldings", [(c.date, c.shares) for c in inputs.holdings]),
        (
            "Shares issued outside the ledger",
            "ShareIssued",
            [(i.date, i.shares) for i in inputs.issued],
        ),
    ]
    row = top
    for title, name, counts in blocks:
        writer.put(sheet, row, 1, title)
        sheet.cell(row, 1).font = style.BOLD
        writer.header(sheet, row + 1, ("Date", "Shares"))
        first = row + 2
        for offset, (day, shares) in enumerate(counts):
            writer.put(sheet, first + offset, 1, day)
            writer.put(sheet, first + offset, 2, shares, style.WHOLE)
        # A range of at least one row, so the names always refer to cells (an empty one sums 0).
        last = first + max(len(counts), 1) - 1
        writer.name(f"{name}Dates", sheet, f"A{first}:A{last}")
        writer.name(f"{name}Shares", sheet, f"B{first}:B{last}")
        row = last + 2
