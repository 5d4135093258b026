"""The Limits sheet: each limit's allowed amount, the amount funded against it and its room on the
quarter's last day, then condition (v) and the quarter limit on the last day of every quarter so
far; checks recompute funded and room from the Draws sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from eql.caps import Room, cash_used_share, mean_traded_value
from eql.quarters import fiscal_quarter, fiscal_quarter_from_label, term_quarters
from eql.terms import Limit
from eql.vocabulary import LimitKind, Period, registry
from eql.workbook import style
from eql.workbook.pack.facts import PackFacts
from eql.workbook.pack.writer import HEADER, PackWriter, funded_sum, red_when_false, within
from eql.workbook.template import term_fiscal_quarters


@dataclass(frozen=True)
class LimitsLayout:
    rows: dict[str, int]  # limit key -> its row on the as-of date
    cap_row: int


COLUMNS = (
    "Counted from",
    "Counted through",
    "Allowed",
    "Funded",
    "Room",
    "How allowed is reached",
    "Factor",  # column H: what a limit's allowed amount is a factor of ...
    "Base",  # ... column I: of what (see _factor_headings)
    "Check: allowed",
    "Check: funded",
    "Check: room",
)

# The headings of columns H and I by the kinds of limit that write them: a share of the cash used
# in a fiscal quarter, or a multiple of the mean daily traded value.
FACTOR_HEADINGS = {
    LimitKind.CASH_USED: ("Share of cash used", "Cash used"),
    LimitKind.TRADED_VALUE: ("Multiple", "Mean daily traded value"),
}


def _per_period(limit: Limit, row: int) -> str:
    return f"=D{row}=Limit_{limit.key}"


def _commitment(_limit: Limit, row: int) -> str:
    return within(f"D{row}", "Commitment-ReductionsInForce")


def _cash_used(_limit: Limit, row: int) -> str:
    return within(f"D{row}", f"H{row}*I{row}")


# How each kind of limit's allowed amount is recomputed from the sheet (the share and the cash
# used of condition (v) sit in columns H and I of its row).
ALLOWED_CHECKS = registry(
    LimitKind,
    {
        LimitKind.PER_DRAW: _per_period,  # the named amount, as for a limit per period
        LimitKind.PER_PERIOD: _per_period,
        LimitKind.COMMITMENT: _commitment,
        LimitKind.CASH_USED: _cash_used,
        # The multiple and the mean daily traded value stand in columns H and I, as a share and
        # the cash used do: the pack holds no volumes to recompute the mean from.
        LimitKind.TRADED_VALUE: _cash_used,
    },
    "pack Limits sheet allowed checks",
)


def _room_row(
    writer: PackWriter,
    sheet: Worksheet,
    row: int,
    label: Any,
    span: tuple[dt.date, dt.date],
    room: Room,
    cash: tuple[Decimal, Decimal] | None = None,
) -> None:
    """One limit on one day: its values, and checks that allowed, funded and room follow from
    the sheet."""
    for column, value, number_format in (
        (1, label, None),
        (2, span[0], None),
        (3, span[1], None),
        (4, room.allowed, style.MONEY),
        (5, room.used, style.MONEY),
        (6, room.room, style.MONEY),
        (7, room.basis, None),
    ):
        writer.put(sheet, row, column, value, number_format)
    sheet.cell(row, 7).alignment = style.WRAP_INDENTED
    if cash is not None:
        factor_format = style.PCT if room.limit.kind == LimitKind.CASH_USED else None
        writer.put(sheet, row, 8, cash[0], factor_format)
        writer.put(sheet, row, 9, cash[1], style.MONEY)
    writer.check(sheet, row, 10, ALLOWED_CHECKS[LimitKind(room.limit.kind)](room.limit, row))
    writer.check(sheet, row, 11, within(f"E{row}", funded_sum(f"C{row}", f"B{row}")))
    writer.check(sheet, row, 12, within(f"F{row}", f"D{row}-E{row}"))


def _cash(found: PackFacts, label: str, limit: Limit) -> tuple[Decimal, Decimal] | None:
    if limit.kind == LimitKind.TRADED_VALUE and limit.multiple is not None:
        _, mean = mean_traded_value(limit, found.as_of, found.facility.prices, found.terms)
        return limit.multiple, mean
    if limit.kind != LimitKind.CASH_USED:
        return None
    share = cash_used_share(label, limit)
    return (share if share is not None else Decimal(0), found.facility.cash_used[label])


def _columns(found: PackFacts) -> tuple[str, ...]:
    """The sheet's column headings: H and I named for the limits that fill them, blank when none
    of the facility's limits does (the columns are then hidden)."""
    kinds = {LimitKind(limit.kind) for limit in found.terms.limits}
    used = [FACTOR_HEADINGS[kind] for kind in FACTOR_HEADINGS if kind in kinds]
    if not used:
        factor: tuple[str, str] = ("", "")
    elif len(used) == 1:
        factor = used[0]
    else:
        factor = (" or ".join(h for h, _ in used), " or ".join(b for _, b in used))
    return (*COLUMNS[:6], *factor, *COLUMNS[8:])


def _section(
    writer: PackWriter, sheet: Worksheet, row: int, heading: str, columns: tuple[str, ...]
) -> None:
    writer.put(sheet, row - 1, 1, heading)
    sheet.cell(row - 1, 1).font = style.BOLD
    writer.header(sheet, row, columns)


def limits_sheet(writer: PackWriter, found: PackFacts) -> LimitsLayout:
    as_of, last_day = found.as_of, found.last_day
    sheet = writer.sheet(
        "Limits",
        f"Limits on {as_of}",
        "Each limit's amount allowed, the amount funded against it, and the room left; the cap "
        "is the smallest room.",
    )
    columns = _columns(found)
    writer.header(sheet, HEADER, ("Limit", *columns))
    rows: dict[str, int] = {}
    label = fiscal_quarter(as_of, found.terms).label
    for offset, room in enumerate(last_day.rooms, start=1):
        row = HEADER + offset
        rows[room.key] = row
        span = (found.period_start(room), as_of)
        _room_row(writer, sheet, row, room.name, span, room, _cash(found, label, room.limit))
    cap_row = HEADER + len(last_day.rooms) + 1
    writer.put(sheet, cap_row, 1, f"Cap on {as_of}")
    sheet.cell(cap_row, 1).font = style.BOLD
    writer.put(sheet, cap_row, 6, last_day.amount, style.MONEY)
    writer.put(sheet, cap_row, 7, f"binds: {last_day.binds}")
    sheet.cell(cap_row, 7).alignment = style.WRAP
    room_span = f"F{HEADER + 1}:F{cap_row - 1}"
    writer.check(sheet, cap_row, 12, within(f"F{cap_row}", f"MAX(MIN({room_span}),0)"))

    row = _cash_used_history(writer, sheet, found, cap_row + 3)
    row = _term_quarter_history(writer, sheet, found, row)
    red_when_false(sheet, f"J{HEADER + 1}:L{row}")
    widths = (30, 11, 11, 14, 14, 14, 52, 9, 13, 10, 10, 10)
    style.widths(sheet, dict(zip("ABCDEFGHIJKL", widths, strict=True)))
    if not columns[6]:  # no limit of the facility is a factor of something: H and I say nothing
        for letter in "HI":
            sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = f"A{HEADER + 1}"
    return LimitsLayout(rows, cap_row)


def _cash_used_history(writer: PackWriter, sheet: Worksheet, found: PackFacts, row: int) -> int:
    """Condition (v) on the last day of every fiscal quarter so far; the next free row."""
    terms, as_of = found.terms, found.as_of
    limit = found.limit(LimitKind.CASH_USED)
    if limit is None:
        return row
    _section(
        writer,
        sheet,
        row,
        f"Condition {limit.clause}: cash used in operations, each fiscal quarter on its last day",
        ("Fiscal quarter", *_columns(found)),
    )
    for label in term_fiscal_quarters(terms):
        quarter = fiscal_quarter_from_label(label, "quarter", terms)
        if quarter.start > as_of:
            break
        through = min(quarter.end, as_of, terms.term_end)
        room = found.room(through, limit)
        row += 1
        span = (found.period_start(room), through)
        _room_row(writer, sheet, row, label, span, room, _cash(found, label, limit))
    return row + 3


def _term_quarter_history(writer: PackWriter, sheet: Worksheet, found: PackFacts, row: int) -> int:
    """The per-quarter limit on the last day of every term quarter so far; the last row used."""
    limit = found.limit(LimitKind.PER_PERIOD)
    if limit is None or limit.period != Period.TERM_QUARTER:
        return row
    _section(
        writer,
        sheet,
        row,
        f"The {limit.label}, each term quarter on its last day",
        ("Term quarter", *_columns(found)),
    )
    for term_q in term_quarters(found.terms):
        if term_q.start > found.as_of:
            break
        through = min(term_q.end, found.as_of)
        room = found.room(through, limit)
        row += 1
        _room_row(writer, sheet, row, term_q.number, (found.period_start(room), through), room)
    return row
