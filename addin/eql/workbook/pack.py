"""The quarter-end pack: a workbook for auditors and the board that needs no add-in.

Every value is the engine's, as of the fiscal quarter's last day. Beside the values, check cells
hold native formulas (AVERAGE, ROUNDDOWN, MIN, SUMIFS ... only functions LibreOffice 7.4 also
has) that recompute the average, price, shares and rooms from the pack's own cells and show TRUE
where they agree; the Summary says whether every check agrees. Check cells carry the cell style
named :data:`CHECK_STYLE`, so a reader (or a test) can find every one of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from eql.caps import Cap, Facts, Room, cap_on, cash_used_share, facts_for, funded_through
from eql.conditions import failures, standing
from eql.errors import InputError
from eql.facility import Facility
from eql.ledger import ScheduleRow
from eql.quarters import FiscalQuarter, fiscal_quarter, fiscal_quarter_from_label, term_quarters
from eql.records import Draw
from eql.terms import Terms
from eql.values import to_serial
from eql.vocabulary import Rounding
from eql.workbook import cells, style
from eql.workbook.cells import Formula
from eql.workbook.roundings import rounded
from eql.workbook.template import term_fiscal_quarters

CHECK_STYLE = "eql check"
LINE_COLOURS = ("1F4E79", "C00000", "7F7F7F")
PRICE_COLOUR = "C00000"
MONEY_TOLERANCE = "0.005"  # half a cent: amounts are sums of entered dollars and cents
PRICE_TOLERANCE = "1E-9"  # a price or average has at most a few decimals; floats differ far below
HEADER = 4  # the header row of each sheet's main table


@dataclass(frozen=True)
class Pack:
    """A pack as written: the workbook, and where its check cells are."""

    quarter: FiscalQuarter
    book: Workbook
    checks: tuple[tuple[str, str], ...]  # (sheet, cell) of every check formula


def pack_quarters(terms: Terms) -> list[str]:
    """Every fiscal quarter of the term: ``eql quarter-end --all`` writes one pack for each."""
    return term_fiscal_quarters(terms)


def pack_file_name(label: str) -> str:
    return f"quarter-end-{label.replace(' ', '-')}.xlsx"


def as_of_quarter(facility: Facility, label: str) -> Facility:
    """The facility as known on the quarter's last day: later requests, closes, events dropped."""
    terms = facility.terms
    quarter = fiscal_quarter_from_label(label, "quarter", terms)
    if label not in pack_quarters(terms):
        raise InputError(
            name="quarter",
            problem=f"must be a fiscal quarter of the term ({', '.join(pack_quarters(terms))})",
            value=label,
        )
    end = quarter.end
    return dataclasses.replace(
        facility,
        requests=[r for r in facility.requests if r.date <= end],
        milestones={
            k: (d if d is not None and d <= end else None) for k, d in facility.milestones.items()
        },
        reductions=[r for r in facility.reductions if r.date <= end],
        fees=[f for f in facility.fees if f.requested <= end],
        closes=[(d, c) for d, c in facility.closes if d <= end],
    )


class _Writer:
    """Writes cells and remembers the check cells; every sheet of a pack goes through one."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.checks: list[tuple[str, str]] = []
        check = NamedStyle(name=CHECK_STYLE)
        check.font = Font(bold=True)
        check.alignment = Alignment(horizontal="center")
        book.add_named_style(check)

    def sheet(self, name: str, heading: str, note: str) -> Worksheet:
        sheet = self.book.create_sheet(name)
        style.title(sheet, heading, note)
        style.print_setup(sheet, title_rows=f"{HEADER}:{HEADER}")
        return sheet

    def header(self, sheet: Worksheet, row: int, names: Sequence[str]) -> None:
        for column, name in enumerate(names, start=1):
            cell = cells.put(sheet, row, column, name)
            cell.font = style.BOLD
            cell.alignment = style.WRAP

    def put(
        self, sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None
    ) -> str:
        cell = cells.put(sheet, row, column, value)
        chosen = number_format or style.number_format_for(value)
        if chosen:
            cell.number_format = chosen
        return str(cell.coordinate)

    def check(self, sheet: Worksheet, row: int, column: int, formula: str) -> str:
        cell = cells.put(sheet, row, column, Formula(formula))
        cell.style = CHECK_STYLE
        self.checks.append((sheet.title, cell.coordinate))
        return str(cell.coordinate)

    def name(self, name: str, sheet: Worksheet, coordinate: str) -> None:
        column = "".join(ch for ch in coordinate if ch.isalpha())
        row = "".join(ch for ch in coordinate if ch.isdigit())
        reference = f"'{sheet.title}'!${column}${row}"
        self.book.defined_names[name] = DefinedName(name, attr_text=reference)


def quarter_pack(facility: Facility, label: str, prices_note: str | None = None) -> Pack:
    """The pack of fiscal quarter ``label`` (``FY2003 Q2``); ``prices_note`` heads the Prices sheet."""
    known = as_of_quarter(facility, label)
    terms = known.terms
    quarter = fiscal_quarter_from_label(label, "quarter", terms)
    as_of = quarter.end
    schedule = known.schedule()
    funded = [Draw(row.request.date, row.funded, row.request.row) for row in schedule if row.funded]
    facts = facts_for(funded, known.cash_used, known.reductions, terms)
    last_day = cap_on(as_of, facts, terms)

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    writer = _Writer(book)
    _terms_sheet(writer, terms, as_of, quarter)
    _prices_sheet(writer, known, prices_note)
    draws = _draws_sheet(writer, terms, schedule)
    reductions = _reductions_sheet(writer, terms, facts)
    limits = _limits_sheet(writer, terms, known, facts, last_day, as_of)
    _conditions_sheet(writer, terms, known, as_of)
    fees = _fees_sheet(writer, known, as_of)
    chart_rows = _chart_data_sheet(writer, terms, funded, facts, as_of)
    _summary_sheet(
        writer, summary, terms, quarter, schedule, last_day, facts, limits, reductions, fees, draws
    )
    _charts(summary, terms, chart_rows, draws)
    book.move_sheet("Summary", offset=-book.index(summary))
    return Pack(quarter, book, tuple(writer.checks))


def _terms_sheet(writer: _Writer, terms: Terms, as_of: dt.date, quarter: FiscalQuarter) -> None:
    sheet = writer.sheet("Terms", "Terms used by the checks", f"From the terms file: {terms.name}.")
    writer.header(sheet, HEADER, ("Term", "Value"))
    rows: list[tuple[str, str, Any, str | None]] = [
        ("AsOf", "As of (the quarter's last day)", as_of, style.DATE),
        ("QuarterStart", f"{quarter.label} starts", quarter.start, style.DATE),
        ("TermStart", "Term starts", terms.term_start, style.DATE),
        ("TermEnd", "Term ends", terms.term_end, style.DATE),
        ("TermSheetDate", "Term sheet dated", terms.term_sheet_date, style.DATE),
        ("Commitment", "Commitment", terms.commitment, style.MONEY),
        ("PricingFactor", "Price factor (× average close)", terms.pricing.factor, None),
        ("PricingSessions", "Pricing sessions", terms.pricing.sessions, None),
    ]
    for offset, (name, label, value, number_format) in enumerate(rows, start=1):
        writer.put(sheet, HEADER + offset, 1, label)
        coordinate = writer.put(sheet, HEADER + offset, 2, value, number_format)
        writer.name(name, sheet, coordinate)
    row = HEADER + len(rows) + 1
    for limit in terms.limits:
        if limit.amount is not None:
            writer.put(sheet, row, 1, f"{limit.label} per {limit.period.replace('_', ' ')}")
            writer.name(
                f"Limit_{limit.key}", sheet, writer.put(sheet, row, 2, limit.amount, style.MONEY)
            )
            row += 1
    writer.put(sheet, row, 1, "Price rounding")
    writer.put(sheet, row, 2, terms.pricing.rounding)
    writer.put(sheet, row + 1, 1, "Share rounding")
    writer.put(sheet, row + 1, 2, terms.share_rounding)
    style.widths(sheet, {"A": 40, "B": 16})


def _prices_sheet(writer: _Writer, facility: Facility, note: str | None) -> None:
    sheet = writer.sheet(
        "Prices",
        "Closing prices",
        note or "The closes entered up to the quarter's last day.",
    )
    writer.header(sheet, HEADER, ("Date", "Close"))
    for offset, (day, close) in enumerate(facility.closes, start=1):
        writer.put(sheet, HEADER + offset, 1, day)
        writer.put(sheet, HEADER + offset, 2, close, style.MONEY)
    sheet.freeze_panes = f"A{HEADER + 1}"
    style.widths(sheet, {"A": 13, "B": 10})


@dataclass(frozen=True)
class _DrawsLayout:
    first: int
    last: int  # == first - 1 when there are no draws
    date: str  # column letters
    funded: str
    price: str


def _draws_sheet(writer: _Writer, terms: Terms, schedule: Sequence[ScheduleRow]) -> _DrawsLayout:
    sheet = writer.sheet(
        "Draws",
        "Draws requested to the quarter's end",
        "In date order; each is checked against the draws funded before it. A blocked request funds nothing.",
    )
    count = terms.pricing.sessions
    names = [
        "Funding date",
        "Requested",
        "Funded",
        "Status",
        "Fiscal quarter",
        "Term quarter",
        "Cap before the draw",
        *(f"Session {n}" for n in range(1, count + 1)),
        *(f"Close {n}" for n in range(1, count + 1)),
        "Average close",
        "Price",
        "Shares",
        "Restricted legend",
        "Check: average",
        "Check: price",
        "Check: shares",
        "Check: closes",
        "Check: cap and status",
    ]
    writer.header(sheet, HEADER, names)
    col = {name: get_column_letter(i) for i, name in enumerate(names, start=1)}
    first_session = 8
    first_close = first_session + count
    average = first_close + count
    for offset, item in enumerate(schedule, start=1):
        row = HEADER + offset
        request = item.request
        writer.put(sheet, row, 1, request.date)
        writer.put(sheet, row, 2, request.amount, style.MONEY)
        writer.put(sheet, row, 3, item.funded, style.MONEY)
        writer.put(sheet, row, 4, item.check.text)
        writer.put(sheet, row, 5, item.fiscal_quarter.label)
        writer.put(sheet, row, 6, item.term_quarter)
        writer.put(sheet, row, 7, item.check.cap.amount, style.MONEY)
        quote = item.quote
        date, amount, funded, status = (
            f"{col[n]}{row}" for n in ("Funding date", "Requested", "Funded", "Status")
        )
        cap_cell = f"{col['Cap before the draw']}{row}"
        writer.check(
            sheet,
            row,
            names.index("Check: cap and status") + 1,
            f'=AND(IF({status}="OK",{funded}={amount},{funded}=0),{funded}<={cap_cell}+{MONEY_TOLERANCE})',
        )
        if quote is None:
            writer.put(
                sheet, row, average + 1, item.price_error.cell_text() if item.price_error else ""
            )
            continue
        for n, (session, close) in enumerate(zip(quote.sessions, quote.closes, strict=True)):
            writer.put(sheet, row, first_session + n, session)
            writer.put(sheet, row, first_close + n, close, style.MONEY)
        writer.put(sheet, row, average, quote.mean, style.PRICE)
        writer.put(sheet, row, average + 1, quote.price, style.PRICE)
        writer.put(sheet, row, average + 2, item.shares, style.WHOLE)
        writer.put(sheet, row, average + 3, terms.legend if item.shares else "")
        closes = f"{get_column_letter(first_close)}{row}:{get_column_letter(first_close + count - 1)}{row}"
        avg, price, shares = (f"{get_column_letter(average + k)}{row}" for k in range(3))
        writer.check(sheet, row, average + 4, f"=ABS(AVERAGE({closes})-{avg})<={PRICE_TOLERANCE}")
        writer.check(sheet, row, average + 5, _price_check(avg, price, terms))
        expected = rounded(f"{funded}/{price}", 0, terms.share_rounding)
        writer.check(sheet, row, average + 6, f"=IF({funded}=0,{shares}=0,{shares}={expected})")
        matches = ",".join(
            f"{get_column_letter(first_close + n)}{row}=INDEX(Prices!$B:$B,MATCH({get_column_letter(first_session + n)}{row},Prices!$A:$A,0))"
            for n in range(count)
        )
        writer.check(sheet, row, average + 7, f"=AND({matches})")
        del date
    widths = {col[n]: 13 for n in names}
    widths.update(
        {
            col["Status"]: 50,
            col["Restricted legend"]: 40,
            col["Requested"]: 14,
            col["Funded"]: 14,
            col["Cap before the draw"]: 15,
        }
    )
    style.widths(sheet, widths)
    sheet.freeze_panes = f"B{HEADER + 1}"
    _red_when_false(
        sheet,
        f"{col['Check: average']}{HEADER + 1}:{col['Check: cap and status']}{HEADER + max(len(schedule), 1)}",
    )
    return _DrawsLayout(
        HEADER + 1,
        HEADER + len(schedule),
        col["Funding date"],
        col["Funded"],
        get_column_letter(average + 1),
    )


def _price_check(avg: str, price: str, terms: Terms) -> str:
    expected = f"{avg}*PricingFactor"
    if terms.pricing.rounding != "none":
        quantum, mode = terms.pricing.rounding.split()
        digits = -Decimal(quantum).normalize().as_tuple().exponent  # type: ignore[operator]
        expected = rounded(expected, digits, Rounding(mode))
    return f"=ABS({expected}-{price})<={PRICE_TOLERANCE}"


def _red_when_false(sheet: Worksheet, cells: str) -> None:
    top_left = cells.split(":", maxsplit=1)[0]
    # ISLOGICAL: a blank cell compares equal to FALSE, and blank cells are not checks.
    sheet.conditional_formatting.add(
        cells,
        FormulaRule(formula=[f"AND(ISLOGICAL({top_left}),NOT({top_left}))"], fill=style.RED_FILL),
    )
    sheet.conditional_formatting.add(
        cells,
        FormulaRule(formula=[f"AND(ISLOGICAL({top_left}),{top_left})"], fill=style.GREEN_FILL),
    )


def _funded_sum(through: str, since: str | None = None) -> str:
    """SUMIFS over the pack's Draws: funded amounts dated from ``since`` through ``through``."""
    criteria = f'Draws!$A:$A,"<="&{through}'
    if since is not None:
        criteria += f',Draws!$A:$A,">="&{since}'
    return f"SUMIFS(Draws!$C:$C,{criteria})"


@dataclass(frozen=True)
class _ReductionsLayout:
    in_force: str  # the range of amounts in force, or "" when there are none


def _reductions_sheet(writer: _Writer, terms: Terms, facts: Facts) -> _ReductionsLayout:
    sheet = writer.sheet(
        "Reductions",
        "Commitment reductions in force",
        "After a third-party financing the investor may reduce the commitment, by up to that amount and at most what is unfunded.",
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
    reductions = facts.reductions
    for offset, effective in enumerate(reductions, start=1):
        row = HEADER + offset
        reduction = effective.reduction
        writer.put(sheet, row, 1, reduction.date)
        writer.put(sheet, row, 2, reduction.third_party, style.MONEY)
        writer.put(sheet, row, 3, reduction.elected, style.MONEY)
        writer.put(sheet, row, 4, effective.unfunded, style.MONEY)
        writer.put(sheet, row, 5, effective.amount, style.MONEY)
        earlier = f"SUM(E${HEADER}:E{row - 1})"
        same_day = "<=" if terms.reduction_same_day_draws_funded else "<"
        funded = f'SUMIFS(Draws!$C:$C,Draws!$A:$A,"{same_day}"&A{row})'
        writer.check(
            sheet, row, 6, f"=ABS(D{row}-MAX(Commitment-{earlier}-{funded},0))<={MONEY_TOLERANCE}"
        )
        bounds = [f"C{row}"]
        if reduction.third_party is not None:
            bounds.append(f"B{row}")
        if terms.reduction_capped_at_unfunded:
            bounds.append(f"D{row}")
        writer.check(sheet, row, 7, f"=ABS(E{row}-MIN({','.join(bounds)}))<={MONEY_TOLERANCE}")
    total_row = HEADER + len(reductions) + 2
    writer.put(sheet, total_row, 4, "Total in force")
    sheet.cell(total_row, 4).font = style.BOLD
    total = sum((r.amount for r in reductions), Decimal(0))
    writer.put(sheet, total_row, 5, total, style.MONEY)
    writer.name("ReductionsInForce", sheet, f"E{total_row}")
    if reductions:
        span = f"E{HEADER + 1}:E{HEADER + len(reductions)}"
        writer.check(sheet, total_row, 6, f"=ABS(E{total_row}-SUM({span}))<={MONEY_TOLERANCE}")
        _red_when_false(sheet, f"F{HEADER + 1}:G{total_row}")
    style.widths(sheet, {"A": 13, "B": 20, "C": 16, "D": 20, "E": 16, "F": 16, "G": 16})
    return _ReductionsLayout(f"E{HEADER + 1}:E{HEADER + len(reductions)}" if reductions else "")


@dataclass(frozen=True)
class _LimitsLayout:
    rows: dict[str, int]  # limit key -> row on the as-of date
    cap_row: int


LIMIT_COLUMNS = (
    "Counted from",
    "Counted through",
    "Allowed",
    "Funded",
    "Room",
    "How allowed is reached",
    "Share of cash used",
    "Cash used",
    "Check: allowed",
    "Check: funded",
    "Check: room",
)


def _room_row(
    writer: _Writer,
    sheet: Worksheet,
    row: int,
    label: Any,
    span: tuple[dt.date, dt.date],
    room: Room,
    allowed_check: str,
    cash: tuple[Decimal, Decimal] | None = None,
) -> None:
    """One limit on one day: its values, and checks that funded and room follow from the sheet."""
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
    if cash is not None:
        writer.put(sheet, row, 8, cash[0], style.PCT)
        writer.put(sheet, row, 9, cash[1], style.MONEY)
    writer.check(sheet, row, 10, allowed_check)
    funded = _funded_sum(f"C{row}", f"B{row}")
    writer.check(sheet, row, 11, f"=ABS(E{row}-{funded})<={MONEY_TOLERANCE}")
    writer.check(sheet, row, 12, f"=ABS(F{row}-(D{row}-E{row}))<={MONEY_TOLERANCE}")


def _section(writer: _Writer, sheet: Worksheet, row: int, heading: str, first: str) -> None:
    writer.put(sheet, row - 1, 1, heading)
    sheet.cell(row - 1, 1).font = style.BOLD
    writer.header(sheet, row, (first, *LIMIT_COLUMNS))


def _limits_sheet(
    writer: _Writer, terms: Terms, facility: Facility, facts: Facts, last_day: Cap, as_of: dt.date
) -> _LimitsLayout:
    sheet = writer.sheet(
        "Limits",
        f"Limits on {as_of}",
        "Each limit's amount allowed, the amount funded against it, and the room left; the cap is the smallest room.",
    )
    writer.header(sheet, HEADER, ("Limit", *LIMIT_COLUMNS))
    rows: dict[str, int] = {}
    by_key = {limit.key: limit for limit in terms.limits}
    label = fiscal_quarter(as_of, terms).label
    for offset, room in enumerate(last_day.rooms, start=1):
        row = HEADER + offset
        rows[room.key] = row
        limit = by_key[room.key]
        span = (_period_start(limit.kind, limit.period, as_of, terms), as_of)
        cash = None
        if limit.kind == "per_period":
            allowed = f"=D{row}=Limit_{limit.key}"
        elif limit.kind == "commitment":
            allowed = f"=ABS(D{row}-(Commitment-ReductionsInForce))<={MONEY_TOLERANCE}"
        else:
            cash = (_cash_share(label, limit), facility.cash_used[label])
            allowed = f"=ABS(D{row}-H{row}*I{row})<={MONEY_TOLERANCE}"
        _room_row(writer, sheet, row, room.name, span, room, allowed, cash)
    cap_row = HEADER + len(last_day.rooms) + 1
    writer.put(sheet, cap_row, 1, f"Cap on {as_of}")
    sheet.cell(cap_row, 1).font = style.BOLD
    writer.put(sheet, cap_row, 6, last_day.amount, style.MONEY)
    writer.put(sheet, cap_row, 7, f"binds: {last_day.binds}")
    room_span = f"F{HEADER + 1}:F{cap_row - 1}"
    writer.check(sheet, cap_row, 12, f"=ABS(F{cap_row}-MAX(MIN({room_span}),0))<={MONEY_TOLERANCE}")

    row = _cash_used_history(writer, sheet, terms, facility, facts, as_of, cap_row + 3)
    row = _term_quarter_history(writer, sheet, terms, facts, as_of, row)
    _red_when_false(sheet, f"J{HEADER + 1}:L{row}")
    widths = dict(
        zip("ABCDEFGHIJKL", (34, 13, 14, 15, 15, 15, 58, 10, 14, 10, 10, 10), strict=True)
    )
    style.widths(sheet, widths)
    sheet.freeze_panes = f"A{HEADER + 1}"
    return _LimitsLayout(rows, cap_row)


def _cash_used_history(
    writer: _Writer,
    sheet: Worksheet,
    terms: Terms,
    facility: Facility,
    facts: Facts,
    as_of: dt.date,
    row: int,
) -> int:
    """Condition (v) on the last day of every fiscal quarter so far; the next free row."""
    cash_limit = terms.limit("cash_used")
    if cash_limit is None:
        return row
    _section(
        writer,
        sheet,
        row,
        f"Condition {cash_limit.clause}: cash used in operations, each fiscal quarter on its last day",
        "Fiscal quarter",
    )
    for quarter_label in term_fiscal_quarters(terms):
        quarter = fiscal_quarter_from_label(quarter_label, "quarter", terms)
        if quarter.start > as_of:
            break
        through = min(quarter.end, as_of, terms.term_end)
        room = next(r for r in cap_on(through, facts, terms).rooms if r.key == cash_limit.key)
        row += 1
        cash = (_cash_share(quarter_label, cash_limit), facility.cash_used[quarter_label])
        span = (max(quarter.start, terms.term_start), through)
        allowed = f"=ABS(D{row}-H{row}*I{row})<={MONEY_TOLERANCE}"
        _room_row(writer, sheet, row, quarter_label, span, room, allowed, cash)
    return row + 3


def _term_quarter_history(
    writer: _Writer, sheet: Worksheet, terms: Terms, facts: Facts, as_of: dt.date, row: int
) -> int:
    """The per-quarter limit on the last day of every term quarter so far; the last row used."""
    quarter_limit = terms.limit("per_period")
    if quarter_limit is None or quarter_limit.period != "term_quarter":
        return row
    heading = f"The {quarter_limit.label}, each term quarter on its last day"
    _section(writer, sheet, row, heading, "Term quarter")
    for term_q in term_quarters(terms):
        if term_q.start > as_of:
            break
        through = min(term_q.end, as_of)
        room = next(r for r in cap_on(through, facts, terms).rooms if r.key == quarter_limit.key)
        row += 1
        allowed = f"=D{row}=Limit_{quarter_limit.key}"
        _room_row(writer, sheet, row, term_q.number, (term_q.start, through), room, allowed)
    return row


def _cash_share(label: str, limit: Any) -> Decimal:
    share = cash_used_share(label, limit)
    return share if share is not None else Decimal(0)


def _period_start(kind: str, period: str, as_of: dt.date, terms: Terms) -> dt.date:
    if kind == "commitment":
        return terms.term_start
    if kind == "per_period" and period == "term_quarter":
        return next(q.start for q in term_quarters(terms) if q.start <= as_of <= q.end)
    return fiscal_quarter(as_of, terms).start


def _conditions_sheet(writer: _Writer, terms: Terms, facility: Facility, as_of: dt.date) -> None:
    sheet = writer.sheet(
        "Conditions",
        f"Conditions to funding on {as_of}",
        "Each condition's status on the quarter's last day. Milestones dated after it are not shown.",
    )
    writer.header(sheet, HEADER, ("Milestone", "Date reached", "What it means"))
    where: dict[str, str] = {}
    for offset, (key, text) in enumerate(terms.milestones, start=1):
        row = HEADER + offset
        writer.put(sheet, row, 1, key)
        writer.put(sheet, row, 2, facility.milestones.get(key), style.DATE)
        writer.put(sheet, row, 3, text)
        where[key] = f"$B${row}"
    top = HEADER + len(terms.milestones) + 3
    writer.header(
        sheet, top, ("Clause", "Condition", "Deadline", "Status", "Reason", "Check: status")
    )
    failing = {failure.clause: failure for failure in failures(as_of, facility.milestones, terms)}
    for offset, condition in enumerate(terms.conditions, start=1):
        row = top + offset
        failure = failing.get(condition.clause)
        writer.put(sheet, row, 1, condition.clause)
        writer.put(sheet, row, 2, condition.text)
        status = f"D{row}"
        if condition.kind == "milestones":
            assert condition.after is not None
            writer.put(
                sheet,
                row,
                3,
                f"for funding after {condition.after}: {', '.join(condition.requires)}",
            )
            reached = ",".join(f"ISNUMBER({where[k]}),{where[k]}<=AsOf" for k in condition.requires)
            after = f"DATE({condition.after.year},{condition.after.month},{condition.after.day})"
            formula = (
                f'=IF(AND({reached}),"met",IF(AsOf<={after},"not yet required","FAILS"))={status}'
            )
        else:
            assert condition.event is not None
            event = where[condition.event]
            writer.put(
                sheet,
                row,
                3,
                f"throughout the term: no {condition.event} after {terms.term_sheet_date}",
            )
            formula = f'=IF(AND(ISNUMBER({event}),{event}>TermSheetDate,{event}<=AsOf),"FAILS","met")={status}'
        writer.put(sheet, row, 4, standing(condition, as_of, facility.milestones, terms))
        writer.put(sheet, row, 5, failure.reason if failure else "")
        writer.check(sheet, row, 6, formula)
    last = top + len(terms.conditions)
    _red_when_false(sheet, f"F{top + 1}:F{last}")
    sheet.conditional_formatting.add(
        f"D{top + 1}:D{last}",
        CellIsRule(operator="equal", formula=['"FAILS"'], fill=style.RED_FILL),
    )
    style.widths(sheet, {"A": 14, "B": 60, "C": 50, "D": 9, "E": 80, "F": 12})


@dataclass(frozen=True)
class _FeesLayout:
    outstanding: str


def _fees_sheet(writer: _Writer, facility: Facility, as_of: dt.date) -> _FeesLayout:
    sheet = writer.sheet(
        "Fees",
        "Legal fees and expenses",
        "Requested by the investor up to the quarter's end; reimbursed ones show the date paid.",
    )
    writer.header(sheet, HEADER, ("Requested", "Amount", "Reimbursed", "Status", "Check: status"))
    fees = facility.fees
    for offset, fee in enumerate(fees, start=1):
        row = HEADER + offset
        paid = fee.reimbursed if fee.reimbursed is not None and fee.reimbursed <= as_of else None
        writer.put(sheet, row, 1, fee.requested)
        writer.put(sheet, row, 2, fee.amount, style.MONEY)
        writer.put(sheet, row, 3, paid, style.DATE)
        writer.put(sheet, row, 4, "reimbursed" if paid else "outstanding")
        writer.check(sheet, row, 5, f'=IF(ISNUMBER(C{row}),"reimbursed","outstanding")=D{row}')
    row = HEADER + len(fees) + 2
    outstanding = sum(
        (f.amount for f in fees if not (f.reimbursed and f.reimbursed <= as_of)), Decimal(0)
    )
    writer.put(sheet, row, 1, "Outstanding")
    sheet.cell(row, 1).font = style.BOLD
    writer.put(sheet, row, 2, outstanding, style.MONEY)
    if fees:
        writer.check(
            sheet,
            row,
            5,
            f'=ABS(B{row}-SUMIFS(B{HEADER + 1}:B{row - 2},D{HEADER + 1}:D{row - 2},"outstanding"))<={MONEY_TOLERANCE}',
        )
        _red_when_false(sheet, f"E{HEADER + 1}:E{row}")
    style.widths(sheet, {"A": 13, "B": 14, "C": 13, "D": 13, "E": 13})
    return _FeesLayout(f"Fees!$B${row}")


def _chart_data_sheet(
    writer: _Writer, terms: Terms, funded: Sequence[Draw], facts: Facts, as_of: dt.date
) -> tuple[int, int]:
    sheet = writer.sheet(
        "Chart data", "Cumulative funding", "The series the Summary's funding chart draws."
    )
    quarter_limit = terms.limit("per_period")
    names = ["Date", "Funded to date", "Commitment less reductions"]
    if quarter_limit is not None:
        names.append(f"{quarter_limit.label}, cumulative")
    writer.header(sheet, HEADER, names)
    days = {terms.term_start, as_of}
    days.update(d.date for d in funded)
    days.update(r.reduction.date for r in facts.reductions)
    days.update(q.start for q in term_quarters(terms) if q.start <= as_of)
    # The day before each change too, so the lines step rather than slope between changes.
    days.update(d - dt.timedelta(days=1) for d in list(days) if d > terms.term_start)
    row = HEADER
    for day in sorted(d for d in days if d <= as_of):
        row += 1
        reduced = sum((r.amount for r in facts.reductions if r.reduction.date <= day), Decimal(0))
        writer.put(sheet, row, 1, day)
        writer.put(sheet, row, 2, funded_through(funded, day), style.MONEY)
        writer.put(sheet, row, 3, terms.commitment - reduced, style.MONEY)
        if quarter_limit is not None and quarter_limit.amount is not None:
            begun = sum(1 for q in term_quarters(terms) if q.start <= day)
            writer.put(sheet, row, 4, quarter_limit.amount * begun, style.MONEY)
    style.widths(sheet, {"A": 13, "B": 16, "C": 26, "D": 30})
    return HEADER + 1, row


def _summary_sheet(
    writer: _Writer,
    sheet: Worksheet,
    terms: Terms,
    quarter: FiscalQuarter,
    schedule: Sequence[ScheduleRow],
    last_day: Cap,
    facts: Facts,
    limits: _LimitsLayout,
    reductions: _ReductionsLayout,
    fees: _FeesLayout,
    draws: _DrawsLayout,
) -> None:
    style.title(
        sheet,
        f"{terms.name}: quarter-end pack {quarter.label}",
        f"As of {quarter.end}. Values computed by eql from the term sheet; every check cell recomputes one of them with spreadsheet formulas.",
    )
    style.print_setup(sheet, landscape=True)
    writer.header(sheet, HEADER, ("", "Value", "Check"))
    in_quarter = [row for row in schedule if row.request.date >= quarter.start]
    funded_total = sum((row.funded for row in schedule), Decimal(0))
    funded_quarter = sum((row.funded for row in in_quarter), Decimal(0))
    reduced = sum((r.amount for r in facts.reductions), Decimal(0))
    total_key = next((limit.key for limit in terms.limits if limit.kind == "commitment"), None)
    cash_key = next((limit.key for limit in terms.limits if limit.kind == "cash_used"), None)
    quarter_key = next((limit.key for limit in terms.limits if limit.kind == "per_period"), None)
    rooms = {room.key: room for room in last_day.rooms}
    rows: list[tuple[str, Any, str | None, str | None]] = [
        ("Fiscal quarter", quarter.label, None, None),
        ("As of", quarter.end, style.DATE, "=B6=AsOf"),
        ("Commitment", terms.commitment, style.MONEY, "=B7=Commitment"),
        (
            "Reductions in force",
            reduced,
            style.MONEY,
            f"=ABS(B8-ReductionsInForce)<={MONEY_TOLERANCE}",
        ),
        (
            "Funded in the quarter",
            funded_quarter,
            style.MONEY,
            f"=ABS(B9-{_funded_sum('AsOf', 'QuarterStart')})<={MONEY_TOLERANCE}",
        ),
        (
            "Funded to date",
            funded_total,
            style.MONEY,
            f"=ABS(B10-SUM(Draws!$C:$C))<={MONEY_TOLERANCE}",
        ),
        (
            "Remaining commitment",
            rooms[total_key].room if total_key else None,
            style.MONEY,
            f"=ABS(B11-(B7-B8-B10))<={MONEY_TOLERANCE}" if total_key else None,
        ),
    ]
    if quarter_key:
        rows.append(
            (
                "Term-quarter room on the last day",
                rooms[quarter_key].room,
                style.MONEY,
                f"=B12=Limits!F{limits.rows[quarter_key]}",
            )
        )
    if cash_key:
        row_of = limits.rows[cash_key]
        rows.append(
            (
                "Cash-used cap for the quarter",
                rooms[cash_key].allowed,
                style.MONEY,
                f"=B{HEADER + len(rows) + 1}=Limits!D{row_of}",
            )
        )
        rows.append(
            (
                "Funded against the cash-used cap",
                rooms[cash_key].used,
                style.MONEY,
                f"=B{HEADER + len(rows) + 1}=Limits!E{row_of}",
            )
        )
    rows.append(
        (
            "Cap on the last day",
            last_day.amount,
            style.MONEY,
            f"=B{HEADER + len(rows) + 1}=Limits!F{limits.cap_row}",
        )
    )
    rows.append(("What binds", last_day.binds, None, None))
    blocked = sum(1 for row in in_quarter if not row.check.ok)
    rows.append(
        (
            "Draws requested in the quarter",
            len(in_quarter),
            None,
            f'=B{HEADER + len(rows) + 1}=COUNTIFS(Draws!$A:$A,">="&QuarterStart,Draws!$A:$A,"<="&AsOf)',
        )
    )
    rows.append(
        (
            "Blocked in the quarter",
            blocked,
            None,
            f'=B{HEADER + len(rows) + 1}=COUNTIFS(Draws!$A:$A,">="&QuarterStart,Draws!$A:$A,"<="&AsOf,Draws!$C:$C,0)',
        )
    )
    rows.append(("Conditions failing on the last day", None, None, None))
    rows.append(("Legal fees outstanding", None, style.MONEY, None))
    for offset, (label, value, number_format, check) in enumerate(rows, start=1):
        row = HEADER + offset
        writer.put(sheet, row, 1, label)
        sheet.cell(row, 1).font = style.BOLD
        writer.put(sheet, row, 2, value, number_format)
        if check:
            writer.check(sheet, row, 3, check)
    conditions_row = HEADER + len(rows) - 1
    cells.put(sheet, conditions_row, 2, Formula('=COUNTIF(Conditions!$D:$D,"FAILS")'))
    cells.put(sheet, conditions_row + 1, 2, Formula(f"={fees.outstanding}"))
    sheet.cell(conditions_row, 2).number_format = style.WHOLE
    all_row = conditions_row + 3
    cells.put(sheet, all_row, 1, "All checks agree").font = style.TITLE
    others = [f"'{s}'!{c}" for s, c in writer.checks]
    cells.put(
        sheet,
        all_row,
        2,
        Formula(f"=AND({','.join(others)})" if len(others) <= 250 else _and_of_many(others)),
    ).font = style.TITLE
    writer.put(
        sheet,
        all_row + 1,
        1,
        f"{len(others)} check cells; each is TRUE when the spreadsheet's own formula agrees with eql's value.",
    )
    sheet.cell(all_row + 1, 1).font = style.NOTE
    _red_when_false(sheet, f"C{HEADER + 1}:C{all_row - 1}")
    _red_when_false(sheet, f"B{all_row}")
    del draws, reductions
    style.widths(sheet, {"A": 36, "B": 40, "C": 8})
    sheet.print_area = f"A1:P{all_row + 40}"


def _and_of_many(cells: Sequence[str]) -> str:
    """AND over more cells than one function takes (255 arguments): an AND of ANDs."""
    chunks = [cells[i : i + 200] for i in range(0, len(cells), 200)]
    return "=AND(" + ",".join(f"AND({','.join(chunk)})" for chunk in chunks) + ")"


def _charts(
    summary: Worksheet, terms: Terms, chart_rows: tuple[int, int], draws: _DrawsLayout
) -> None:
    summary.add_chart(_funding_chart(summary.parent, terms, chart_rows), "E4")
    summary.add_chart(_prices_chart(summary.parent, terms, draws), "E26")


def _chart(title: str, y_title: str, y_format: str) -> ScatterChart:
    chart = ScatterChart()
    chart.title = title
    chart.style = 13
    chart.x_axis.number_format = style.DATE
    chart.y_axis.number_format = y_format
    chart.y_axis.title = y_title
    # openpyxl 3.1 marks axes deleted unless told otherwise; LibreOffice and Excel then hide them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 22, 10
    return chart


def _line(values: Reference, x_values: Reference, colour: str) -> Series:
    series = Series(values, x_values, title_from_data=True)
    series.marker.symbol = "none"
    series.smooth = False  # a ledger moves in steps; openpyxl smooths scatter lines by default
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
    return series


def _funding_chart(book: Workbook, terms: Terms, chart_rows: tuple[int, int]) -> ScatterChart:
    data = book["Chart data"]
    first, last = chart_rows
    chart = _chart(
        "Cumulative funding against the commitment and the quarter limit",
        terms.currency,
        style.WHOLE,
    )
    chart.x_axis.scaling.min = to_serial(terms.term_start)
    x_values = Reference(data, min_col=1, min_row=first, max_row=last)
    for column in range(2, data.max_column + 1):
        values = Reference(data, min_col=column, min_row=first - 1, max_row=last)
        chart.series.append(_line(values, x_values, LINE_COLOURS[(column - 2) % len(LINE_COLOURS)]))
    return chart


def _prices_chart(book: Workbook, terms: Terms, draws: _DrawsLayout) -> ScatterChart:
    prices = book["Prices"]
    chart = _chart(
        "Closing prices and the purchase prices of the draws",
        f"{terms.currency} per share",
        "0.00",
    )
    if prices.max_row > HEADER:
        values = Reference(prices, min_col=2, min_row=HEADER, max_row=prices.max_row)
        x_values = Reference(prices, min_col=1, min_row=HEADER + 1, max_row=prices.max_row)
        chart.series.append(_line(values, x_values, LINE_COLOURS[0]))
        first_day = prices.cell(HEADER + 1, 1).value
        if isinstance(first_day, dt.date):
            chart.x_axis.scaling.min = to_serial(first_day)
    if draws.last >= draws.first:
        sheet = book["Draws"]
        price_column = sheet[f"{draws.price}{HEADER}"].column
        series = Series(
            Reference(sheet, min_col=price_column, min_row=HEADER, max_row=draws.last),
            Reference(sheet, min_col=1, min_row=draws.first, max_row=draws.last),
            title_from_data=True,
        )
        series.marker.symbol = "diamond"
        series.marker.size = 9
        series.marker.graphicalProperties = GraphicalProperties(solidFill=PRICE_COLOUR)
        series.marker.graphicalProperties.line.solidFill = PRICE_COLOUR
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    return chart
